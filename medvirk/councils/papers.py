"""A council's papers as PDF: the notice with its agenda, the minutes, the annual reports.

Everything the reader sees is worked out here in the active language and handed to Typst
(layout/papers.typ) as JSON data, never as markup, with Atkinson Hyperlegible embedded. As
for letters and results reports, Typst runs in a process forked for the one document, so
its cache dies with it.

The minutes exist in two versions: the members' (every name) and the public one, where a
member who has not consented to publication is shown by role only. Survey figures attached
to an item come from results/presentation.py, so they read as on the results pages; a
group that is hidden shows no figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import typst
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from medvirk.core.documents import typesetting
from medvirk.core.templatetags.medvirk import long_date, long_datetime

from . import selectors
from .annual import AreaYear, CouncilYear
from .models import AgendaItem, Attendance, Delivery, Meeting, Membership, short_date

LAYOUT = Path(__file__).resolve().parent / "layout" / "papers.typ"


class PapersError(RuntimeError):
    """Typst refused the document (a bug in the layout or here, not in the user's text)."""


def render(data: Mapping[str, Any]) -> bytes:
    """Typeset document data (see layout/papers.typ) as PDF, in a process forked for it."""
    try:
        return typesetting.typeset_document(LAYOUT, data)
    except typst.TypstError as exc:
        raise PapersError(str(exc)) from exc


def _document(title: str, author: str, footer: str, blocks: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "lang": (get_language() or "nb").split("-")[0],
        "title": title,
        "author": author,
        "footer": footer,
        "blocks": blocks,
    }


def _heading(text: str, level: int = 1) -> dict[str, Any]:
    return {"kind": "heading", "level": level, "text": text}


def _paragraph(text: str) -> dict[str, Any]:
    return {"kind": "paragraph", "text": text}


def _note(text: str) -> dict[str, Any]:
    return {"kind": "note", "text": text}


def _when(meeting: Meeting) -> str:
    return long_datetime(meeting.starts_at)


def _meeting_facts(meeting: Meeting, *, public: bool = False) -> list[tuple[str, str]]:
    facts = [
        (_("Meeting"), meeting.title or str(meeting.get_kind_display())),
        (_("Time"), _when(meeting)),
        (_("Place"), meeting.place or "–"),
    ]
    secretary = [
        m.name
        for m in selectors.recipients(meeting)
        if m.role == Membership.Role.SECRETARY and (m.public_consent or not public)
    ]
    if secretary:
        facts.append((_("Secretary"), ", ".join(secretary)))
    return facts


def _municipality_name(meeting: Meeting) -> str:
    return meeting.council.unit.service_area.municipality.name


# --- survey figures ---------------------------------------------------------------------


def _figures(item: AgendaItem, *, public: bool) -> dict[str, Any]:
    """The blocks' fields for an item's survey figures (empty when it has none)."""
    figures = selectors.item_figures(item, public=public)
    if figures is None:
        return {}
    title = _("Survey results: %(round)s") % {"round": figures.round.name}
    if not figures.shown:
        reason = (
            _("The unit's results are hidden because too few answered.")
            if figures.cell is not None or not public
            else _("The survey results are not published yet.")
        )
        return {"figures": None, "parts_extra": [(title, reason)]}
    compared = figures.compare_name != ""
    header = [_("No."), _("Statement"), _("Answers"), _("Average"), _("Agree"), _("Change")]
    columns = [9, 0, 16, 16, 14, 16]
    if compared:
        header.append(_("Whole area"))
        columns.append(16)
    rows = []
    for row in figures.rows:
        if row.summary is None:
            cells = [str(row.number), row.text, "–", "–", "–", "–"]
            if compared:
                cells.append("–")
        else:
            change = row.change_text + (" *" if row.change_significant else "")
            cells = [
                str(row.number),
                row.text,
                str(row.n),
                row.mean_text,
                row.agree_text,
                change,
            ]
            if compared:
                cells.append(row.compare_text)
        rows.append(cells)
    note = _(
        "%(group)s. Average on the scale 1–5; agree is the share at the top two points; * marks "
        "a real change since the round compared with (its 95 %% interval does not include zero)."
    ) % {"group": figures.group_name}
    return {
        "figures_title": title,
        "figures": {
            "kind": "table",
            "columns": columns,
            "align": ["right", "left", *["right"] * (len(columns) - 2)],
            "header": header,
            "rows": rows,
        },
        "figures_note": note,
    }


def _item_block(
    item: AgendaItem, parts: Sequence[tuple[str, str]], *, public: bool = False
) -> dict[str, Any]:
    figures = _figures(item, public=public)
    extra = figures.pop("parts_extra", [])
    return {
        "kind": "item",
        "label": _("Item %(number)s") % {"number": item.label},
        "title": item.display_title,
        "theme": item.theme,
        "parts": [[label, text] for label, text in [*parts, *extra] if text],
        "figures": None,
        "figures_title": "",
        "figures_note": "",
        **figures,
    }


# --- notice and minutes ---------------------------------------------------------------


def notice_data(meeting: Meeting) -> dict[str, Any]:
    council = meeting.council
    members = selectors.recipients(meeting)
    blocks: list[dict[str, Any]] = [
        {
            "kind": "title",
            "kicker": _municipality_name(meeting),
            "title": _("Notice of meeting"),
            "subtitle": str(council),
            "facts": [list(pair) for pair in _meeting_facts(meeting)],
            "notice": None,
        },
        _paragraph(
            _(
                "Members who cannot come are asked to send their apologies to the secretary "
                "as soon as possible."
            )
        ),
        _heading(_("Called to the meeting")),
        {
            "kind": "table",
            "columns": [0, 70],
            "align": ["left", "left"],
            "header": [_("Name"), _("Role")],
            "rows": [[m.name, _role_text(m)] for m in members],
        },
        _heading(_("Agenda")),
    ]
    for item in meeting.items.order_by("number"):
        blocks.append(
            _item_block(
                item,
                [(_("Background"), item.description), (_("Proposed advice"), item.proposal)],
            )
        )
    blocks.append(
        _note(
            _(
                "The council gives advice on the quality of the services in general; it does "
                "not handle matters that concern one person."
            )
        )
    )
    title = _("Notice: %(meeting)s") % {"meeting": meeting.heading}
    return _document(title, _municipality_name(meeting), f"{council} · {title}", blocks)


def _role_text(member: Membership) -> str:
    text = str(member.get_role_display())
    return f"{text}, {member.represents_text}" if member.represents_text else text


def minutes_data(meeting: Meeting, *, public: bool = False) -> dict[str, Any]:
    """The minutes. ``public``: names only of members who consented to publication, and
    no names of registered participants."""
    council = meeting.council
    facts = _meeting_facts(meeting, public=public)
    if meeting.is_locked and meeting.minutes_approved_at is not None:
        facts.append((_("Minutes approved"), long_date(meeting.minutes_approved_at)))
        notice = None
    else:
        notice = _("Draft: these minutes are not approved yet.")
    blocks: list[dict[str, Any]] = [
        {
            "kind": "title",
            "kicker": _municipality_name(meeting),
            "title": _("Minutes"),
            "subtitle": str(council),
            "facts": [list(pair) for pair in facts],
            "notice": notice,
        },
        _heading(_("Attendance")),
        *_attendance_blocks(meeting, public=public),
    ]
    blocks.append(_heading(_("Items")))
    for item in meeting.items.order_by("number"):
        blocks.append(
            _item_block(
                item,
                [
                    (_("Discussion"), item.discussion),
                    (_("Advisory resolution"), item.resolution),
                ],
                public=public,
            )
        )
    if meeting.outcome:
        blocks += [_heading(_("What came out of the meeting")), _paragraph(meeting.outcome)]
    blocks.append(
        _note(
            _(
                "The council is an advisory body: its resolutions are advice to the unit, not "
                "decisions, and it does not handle matters that concern one person."
            )
        )
    )
    title = _("Minutes: %(meeting)s") % {"meeting": meeting.heading}
    return _document(title, _municipality_name(meeting), f"{council} · {title}", blocks)


def _attendance_blocks(meeting: Meeting, *, public: bool) -> list[dict[str, Any]]:
    """Who came, sent apologies or stayed away, and for open meetings how many took part."""
    blocks: list[dict[str, Any]] = []
    attendance = list(meeting.attendance.select_related("membership"))
    pairs = []
    for status, label in Attendance.Status.choices:
        names = [
            (selectors.public_name(a.membership) if public else a.membership.name)
            + f" ({_role_text(a.membership)})"
            for a in attendance
            if a.status == status
        ]
        if names:
            pairs.append([str(label), "\n".join(names)])
    if pairs:
        blocks.append({"kind": "facts", "pairs": pairs})
    else:
        blocks.append(_paragraph(_("Attendance was not recorded.")))
    registrations = list(meeting.registrations.all())
    if meeting.participants or registrations:
        count = meeting.participants or sum(1 for r in registrations if r.attended is not False)
        blocks.append(_paragraph(_("Participants: %(n)s.") % {"n": count}))
        if not public and registrations:
            blocks.append(
                {
                    "kind": "table",
                    "columns": [0, 70, 22],
                    "align": ["left", "left", "left"],
                    "header": [_("Registered"), _("Comes as"), _("Came")],
                    "rows": [
                        [r.name, r.affiliation, _attended_text(r.attended)] for r in registrations
                    ],
                }
            )
    return blocks


def _attended_text(value: bool | None) -> str:
    if value is None:
        return "–"
    return _("Yes") if value else _("No")


def notice_pdf(meeting: Meeting) -> bytes:
    return render(notice_data(meeting))


def minutes_pdf(meeting: Meeting, *, public: bool = False) -> bytes:
    return render(minutes_data(meeting, public=public))


def filename(meeting: Meeting, papers: str) -> str:
    day = timezone.localdate(meeting.starts_at).isoformat()
    stem = "innkalling" if papers == Delivery.Papers.NOTICE else "referat"
    return f"{stem}-{meeting.council.unit.code.lower()}-{day}.pdf"


def mail_text(meeting: Meeting, papers: str) -> tuple[str, str]:
    """The subject and plain-text body of the e-mail that carries the papers."""
    council = meeting.council
    if papers == Delivery.Papers.NOTICE:
        subject = _("Notice: %(meeting)s – %(council)s") % {
            "meeting": meeting.heading,
            "council": council,
        }
        lead = _("You are called to a meeting of %(council)s.") % {"council": council}
    else:
        subject = _("Minutes: %(meeting)s – %(council)s") % {
            "meeting": meeting.heading,
            "council": council,
        }
        lead = _("The minutes of the meeting of %(council)s are approved.") % {"council": council}
    agenda = "\n".join(
        f"  {item.label}  {item.display_title}" for item in meeting.items.order_by("number")
    )
    body = "\n\n".join(
        part
        for part in (
            lead,
            f"{_('Time')}: {_when(meeting)}\n{_('Place')}: {meeting.place or '–'}",
            f"{_('Agenda')}:\n{agenda}" if agenda else "",
            _("The papers are attached as a PDF file."),
        )
        if part
    )
    return subject, body


# --- annual reports -------------------------------------------------------------------


def _meetings_table(report: CouncilYear) -> dict[str, Any]:
    return {
        "kind": "table",
        "columns": [26, 0, 36],
        "align": ["left", "left", "left"],
        "header": [_("Date"), _("Meeting"), _("State")],
        "rows": [
            [
                short_date(timezone.localdate(m.starts_at)),
                m.title or str(m.get_kind_display()),
                str(m.get_state_display()),
            ]
            for m in report.meetings
        ]
        or [["–", _("No meetings in the plan."), ""]],
    }


def _themes_table(themes: Sequence[tuple[str, int]]) -> dict[str, Any]:
    return {
        "kind": "table",
        "columns": [0, 22],
        "align": ["left", "right"],
        "header": [_("Theme"), _("Items")],
        "rows": [[theme or _("No theme"), str(count)] for theme, count in themes]
        or [[_("No items were discussed."), "0"]],
    }


def annual_data(report: CouncilYear) -> dict[str, Any]:
    council = report.council
    municipality = council.unit.service_area.municipality
    title = _("Annual report %(year)s") % {"year": report.year}
    blocks: list[dict[str, Any]] = [
        {
            "kind": "title",
            "kicker": municipality.name,
            "title": title,
            "subtitle": str(council),
            "facts": [
                [_("Meetings held"), _("%(held)s of %(planned)s planned") % _counts(report)],
                [_("Meetings a year at most"), str(report.max_meetings)],
                [_("Dialogue meetings held"), str(report.dialogue_held)],
                [_("Open assemblies held"), str(report.open_assemblies_held)],
                [_("Other open meetings held"), str(report.other_held)],
                [_("Advisory resolutions"), str(len(report.resolutions))],
                [_("Improvement actions completed"), str(len(report.actions_done))],
                [_("Improvement actions still open"), str(report.actions_open)],
                [_("Printed"), short_date(timezone.localdate())],
            ],
            "notice": None,
        },
        _heading(_("Meetings")),
        _meetings_table(report),
        _heading(_("Themes")),
        _themes_table(report.themes),
        _heading(_("Advisory resolutions")),
    ]
    if report.resolutions:
        blocks.append(
            {
                "kind": "table",
                "columns": [20, 55, 0],
                "align": ["left", "left", "left"],
                "header": [_("Item"), _("Title"), _("Advisory resolution")],
                "rows": [[i.label, i.display_title, i.resolution] for i in report.resolutions],
            }
        )
    else:
        blocks.append(_paragraph(_("No advisory resolutions this year.")))
    blocks.append(_heading(_("Improvement actions completed")))
    if report.actions_done:
        blocks.append(
            {
                "kind": "table",
                "columns": [0, 45, 26],
                "align": ["left", "left", "left"],
                "header": [_("Action"), _("Responsible"), _("Completed")],
                "rows": [
                    [a.title, a.owner, short_date(a.completed_on) if a.completed_on else "–"]
                    for a in report.actions_done
                ],
            }
        )
    else:
        blocks.append(_paragraph(_("No improvement actions were completed this year.")))
    footer = f"{council} · {title}"
    return _document(f"{council} – {title}", municipality.name, footer, blocks)


def _counts(report: CouncilYear) -> dict[str, int]:
    return {"held": report.held, "planned": report.planned}


def area_annual_data(report: AreaYear) -> dict[str, Any]:
    area = report.area
    municipality = area.municipality
    title = _("User councils: annual report %(year)s") % {"year": report.year}
    blocks: list[dict[str, Any]] = [
        _area_title_block(report, title),
        _heading(_("Council by council")),
        _councils_table(report),
        _heading(_("Themes")),
        _themes_table(report.themes),
    ]
    if report.without_council:
        blocks += [
            _heading(_("Units without a council")),
            {"kind": "list", "items": [unit.name for unit in report.without_council]},
        ]
    if report.without_dialogue:
        blocks += [
            _heading(_("Councils without a dialogue meeting this year")),
            {"kind": "list", "items": [row.council.unit.name for row in report.without_dialogue]},
        ]
    return _document(f"{area} – {title}", municipality.name, f"{area} · {title}", blocks)


def _area_title_block(report: AreaYear, title: str) -> dict[str, Any]:
    return {
        "kind": "title",
        "kicker": report.area.municipality.name,
        "title": title,
        "subtitle": str(report.area),
        "facts": [
            [_("Councils"), str(len(report.rows))],
            [
                _("Meetings held"),
                _("%(held)s of %(planned)s planned")
                % {"held": report.held, "planned": report.planned},
            ],
            [_("Items discussed"), str(report.items)],
            [_("Advisory resolutions"), str(report.resolutions)],
            [_("Improvement actions completed"), str(report.actions_done)],
            [_("Printed"), short_date(timezone.localdate())],
        ],
        "notice": None,
    }


def _councils_table(report: AreaYear) -> dict[str, Any]:
    """Each council's year in a row: meetings, dialogue, resolutions, actions done."""
    return {
        "kind": "table",
        "columns": [0, 24, 20, 26, 24],
        "align": ["left", "right", "right", "right", "right"],
        "header": [
            _("Unit"),
            _("Held / planned"),
            _("Dialogue"),
            _("Resolutions"),
            _("Actions done"),
        ],
        "rows": [
            [
                row.council.unit.name,
                f"{row.held} / {row.planned}",
                str(row.dialogue_held),
                str(len(row.resolutions)),
                str(len(row.actions_done)),
            ]
            for row in report.rows
        ],
    }


def annual_pdf(report: CouncilYear) -> bytes:
    return render(annual_data(report))


def area_annual_pdf(report: AreaYear) -> bytes:
    return render(area_annual_data(report))
