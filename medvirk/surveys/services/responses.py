"""Responses: a draft submitted, and a paper form entered by staff."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.organisation.models import ServiceType, Unit, User
from medvirk.organisation.services import audit_record

from .. import answers, codes
from ..models import AccessCode, Audience, Draft, Mode, Questionnaire, Response, ResponseText, Round
from .access_codes import round_codes
from .code_checks import access_code_find
from .drafts import _first_payload, _open_payload
from .rounds import _lock


class AlreadySubmitted(Exception):
    """The code was used between the respondent's last page and their submission."""


class RoundNotAccepting(Exception):
    def __init__(self, round_: Round) -> None:
        super().__init__(round_.name)
        self.round = round_


def response_submit(*, access_code: AccessCode, today: Any = None) -> Response:
    """Turn an access code's draft into an anonymous response, in one transaction.

    The access code's row is locked, so a double-clicked submit makes one response; a crash
    anywhere inside leaves the code unused and the draft as it was. No recipient row is
    read or written.
    """
    with transaction.atomic():
        locked = (
            AccessCode.objects.select_for_update(of=("self",))
            .select_related("round", "round__questionnaire", "round__relatives_questionnaire")
            .get(pk=access_code.pk)
        )
        if locked.used:
            raise AlreadySubmitted
        round_ = locked.round
        if round_.phase != Round.Phase.ACCEPTING:
            raise RoundNotAccepting(round_)
        keys = round_codes(round_).keys
        row = Draft.objects.filter(access_code=locked).first()
        content = (
            _open_payload(keys, row.sealed, locked.pk)
            if row is not None
            else _first_payload(locked, keys)
        )
        questionnaire = round_.questionnaire_for(is_relative=locked.is_relative)
        response = _response_create(
            round_=round_,
            questionnaire=questionnaire,
            unit_id=locked.unit_id,
            service_type_id=locked.service_type_id,
            audience=locked.audience,
            mode=Mode.WEB,
            on_behalf=content["on_behalf"],
            scores=answers.fit(questionnaire.spec, content["scores"]),
            importance=answers.fit(questionnaire.spec, content["importance"]),
            texts=content["texts"],
            today=today,
        )
        locked.used = True
        locked.save(update_fields=["used"])
        if row is not None:
            row.delete()
    access_code.used = True
    return response


def _response_create(
    *,
    round_: Round,
    questionnaire: Questionnaire,
    unit_id: int,
    service_type_id: int | None,
    audience: str,
    mode: str,
    on_behalf: bool,
    scores: str,
    importance: str,
    texts: Mapping[str, str],
    today: Any = None,
) -> Response:
    spec = questionnaire.spec
    if not answers.is_valid(spec, scores, importance):
        raise ValidationError(_("The answers do not fit the questionnaire."))
    limits = {f.key: f.max_length for f in spec.free_texts}
    for key, text in texts.items():
        if key not in limits or len(text) > limits[key]:
            raise ValidationError(_("A comment is too long or does not belong here."))
    response = Response.objects.create(
        round=round_,
        questionnaire=questionnaire,
        audience=audience,
        unit_id=unit_id,
        service_type_id=service_type_id,
        mode=mode,
        on_behalf=on_behalf,
        submitted_on=today or timezone.localdate(),
        scores=scores,
        importance=importance,
    )
    ResponseText.objects.bulk_create(
        [
            ResponseText(response=response, key=key, text=text)
            for key, text in texts.items()
            if text.strip()
        ]
    )
    return response


@transaction.atomic
def response_enter(
    *,
    actor: User | None,
    round_: Round,
    mode: str,
    unit: Unit | None,
    service_type: ServiceType | None,
    audience: str,
    on_behalf: bool,
    scores: str,
    importance: str,
    texts: Mapping[str, str],
    code: str = "",
) -> Response:
    """A paper form or an interview, typed in by a quality adviser.

    With the code from the form, the code is used up (so the person cannot answer twice)
    and the unit, service and audience come from its access code. The audit log records
    that a response was entered in the round, never which one or whose code.
    """
    if mode not in (Mode.PAPER, Mode.INTERVIEW):
        raise ValueError(f"staff enter paper and interview responses, not {mode!r}")
    stored = _lock(round_)
    if stored.state != Round.State.OPEN:
        raise ValidationError(_("Responses can be entered only while the round is open."))
    if code.strip():
        access_code = _paper_code(stored, code, audience)
        unit_id, service_type_id = access_code.unit_id, access_code.service_type_id
        access_code.used = True
        access_code.save(update_fields=["used"])
        Draft.objects.filter(access_code=access_code).delete()
    else:
        if unit is None or not stored.round_units.filter(unit=unit).exists():
            raise ValidationError({"unit": _("Choose a unit the round covers.")})
        unit_id = unit.pk
        service_type_id = service_type.pk if service_type else None
    if audience == Audience.RELATIVES and stored.relatives_questionnaire is None:
        raise ValidationError({"audience": _("This round has no relatives survey.")})
    questionnaire = stored.questionnaire_for(is_relative=audience == Audience.RELATIVES)
    response = _response_create(
        round_=stored,
        questionnaire=questionnaire,
        unit_id=unit_id,
        service_type_id=service_type_id,
        audience=audience,
        mode=mode,
        on_behalf=on_behalf,
        scores=scores,
        importance=importance,
        texts=texts,
    )
    audit_record(
        actor=actor,
        municipality=stored.municipality,
        action="round.enter_response",
        target=stored,
        changes={"mode": [None, mode]},
    )
    return response


def _paper_code(round_: Round, code: str, audience: str) -> AccessCode:
    """The unused access code of ``round_`` a paper form carries, locked; or why not."""
    normalised = codes.normalise(code)
    if normalised is not None and not codes.check_ok(normalised):
        raise ValidationError(
            {"code": _("The code has a typing error. Check it against the form.")}
        )
    found = (
        access_code_find(municipality=round_.municipality, code=normalised) if normalised else None
    )
    if found is None:
        raise ValidationError({"code": _("No recipient has this code. Check the code.")})
    if found.round_id != round_.pk:
        raise ValidationError({"code": _("This code belongs to another survey round.")})
    locked = AccessCode.objects.select_for_update().get(pk=found.pk)
    if locked.used:
        raise ValidationError({"code": _("This code has been used already.")})
    if locked.is_relative != (audience == Audience.RELATIVES):
        raise ValidationError(
            {
                "code": _("This code belongs to a relative. Enter the form as a relatives form.")
                if locked.is_relative
                else _("This code belongs to a user. Enter the form as a user form.")
            }
        )
    return locked
