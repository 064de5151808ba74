"""compute.py on generated rounds: every shown figure is the plain count of its answers, and
no hidden group's or statement's figures follow from the shown ones.

The attacker here is written from scratch (exact fractions), independent of disclosure.py:
for each statement it takes the groups that show it, and asks whether a hidden group's set
of respondents is a linear combination of theirs.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medvirk.results import compute

QUESTIONNAIRE = compute.Questionnaire(
    points=5,
    importance_points=5,
    statements=(
        compute.Statement("a", 0, True),
        compute.Statement("b", 1, True),
        compute.Statement("c", 2, False),
    ),
    sections=(compute.Section("one", (0, 1)), compute.Section("two", (2,))),
)
ANSWER = st.sampled_from("123450-")


@st.composite
def rounds(draw: st.DrawFn) -> tuple[list[compute.Group], compute.Answers, int]:
    units = draw(st.integers(min_value=2, max_value=6))
    districts = {u: draw(st.sampled_from([None, 100, 101])) for u in range(units)}
    services = [None, 7, 8]
    units_col: list[int] = []
    services_col: list[int | None] = []
    scores: list[str] = []
    for unit in range(units):
        for service in services:
            for _ in range(draw(st.integers(min_value=0, max_value=7))):
                units_col.append(unit)
                services_col.append(service)
                scores.append("".join(draw(st.lists(ANSWER, min_size=3, max_size=3))))
    everyone = frozenset(range(units))
    groups = [compute.Group("area", "area", "Area", everyone)]
    for district in {d for d in districts.values() if d is not None}:
        members = frozenset(u for u, d in districts.items() if d == district)
        groups.append(compute.Group(f"district-{district}", "district", "D", members))
    groups += [compute.Group(f"unit-{u}", "unit", "U", frozenset([u])) for u in range(units)]
    groups += [
        compute.Group(f"service-{s}", "service", "S", everyone, service=(s,)) for s in services
    ]
    answers = compute.Answers(units_col, services_col, scores, ["4" * 3] * len(scores))
    return groups, answers, draw(st.integers(min_value=3, max_value=6))


def members(group: compute.Group, answers: compute.Answers) -> list[int]:
    return [
        i
        for i, (unit, service) in enumerate(zip(answers.units, answers.services, strict=True))
        if unit in group.units and (group.service is None or service in group.service)
    ]


def in_span(target: Sequence[int], rows: Sequence[Sequence[int]]) -> bool:
    """Whether ``target`` is a linear combination of ``rows`` (exact Gaussian elimination)."""
    basis: list[tuple[int, list[Fraction]]] = []
    for row in [*rows, target]:
        vector = [Fraction(x) for x in row]
        for pivot, base in basis:
            if vector[pivot]:
                factor = vector[pivot] / base[pivot]
                vector = [v - factor * b for v, b in zip(vector, base, strict=True)]
        lead = next((i for i, v in enumerate(vector) if v), None)
        if row is target:
            return lead is None
        if lead is not None:
            basis.append((lead, vector))
    return False


def atom_vector(group: compute.Group, atoms: list[tuple[int, int | None]]) -> list[int]:
    return [
        int(unit in group.units and (group.service is None or service in group.service))
        for unit, service in atoms
    ]


def run(case: tuple[list[compute.Group], compute.Answers, int]) -> list[compute.CellResult]:
    groups, answers, min_n = case
    return compute.compute(
        audience="users",
        questionnaire=QUESTIONNAIRE,
        answers=answers,
        groups=groups,
        invited={},
        min_n=min_n,
    )


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(rounds())
def test_every_shown_figure_is_the_count_of_its_answers(case):
    groups, answers, _min_n = case
    for cell in run(case):
        if cell.figures is None:
            continue
        for statement in QUESTIONNAIRE.statements:
            entry = cell.figures["items"][statement.key]
            if "suppressed" in entry:
                continue
            given_answers = [
                answers.scores[i][statement.index] for i in members(cell.group, answers)
            ]
            points = [int(a) for a in given_answers if a in "12345"]
            assert (entry["n"], entry["total"], entry["dk"]) == (
                len(points),
                sum(points),
                given_answers.count("0"),
            )


@SETTINGS
@given(rounds())
def test_groups_and_statements_below_the_smallest_group_are_hidden(case):
    _groups, answers, min_n = case
    for cell in run(case):
        if 0 < cell.responses < min_n:
            assert cell.figures is None
        if cell.figures is None:
            continue
        for statement in QUESTIONNAIRE.statements:
            entry = cell.figures["items"][statement.key]
            if "n" in entry:
                assert entry["n"] == 0 or entry["n"] >= min_n


@SETTINGS
@given(rounds())
def test_no_hidden_statement_figure_follows_from_the_shown_ones(case):
    _groups, answers, _min_n = case
    atoms = sorted(
        {(u, s) for u, s in zip(answers.units, answers.services, strict=True)},
        key=repr,
    )
    cells = run(case)
    for statement in QUESTIONNAIRE.statements:
        shown = [
            c for c in cells if c.figures is not None and "n" in c.figures["items"][statement.key]
        ]
        hidden = [c for c in cells if c not in shown and c.responses > 0]
        rows = [atom_vector(c.group, atoms) for c in shown]
        for cell in hidden:
            assert not in_span(atom_vector(cell.group, atoms), rows), cell.group.key


def units_round(sizes: list[int], importance: str = "444") -> compute.Answers:
    units = [u for u, size in enumerate(sizes) for _ in range(size)]
    return compute.Answers(
        units, [None] * len(units), ["444"] * len(units), [importance] * len(units)
    )


def district_of(count: int) -> list[compute.Group]:
    everyone = frozenset(range(count))
    return [
        compute.Group("area", "area", "Area", everyone),
        compute.Group("district-1", "district", "D", everyone, district=1),
        *[
            compute.Group(f"unit-{u}", "unit", "U", frozenset([u]), district=1)
            for u in range(count)
        ],
    ]


def test_two_small_units_hidden_together_take_the_shown_one_with_them():
    answers = units_round([10, 2, 2])

    cells = compute.compute(
        audience="users",
        questionnaire=QUESTIONNAIRE,
        answers=answers,
        groups=district_of(3),
        invited={},
        min_n=5,
    )

    assert {c.group.key: c.suppressed for c in cells} == {
        "area": "",
        "district-1": "",
        "unit-0": "secondary",
        "unit-1": "primary",
        "unit-2": "primary",
    }


def test_importance_rated_by_too_few_is_left_out_of_a_shown_group():
    units = [0] * 7
    answers = compute.Answers(units, [None] * 7, ["444"] * 7, ["55-", "11-"] + ["---"] * 5)

    cells = compute.compute(
        audience="users",
        questionnaire=QUESTIONNAIRE,
        answers=answers,
        groups=[compute.Group("area", "area", "Area", frozenset([0]))],
        invited={},
        min_n=5,
    )

    (area,) = cells
    assert area.figures is not None
    assert "imp" not in area.figures["items"]["a"]
    assert area.figures["items"]["a"]["n"] == 7
