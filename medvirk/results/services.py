"""Results: computing a round's figures, publishing them, and screening comments.

``results_compute`` reads the round's responses once, hands them to compute.py and stores
what comes back in one transaction, replacing what was there: a page reads either the old
results or the new ones, never half of each. The staff pages call it as a background task,
the worker calls it for rounds that have just closed, and ``compute_results`` from the
command line.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.organisation.models import Municipality, ServiceType, Unit, User
from medvirk.organisation.services import audit_record
from medvirk.surveys.models import (
    Audience,
    InvitedCount,
    Questionnaire,
    Recipient,
    Response,
    ResponseText,
    Round,
)

from . import compute, disclosure, screening
from .models import CommentReview, Level, ResultCell, ResultSet

logger = logging.getLogger(__name__)

NO_SERVICE = "service-none"


# --- which round to compare with ----------------------------------------------------------


def _lineage(questionnaire: Questionnaire) -> int:
    """The built-in (or first) questionnaire a copy descends from: copies compare with it."""
    seen = {questionnaire.pk}
    while questionnaire.based_on_id is not None and questionnaire.based_on_id not in seen:
        seen.add(questionnaire.based_on_id)
        questionnaire = Questionnaire.objects.get(pk=questionnaire.based_on_id)
    return questionnaire.pk


def previous_round(round_: Round) -> Round | None:
    """The latest earlier round of the same service area and questionnaire with results.

    "The same questionnaire" is any version or copy of it: statements are matched by key,
    so a statement reworded in a copy keeps its history and a new one has none.
    """
    lineage = _lineage(round_.questionnaire)
    earlier = (
        Round.objects.filter(
            municipality_id=round_.municipality_id,
            service_area_id=round_.service_area_id,
            opens_at__lt=round_.opens_at,
            result_set__isnull=False,
        )
        .exclude(pk=round_.pk)
        .select_related("questionnaire")
        .order_by("-opens_at")
    )
    for candidate in earlier:
        if _lineage(candidate.questionnaire) == lineage:
            return candidate
    return None


# --- computing ----------------------------------------------------------------------------


def _questionnaire(spec: Any) -> compute.Questionnaire:
    return compute.Questionnaire(
        points=spec.scale.points,
        importance_points=spec.importance.points if spec.importance else 0,
        statements=tuple(
            compute.Statement(s.key, s.index, bool(s.importance and spec.importance))
            for s in spec.statements
        ),
        sections=tuple(
            compute.Section(section.key, tuple(s.index for s in section.statements))
            for section in spec.sections
            if section.statements
        ),
    )


def _groups(
    round_: Round, units: list[Unit], services: set[int | None]
) -> tuple[list[compute.Group], dict[str, str]]:
    """The groups that get figures, and each one's name."""
    groups = [
        compute.Group("area", Level.AREA, round_.service_area.name, frozenset(u.pk for u in units))
    ]
    districts: dict[int, list[Unit]] = {}
    for unit in units:
        if unit.district_id is not None:
            districts.setdefault(unit.district_id, []).append(unit)
    for members in districts.values():
        district = members[0].district
        assert district is not None  # noqa: S101 (grouped by it)
        groups.append(
            compute.Group(
                f"district-{district.pk}",
                Level.DISTRICT,
                district.name,
                frozenset(u.pk for u in members),
                district=district.pk,
            )
        )
    for unit in units:
        groups.append(
            compute.Group(
                f"unit-{unit.pk}",
                Level.UNIT,
                unit.name,
                frozenset([unit.pk]),
                unit=unit.pk,
                district=unit.district_id,
            )
        )
    if services - {None}:
        labels = {t.pk: t.label for t in ServiceType.objects.filter(pk__in=services - {None})}
        everyone = frozenset(u.pk for u in units)
        for service in sorted(services - {None}, key=lambda pk: labels[cast_int(pk)]):
            groups.append(
                compute.Group(
                    f"service-{service}",
                    Level.SERVICE,
                    labels[cast_int(service)],
                    everyone,
                    service=(service,),
                )
            )
        if None in services:
            groups.append(
                compute.Group(
                    NO_SERVICE, Level.SERVICE, _("Service not given"), everyone, service=(None,)
                )
            )
    return groups, {group.key: group.name for group in groups}


def cast_int(value: int | None) -> int:
    assert value is not None  # noqa: S101 (None is handled apart)
    return value


def _invited(round_: Round, audience: str) -> Counter[tuple[int, int | None]]:
    """How many were invited per unit and service, from the recipients or their counts."""
    relative = audience == Audience.RELATIVES
    if round_.purged_at is not None:
        rows = InvitedCount.objects.filter(round=round_, audience=audience).values_list(
            "unit_id", "service_type_id", "invited"
        )
        return Counter({(unit, service): n for unit, service, n in rows})
    return Counter(
        Recipient.objects.filter(round=round_, is_relative=relative).values_list(
            "unit_id", "service_type_id"
        )
    )


def _invited_by_group(
    groups: list[compute.Group], invited: Counter[tuple[int, int | None]]
) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for group in groups:
        out[group.key] = sum(
            n
            for (unit, service), n in invited.items()
            if unit in group.units and (group.service is None or service in group.service)
        )
    return out


def results_compute(
    *, actor: User | None, round_: Round, progress: Callable[[int, int], None] | None = None
) -> ResultSet:
    """Compute and store a round's results for every group, replacing any from before.

    While the round is open the results are preliminary, for quality advisers only; once it
    has closed they are ready to publish. Comments get their screening records.
    """
    if round_.state == Round.State.DRAFT:
        raise ValidationError(_("The round has not opened; there are no answers yet."))
    min_n = round_.municipality.results_min_n
    compared = previous_round(round_)
    before = _previous_figures(compared)
    units = list(round_.units.select_related("district").order_by("name"))
    audiences = [Audience.USERS]
    if round_.relatives_questionnaire_id:
        audiences.append(Audience.RELATIVES)
    cells: list[compute.CellResult] = []
    total = 0
    for step, audience in enumerate(audiences, start=1):
        spec = round_.questionnaire_for(is_relative=audience == Audience.RELATIVES).spec
        rows = list(
            Response.objects.filter(round=round_, audience=audience).values_list(
                "unit_id", "service_type_id", "scores", "importance"
            )
        )
        total += len(rows)
        invited = _invited(round_, audience)
        services = {service for _u, service, _s, _i in rows} | {s for _u, s in invited}
        groups, _names = _groups(round_, units, services)
        answers = compute.Answers(
            units=[r[0] for r in rows],
            services=[r[1] for r in rows],
            scores=[r[2] for r in rows],
            importance=[r[3] for r in rows],
        )
        cells += compute.compute(
            audience=audience,
            questionnaire=_questionnaire(spec),
            answers=answers,
            groups=groups,
            invited=_invited_by_group(groups, invited),
            min_n=min_n,
            previous=before.get(audience),
        )
        if progress:
            progress(step, len(audiences) + 1)
    result_set = _store(actor, round_, cells, min_n=min_n, compared=compared, responses=total)
    comments_prepare(round_)
    if progress:
        progress(len(audiences) + 1, len(audiences) + 1)
    return result_set


def _previous_figures(compared: Round | None) -> dict[str, dict[str, Any]]:
    if compared is None:
        return {}
    out: dict[str, dict[str, Any]] = {}
    rows = ResultCell.objects.filter(result_set__round=compared).values_list(
        "audience", "key", "figures"
    )
    for audience, key, figures in rows:
        out.setdefault(audience, {})[key] = figures
    return out


@transaction.atomic
def _store(
    actor: User | None,
    round_: Round,
    cells: list[compute.CellResult],
    *,
    min_n: int,
    compared: Round | None,
    responses: int,
) -> ResultSet:
    ended = round_.phase == Round.Phase.ENDED
    result_set = ResultSet.objects.select_for_update().filter(round=round_).first()
    if result_set is None:
        result_set = ResultSet(round=round_)
    if result_set.state in ("", ResultSet.State.PRELIMINARY) or not ended:
        result_set.state = ResultSet.State.READY if ended else ResultSet.State.PRELIMINARY
    result_set.min_n = min_n
    result_set.protection = disclosure.VERSION
    result_set.compared_with = compared
    result_set.responses = responses
    result_set.computed_at = timezone.now()
    result_set.computed_by = actor
    result_set.full_clean(exclude=["round"])
    result_set.save()
    result_set.cells.all().delete()
    _insert_cells(
        [
            ResultCell(
                result_set=result_set,
                audience=cell.audience,
                level=cell.group.level,
                key=cell.group.key,
                unit_id=cell.group.unit,
                district_id=cell.group.district,
                service_type_id=(
                    cell.group.service[0]
                    if cell.group.service and cell.group.service[0] is not None
                    else None
                ),
                name=cell.group.name,
                invited=cell.invited,
                responses=cell.responses,
                suppressed=cell.suppressed,
                figures=cell.figures,
            )
            for cell in cells
        ],
    )
    audit_record(
        actor=actor,
        municipality=round_.municipality,
        action="results.compute",
        target=round_,
        changes={
            "responses": [None, responses],
            "suppressed": [None, sum(1 for cell in cells if cell.suppressed)],
            "state": [None, result_set.state],
        },
    )
    return result_set


def _insert_cells(cells: list[ResultCell]) -> None:
    """Store new cells: with COPY on PostgreSQL, where a national round's some 400,000
    figures would otherwise spend most of their time being quoted into an INSERT."""
    if connection.vendor != "postgresql":
        ResultCell.objects.bulk_create(cells, batch_size=1000)
        return
    fields = [f for f in ResultCell._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = (
        f"COPY {quote(ResultCell._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
    )
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for cell in cells:
            copy.write_row(
                [f.get_db_prep_save(getattr(cell, f.attname), connection) for f in fields]
            )


def compute_due() -> int:
    """Compute the results of rounds whose stored results are missing or out of date.

    Run by the worker's housekeeping, so that without anyone asking a round gets its results
    when it closes by itself, and results are computed again when they were computed with
    another smallest group, by an older disclosure control, or before the round they are
    compared with was computed again (its change would still follow the old figures).
    Earlier rounds first, since later ones take their changes from them.
    """
    now = timezone.now()
    due = Round.objects.filter(
        Q(state=Round.State.CLOSED) | Q(state=Round.State.OPEN, closes_at__lte=now)
    ).filter(
        Q(result_set__isnull=True)
        | Q(result_set__state=ResultSet.State.PRELIMINARY)
        | ~Q(result_set__min_n=F("municipality__results_min_n"))
        | ~Q(result_set__protection=disclosure.VERSION)
        | Q(result_set__compared_with__result_set__computed_at__gt=F("result_set__computed_at"))
    )
    done = 0
    for round_ in due.select_related("municipality", "service_area").order_by("opens_at", "pk"):
        results_compute(actor=None, round_=round_)
        done += 1
    return done


def recompute_for_min_n(municipality: Municipality) -> int:
    """Recompute every stored result of a municipality whose smallest group has changed.

    Called by ``organisation.services.municipality_update`` when the setting changes, in
    its transaction (registered in ``apps.py``): results suppressed for 3 must not stay
    readable once the municipality asks for 5. Published results stay published, now with
    the new protection. Earlier rounds first: a later round's change is taken from the
    earlier round's new figures.
    """
    stale = ResultSet.objects.filter(round__municipality=municipality).exclude(
        min_n=municipality.results_min_n
    )
    done = 0
    for result_set in stale.select_related("round__municipality", "round__service_area").order_by(
        "round__opens_at", "round__pk"
    ):
        results_compute(actor=None, round_=result_set.round)
        done += 1
    return done


# --- publishing ---------------------------------------------------------------------------


@transaction.atomic
def results_publish(*, actor: User | None, result_set: ResultSet) -> ResultSet:
    """Publish a closed round's results on the public pages."""
    stored = ResultSet.objects.select_for_update().get(pk=result_set.pk)
    if stored.state == ResultSet.State.PRELIMINARY:
        raise ValidationError(
            _("The round is still open. Results can be published once it has closed.")
        )
    if stored.state == ResultSet.State.PUBLISHED:
        raise ValidationError(_("These results are published already."))
    before = stored.state
    stored.state = ResultSet.State.PUBLISHED
    stored.published_at, stored.published_by, stored.withdrawn_at = timezone.now(), actor, None
    stored.save(update_fields=["state", "published_at", "published_by", "withdrawn_at"])
    audit_record(
        actor=actor,
        municipality=stored.round.municipality,
        action="results.publish",
        target=stored.round,
        changes={"state": [before, stored.state]},
    )
    result_set.refresh_from_db()
    return stored


@transaction.atomic
def results_withdraw(*, actor: User | None, result_set: ResultSet) -> ResultSet:
    """Take published results off the public pages again (they stay for staff)."""
    stored = ResultSet.objects.select_for_update().get(pk=result_set.pk)
    if stored.state != ResultSet.State.PUBLISHED:
        raise ValidationError(_("These results are not published."))
    stored.state = ResultSet.State.WITHDRAWN
    stored.withdrawn_at = timezone.now()
    stored.save(update_fields=["state", "withdrawn_at"])
    audit_record(
        actor=actor,
        municipality=stored.round.municipality,
        action="results.withdraw",
        target=stored.round,
        changes={"state": [ResultSet.State.PUBLISHED, stored.state]},
    )
    result_set.refresh_from_db()
    return stored


# --- comments -----------------------------------------------------------------------------


def comments_prepare(round_: Round) -> int:
    """Give every comment of the round its screening record, with the personal data found.

    Names are looked for while the recipient list exists: run before the recipients are
    purged (the purge calls this itself). Returns how many new records were made.
    """
    names = screening.names_pattern(
        Recipient.objects.filter(round=round_).values_list("name", flat=True).iterator()
    )
    made = 0
    with transaction.atomic():
        texts = (
            ResponseText.objects.filter(response__round=round_)
            .select_related("response")
            .exclude(text="")
        )
        existing = set(CommentReview.objects.filter(round=round_).values_list("text_id", flat=True))
        new = []
        for text in texts.iterator():
            if text.pk in existing:
                continue
            flags = [flag.as_json() for flag in screening.find(text.text, names)]
            new.append(
                CommentReview(
                    text=text,
                    round=round_,
                    audience=text.response.audience,
                    unit_id=text.response.unit_id,
                    flags=flags,
                )
            )
        CommentReview.objects.bulk_create(new, batch_size=1000)
        made = len(new)
        if names is not None:
            # Comments screened for everything else before: look for names now.
            for review in CommentReview.objects.filter(
                round=round_, state=CommentReview.State.PENDING
            ).select_related("text"):
                found = [f.as_json() for f in screening.find(review.text.text, names)]
                if found != review.flags:
                    review.flags = found
                    review.save(update_fields=["flags"])
    return made


@transaction.atomic
def comment_review(
    *, actor: User | None, review: CommentReview, decision: str, text: str = ""
) -> CommentReview:
    """Approve a comment as written, approve it with parts removed, or reject it."""
    stored = CommentReview.objects.select_for_update().select_related("text").get(pk=review.pk)
    original = stored.text.text
    if decision == "approve":
        stored.state, stored.shown_text = CommentReview.State.APPROVED, original
    elif decision == "redact":
        edited = text.strip()
        if not edited:
            raise ValidationError(
                {"text": _("Write the comment as it should be shown, or reject it.")}
            )
        if edited == original.strip():
            stored.state = CommentReview.State.APPROVED
        else:
            stored.state = CommentReview.State.REDACTED
        stored.shown_text = edited
    elif decision == "reject":
        stored.state, stored.shown_text = CommentReview.State.REJECTED, ""
    else:
        raise ValueError(f"unknown decision {decision!r}")
    stored.reviewed_at, stored.reviewed_by = timezone.now(), actor
    stored.full_clean(exclude=["text", "round", "unit"])
    stored.save()
    audit_record(
        actor=actor,
        municipality=stored.round.municipality,
        action="results.comment",
        target=stored.round,
        changes={"comment": [None, stored.pk], "state": [None, stored.state]},
    )
    return stored


def proposed_text(review: CommentReview) -> str:
    """The comment with the flagged parts removed: where an adviser's redaction starts."""
    flags = [screening.Flag(str(f["kind"]), int(f["start"]), int(f["end"])) for f in review.flags]
    return screening.redact(review.text.text, flags, mark=_("[removed]"))


def before_purge(round_: Round) -> None:
    comments_prepare(round_)


def invited_total(counts: Mapping[str, int | None]) -> int:
    return sum(n or 0 for n in counts.values())
