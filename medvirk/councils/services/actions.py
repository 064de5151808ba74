"""The unit's improvement plan: actions tied to survey statements or to feedback."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.organisation import audit
from medvirk.organisation.models import User

from ..models import Council, ImprovementAction
from ._common import _audit, _only

ACTION_FIELDS = (
    "title",
    "description",
    "round",
    "audience",
    "statement_keys",
    "feedback_theme",
    "owner",
    "due_on",
    "status",
    "council_advice",
    "advice_item",
)


def _check_action(action: ImprovementAction) -> None:
    if action.round is not None:
        if not action.round.round_units.filter(unit_id=action.unit_id).exists():
            raise ValidationError({"round": _("The unit was not in that survey round.")})
        spec = action.round.questionnaire_for(is_relative=action.audience == "relatives").spec
        known = {s.key for s in spec.statements}
        missing = [key for key in action.statement_keys if key not in known]
        if missing:
            raise ValidationError(
                {
                    "statement_keys": _(
                        "These statements are not in the questionnaire of %(round)s: "
                        "%(keys)s. Choose statements of that survey."
                    )
                    % {"round": action.round.name, "keys": ", ".join(missing)}
                }
            )
    if action.advice_item is not None and action.advice_item.council.unit_id != action.unit_id:
        raise ValidationError({"advice_item": _("Choose an item of this unit's council.")})


@transaction.atomic
def action_create(
    *, actor: User | None, council: Council, data: Mapping[str, Any]
) -> ImprovementAction:
    _only(data, ACTION_FIELDS, "action_create")
    action = ImprovementAction(unit=council.unit, **data)
    action.full_clean()
    _check_action(action)
    action.save()
    _audit(
        actor,
        council,
        "council.action_create",
        action,
        audit.created(
            audit.snapshot(action, ("title", "owner", "due_on", "status", "statement_keys"))
        ),
    )
    return action


@transaction.atomic
def action_update(
    *, actor: User | None, action: ImprovementAction, data: Mapping[str, Any]
) -> ImprovementAction:
    _only(data, ACTION_FIELDS, "action_update")
    stored = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    before = audit.snapshot(stored, ACTION_FIELDS)
    for name, value in data.items():
        setattr(stored, name, value)
    stored.updated_at = timezone.now()
    stored.full_clean()
    _check_action(stored)
    stored.save()
    changes = audit.changes(before, audit.snapshot(stored, ACTION_FIELDS))
    if changes:
        council = Council.objects.select_related("unit__service_area").get(unit_id=stored.unit_id)
        _audit(actor, council, "council.action_update", stored, changes)
    return stored
