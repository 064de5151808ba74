"""Public results: the published rounds, one round's overview, and one group's figures.

Readable without signing in. Only the published results of the request's municipality are
found: an unpublished or withdrawn round, another municipality's, or a group whose figures
are suppressed answers 404. Every figure comes from presentation.py, and so only from
stored cells, which hold nothing of a suppressed group.

Published results change only when a quality adviser publishes, withdraws or recomputes
them, or screens a comment, so the part of each page that shows results is rendered once
per process and language and kept in Django's cache. The layout around it holds the
visitor's CSRF token and sign-in state, which must never be served to someone else: it is
rendered for every request, except for a plain visit (no session, no message waiting),
whose whole page is kept with a slot that gets the visitor's own CSRF token. The cache
keys hold everything that changes what a page shows (the result set's state, when it was
computed and published, the latest comment decision, the names on the page), and every
request reads that one row again (``Version``), so a change shows at once in every process
and an old entry is simply never asked for again.

The page builders take a ``Links`` so that static_export.py writes the same pages as files.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from medvirk.core.http import MunicipalityRequest
from medvirk.organisation.models import Municipality, ServiceArea
from medvirk.surveys.models import Audience, Round

from . import presentation, selectors
from .models import CommentReview, Level, ResultCell, ResultSet, Suppressed

# Long enough that a page is rendered a few times a day at most; an entry whose result set
# has changed is never read again and ages out.
CACHE_SECONDS = 60 * 60
CACHE_PREFIX = "medvirk:public-results:"
# Charts are drawn twice: wide, and narrow for phones (labels above the bars, text as large
# relative to the screen); the stylesheet shows one of them.
CHART_WIDTHS = {"wide": 720, "narrow": 320}


class Links(Protocol):
    """Where the public pages link to: the site's addresses, or the exported files."""

    def rounds(self) -> str | None: ...

    def round(self, round_id: int, audience: str) -> str: ...

    def cell(self, round_id: int, audience: str, key: str) -> str: ...


class SiteLinks:
    def rounds(self) -> str | None:
        return reverse("public_results:rounds")

    def round(self, round_id: int, audience: str) -> str:
        url = reverse("public_results:round", args=[round_id])
        return url if audience == Audience.USERS else f"{url}?audience={audience}"

    def cell(self, round_id: int, audience: str, key: str) -> str:
        return reverse("public_results:cell", args=[round_id, audience, key])


SITE_LINKS = SiteLinks()


@dataclass(frozen=True)
class Page:
    """The results part of a page, as HTML, with the title and status the page gets."""

    title: str
    body: SafeString
    status: int = 200


@dataclass(frozen=True)
class GroupRow:
    """A district, unit or service in a round's lists: a link when shown, why not when not."""

    cell: ResultCell
    href: str
    rate: str
    reason: str
    district: str = ""

    @property
    def answered(self) -> bool:
        return self.cell.responses > 0


@dataclass(frozen=True)
class Tab:
    label: str
    href: str
    current: bool


def audiences(round_: Round) -> list[tuple[str, str]]:
    found = [(Audience.USERS.value, _("Users"))]
    if round_.relatives_questionnaire_id:
        found.append((Audience.RELATIVES.value, _("Relatives")))
    return found


def is_public(cell: ResultCell) -> bool:
    """Whether the public pages show the group's figures: it is shown and someone answered."""
    return cell.is_shown and cell.responses > 0


def not_shown_reason(cell: ResultCell) -> str:
    if not cell.suppressed and cell.responses == 0:
        return _("No one in this group answered.")
    return presentation.suppressed_reason(cell.suppressed or Suppressed.PRIMARY)


def response_rate(cell: ResultCell) -> str:
    return presentation.percent(cell.responses / cell.invited) if cell.invited else "–"


def chart_pairs(view: presentation.CellView, prefix: str) -> list[dict[str, str]]:
    """The group's charts, each as a wide and a narrow SVG, with ids unique on the page."""
    makers = [
        presentation.distribution_chart,
        presentation.means_chart,
        presentation.ipa_chart,
        presentation.change_chart,
    ]
    pairs = []
    for number, make in enumerate(makers, start=1):
        drawn = {
            name: make(view, id_prefix=f"{prefix}-chart{number}-{name}", width=width)
            for name, width in CHART_WIDTHS.items()
        }
        if drawn["wide"]:
            pairs.append(drawn)
    return pairs


# --- the pages, for the site and for the export ------------------------------------------


def rounds_page(municipality: Municipality, result_sets: Sequence[ResultSet], links: Links) -> Page:
    rows = [
        {"result_set": rs, "round": rs.round, "href": links.round(rs.round_id, Audience.USERS)}
        for rs in result_sets
    ]
    body = render_to_string(
        "results/public/_rounds.html",
        {"municipality": municipality, "rows": rows, "min_n": municipality.results_min_n},
    )
    return Page(_("Survey results"), body)


def round_page(result_set: ResultSet, audience: str, links: Links) -> Page:
    """A round's figures for the whole service area, and its districts, units and services."""
    round_ = result_set.round
    cells = presentation.ordered(
        ResultCell.objects.filter(result_set=result_set, audience=audience)
    )
    for found in cells:
        found.result_set = result_set
    district_names = {c.district_id: c.name for c in cells if c.level == Level.DISTRICT}

    def row(found: ResultCell) -> GroupRow:
        shown = is_public(found)
        return GroupRow(
            cell=found,
            href=links.cell(round_.pk, audience, found.key) if shown else "",
            rate=response_rate(found),
            reason="" if shown else not_shown_reason(found),
            district=district_names.get(found.district_id, ""),
        )

    area = next((c for c in cells if c.level == Level.AREA), None)
    context: dict[str, Any] = {
        "round": round_,
        "result_set": result_set,
        "audience": audience,
        "audience_label": dict(audiences(round_))[audience],
        "tabs": [
            Tab(label, links.round(round_.pk, value), value == audience)
            for value, label in audiences(round_)
        ],
        "rounds_href": links.rounds(),
        "area": area,
        "districts": [row(c) for c in cells if c.level == Level.DISTRICT],
        "units": sorted((row(c) for c in cells if c.level == Level.UNIT), key=_by_name),
        "services": [row(c) for c in cells if c.level == Level.SERVICE],
    }
    if area is not None and is_public(area):
        view = presentation.cell_view(area, public=True)
        context.update(
            view=view,
            charts=chart_pairs(view, "area"),
            area_href=links.cell(round_.pk, audience, area.key),
            area_comments=len(selectors.comments_shown(area)),
        )
    else:
        context["area_reason"] = (
            not_shown_reason(area) if area is not None else _("No one in this group answered.")
        )
    title = _("Results: %(name)s") % {"name": round_.name}
    if len(context["tabs"]) > 1:
        title = f"{title} – {context['audience_label']}"
    return Page(title, render_to_string("results/public/_round.html", context))


def _by_name(row: GroupRow) -> str:
    return row.cell.name.casefold()


def cell_page(result_set: ResultSet, found: ResultCell, links: Links) -> Page:
    """One group's figures, compared with the whole area's, and its approved comments."""
    round_ = result_set.round
    found.result_set = result_set
    context: dict[str, Any] = {
        "round": round_,
        "cell": found,
        "round_href": links.round(round_.pk, found.audience),
    }
    if not is_public(found):
        context["reason"] = not_shown_reason(found)
        body = render_to_string("results/public/_not_shown.html", context)
        return Page(f"{found.name} – {round_.name}", body, status=404)
    area = found if found.level == Level.AREA else selectors.area_cell(result_set, found.audience)
    if area is not None:
        area.result_set = result_set
    compare = area if area is not None and is_public(area) and area.pk != found.pk else None
    view = presentation.cell_view(found, compare=compare, public=True)
    context.update(
        view=view,
        charts=chart_pairs(view, "cell"),
        comments=selectors.comments_shown(found),
    )
    body = render_to_string("results/public/_cell.html", context)
    return Page(f"{found.name} – {round_.name}", body)


# --- the views -----------------------------------------------------------------------------


class Version(NamedTuple):
    """What, besides the language and the address, changes a page of a round's results.

    Read for every request; a page is rendered only when it has changed. The times are
    markers to compare, as the database gives them.
    """

    result_set: int
    round: int
    state: str
    computed_at: object
    published_at: object
    min_n: int
    round_name: str
    area_name: str
    has_relatives: bool
    # Every decision on a comment stamps it, so the newest stamp changes with each one:
    # a comment approved, redacted or rejected after publishing shows (or goes) at once.
    latest_comment_decision: object


# The one query each public page makes, written out: built with the ORM, composing it took
# longer than running it, and at 50 readers that was most of the time a cached page took.
# They ask what selectors.published() does: published results of one municipality.
VERSION_SQL = """
SELECT rs.id, rs.round_id, rs.state, rs.computed_at, rs.published_at, rs.min_n,
       r.name, area.name, r.relatives_questionnaire_id,
       (SELECT MAX(c.reviewed_at) FROM {comments} c WHERE c.round_id = %s)
FROM {result_sets} rs
JOIN {rounds} r ON r.id = rs.round_id
JOIN {areas} area ON area.id = r.service_area_id
WHERE rs.round_id = %s AND r.municipality_id = %s AND rs.state = %s
"""
ROUNDS_SQL = """
SELECT rs.id, rs.computed_at, rs.published_at, rs.responses, rs.min_n,
       r.name, r.opens_at, r.closes_at, r.closed_at
FROM {result_sets} rs
JOIN {rounds} r ON r.id = rs.round_id
WHERE r.municipality_id = %s AND rs.state = %s
ORDER BY rs.id
"""


def _rows(sql: str, params: Sequence[int | str]) -> list[tuple[Any, ...]]:
    quote = connection.ops.quote_name
    tables = {
        "comments": quote(CommentReview._meta.db_table),
        "result_sets": quote(ResultSet._meta.db_table),
        "rounds": quote(Round._meta.db_table),
        "areas": quote(ServiceArea._meta.db_table),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**tables), params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


def _published_version(municipality: Municipality, round_pk: int) -> Version:
    """The version of the round's published results; 404 if they are not published."""
    found = _rows(VERSION_SQL, [round_pk, round_pk, municipality.pk, ResultSet.State.PUBLISHED])
    if not found:
        raise Http404
    pk, round_id, state, computed, published, min_n, name, area, relatives, latest = found[0]
    return Version(
        pk, round_id, state, computed, published, min_n, name, area, relatives is not None, latest
    )


def _published(municipality: Municipality, version: Version) -> ResultSet:
    """The result set itself, to render from; only when a page is not in the cache."""
    found = selectors.published(municipality=municipality).filter(pk=version.result_set).first()
    if found is None:  # withdrawn since the version was read
        raise Http404
    return found


def _audience_values(version: Version) -> set[str]:
    return (
        {Audience.USERS.value, Audience.RELATIVES.value}
        if version.has_relatives
        else {Audience.USERS.value}
    )


def _key(*parts: object) -> str:
    return CACHE_PREFIX + hashlib.sha256(repr((get_language(), *parts)).encode()).hexdigest()


def _cached(parts: tuple[object, ...], build: Callable[[], Page]) -> Page:
    key = _key("part", *parts)
    page: Page | None = cache.get(key)
    if page is None:
        page = build()
        cache.set(key, page, CACHE_SECONDS)
    return page


# A visit without a session or messages gets a page that differs from every other such
# visit's only in its CSRF token (the language form's): the whole page is kept with a slot
# for the token, and each visitor gets their own token in it. Anyone else (staff signed in,
# a message waiting) gets the layout rendered, around the cached results part.
TOKEN_SLOT = b"__medvirk_csrf_token__"
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def _plain_visit(request: MunicipalityRequest, canonical: str) -> bool:
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and request.get_full_path() == canonical
    )


def _serve(
    request: MunicipalityRequest,
    canonical: str,
    parts: tuple[object, ...],
    build: Callable[[], Page],
) -> HttpResponse:
    whole_key = ""
    if _plain_visit(request, canonical):
        municipality = request.municipality
        layout = (municipality.name, municipality.brand_colour, municipality.logo.name)
        whole_key = _key("whole", canonical, layout, *parts)
        whole = cache.get(whole_key)
        if whole is not None:
            status, content = whole
            token = get_token(request).encode()
            return HttpResponse(content.replace(TOKEN_SLOT, token), status=status)
    page = _cached(parts, build)
    shown = Page(page.title, mark_safe(page.body), page.status)  # noqa: S308 (our own rendering)
    response = render(request, "results/public/page.html", {"page": shown}, status=page.status)
    if whole_key:
        content, slots = CSRF_INPUT.subn(rb"\g<1>" + TOKEN_SLOT + rb"\g<2>", response.content)
        if slots == 1:
            cache.set(whole_key, (page.status, content), CACHE_SECONDS)
    return response


@require_safe
def rounds(request: MunicipalityRequest) -> HttpResponse:
    municipality = request.municipality
    versions = _rows(ROUNDS_SQL, [municipality.pk, ResultSet.State.PUBLISHED])
    parts = ("rounds", municipality.pk, municipality.name, municipality.results_min_n, versions)

    def build() -> Page:
        return rounds_page(
            municipality, list(selectors.published(municipality=municipality)), SITE_LINKS
        )

    return _serve(request, SITE_LINKS.rounds() or "", parts, build)


@require_safe
def round_overview(request: MunicipalityRequest, round_pk: int) -> HttpResponse:
    municipality = request.municipality
    version = _published_version(municipality, round_pk)
    audience = request.GET.get("audience", Audience.USERS.value)
    if audience not in _audience_values(version):
        raise Http404

    def build() -> Page:
        return round_page(_published(municipality, version), audience, SITE_LINKS)

    canonical = SITE_LINKS.round(round_pk, audience)
    return _serve(request, canonical, ("round", audience, municipality.pk, version), build)


@require_safe
def cell(request: MunicipalityRequest, round_pk: int, audience: str, key: str) -> HttpResponse:
    municipality = request.municipality
    version = _published_version(municipality, round_pk)
    if audience not in _audience_values(version):
        raise Http404

    def build() -> Page:
        result_set = _published(municipality, version)
        found = ResultCell.objects.filter(result_set=result_set, audience=audience, key=key).first()
        if found is None:
            raise Http404
        return cell_page(result_set, found, SITE_LINKS)

    canonical = SITE_LINKS.cell(round_pk, audience, key)
    return _serve(request, canonical, ("cell", audience, key, municipality.pk, version), build)
