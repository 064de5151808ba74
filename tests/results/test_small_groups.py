"""No set of fewer than min_n respondents can be worked out from a round's computed results.

The promise is about people: not only a hidden group, but one unit's respondents with one
service, or any union of those, for every statement on its own (a group large enough in
respondents can be small for a statement most did not know about). The rounds are generated
small enough to try every set of atoms, and the attacker (attacker.py) shares no code with
medvirk.results: it reads which groups publish which figure from compute's output, counts the
answers per atom itself, and decides with exact arithmetic.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medvirk.results import compute

from .attacker import Atom, given_away
from .test_compute import QUESTIONNAIRE

# "Vet ikke" (0) and no answer (-) often, so statements' counts differ from the groups'.
SCORE = st.sampled_from("1234500--")
IMPORTANCE = st.sampled_from("12345--")
Case = tuple[list[compute.Group], compute.Answers, int]


@st.composite
def small_rounds(draw: st.DrawFn) -> Case:
    """Two to four units in up to two districts, up to three services, few respondents."""
    units = draw(st.integers(min_value=2, max_value=4))
    districts = {u: draw(st.sampled_from([None, 100, 101])) for u in range(units)}
    offered = [None, 7, 8]
    columns: tuple[list[int], list[int | None], list[str], list[str]] = ([], [], [], [])
    for unit in range(units):
        for service in draw(st.lists(st.sampled_from(offered), min_size=1, max_size=3)):
            for _ in range(draw(st.integers(min_value=0, max_value=6))):
                columns[0].append(unit)
                columns[1].append(service)
                columns[2].append("".join(draw(st.lists(SCORE, min_size=3, max_size=3))))
                columns[3].append("".join(draw(st.lists(IMPORTANCE, min_size=3, max_size=3))))
    everyone = frozenset(range(units))
    groups = [compute.Group("area", "area", "Area", everyone)]
    for district in sorted({d for d in districts.values() if d is not None}):
        members = frozenset(u for u, d in districts.items() if d == district)
        groups.append(compute.Group(f"district-{district}", "district", "D", members))
    groups += [compute.Group(f"unit-{u}", "unit", "U", frozenset([u])) for u in range(units)]
    groups += [
        compute.Group(f"service-{s}", "service", "S", everyone, service=(s,)) for s in offered
    ]
    answers = compute.Answers(*columns)
    return groups, answers, draw(st.integers(min_value=3, max_value=5))


def atoms_of(group: compute.Group) -> set[tuple[int, int | None]]:
    services = [None, 7, 8] if group.service is None else list(group.service)
    return {(unit, service) for unit in group.units for service in services}


def per_atom(answers: compute.Answers, rows: Iterable[int]) -> Counter[tuple[int, int | None]]:
    """How many of these response rows each atom has."""
    return Counter((answers.units[i], answers.services[i]) for i in rows)


def rows_with(strings: Sequence[str], positions: Sequence[int]) -> list[int]:
    """The responses with an answer on the scale at any of these positions."""
    return [i for i, text in enumerate(strings) if any(text[p] in "12345" for p in positions)]


def figures_given_away(case: Case) -> list[tuple[str, list[frozenset[Atom]]]]:
    """Every kind of figure with the small sets of respondents it gives away."""
    groups, answers, min_n = case
    cells = compute.compute(
        audience="users",
        questionnaire=QUESTIONNAIRE,
        answers=answers,
        groups=groups,
        invited={},
        min_n=min_n,
    )
    shown = [c.figures for c in cells if c.figures is not None]
    atoms = [atoms_of(c.group) for c in cells if c.figures is not None]
    everyone = range(len(answers.units))
    # (figure, its count per atom, whether a shown group's figures include it)
    kinds: list[tuple[str, Counter[tuple[int, int | None]], Callable[[dict[str, Any]], bool]]] = [
        ("respondents", per_atom(answers, everyone), lambda f: True)
    ]
    for statement in QUESTIONNAIRE.statements:
        at = [statement.index]
        kinds.append(
            (
                f"statement {statement.key}",
                per_atom(answers, rows_with(answers.scores, at)),
                partial(item_has, statement.key, "n"),
            )
        )
        kinds.append(
            (
                f"importance {statement.key}",
                per_atom(answers, rows_with(answers.importance, at)),
                partial(item_has, statement.key, "imp"),
            )
        )
    for section in QUESTIONNAIRE.sections:
        kinds.append(
            (
                f"section {section.key}",
                per_atom(answers, rows_with(answers.scores, section.statements)),
                partial(section_has, section.key),
            )
        )
    leaks = []
    for name, weights, publishes in kinds:
        published = [a for a, figures in zip(atoms, shown, strict=True) if publishes(figures)]
        found = given_away(published, weights, min_n=min_n, limit=1)
        if found:
            leaks.append((name, found))
    return leaks


def item_has(key: str, figure: str, figures: dict[str, Any]) -> bool:
    return figure in figures["items"][key]


def section_has(key: str, figures: dict[str, Any]) -> bool:
    return "n" in figures["sections"][key]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_rounds())
def test_no_small_set_of_respondents_follows_from_any_published_figure(case: Case) -> None:
    assert figures_given_away(case) == []


# --- the attacker would find what it looks for ------------------------------------------------


def test_the_attacker_finds_a_service_minus_a_unit_that_has_only_that_service() -> None:
    """The issue's first shape: three units, seven respondents, min_n 3. Service S is shown
    across the units and so is unit 1, whose respondents all have S: S less unit 1 is the one
    respondent at unit 2 who has S."""
    weights = Counter({(1, "S"): 3, (2, "S"): 1, (2, "T"): 2, (3, "T"): 1})
    published = [
        set(weights),  # the area
        {(1, "S")},  # unit 1
        {(2, "S"), (2, "T")},  # unit 2
        {(1, "S"), (2, "S")},  # service S
        {(2, "T"), (3, "T")},  # service T
    ]

    assert given_away(published, weights, min_n=3) == [frozenset({(2, "S")})]


def test_the_attacker_finds_two_hidden_units_that_a_district_leaves_together() -> None:
    weights = Counter({(1, None): 10, (2, None): 2, (3, None): 2})
    published = [set(weights), {(1, None)}]  # the district (= area) and its large unit

    assert given_away(published, weights, min_n=5) == [frozenset({(2, None), (3, None)})]


def test_the_attacker_finds_nothing_when_only_large_sets_follow() -> None:
    weights = Counter({(1, None): 10, (2, None): 3, (3, None): 3})
    published = [set(weights), {(1, None)}]

    assert given_away(published, weights, min_n=5) == []
