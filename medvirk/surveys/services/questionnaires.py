"""Questionnaires: loading the built-in ones, copying, and editing their texts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from medvirk.organisation.models import Municipality, User
from medvirk.organisation.services import audit_record

from .. import questionnaire as definitions
from ..models import Questionnaire, Round


@dataclass(frozen=True)
class LoadedQuestionnaire:
    questionnaire: Questionnaire
    created: bool


@transaction.atomic
def questionnaire_load_builtin(*, files: Sequence[Any] | None = None) -> list[LoadedQuestionnaire]:
    """Load the built-in questionnaire files; idempotent.

    A file whose key and version are loaded already with other content is refused: a
    round may have run with that version, so the change needs a new version number.
    """
    loaded = []
    for path in files if files is not None else definitions.built_in_files():
        spec = definitions.load_file(path)
        existing = Questionnaire.objects.filter(
            municipality=None, key=spec.key, version=spec.version
        ).first()
        if existing is not None:
            if existing.checksum != spec.checksum():
                raise definitions.QuestionnaireError(
                    [
                        f"{path.name}: version {spec.version} of {spec.key} is loaded already "
                        "with other content; raise `version` in the file"
                    ]
                )
            loaded.append(LoadedQuestionnaire(existing, created=False))
            continue
        created = Questionnaire.objects.create(
            municipality=None,
            key=spec.key,
            version=spec.version,
            audience=spec.audience,
            definition=dict(spec.raw),
            checksum=spec.checksum(),
        )
        loaded.append(LoadedQuestionnaire(created, created=True))
    return loaded


@transaction.atomic
def questionnaire_copy(
    *, actor: User | None, municipality: Municipality, source: Questionnaire
) -> Questionnaire:
    """The municipality's own copy of a questionnaire, version 1, ready for editing texts."""
    if source.municipality_id not in (None, municipality.pk):
        raise ValidationError(_("Choose a questionnaire of this municipality."))
    base = f"{source.key}-kopi"[:74]
    key, number = base, 1
    while Questionnaire.objects.filter(municipality=municipality, key=key).exists():
        number += 1
        key = f"{base}-{number}"
    definition = dict(source.definition, key=key, version=1)
    copy = Questionnaire.objects.create(
        municipality=municipality,
        key=key,
        version=1,
        audience=source.audience,
        definition=definition,
        checksum=definitions.checksum(definition),
        based_on=source,
    )
    audit_record(
        actor=actor,
        municipality=municipality,
        action="questionnaire.copy",
        target=copy,
        changes={"based_on": [None, str(source)]},
    )
    return copy


@transaction.atomic
def questionnaire_update_texts(
    *,
    actor: User | None,
    questionnaire: Questionnaire,
    language: str,
    texts: Mapping[str, str],
) -> Questionnaire:
    """Change wording in one language. Returns the version that holds the new wording.

    Built-in questionnaires are copied first, never changed. A questionnaire an open round
    uses cannot change. One that a round has opened with before keeps its wording for that
    round: the change becomes a new version, and draft rounds move to it.
    """
    if questionnaire.is_built_in:
        raise ValidationError(
            _("A built-in questionnaire cannot be changed. Make a copy and edit that.")
        )
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    rounds = Round.objects.filter(questionnaire=questionnaire) | Round.objects.filter(
        relatives_questionnaire=questionnaire
    )
    open_round = rounds.filter(state=Round.State.OPEN).first()
    if open_round is not None:
        raise ValidationError(
            _("The round %(round)s is open with this questionnaire, so it cannot change now.")
            % {"round": open_round.name}
        )
    current = dict(questionnaire.spec.text_fields())
    changed = _changed_texts(questionnaire, language, texts)
    if not changed:
        return questionnaire
    definition = definitions.with_texts(questionnaire.definition, language, changed)
    used = rounds.exclude(state=Round.State.DRAFT).exists()
    if used:
        target = _new_version(questionnaire, definition)
    else:
        definitions.parse(definition)
        questionnaire.definition = definition
        questionnaire.checksum = definitions.checksum(definition)
        questionnaire.save(update_fields=["definition", "checksum"])
        questionnaire.__dict__.pop("spec", None)
        target = questionnaire
    audit_record(
        actor=actor,
        municipality=questionnaire.municipality,
        action="questionnaire.update_texts",
        target=target,
        changes={
            path: [current[path].values.get(language), value] for path, value in changed.items()
        },
    )
    return target


def _changed_texts(
    questionnaire: Questionnaire, language: str, texts: Mapping[str, str]
) -> dict[str, str]:
    """The texts that differ from the questionnaire's in ``language``, each stripped;
    refused if any is empty or the questionnaire has no such language."""
    if language not in questionnaire.spec.languages:
        raise ValidationError(_("This questionnaire has no texts in that language."))
    cleaned = {path: value.strip() for path, value in texts.items()}
    empty = [path for path, value in cleaned.items() if not value]
    if empty:
        raise ValidationError(_("Some texts are empty. Write a text in every field."))
    known = {path for path, _text in questionnaire.spec.text_fields()}
    if set(cleaned) - known:
        raise ValueError(f"unknown text paths {sorted(set(cleaned) - known)}")
    current = dict(questionnaire.spec.text_fields())
    return {p: v for p, v in cleaned.items() if current[p].values.get(language) != v}


def _new_version(questionnaire: Questionnaire, definition: dict[str, Any]) -> Questionnaire:
    """A new version of a questionnaire with the changed ``definition``; the draft rounds
    that used the old one move to it (rounds that opened with the old keep it)."""
    version = (
        Questionnaire.objects.filter(
            municipality=questionnaire.municipality, key=questionnaire.key
        ).aggregate(Max("version"))["version__max"]
        + 1
    )
    definition["version"] = version
    definitions.parse(definition)
    target = Questionnaire.objects.create(
        municipality=questionnaire.municipality,
        key=questionnaire.key,
        version=version,
        audience=questionnaire.audience,
        definition=definition,
        checksum=definitions.checksum(definition),
        based_on=questionnaire,
    )
    Round.objects.filter(state=Round.State.DRAFT, questionnaire=questionnaire).update(
        questionnaire=target
    )
    Round.objects.filter(state=Round.State.DRAFT, relatives_questionnaire=questionnaire).update(
        relatives_questionnaire=target
    )
    return target
