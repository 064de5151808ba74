"""Questionnaire definitions: the data files in ``questionnaires/`` and what they mean.

A questionnaire is data, not code. Each built-in one is a TOML file in this package's
``questionnaires/`` folder (see ``questionnaires/README.md`` for the format); a
municipality's own copies live only in the database. Both are parsed here into frozen
dataclasses, so every other part of Medvirk reads one shape whatever the source.

This module has no Django in it. ``parse`` checks a whole definition and reports every
problem with the place it was found (``sections.2.statements.0.text.nb``), so a
mistake in a data file is found by the test suite, never by a respondent.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LANGUAGES = ("nb", "nn", "en")
DEFAULT_LANGUAGE = "nb"
AUDIENCES = ("users", "relatives")
MIN_POINTS, MAX_POINTS = 2, 9
DEFAULT_MAX_LENGTH = 2000
BUILT_IN_DIR = Path(__file__).resolve().parent / "questionnaires"

# How one statement's answers are kept in a response (see models.Response): one character
# per statement, in questionnaire order.
DONT_KNOW = "0"
NO_ANSWER = "-"


class QuestionnaireError(ValueError):
    """A definition that cannot be used; ``problems`` lists every fault with its place."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Text:
    """One text in several languages. Reading it in a missing language gives bokmål."""

    values: Mapping[str, str]

    def get(self, language: str) -> str:
        return self.values.get(language) or self.values.get(DEFAULT_LANGUAGE, "")

    def __str__(self) -> str:
        return self.get(DEFAULT_LANGUAGE)


@dataclass(frozen=True)
class Scale:
    """Points 1…n, each with a label; optionally a "don't know" kept apart from the scale."""

    points: int
    labels: tuple[Text, ...]
    dont_know: Text | None = None
    question: Text | None = None  # for the importance scale: "How important is this to you?"

    @property
    def values(self) -> range:
        return range(1, self.points + 1)

    def agree_from(self) -> int:
        """The lowest point counted as agreeing: the top two points of a scale of four or
        more, the top point of a shorter one (on "no / a little / yes" only "yes" agrees)."""
        return self.points - 1 if self.points >= 4 else self.points


@dataclass(frozen=True)
class Statement:
    key: str
    number: int  # 1, 2, … across the whole questionnaire, as printed
    text: Text
    required: bool
    importance: bool
    index: int  # position in a response's answer string


@dataclass(frozen=True)
class FreeText:
    key: str
    label: Text
    help: Text | None
    max_length: int


@dataclass(frozen=True)
class Section:
    key: str
    title: Text
    intro: Text | None
    statements: tuple[Statement, ...]
    free_texts: tuple[FreeText, ...]

    def text_fields(self, prefix: str) -> Iterator[tuple[str, Text]]:
        """The section's part of ``QuestionnaireSpec.text_fields``; ``prefix`` is its path."""
        yield f"{prefix}.title", self.title
        if self.intro:
            yield f"{prefix}.intro", self.intro
        for t, statement in enumerate(self.statements):
            yield f"{prefix}.statements.{t}.text", statement.text
        for f, free_text in enumerate(self.free_texts):
            yield f"{prefix}.free_texts.{f}.label", free_text.label
            if free_text.help:
                yield f"{prefix}.free_texts.{f}.help", free_text.help


@dataclass(frozen=True)
class QuestionnaireSpec:
    key: str
    version: int
    audience: str
    languages: tuple[str, ...]
    title: Text
    intro: Text | None
    thanks: Text | None
    scale: Scale
    importance: Scale | None
    sections: tuple[Section, ...]
    raw: Mapping[str, Any] = field(repr=False, compare=False)

    @property
    def statements(self) -> tuple[Statement, ...]:
        return tuple(s for section in self.sections for s in section.statements)

    @property
    def free_texts(self) -> tuple[FreeText, ...]:
        return tuple(f for section in self.sections for f in section.free_texts)

    def statement(self, key: str) -> Statement:
        for statement in self.statements:
            if statement.key == key:
                return statement
        raise KeyError(key)

    def checksum(self) -> str:
        return checksum(self.raw)

    def text_fields(self) -> Iterator[tuple[str, Text]]:
        """Every translatable text with its path, in reading order (for the text editor)."""
        yield "title", self.title
        if self.intro:
            yield "intro", self.intro
        for i, label in enumerate(self.scale.labels):
            yield f"scale.labels.{i}", label
        if self.scale.dont_know:
            yield "scale.dont_know", self.scale.dont_know
        if self.importance:
            if self.importance.question:
                yield "importance.question", self.importance.question
            for i, label in enumerate(self.importance.labels):
                yield f"importance.labels.{i}", label
        for s, section in enumerate(self.sections):
            yield from section.text_fields(f"sections.{s}")
        if self.thanks:
            yield "thanks", self.thanks


def checksum(raw: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(raw, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def load_file(path: Path) -> QuestionnaireSpec:
    with path.open("rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as exc:
            raise QuestionnaireError([f"{path.name}: {exc}"]) from None
    try:
        return parse(data)
    except QuestionnaireError as exc:
        raise QuestionnaireError([f"{path.name}: {p}" for p in exc.problems]) from None


def built_in_files(directory: Path = BUILT_IN_DIR) -> list[Path]:
    return sorted(directory.glob("*.toml"))


def parse(data: Mapping[str, Any]) -> QuestionnaireSpec:
    """Check a whole definition and build it; raise ``QuestionnaireError`` with every fault."""
    return _Parser(data).build()


def with_texts(raw: Mapping[str, Any], language: str, texts: Mapping[str, str]) -> dict[str, Any]:
    """A copy of a definition with some texts replaced in one language.

    ``texts`` maps the paths of ``QuestionnaireSpec.text_fields`` to new wording. Only
    wording changes: the structure (sections, statements, scale points) stays as it was.
    """
    copy: dict[str, Any] = json.loads(json.dumps(raw))
    for path, value in texts.items():
        node: Any = copy
        parts = path.split(".")
        for part in parts[:-1]:
            node = node[int(part)] if isinstance(node, list) else node[part]
        last = parts[-1]
        target = node[int(last)] if isinstance(node, list) else node[last]
        if not isinstance(target, dict):
            raise KeyError(path)
        target[language] = value
    return copy


def _is_key(value: str) -> bool:
    return value.replace("-", "").replace("_", "").isalnum() and value.isascii()


class _Parser:
    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.problems: list[str] = []
        self.languages: tuple[str, ...] = ()

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def build(self) -> QuestionnaireSpec:
        data = self.data
        key = self.string(data, "key", "key")
        if key and not _is_key(key):
            self.fail("key", "may hold only letters, digits, - and _")
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            self.fail("version", "must be a whole number from 1")
            version = 1
        audience = data.get("audience")
        if audience not in AUDIENCES:
            self.fail("audience", f"must be one of {', '.join(AUDIENCES)}")
        languages = data.get("languages")
        if (
            not isinstance(languages, list)
            or not languages
            or any(not isinstance(lang, str) or lang not in LANGUAGES for lang in languages)
            or DEFAULT_LANGUAGE not in languages
            or len(set(languages)) != len(languages)
        ):
            self.fail("languages", f"must list languages from {', '.join(LANGUAGES)}, with nb")
            languages = [DEFAULT_LANGUAGE]
        self.languages = tuple(languages)

        title = self.text(data, "title")
        intro = self.text(data, "intro", optional=True)
        thanks = self.text(data, "thanks", optional=True)
        scale = self.scale(data.get("scale"), "scale", dont_know_allowed=True)
        importance = None
        if "importance" in data:
            importance = self.scale(data["importance"], "importance", dont_know_allowed=False)
            if importance is not None and importance.question is None:
                self.fail("importance.question", "is required")
        sections = self.sections(data.get("sections"), importance is not None)
        if self.problems or scale is None or title is None:
            raise QuestionnaireError(self.problems or ["the definition is incomplete"])
        return QuestionnaireSpec(
            key=key,
            version=version,
            audience=str(audience),
            languages=self.languages,
            title=title,
            intro=intro,
            thanks=thanks,
            scale=scale,
            importance=importance,
            sections=sections,
            raw=dict(data),
        )

    def string(self, node: Mapping[str, Any], name: str, where: str) -> str:
        value = node.get(name)
        if not isinstance(value, str) or not value.strip():
            self.fail(where, "must be a non-empty text")
            return ""
        return value

    def key(self, node: Mapping[str, Any], where: str, seen: set[str]) -> str:
        value = self.string(node, "key", f"{where}.key")
        if value and not _is_key(value):
            self.fail(f"{where}.key", "may hold only letters, digits, - and _")
        if value in seen:
            self.fail(f"{where}.key", f"{value!r} is used twice")
        seen.add(value)
        return value

    def tables(self, node: Mapping[str, Any], name: str, where: str) -> list[Mapping[str, Any]]:
        items = node.get(name, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            self.fail(f"{where}.{name}", "must be a list of tables ([[…]])")
            return []
        return items

    def flag(self, node: Mapping[str, Any], name: str, where: str, *, default: bool) -> bool:
        value = node.get(name, default)
        if not isinstance(value, bool):
            self.fail(f"{where}.{name}", "must be true or false")
            return default
        return value

    def text(self, node: Mapping[str, Any], name: str, *, optional: bool = False) -> Text | None:
        return self.text_at(node.get(name), name, optional=optional)

    def text_at(self, value: Any, where: str, *, optional: bool = False) -> Text | None:
        if value is None and optional:
            return None
        if not isinstance(value, dict):
            self.fail(where, 'must give the text per language, e.g. nb = "…"')
            return None
        texts: dict[str, str] = {}
        for language in self.languages:
            wording = value.get(language)
            if not isinstance(wording, str) or not wording.strip():
                self.fail(f"{where}.{language}", "is missing")
            else:
                texts[language] = wording.strip()
        for extra in set(value) - set(self.languages):
            self.fail(f"{where}.{extra}", "is not one of the questionnaire's languages")
        return Text(texts)

    def scale(self, node: Any, where: str, *, dont_know_allowed: bool) -> Scale | None:
        if not isinstance(node, dict):
            self.fail(where, "is required")
            return None
        points = node.get("points")
        if not isinstance(points, int) or isinstance(points, bool):
            self.fail(f"{where}.points", "must be a whole number")
            return None
        if not MIN_POINTS <= points <= MAX_POINTS:
            self.fail(f"{where}.points", f"must be from {MIN_POINTS} to {MAX_POINTS}")
            return None
        labels_node = node.get("labels")
        labels: list[Text] = []
        if not isinstance(labels_node, list) or len(labels_node) != points:
            self.fail(f"{where}.labels", f"must list {points} labels, lowest first")
        else:
            for i, label in enumerate(labels_node):
                text = self.text_at(label, f"{where}.labels.{i}")
                if text is not None:
                    labels.append(text)
        dont_know = None
        if "dont_know" in node:
            if not dont_know_allowed:
                self.fail(f"{where}.dont_know", "is not asked on this scale")
            dont_know = self.text_at(node["dont_know"], f"{where}.dont_know")
        question = self.text_at(node.get("question"), f"{where}.question", optional=True)
        return Scale(points, tuple(labels), dont_know, question)

    def sections(self, node: Any, has_importance: bool) -> tuple[Section, ...]:
        if not isinstance(node, list) or not node:
            self.fail("sections", "must list at least one section")
            return ()
        sections = []
        number = 0
        section_keys: set[str] = set()
        item_keys: set[str] = set()
        for s, raw in enumerate(node):
            where = f"sections.{s}"
            if not isinstance(raw, dict):
                self.fail(where, "must be a table")
                continue
            key = self.key(raw, where, section_keys)
            title = self.text_at(raw.get("title"), f"{where}.title")
            intro = self.text_at(raw.get("intro"), f"{where}.intro", optional=True)
            statements = []
            for t, item in enumerate(self.tables(raw, "statements", where)):
                at = f"{where}.statements.{t}"
                number += 1
                text = self.text_at(item.get("text"), f"{at}.text")
                importance = self.flag(item, "importance", at, default=has_importance)
                if importance and not has_importance:
                    self.fail(f"{at}.importance", "needs an [importance] scale")
                statements.append(
                    Statement(
                        key=self.key(item, at, item_keys),
                        number=number,
                        text=text or Text({}),
                        required=self.flag(item, "required", at, default=False),
                        importance=importance,
                        index=number - 1,
                    )
                )
            free_texts = []
            for f, item in enumerate(self.tables(raw, "free_texts", where)):
                at = f"{where}.free_texts.{f}"
                max_length = item.get("max_length", DEFAULT_MAX_LENGTH)
                if (
                    not isinstance(max_length, int)
                    or isinstance(max_length, bool)
                    or not 1 <= max_length <= 10_000
                ):
                    self.fail(f"{at}.max_length", "must be a whole number from 1 to 10000")
                    max_length = DEFAULT_MAX_LENGTH
                free_texts.append(
                    FreeText(
                        key=self.key(item, at, item_keys),
                        label=self.text_at(item.get("label"), f"{at}.label") or Text({}),
                        help=self.text_at(item.get("help"), f"{at}.help", optional=True),
                        max_length=max_length,
                    )
                )
            if not statements and not free_texts:
                self.fail(where, "has neither statements nor free-text fields")
            sections.append(
                Section(key, title or Text({}), intro, tuple(statements), tuple(free_texts))
            )
        return tuple(sections)
