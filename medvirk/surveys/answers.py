"""Answers as a response keeps them: one character per statement (see models.Response).

Pure helpers to read and write that encoding, and to check a value a form sent in against
the questionnaire's scale, so a tampered or out-of-range value never reaches the database.
"""

from __future__ import annotations

from collections.abc import Mapping

from .questionnaire import DONT_KNOW, NO_ANSWER, QuestionnaireSpec, Scale, Statement


def blank(spec: QuestionnaireSpec) -> str:
    return NO_ANSWER * len(spec.statements)


def fit(spec: QuestionnaireSpec, encoded: str) -> str:
    """An encoding of the right length for ``spec`` (a draft may predate nothing, or be "")."""
    size = len(spec.statements)
    return (encoded + NO_ANSWER * size)[:size]


def value_at(encoded: str, statement: Statement) -> str:
    """The stored value for a statement: ``"1"``…, ``"0"`` (don't know) or ``""`` (none)."""
    char = encoded[statement.index] if statement.index < len(encoded) else NO_ANSWER
    return "" if char == NO_ANSWER else char


def with_values(encoded: str, values: Mapping[int, str]) -> str:
    """``encoded`` with the values at the given statement indexes replaced ("" clears)."""
    chars = list(encoded)
    for index, value in values.items():
        chars[index] = value or NO_ANSWER
    return "".join(chars)


def score_choices(scale: Scale) -> set[str]:
    allowed = {str(point) for point in scale.values}
    if scale.dont_know is not None:
        allowed.add(DONT_KNOW)
    return allowed


def importance_choices(scale: Scale | None) -> set[str]:
    return set() if scale is None else {str(point) for point in scale.values}


def is_valid(spec: QuestionnaireSpec, scores: str, importance: str) -> bool:
    """Whether two encodings fit ``spec`` exactly: the right length and only allowed values."""
    size = len(spec.statements)
    if len(scores) != size or len(importance) != size:
        return False
    allowed_scores = score_choices(spec.scale) | {NO_ANSWER}
    allowed_importance = importance_choices(spec.importance) | {NO_ANSWER}
    for statement in spec.statements:
        if scores[statement.index] not in allowed_scores:
            return False
        mark = importance[statement.index]
        if mark not in allowed_importance or (not statement.importance and mark != NO_ANSWER):
            return False
    return True


def missing_required(spec: QuestionnaireSpec, scores: str) -> list[Statement]:
    return [s for s in spec.statements if s.required and not value_at(scores, s)]
