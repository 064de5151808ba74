"""What the council pages share: finding what the user may see, and answering with a
PDF."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from medvirk.core.http import StaffRequest

from .. import selectors
from ..models import Council, Meeting

# The council pages' one form template: a lead, screening flags and links to remove or end.
FORM_PAGE = "councils/form_page.html"


def council_for(
    request: StaffRequest, pk: int, permission: str = "councils.view_council"
) -> Council:
    """A council the user may read (others are not found), refused without ``permission``."""
    council = selectors.council_get(user=request.user, municipality=request.municipality, pk=pk)
    if not request.user.has_perm(permission, council):
        raise PermissionDenied
    return council


def meeting_for(
    request: StaffRequest, pk: int, permission: str = "councils.view_meeting"
) -> Meeting:
    meeting = selectors.meeting_get(user=request.user, municipality=request.municipality, pk=pk)
    if not request.user.has_perm(permission, meeting):
        raise PermissionDenied
    return meeting


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
