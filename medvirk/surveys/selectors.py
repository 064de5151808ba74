"""Reads of surveys, scoped to the municipality and to what the user may see.

Counts (invited, responded) are the only thing about responses any page shows here; a
single response is never read for display.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from medvirk.organisation.models import Municipality, Role, Unit
from medvirk.organisation.rules import role_set

from . import keyring
from .models import (
    AccessCode,
    Audience,
    InvitedCount,
    Questionnaire,
    Recipient,
    Response,
    Round,
    RoundUnit,
)


def rounds_of(*, municipality: Municipality) -> QuerySet[Round]:
    """Every round of a municipality, for an integration's API key (which reaches all of
    the municipality, as a system administrator does)."""
    return Round.objects.filter(municipality=municipality).select_related(
        "questionnaire", "relatives_questionnaire", "service_area"
    )


def rounds_visible(*, user: Any, municipality: Municipality) -> QuerySet[Round]:
    roles = role_set(user, municipality.pk)
    rounds = rounds_of(municipality=municipality)
    if roles.is_admin:
        return rounds
    managed = roles.units(Role.UNIT_MANAGER)
    return rounds.filter(
        Q(service_area_id__in=roles.quality_adviser_areas) | Q(round_units__unit_id__in=managed)
    ).distinct()


def round_get_visible(*, user: Any, municipality: Municipality, pk: int) -> Round:
    round_ = rounds_visible(user=user, municipality=municipality).filter(pk=pk).first()
    if round_ is None:
        raise Http404
    return round_


def round_for_command(*, pk: int) -> Round:
    """A round by id, for management commands (which run as the system, in every municipality)."""
    return Round.objects.select_related(
        "municipality", "service_area", "questionnaire", "relatives_questionnaire"
    ).get(pk=pk)


@dataclass(frozen=True)
class UnitProgress:
    round_unit: RoundUnit
    invited: int
    responses: int

    @property
    def unit(self) -> Unit:
        return self.round_unit.unit

    @property
    def rate(self) -> float | None:
        return self.responses / self.invited if self.invited else None


def invited_by_unit(round_: Round) -> dict[int, int]:
    if round_.purged_at is not None:
        kept = InvitedCount.objects.filter(round=round_).values("unit_id")
        return {row["unit_id"]: row["n"] for row in kept.annotate(n=Sum("invited"))}
    rows = Recipient.objects.filter(round=round_).values("unit_id").annotate(n=Count("pk"))
    return {row["unit_id"]: row["n"] for row in rows}


def responses_by_unit(round_: Round) -> dict[int, int]:
    rows = Response.objects.filter(round=round_).values("unit_id").annotate(n=Count("pk"))
    return {row["unit_id"]: row["n"] for row in rows}


def round_progress(*, round_: Round, user: Any = None) -> list[UnitProgress]:
    """Invited and responded per unit; a unit manager sees only their own units."""
    round_units = round_.round_units.select_related("unit").order_by("unit__name")
    if user is not None:
        roles = role_set(user, round_.municipality_id)
        runs = roles.is_admin or round_.service_area_id in roles.quality_adviser_areas
        if not runs:
            round_units = round_units.filter(unit_id__in=roles.units(Role.UNIT_MANAGER))
    invited = invited_by_unit(round_)
    responses = responses_by_unit(round_)
    return [
        UnitProgress(ru, invited.get(ru.unit_id, 0), responses.get(ru.unit_id, 0))
        for ru in round_units
    ]


@dataclass(frozen=True)
class RoundTotals:
    invited: int
    responses: int
    used_codes: int

    @property
    def rate(self) -> float | None:
        return self.responses / self.invited if self.invited else None


def round_totals(round_: Round) -> RoundTotals:
    if round_.purged_at is not None:
        invited = InvitedCount.objects.filter(round=round_).aggregate(n=Sum("invited"))["n"] or 0
        used = 0
    else:
        invited = Recipient.objects.filter(round=round_).count()
        used = AccessCode.objects.filter(round=round_, used=True).count()
    return RoundTotals(invited, Response.objects.filter(round=round_).count(), used)


def round_totals_for(*, round_: Round, user: Any) -> RoundTotals:
    """The totals a user may see: the whole round for those who run it, the sum of their
    own units for a unit manager (a whole-round total would give away the other units')."""
    roles = role_set(user, round_.municipality_id)
    if roles.is_admin or round_.service_area_id in roles.quality_adviser_areas:
        return round_totals(round_)
    rows = round_progress(round_=round_, user=user)
    return RoundTotals(sum(r.invited for r in rows), sum(r.responses for r in rows), 0)


def totals_by_audience(round_: Round) -> dict[str, RoundTotals]:
    """Invited and responded for each audience the round asks (users, and relatives if it
    has a questionnaire for them), over the whole round."""
    invited: dict[str, int] = defaultdict(int)
    if round_.purged_at is not None:
        kept = InvitedCount.objects.filter(round=round_).values("audience")
        for row in kept.annotate(n=Sum("invited")):
            invited[row["audience"]] += row["n"]
    else:
        people = Recipient.objects.filter(round=round_).values("is_relative")
        for row in people.annotate(n=Count("pk")):
            invited[Audience.RELATIVES if row["is_relative"] else Audience.USERS] += row["n"]
    answered = dict(
        Response.objects.filter(round=round_)
        .values("audience")
        .annotate(n=Count("pk"))
        .values_list("audience", "n")
    )
    asked = [Audience.USERS] + ([Audience.RELATIVES] if round_.relatives_questionnaire_id else [])
    return {
        audience.value: RoundTotals(invited[audience], answered.get(audience, 0), 0)
        for audience in asked
    }


def totals_by_round(rounds: list[Round], *, user: Any = None) -> dict[int, RoundTotals]:
    """Totals for many rounds in four queries (the round list and `list_rounds`).

    With ``user``, a round the user does not run counts only the units they manage.
    """
    ids = [r.pk for r in rounds]
    invited: dict[int, int] = defaultdict(int)
    used: dict[int, int] = defaultdict(int)
    recipients = Recipient.objects.filter(round_id__in=ids)
    used_codes = AccessCode.objects.filter(round_id__in=ids, used=True)
    kept = InvitedCount.objects.filter(round_id__in=ids)
    answered = Response.objects.filter(round_id__in=ids)
    if user is not None and rounds:
        roles = role_set(user, rounds[0].municipality_id)
        if not roles.is_admin:
            scope = Q(round__service_area_id__in=roles.quality_adviser_areas) | Q(
                unit_id__in=roles.units(Role.UNIT_MANAGER)
            )
            recipients, used_codes, kept, answered = (
                recipients.filter(scope),
                used_codes.filter(scope),
                kept.filter(scope),
                answered.filter(scope),
            )
    for row in recipients.values("round_id").annotate(n=Count("pk")):
        invited[row["round_id"]] += row["n"]
    for row in used_codes.values("round_id").annotate(n=Count("pk")):
        used[row["round_id"]] += row["n"]
    for row in kept.values("round_id").annotate(n=Sum("invited")):
        invited[row["round_id"]] += row["n"]
    responses = dict(
        answered.values("round_id").annotate(n=Count("pk")).values_list("round_id", "n")
    )
    return {pk: RoundTotals(invited[pk], responses.get(pk, 0), used[pk]) for pk in ids}


def questionnaires_available(*, municipality: Municipality) -> QuerySet[Questionnaire]:
    """Built-in questionnaires and the municipality's own, every version."""
    return Questionnaire.objects.filter(
        Q(municipality__isnull=True) | Q(municipality=municipality)
    ).order_by("municipality_id", "key", "-version")


def questionnaires_latest(*, municipality: Municipality, audience: str = "") -> list[Questionnaire]:
    """The newest version of each questionnaire, for choosing one for a new round."""
    latest: dict[tuple[int | None, str], Questionnaire] = {}
    chosen = questionnaires_available(municipality=municipality)
    if audience:
        chosen = chosen.filter(audience=audience)
    for questionnaire in chosen:
        latest.setdefault((questionnaire.municipality_id, questionnaire.key), questionnaire)
    return list(latest.values())


def questionnaire_get(*, municipality: Municipality, pk: int) -> Questionnaire:
    found = questionnaires_available(municipality=municipality).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def rounds_using(questionnaire: Questionnaire) -> QuerySet[Round]:
    return Round.objects.filter(
        Q(questionnaire=questionnaire) | Q(relatives_questionnaire=questionnaire)
    )


_open_questionnaires: dict[int, Questionnaire] = {}


def clear_questionnaire_cache() -> None:
    _open_questionnaires.clear()


def questionnaire_of_open_round(pk: int) -> Questionnaire:
    """A questionnaire that an open round uses, kept in memory by every web process.

    Safe to keep: once a round has opened with a version, that version never changes again
    (``services.questionnaire_update_texts`` makes a new one instead). The answer pages ask
    for it on every request; reading it once saves a query and a parse each time.
    """
    found = _open_questionnaires.get(pk)
    if found is None:
        found = Questionnaire.objects.get(pk=pk)
        if len(_open_questionnaires) >= 256:
            _open_questionnaires.clear()
        _open_questionnaires[pk] = found
    return found


@dataclass(frozen=True)
class KeysReport:
    present: int  # rounds that need a key and have the right one
    problems: list[tuple[Round, str]]  # rounds whose key is missing or wrong, and what
    leftovers: list[int]  # key files that no round needs any longer


def round_keys_report() -> KeysReport:
    """Every round that needs its key (its recipients are not purged), checked against the
    key directory, and the files in it that no round needs."""
    needing = list(Round.objects.exclude(key_fingerprint="").filter(purged_at=None).order_by("pk"))
    problems: list[tuple[Round, str]] = []
    for round_ in needing:
        try:
            keyring.load(round_.pk, round_.key_fingerprint)
        except keyring.KeyProblem as exc:
            problems.append((round_, str(exc)))
    wanted = {round_.pk for round_ in needing}
    leftovers = sorted(set(keyring.files()) - wanted)
    return KeysReport(len(needing) - len(problems), problems, leftovers)
