"""The HTML of a section page's statements, built in Python.

A section page holds up to a hundred radio buttons. Drawn with the template engine, they
cost more than everything else in the request together (see bench/answering.py); built
here, with every value passed through ``html.escape``, they cost a fraction of a
millisecond. The markup is what a template would give: one fieldset per question, named
by its legend, radios wrapped in their labels, "don't know" apart from the scale.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

Option = tuple[str, str, bool]  # value, label, checked


@lru_cache(maxsize=4096)
def _escaped(value: str) -> str:
    return escape(value, quote=True)


def _e(value: object) -> str:
    """Escaped for HTML. The same labels and names come back on every page: kept."""
    return _escaped(str(value))


def _radios(
    name: str, options: Iterable[Option], *, with_point: bool, first_id: bool = True
) -> str:
    """Radios of one group; the first gets an id, for the error summary's link."""
    parts = []
    for position, (value, label, checked) in enumerate(options):
        first = f' id="{_e(name)}-first"' if position == 0 and first_id else ""
        point = (
            f'<span class="choice__point" aria-hidden="true">{_e(value)}</span>'
            if with_point
            else ""
        )
        parts.append(
            f'<label class="choice"><input type="radio" name="{_e(name)}" value="{_e(value)}"'
            f"{first}{' checked' if checked else ''}>{point}"
            f'<span class="choice__label">{_e(label)}</span></label>'
        )
    return "".join(parts)


def _errors(name: str, errors: Sequence[str]) -> str:
    if not errors:
        return ""
    return f'<p class="errorlist" id="{_e(name)}-error">{_e(" ".join(map(str, errors)))}</p>'


def _described(name: str, errors: Sequence[str]) -> str:
    return f' aria-describedby="{_e(name)}-error"' if errors else ""


def statement(block: dict[str, Any]) -> str:
    """One statement: its scale (and "don't know"), then how important it is."""
    name, errors = block["name"], block["errors"]
    dont_know = block["dont_know"]
    return (
        f'<div class="statement-block">'
        f'<fieldset class="statement{" statement--error" if errors else ""}"'
        f"{_described(name, errors)}>"
        f'<legend><span class="statement__number">{block["statement"].number}.</span> '
        f"{_e(block['text'])}</legend>{_errors(name, errors)}"
        f'<div class="scale">{_radios(name, block["options"], with_point=True)}</div>'
        + (
            f'<div class="dont-know">'
            f"{_radios(name, [dont_know], with_point=False, first_id=False)}</div>"
            if dont_know
            else ""
        )
        + "</fieldset>"
        + (_importance(block) if block.get("importance") else "")
        + "</div>"
    )


def _importance(block: dict[str, Any]) -> str:
    importance = block["importance"]
    name, errors = importance["name"], importance["errors"]
    return (
        f'<fieldset class="importance{" statement--error" if errors else ""}"'
        f"{_described(name, errors)}>"
        f'<legend>{_e(importance["question"])}<span class="visually-hidden"> '
        f"({block['statement'].number}. {_e(block['text'])})</span></legend>"
        f"{_errors(name, errors)}"
        f'<div class="scale scale--importance">'
        f"{_radios(name, importance['options'], with_point=True)}</div></fieldset>"
    )


def free_text(block: dict[str, Any]) -> str:
    name, errors = block["name"], block["errors"]
    limit = _("At most %(max)s characters.") % {"max": block["free_text"].max_length}
    help_text = f"{block['help']} {limit}" if block["help"] else limit
    described = f"{name}-help {name}-error" if errors else f"{name}-help"
    invalid = ' aria-invalid="true"' if errors else ""
    return (
        f'<div class="field{" field--error" if errors else ""}">'
        f'<label for="{_e(name)}-first">{_e(block["label"])}</label>'
        f'<div class="helptext" id="{_e(name)}-help">{_e(help_text)}</div>'
        f"{_errors(name, errors)}"
        f'<textarea id="{_e(name)}-first" name="{_e(name)}" rows="8" '
        f'aria-describedby="{_e(described)}"{invalid}>'
        f"{_e(block['value'])}</textarea></div>"
    )


def blocks(items: Iterable[dict[str, Any]]) -> SafeString:
    """Every block of a section page; each value in it has been escaped above."""
    html = "".join(statement(b) if "statement" in b else free_text(b) for b in items)
    return mark_safe(html)  # noqa: S308
