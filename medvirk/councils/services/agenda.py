"""A meeting's agenda: its items, screened for individual cases, and the survey figures
attached to them. Nothing changes once the notice has gone out, except what the minutes
say."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.organisation import audit
from medvirk.organisation.models import User
from medvirk.results.models import Level, ResultCell, ResultSet

from .. import defaults, screening, selectors
from ..models import AgendaItem, CouncilSettings, Meeting
from ._common import _audit, _locked_meeting, _municipality, _only, _refuse_cancelled
from .meetings import _next_number

ITEM_FIELDS = ("title", "theme", "description", "proposal")
# The texts of an item that are screened for individual cases.
SCREENED = ("title", "description", "proposal", "discussion", "resolution")


def _screen(item: AgendaItem) -> None:
    """Flag the item's texts again; a confirmation holds only for the flags it confirmed."""
    found = screening.screen({name: getattr(item, name) for name in SCREENED})
    if found != item.flags:
        item.flags = found
        item.flags_confirmed_at = None
        item.flags_confirmed_by = None
        item.flags_confirmation = ""


def _check_theme(theme: str, settings: CouncilSettings) -> None:
    if theme and theme not in settings.theme_list:
        raise ValidationError(
            {"theme": _("Choose one of the themes of the council settings.")}, code="theme"
        )


def _open_agenda(meeting: Meeting) -> None:
    _refuse_cancelled(meeting)
    if meeting.was_held:
        raise ValidationError(
            _(
                "The meeting has been held; its agenda can no longer change. Put the matter "
                "on the next meeting's agenda."
            ),
            code="held",
        )


@transaction.atomic
def agenda_item_add(
    *,
    actor: User | None,
    meeting: Meeting,
    title: str,
    theme: str = "",
    description: str = "",
    proposal: str = "",
) -> AgendaItem:
    """An item for the council's advice, numbered next in the council's year: 4/2026."""
    stored = _locked_meeting(meeting)
    _open_agenda(stored)
    settings = selectors.settings_for(_municipality(stored.council))
    _check_theme(theme, settings)
    item = AgendaItem(
        meeting=stored,
        council=stored.council,
        year=stored.plan.year,
        number=_next_number(stored.council, stored.plan.year),
        kind=AgendaItem.Kind.ITEM,
        title=title.strip(),
        theme=theme,
        description=description.strip(),
        proposal=proposal.strip(),
    )
    _screen(item)
    item.full_clean()
    item.save()
    _audit(
        actor,
        stored.council,
        "council.item_add",
        item,
        audit.created({"number": item.label, **audit.snapshot(item, ITEM_FIELDS)}),
    )
    return item


@transaction.atomic
def agenda_item_update(
    *, actor: User | None, item: AgendaItem, data: Mapping[str, Any]
) -> AgendaItem:
    _only(data, ITEM_FIELDS, "agenda_item_update")
    meeting = _locked_meeting(item.meeting)
    _open_agenda(meeting)
    stored = AgendaItem.objects.get(pk=item.pk)
    if "theme" in data:
        _check_theme(data["theme"], selectors.settings_for(_municipality(meeting.council)))
    before = audit.snapshot(stored, ITEM_FIELDS)
    for name, value in data.items():
        setattr(stored, name, value.strip() if isinstance(value, str) else value)
    _screen(stored)
    stored.full_clean()
    stored.save()
    changes = audit.changes(before, audit.snapshot(stored, ITEM_FIELDS))
    if changes:
        _audit(actor, meeting.council, "council.item_update", stored, changes)
    return stored


@transaction.atomic
def agenda_item_delete(*, actor: User | None, item: AgendaItem) -> None:
    """Take an item off a meeting whose notice has not gone out. Standing items stay.

    Later items of the year move up a number when none of them has been sent out yet, so
    the numbers stay without gaps.
    """
    meeting = _locked_meeting(item.meeting)
    if meeting.state != Meeting.State.PLANNED:
        raise ValidationError(
            _(
                "The notice with this item has been sent; it cannot be removed. Say in the "
                "minutes that it was withdrawn."
            ),
            code="noticed",
        )
    stored = AgendaItem.objects.get(pk=item.pk)
    if stored.is_standing:
        raise ValidationError(_("Standing items are on every agenda and cannot be removed."))
    _audit(
        actor,
        meeting.council,
        "council.item_delete",
        stored,
        {"number": [stored.label, None], "title": [stored.title, None]},
    )
    number, council, year = stored.number, stored.council_id, stored.year
    stored.delete()
    later = list(
        AgendaItem.objects.filter(council_id=council, year=year, number__gt=number)
        .select_related("meeting")
        .order_by("number")
    )
    if all(other.meeting.state == Meeting.State.PLANNED for other in later):
        for other in later:
            other.number -= 1
            other.save(update_fields=["number"])


@transaction.atomic
def agenda_item_confirm(*, actor: User | None, item: AgendaItem, note: str) -> AgendaItem:
    """The secretary's word that a flagged item is about the service in general."""
    meeting = _locked_meeting(item.meeting)
    stored = AgendaItem.objects.get(pk=item.pk)
    if not stored.flags:
        raise ValidationError(_("Nothing in this item needs confirming."))
    if not note.strip():
        raise ValidationError(
            {
                "note": _(
                    "Say why the item is about the service in general and not about one "
                    "person, or rewrite the item instead."
                )
            },
            code="required",
        )
    stored.flags_confirmed_at = timezone.now()
    stored.flags_confirmed_by = actor
    stored.flags_confirmation = note.strip()
    stored.save(update_fields=["flags_confirmed_at", "flags_confirmed_by", "flags_confirmation"])
    _audit(
        actor,
        meeting.council,
        "council.item_confirm",
        stored,
        {"flags": [None, [str(flag["kind"]) for flag in stored.flags]], "note": [None, note]},
    )
    return stored


@transaction.atomic
def agenda_item_attach_results(
    *,
    actor: User | None,
    item: AgendaItem,
    cell: ResultCell,
    statement_keys: Collection[str],
) -> AgendaItem:
    """Put a unit's survey figures with an item: the chosen statements of one round.

    Never a hidden group's: its figures are not stored, and what is not stored cannot be
    attached.
    """
    meeting = _locked_meeting(item.meeting)
    _open_agenda(meeting)
    if cell.level != Level.UNIT or cell.unit_id != meeting.council.unit_id:
        raise ValidationError(_("Choose the survey results of this council's own unit."))
    result_set = cell.result_set
    if result_set.state not in (ResultSet.State.READY, ResultSet.State.PUBLISHED):
        raise ValidationError(
            _("These results are not ready; only a closed round's results can go on an agenda.")
        )
    if not cell.is_shown:
        raise ValidationError(
            _(
                "The unit's results in %(round)s are hidden because too few answered, so no "
                "figures can go with the item: they could show someone's answers."
            )
            % {"round": result_set.round.name},
            code="suppressed",
        )
    spec = result_set.round.questionnaire_for(is_relative=cell.audience == "relatives").spec
    known = [s.key for s in spec.statements]
    chosen = [key for key in known if key in set(statement_keys)]
    if not chosen or len(chosen) != len(set(statement_keys)):
        raise ValidationError(
            {"statements": _("Choose one or more statements of the questionnaire.")},
            code="statements",
        )
    stored = AgendaItem.objects.get(pk=item.pk)
    stored.results_round = result_set.round
    stored.results_audience = cell.audience
    stored.results_key = cell.key
    stored.statement_keys = chosen
    settings = selectors.settings_for(_municipality(meeting.council))
    if not stored.theme and defaults.SURVEY_THEME in settings.theme_list:
        stored.theme = defaults.SURVEY_THEME
    stored.full_clean()
    stored.save()
    _audit(
        actor,
        meeting.council,
        "council.item_results",
        stored,
        {"results": [None, f"{result_set.round.name}: {cell.name}"], "statements": [None, chosen]},
    )
    return stored


@transaction.atomic
def agenda_item_detach_results(*, actor: User | None, item: AgendaItem) -> AgendaItem:
    meeting = _locked_meeting(item.meeting)
    _open_agenda(meeting)
    stored = AgendaItem.objects.get(pk=item.pk)
    before = stored.results_round.name if stored.results_round else None
    stored.results_round = None
    stored.results_audience = ""
    stored.results_key = ""
    stored.statement_keys = []
    stored.save(
        update_fields=["results_round", "results_audience", "results_key", "statement_keys"]
    )
    _audit(actor, meeting.council, "council.item_results", stored, {"results": [before, None]})
    return stored


def _unconfirmed(meeting: Meeting) -> list[str]:
    problems = []
    for item in meeting.items.order_by("number"):
        if item.needs_confirmation:
            reasons = sorted(
                {str(selectors.FLAG_REASONS.get(str(f["kind"]), f["kind"])) for f in item.flags}
            )
            problems.append(
                _(
                    "Item %(number)s “%(title)s” may be about an individual case (it mentions "
                    "%(reasons)s). The council does not handle individual cases: rewrite the "
                    "item, or confirm that it is not one."
                )
                % {"number": item.label, "title": item.display_title, "reasons": ", ".join(reasons)}
            )
    return problems
