"""From a round's responses to the figures of every group, with disclosure control.

No Django here: ``services.results_compute`` reads the database and hands this module plain
arrays and lists; this module gives back one ``CellResult`` per group and audience, ready to
store. Everything is additive, so the work is one pass over the responses (numpy
``bincount`` per statement into "atoms", the finest groups: one unit's respondents with one
service) and then sums of atoms for every group.

Figures of a shown group (``CellResult.figures``)::

    {"items": {statement key: {"n", "total", "total_sq", "counts": [per point], "dk",
                                "imp": [n, total, total_sq]}
                             or {"suppressed": "primary" | "secondary"}},
     "sections": {section key: {"n", "total", "total_sq"} or {"suppressed": ...}},
     "change": {statement or "section:" + key: {"diff", "low", "high", "significant"}}}

A section's index is the mean over respondents of each one's mean answer in that section
(answers on the scale only). Disclosure control (disclosure.protect) runs on the atoms'
respondent counts, then again for every statement, importance question and section with the
atoms' own counts of answers to it, starting from what the groups hide.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy

from . import analysis, disclosure

NO_ANSWER = ord("-")
DONT_KNOW = ord("0")


@dataclass(frozen=True)
class Statement:
    key: str
    index: int  # position in a response's answer string
    importance: bool


@dataclass(frozen=True)
class Section:
    key: str
    statements: tuple[int, ...]  # answer-string positions


@dataclass(frozen=True)
class Questionnaire:
    points: int
    importance_points: int
    statements: tuple[Statement, ...]
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Group:
    """A group that gets figures: its key, level, what it is, and the units it holds.

    ``service`` is set for a service-across-the-area group: then only respondents with that
    service count (``None`` inside ``service`` for "service not given").
    """

    key: str
    level: str
    name: str
    units: frozenset[int]
    unit: int | None = None
    district: int | None = None
    service: tuple[int | None] | None = None


@dataclass(frozen=True)
class Answers:
    """One audience's responses: unit, service and the answer strings, one row each."""

    units: Sequence[int]
    services: Sequence[int | None]
    scores: Sequence[str]
    importance: Sequence[str]


@dataclass
class CellResult:
    audience: str
    group: Group
    invited: int | None
    responses: int
    suppressed: str  # "", "primary", "secondary"
    figures: dict[str, Any] | None = None


@dataclass
class _Atoms:
    """Additive figures per atom (unit, service): arrays with the atom first."""

    keys: list[tuple[int, int | None]]
    respondents: numpy.ndarray  # (A,)
    counts: numpy.ndarray  # (A, statements, points + 2): don't know, 1..points, no answer
    importance: numpy.ndarray  # (A, statements, 3): n, total, total_sq
    sections: numpy.ndarray  # (A, sections, 3): n, total, total_sq of respondents' means
    index: dict[tuple[int, int | None], int] = field(default_factory=dict)


def compute(
    *,
    audience: str,
    questionnaire: Questionnaire,
    answers: Answers,
    groups: Sequence[Group],
    invited: Mapping[str, int | None],
    min_n: int,
    previous: Mapping[str, Mapping[str, Any] | None] | None = None,
) -> list[CellResult]:
    """Every group's figures for one audience, suppressed where they must be.

    ``invited`` is by group key; ``previous`` maps a group key to the figures of the same
    group in the round compared with (None where it was suppressed there).
    """
    atoms = _atoms(questionnaire, answers)
    sums = {group.key: _sums(atoms, _atoms_of(group, atoms)) for group in groups}
    guard = _Guard(groups, atoms, min_n)
    respondents = {key: total.respondents for key, total in sums.items()}
    groups_primary = guard.small(respondents)
    groups_hidden = guard.protect(frozenset(), atoms.respondents)

    # Statements, importance and sections, each with its own count of answers per atom, in
    # groups that are shown: a group can be large enough while few answered one statement.
    def own(per_atom: numpy.ndarray, per_group: Mapping[str, int]) -> Protection:
        small = guard.small(per_group) - groups_hidden
        return small, guard.protect(groups_hidden, per_atom)

    statements = _range(questionnaire)
    items = [
        own(atoms.counts[:, s, 1:-1].sum(axis=1), {k: int(t.item_n[s]) for k, t in sums.items()})
        for s in statements
    ]
    importance = [
        own(atoms.importance[:, s, 0], {k: int(t.importance[s, 0]) for k, t in sums.items()})
        for s in statements
    ]
    sections = [
        own(atoms.sections[:, s, 0], {k: int(t.section_n[s]) for k, t in sums.items()})
        for s in range(len(questionnaire.sections))
    ]

    results = []
    for group in groups:
        total = sums[group.key]
        if group.key in groups_hidden:
            state = "primary" if group.key in groups_primary else "secondary"
            results.append(
                CellResult(audience, group, invited.get(group.key), total.respondents, state)
            )
            continue
        figures = _figures(questionnaire, total, group.key, items, importance, sections)
        before = (previous or {}).get(group.key)
        if before is not None:
            figures["change"] = changes(figures, before)
        results.append(
            CellResult(audience, group, invited.get(group.key), total.respondents, "", figures)
        )
    return results


def _range(questionnaire: Questionnaire) -> range:
    return range(len(questionnaire.statements))


Protection = tuple[frozenset[str], frozenset[str]]  # (too few here, hidden)


class _Guard:
    """Which groups to hide for one kind of figure, given each atom's count of answers.

    disclosure.protect hides the groups below the smallest group and whatever would let anyone
    work out the figures of fewer people than that: a hidden group, one unit's respondents with
    one service, or any union of those (such as everyone with a service outside the shown units,
    or two hidden units together). Kinds of figure with the same counts per atom share the work.
    """

    def __init__(self, groups: Sequence[Group], atoms: _Atoms, min_n: int) -> None:
        self.min_n = min_n
        self.cells = [
            disclosure.Cell(group.key, frozenset(_atoms_of(group, atoms))) for group in groups
        ]
        self.never = [group.key for group in groups if group.level == "area"]
        self.cache: dict[tuple[frozenset[str], tuple[int, ...]], frozenset[str]] = {}

    def small(self, counts: Mapping[str, int]) -> frozenset[str]:
        return frozenset(key for key, n in counts.items() if 0 < n < self.min_n)

    def protect(self, start: frozenset[str], per_atom: numpy.ndarray) -> frozenset[str]:
        weights = tuple(int(n) for n in per_atom)
        key = (start, weights)
        if key not in self.cache:
            found = disclosure.protect(
                self.cells,
                dict(enumerate(weights)),
                min_n=self.min_n,
                hidden=start,
                never=self.never,
            )
            self.cache[key] = frozenset(str(k) for k in found.suppressed)
        return self.cache[key]


def _atoms(questionnaire: Questionnaire, answers: Answers) -> _Atoms:
    count = len(answers.scores)
    keys: list[tuple[int, int | None]] = []
    index: dict[tuple[int, int | None], int] = {}
    ids = numpy.empty(count, dtype=numpy.int64)
    for row, atom in enumerate(zip(answers.units, answers.services, strict=True)):
        found = index.get(atom)
        if found is None:
            found = index[atom] = len(keys)
            keys.append(atom)
        ids[row] = found
    size = len(keys)
    width = max((s.index for s in questionnaire.statements), default=-1) + 1
    scores = _matrix(answers.scores, count, width)
    importance = _matrix(answers.importance, count, width)
    points = questionnaire.points
    respondents = numpy.bincount(ids, minlength=size)

    statements = len(questionnaire.statements)
    counts = numpy.zeros((size, statements, points + 2), dtype=numpy.int64)
    imp = numpy.zeros((size, statements, 3), dtype=numpy.float64)
    for s, statement in enumerate(questionnaire.statements):
        column = scores[:, statement.index]
        # 0 don't know, 1..points the scale, points + 1 no answer (or anything else).
        code = numpy.where(column == DONT_KNOW, 0, column - DONT_KNOW)
        code = numpy.where((code >= 0) & (code <= points), code, points + 1)
        counts[:, s, :] = numpy.bincount(
            ids * (points + 2) + code, minlength=size * (points + 2)
        ).reshape(size, points + 2)
        if statement.importance:
            rated = importance[:, statement.index] - DONT_KNOW
            valid = (rated >= 1) & (rated <= questionnaire.importance_points)
            values = numpy.where(valid, rated, 0).astype(numpy.float64)
            imp[:, s, 0] = numpy.bincount(ids, weights=valid, minlength=size)
            imp[:, s, 1] = numpy.bincount(ids, weights=values, minlength=size)
            imp[:, s, 2] = numpy.bincount(ids, weights=values * values, minlength=size)

    sections = numpy.zeros((size, len(questionnaire.sections), 3), dtype=numpy.float64)
    on_scale = (scores > DONT_KNOW) & (scores <= DONT_KNOW + points)
    values = numpy.where(on_scale, scores - DONT_KNOW, 0).astype(numpy.float64)
    for s, section in enumerate(questionnaire.sections):
        columns = list(section.statements)
        answered = on_scale[:, columns].sum(axis=1)
        has = answered > 0
        mean = numpy.divide(
            values[:, columns].sum(axis=1), answered, out=numpy.zeros(count), where=has
        )
        sections[:, s, 0] = numpy.bincount(ids, weights=has, minlength=size)
        sections[:, s, 1] = numpy.bincount(ids, weights=mean, minlength=size)
        sections[:, s, 2] = numpy.bincount(ids, weights=mean * mean, minlength=size)
    return _Atoms(keys, respondents, counts, imp, sections, index)


def _matrix(strings: Sequence[str], count: int, width: int) -> numpy.ndarray:
    """Answer strings as a (responses, width) array of character codes, "-" where short."""
    if count == 0 or width == 0:
        return numpy.full((count, width), NO_ANSWER, dtype=numpy.int16)
    padded = "".join(text[:width].ljust(width, "-") for text in strings)
    return (
        numpy.frombuffer(padded.encode("ascii"), dtype=numpy.uint8)
        .reshape(count, width)
        .astype(numpy.int16)
    )


def _atoms_of(group: Group, atoms: _Atoms) -> list[int]:
    return [
        i
        for i, (unit, service) in enumerate(atoms.keys)
        if unit in group.units and (group.service is None or service in group.service)
    ]


@dataclass
class _Sums:
    respondents: int
    counts: numpy.ndarray  # (statements, points + 2)
    importance: numpy.ndarray  # (statements, 3)
    sections: numpy.ndarray  # (sections, 3)

    @property
    def item_n(self) -> numpy.ndarray:
        per_statement: numpy.ndarray = self.counts[:, 1:-1].sum(axis=1)
        return per_statement

    @property
    def section_n(self) -> numpy.ndarray:
        return self.sections[:, 0]


def _sums(atoms: _Atoms, members: Iterable[int]) -> _Sums:
    chosen = list(members)
    return _Sums(
        respondents=int(atoms.respondents[chosen].sum()),
        counts=atoms.counts[chosen].sum(axis=0),
        importance=atoms.importance[chosen].sum(axis=0),
        sections=atoms.sections[chosen].sum(axis=0),
    )


def _figures(
    questionnaire: Questionnaire,
    total: _Sums,
    key: str,
    items: Sequence[Protection],
    importance: Sequence[Protection],
    sections: Sequence[Protection],
) -> dict[str, Any]:
    """One shown group's figures; ``items`` & co. are (too few here, hidden) per figure."""
    points = numpy.arange(1, questionnaire.points + 1)
    out_items: dict[str, Any] = {}
    for s, statement in enumerate(questionnaire.statements):
        small, hidden = items[s]
        if key in hidden:
            out_items[statement.key] = {"suppressed": _state(key, small)}
            continue
        scale = total.counts[s, 1:-1]
        entry: dict[str, Any] = {
            "n": int(scale.sum()),
            "total": int((scale * points).sum()),
            "total_sq": int((scale * points * points).sum()),
            "counts": [int(c) for c in scale],
            "dk": int(total.counts[s, 0]),
        }
        if statement.importance and key not in importance[s][1]:
            n, s1, s2 = total.importance[s]
            entry["imp"] = [int(n), int(s1), int(s2)]
        out_items[statement.key] = entry
    out_sections: dict[str, Any] = {}
    for s, section in enumerate(questionnaire.sections):
        small, hidden = sections[s]
        if key in hidden:
            out_sections[section.key] = {"suppressed": _state(key, small)}
            continue
        n, s1, s2 = total.sections[s]
        out_sections[section.key] = {"n": int(n), "total": float(s1), "total_sq": float(s2)}
    return {"items": out_items, "sections": out_sections}


def _state(key: str, small: frozenset[str]) -> str:
    return "primary" if key in small else "secondary"


def item_stats(entry: Mapping[str, Any]) -> analysis.ItemStats:
    """A stored statement entry as the analysis module's additive figures."""
    imp = entry.get("imp", [0, 0, 0])
    return analysis.ItemStats(
        n=entry["n"],
        total=entry["total"],
        total_sq=entry["total_sq"],
        counts=tuple(entry["counts"]),
        dont_know=entry["dk"],
        imp_n=imp[0],
        imp_total=imp[1],
        imp_total_sq=imp[2],
    )


def section_estimate(entry: Mapping[str, Any]) -> analysis.Estimate:
    return analysis.estimate(entry["n"], entry["total"], entry["total_sq"])


def changes(figures: Mapping[str, Any], before: Mapping[str, Any]) -> dict[str, Any]:
    """Change since the previous round for each statement and section both rounds show."""
    out: dict[str, Any] = {}
    for key, entry in figures["items"].items():
        old = before.get("items", {}).get(key)
        if "n" in entry and old is not None and "n" in old:
            out[key] = _change(
                analysis.estimate(entry["n"], entry["total"], entry["total_sq"]),
                analysis.estimate(old["n"], old["total"], old["total_sq"]),
            )
    for key, entry in figures["sections"].items():
        old = before.get("sections", {}).get(key)
        if "n" in entry and old is not None and "n" in old:
            out["section:" + key] = _change(section_estimate(entry), section_estimate(old))
    return {key: value for key, value in out.items() if value is not None}


def _change(current: analysis.Estimate, previous: analysis.Estimate) -> dict[str, Any] | None:
    found = analysis.difference(current, previous)
    if found.diff is None:
        return None
    return {
        "diff": found.diff,
        "low": found.low,
        "high": found.high,
        "significant": found.significant,
    }
