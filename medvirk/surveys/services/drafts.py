"""A respondent's draft: sealed with the round's key, opened, saved."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import answers, roundkey
from .. import questionnaire as definitions
from ..models import AccessCode, Draft
from .access_codes import round_codes


@dataclass
class OpenDraft:
    """A draft's answers, opened with the round's key; ``draft_save`` seals them again."""

    row: Draft
    keys: roundkey.RoundKeys
    language: str
    on_behalf: bool = False
    scores: str = ""
    importance: str = ""
    texts: dict[str, str] = field(default_factory=dict)
    step: int = 0  # the page to continue from


_PAYLOAD_FIELDS = ("language", "on_behalf", "scores", "importance", "texts", "step")


def _seal_payload(keys: roundkey.RoundKeys, values: Mapping[str, Any], access_code_pk: Any) -> str:
    payload = json.dumps({name: values[name] for name in _PAYLOAD_FIELDS}, ensure_ascii=False)
    return keys.seal_text(payload, context=f"draft:{access_code_pk}")


def _open_payload(keys: roundkey.RoundKeys, sealed: str, access_code_pk: Any) -> dict[str, Any]:
    loaded = json.loads(keys.open_text(sealed, context=f"draft:{access_code_pk}"))
    return {name: loaded[name] for name in _PAYLOAD_FIELDS}


def preferred_language(access_code: AccessCode, keys: roundkey.RoundKeys) -> str:
    return keys.open_text(access_code.sealed_language, context=f"language:{access_code.pk}")


def _first_payload(access_code: AccessCode, keys: roundkey.RoundKeys) -> dict[str, Any]:
    return {
        "language": preferred_language(access_code, keys),
        "on_behalf": False,
        "scores": "",
        "importance": "",
        "texts": {},
        "step": 0,
    }


def draft_for(access_code: AccessCode) -> OpenDraft:
    """The access code's draft, opened; made on first use with the preferred language."""
    keys = round_codes(access_code.round).keys
    try:
        row = access_code.draft  # read with the access code where the caller selected it
    except Draft.DoesNotExist:
        row, _created = Draft.objects.get_or_create(
            access_code=access_code,
            defaults={
                "sealed": _seal_payload(keys, _first_payload(access_code, keys), access_code.pk)
            },
        )
    return OpenDraft(row=row, keys=keys, **_open_payload(keys, row.sealed, access_code.pk))


def draft_open(access_code: AccessCode) -> OpenDraft | None:
    """The access code's draft, opened (None if it has none); writes nothing."""
    row = Draft.objects.filter(access_code=access_code).first()
    if row is None:
        return None
    keys = round_codes(access_code.round).keys
    return OpenDraft(row=row, keys=keys, **_open_payload(keys, row.sealed, access_code.pk))


def draft_save(
    *,
    draft: OpenDraft,
    spec: definitions.QuestionnaireSpec,
    language: str | None = None,
    on_behalf: bool | None = None,
    scores: Mapping[int, str] | None = None,
    importance: Mapping[int, str] | None = None,
    texts: Mapping[str, str] | None = None,
    step: int | None = None,
) -> OpenDraft:
    """Keep what a respondent gave on one page. Values are checked by the page's form."""
    if language is not None:
        draft.language = language
    if on_behalf is not None:
        draft.on_behalf = on_behalf
    if scores:
        draft.scores = answers.with_values(answers.fit(spec, draft.scores), scores)
    if importance:
        draft.importance = answers.with_values(answers.fit(spec, draft.importance), importance)
    if texts:
        merged = {**draft.texts, **texts}
        draft.texts = {k: v for k, v in merged.items() if v.strip()}
    if step is not None:
        draft.step = step
    draft.row.sealed = _seal_payload(
        draft.keys,
        {name: getattr(draft, name) for name in _PAYLOAD_FIELDS},
        draft.row.access_code_id,
    )
    draft.row.save(update_fields=["sealed"])
    return draft
