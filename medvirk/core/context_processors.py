"""What every page's layout needs: the municipality, languages and the staff menu."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def staff_menu(request: HttpRequest) -> list[dict[str, Any]]:
    """The staff menu: only the pages this user may open in this municipality."""
    municipality = getattr(request, "municipality", None)
    user = request.user
    if municipality is None or not user.has_perm("organisation.use_staff_pages", municipality):
        return []
    items = [
        ("core:dashboard", _("Overview"), True),
        ("organisation:structure", _("Organisation"), True),
        (
            "surveys:rounds",
            _("Surveys"),
            user.has_perm("surveys.view_rounds", municipality),
        ),
        (
            "results:rounds",
            _("Results"),
            user.has_perm("results.view_list", municipality),
        ),
        (
            # Politicians read the dialogue meetings; everyone else with a council role, the
            # councils themselves.
            "councils:index"
            if user.has_perm("councils.use", municipality)
            else "councils:dialogue",
            _("User councils"),
            user.has_perm("councils.view_dialogue", municipality),
        ),
        (
            "organisation:users",
            _("Users"),
            user.has_perm("organisation.manage_users", municipality),
        ),
        (
            "organisation:audit_log",
            _("Audit log"),
            user.has_perm("organisation.view_audit_log", municipality),
        ),
        ("api:docs", _("API"), user.has_perm("api.manage_keys", municipality)),
    ]
    menu = []
    for name, label, allowed in items:
        if allowed:
            url = reverse(name)
            current = request.path == url or (url != "/staff/" and request.path.startswith(url))
            menu.append({"url": url, "label": label, "current": current})
    return menu


def layout(request: HttpRequest) -> dict[str, Any]:
    return {
        "municipality": getattr(request, "municipality", None),
        "languages": settings.LANGUAGES,
        "staff_menu": staff_menu(request),
    }
