"""Secondary suppression: nothing suppressed can be computed from what is published.

The attackers here share no code with medvirk.results.disclosure: exact elimination over the
rationals with fractions.Fraction, a search for two data sets that publish the same figures, and
a brute force over sums and differences. The generated tables are service areas with districts,
units (some outside any district), service types and sometimes two audiences.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medvirk.results.disclosure import (
    Cell,
    Suppression,
    cell_count,
    derivable,
    exposed,
    primary,
    protect,
    suppress,
)
from medvirk.results.exposure import NotTwoHierarchies

from .attacker import given_away

AREA = ("area",)
Atom = tuple[str, str, str]
SparseRow = dict[int, Fraction]

generated = settings(max_examples=200, deadline=None)


@dataclass(frozen=True)
class Case:
    cells: tuple[Cell, ...]
    counts: dict[Hashable, int]
    min_n: int


def build_cells(
    districts: Mapping[str, Sequence[str]], loose: Sequence[str], counts: Mapping[Atom, int]
) -> list[Cell]:
    """Units, districts, the area and service types across it, per audience when there are two."""
    units = [*itertools.chain.from_iterable(districts.values()), *loose]
    types = sorted({atom[1] for atom in counts})
    audiences = sorted({atom[2] for atom in counts})
    by_unit = {unit: frozenset(atom for atom in counts if atom[0] == unit) for unit in units}
    cells = [Cell(("unit", unit), by_unit[unit]) for unit in units]
    cells += [
        Cell(("district", name), frozenset().union(*(by_unit[unit] for unit in members)))
        for name, members in districts.items()
    ]
    cells.append(Cell(AREA, frozenset(counts)))
    cells += [Cell(("type", kind), frozenset(a for a in counts if a[1] == kind)) for kind in types]
    if len(audiences) > 1:
        cells += [Cell(("area", a), frozenset(x for x in counts if x[2] == a)) for a in audiences]
        cells += [
            Cell(("type", kind, a), frozenset(x for x in counts if x[1:] == (kind, a)))
            for kind in types
            for a in audiences
        ]
    return cells


def hashable(counts: Mapping[Atom, int]) -> dict[Hashable, int]:
    return dict(counts.items())


def one_audience(units: Mapping[str, Mapping[str, int]]) -> dict[Atom, int]:
    return {(unit, kind, "users"): n for unit, kinds in units.items() for kind, n in kinds.items()}


def explicit(
    districts: Mapping[str, Sequence[str]],
    units: Mapping[str, Mapping[str, int]],
    loose: Sequence[str] = (),
) -> Case:
    counts = one_audience(units)
    return Case(tuple(build_cells(districts, loose, counts)), hashable(counts), 5)


COUNTS = st.one_of(st.just(0), st.integers(1, 4), st.integers(5, 40))


@st.composite
def hierarchies(
    draw: st.DrawFn,
    *,
    max_districts: int = 4,
    max_units: int = 5,
    max_loose: int = 3,
    max_types: int = 3,
    audiences: Sequence[tuple[str, ...]] = (("users",), ("users", "relatives")),
) -> Case:
    sizes = draw(st.lists(st.integers(1, max_units), min_size=1, max_size=max_districts))
    districts = {f"D{d}": [f"U{d}.{k}" for k in range(size)] for d, size in enumerate(sizes)}
    loose = [f"L{k}" for k in range(draw(st.integers(0, max_loose)))]
    kinds = [f"T{k}" for k in range(draw(st.integers(1, max_types)))]
    groups = draw(st.sampled_from(audiences))
    units = [*itertools.chain.from_iterable(districts.values()), *loose]
    counts = {(unit, kind, aud): draw(COUNTS) for unit in units for kind in kinds for aud in groups}
    return Case(
        tuple(build_cells(districts, loose, counts)), hashable(counts), draw(st.integers(3, 10))
    )


small_hierarchies = hierarchies(
    max_districts=2, max_units=2, max_loose=1, max_types=2, audiences=(("users",),)
).filter(lambda case: len(case.cells) <= 8)


def solve(case: Case) -> Suppression:
    small = primary(case.cells, case.counts, min_n=case.min_n)
    return suppress(case.cells, case.counts, primary=small, never=[AREA])


def vectors(case: Case) -> dict[Hashable, tuple[int, ...]]:
    """Each cell over the atoms with respondents: an empty atom is a known zero."""
    present = sorted((a for a, n in case.counts.items() if n > 0), key=repr)
    return {cell.key: tuple(int(a in cell.atoms) for a in present) for cell in case.cells}


def split(case: Case, result: Suppression) -> tuple[list[tuple[int, ...]], list[Hashable]]:
    rows = vectors(case)
    published = [rows[c.key] for c in case.cells if c.key not in result.suppressed]
    return published, sorted(result.suppressed, key=repr)


# --- The exact attacker: Gaussian elimination over the rationals ------------------------------


def eliminate(vector: SparseRow, echelon: Sequence[tuple[int, SparseRow]]) -> SparseRow:
    """What is left of a vector after removing each echelon row's pivot, in order."""
    left = dict(vector)
    for pivot, row in echelon:
        factor = left.get(pivot)
        if factor is None:
            continue
        for column, value in row.items():
            new = left.get(column, 0) - factor * value
            if new:
                left[column] = new
            else:
                left.pop(column, None)
    return left


def echelon_form(rows: Sequence[Sequence[int]]) -> list[tuple[int, SparseRow]]:
    """Row echelon form with pivots 1; each row is zero in the pivots of the rows before it."""
    echelon: list[tuple[int, SparseRow]] = []
    for row in rows:
        left = eliminate({j: Fraction(v) for j, v in enumerate(row) if v}, echelon)
        if left:
            pivot = min(left)
            echelon.append((pivot, {j: v / left[pivot] for j, v in left.items()}))
    return echelon


def in_span(target: Sequence[int], echelon: Sequence[tuple[int, SparseRow]]) -> bool:
    return not eliminate({j: Fraction(v) for j, v in enumerate(target) if v}, echelon)


def exposed_by_elimination(case: Case, result: Suppression) -> set[Hashable]:
    rows = vectors(case)
    published, hidden = split(case, result)
    echelon = echelon_form(published)
    return {key for key in hidden if in_span(rows[key], echelon)}


def invisible_change(
    echelon: Sequence[tuple[int, SparseRow]], width: int, rng: random.Random
) -> list[int]:
    """A random integer z with row · z = 0 for every echelon row: free columns at random, each
    pivot solved from its row, last row first (a row is zero in earlier rows' pivots)."""
    pivots = {pivot for pivot, _ in echelon}
    z = {j: Fraction(rng.randint(-1000, 1000)) for j in range(width) if j not in pivots}
    for pivot, row in reversed(echelon):
        z[pivot] = -sum((v * z[j] for j, v in row.items() if j != pivot), Fraction(0))
    scale = math.lcm(*(v.denominator for v in z.values()))
    return [int(z[j] * scale) for j in range(width)]


def second_world(case: Case, result: Suppression, rng: random.Random) -> list[int]:
    """A change of the atoms' figures that keeps every published figure and moves every
    suppressed one; a random change misses the few bad directions, so a few tries suffice."""
    rows = vectors(case)
    published, hidden = split(case, result)
    echelon = echelon_form(published)
    width = len(rows[AREA])
    change = [0] * width
    for _ in range(20):
        change = invisible_change(echelon, width, rng)
        if all(figure(rows[key], change) for key in hidden):
            return change
    return change


def figure(vector: Sequence[int], values: Sequence[int]) -> int:
    return sum(a * b for a, b in zip(vector, values, strict=True))


# --- Properties on generated service areas ----------------------------------------------------


@generated
@given(hierarchies())
def test_exact_elimination_derives_no_suppressed_cell(case: Case) -> None:
    assert exposed_by_elimination(case, solve(case)) == set()


@generated
@given(hierarchies(), st.randoms(use_true_random=False))
def test_two_data_sets_with_the_same_published_figures_differ_in_every_suppressed_cell(
    case: Case, rng: random.Random
) -> None:
    result = solve(case)
    rows = vectors(case)
    change = second_world(case, result, rng)
    first = [rng.randint(0, 50) + max(map(abs, change), default=0) for _ in change]
    second = [a + b for a, b in zip(first, change, strict=True)]
    published = [rows[c.key] for c in case.cells if c.key not in result.suppressed]
    hidden = [rows[key] for key in result.suppressed]

    assert [figure(v, first) for v in published] == [figure(v, second) for v in published]
    assert all(figure(v, first) != figure(v, second) for v in hidden)
    assert min(second, default=0) >= 0


@generated
@given(hierarchies())
def test_every_small_cell_is_primary_and_stays_suppressed(case: Case) -> None:
    result = solve(case)
    sizes = {c.key: sum(case.counts[a] for a in c.atoms) for c in case.cells}

    assert result.primary == {key for key, n in sizes.items() if 0 < n < case.min_n}
    assert result.primary <= result.suppressed
    assert all(sizes[key] >= case.min_n for key in result.secondary)


@generated
@given(hierarchies())
def test_the_area_is_suppressed_only_when_a_primary_cell_is_the_same_group(case: Case) -> None:
    result = solve(case)
    rows = vectors(case)

    assert AREA not in result.secondary or any(rows[k] == rows[AREA] for k in result.primary)


@generated
@given(hierarchies())
def test_cells_without_respondents_are_neither_primary_nor_secondary(case: Case) -> None:
    empty = {c.key for c in case.cells if cell_count(c, case.counts) == 0}

    assert empty & solve(case).suppressed == set()


@generated
@given(small_hierarchies)
def test_no_sum_or_difference_of_published_cells_gives_a_suppressed_cell(case: Case) -> None:
    rows = vectors(case)
    result = solve(case)
    published, hidden = split(case, result)
    signs = np.array(list(itertools.product((-1, 0, 1), repeat=len(published))), dtype=np.int64)
    matrix = np.array(published, dtype=np.int64).reshape(len(published), len(rows[AREA]))
    reachable = signs @ matrix
    found = [key for key in hidden if (reachable == np.array(rows[key])).all(axis=1).any()]

    assert found == []


@generated
@given(hierarchies(max_districts=3, max_units=3, max_loose=1, max_types=2), st.data())
def test_the_order_of_the_cells_does_not_change_the_result(case: Case, data: st.DataObject) -> None:
    shuffled = Case(tuple(data.draw(st.permutations(case.cells))), case.counts, case.min_n)

    assert solve(shuffled) == solve(case)


@generated
@given(hierarchies(max_districts=3, max_units=4, max_types=2), st.data())
def test_derivable_agrees_with_exact_elimination_on_any_suppression(
    case: Case, data: st.DataObject
) -> None:
    keys = [cell.key for cell in case.cells]
    hidden = frozenset(data.draw(st.sets(st.sampled_from(keys))))
    empty = {c.key for c in case.cells if cell_count(c, case.counts) == 0}
    exact = exposed_by_elimination(case, Suppression(hidden, frozenset())) - empty

    assert derivable(case.cells, case.counts, hidden) == exact


# --- Minimality on the common cases -----------------------------------------------------------


def test_nothing_small_suppresses_nothing() -> None:
    case = explicit({"D1": ["U1", "U2"]}, {"U1": {"T1": 7}, "U2": {"T1": 9}}, loose=[])

    assert solve(case) == Suppression(frozenset(), frozenset())


def test_one_small_unit_takes_the_smallest_other_unit_of_its_district() -> None:
    case = explicit(
        {"D1": ["U1", "U2", "U3"], "D2": ["U4", "U5"]},
        {
            "U1": {"T1": 1, "T2": 1},
            "U2": {"T1": 4, "T2": 3},
            "U3": {"T1": 5, "T2": 4},
            "U4": {"T1": 6, "T2": 2},
            "U5": {"T1": 3, "T2": 3},
        },
    )

    assert solve(case) == Suppression(frozenset({("unit", "U1")}), frozenset({("unit", "U2")}))


def test_two_small_units_in_a_district_protect_each_other() -> None:
    case = explicit(
        {"D1": ["U1", "U2", "U3"], "D2": ["U4", "U5"]},
        {
            "U1": {"T1": 1, "T2": 1},
            "U2": {"T1": 2, "T2": 1},
            "U3": {"T1": 5, "T2": 4},
            "U4": {"T1": 6, "T2": 2},
            "U5": {"T1": 3, "T2": 3},
        },
    )

    assert solve(case) == Suppression(frozenset({("unit", "U1"), ("unit", "U2")}), frozenset())


def test_a_district_of_two_units_keeps_the_district_and_hides_the_other_unit() -> None:
    case = explicit(
        {"D1": ["U1", "U2"], "D2": ["U3", "U4"]},
        {"U1": {"T1": 2}, "U2": {"T1": 8}, "U3": {"T1": 10}, "U4": {"T1": 12}},
    )
    result = solve(case)

    assert result == Suppression(frozenset({("unit", "U1")}), frozenset({("unit", "U2")}))
    assert ("district", "D1") not in result.suppressed


def test_a_small_service_type_hides_the_smallest_other_service_type() -> None:
    case = explicit(
        {"D1": ["U1", "U2"]},
        {
            "U1": {"T1": 1, "T2": 6, "T3": 8},
            "U2": {"T1": 1, "T2": 7, "T3": 9},
            "U3": {"T1": 0, "T2": 5, "T3": 10},
        },
        loose=["U3"],
    )

    assert solve(case) == Suppression(frozenset({("type", "T1")}), frozenset({("type", "T2")}))


def test_a_unit_that_is_the_same_group_as_a_small_service_type_is_protected_as_well() -> None:
    # U is all of T1's respondents and T1 is all of U's, though the atom sets differ.
    case = explicit(
        {"D1": ["U", "V", "W"]},
        {"U": {"T1": 2, "T2": 0}, "V": {"T1": 0, "T2": 10}, "W": {"T1": 0, "T2": 12}},
    )
    result = solve(case)

    assert result == Suppression(
        frozenset({("unit", "U"), ("type", "T1")}), frozenset({("unit", "V"), ("type", "T2")})
    )
    assert exposed_by_elimination(case, result) == set()


def test_an_all_small_district_hides_the_loose_unit_that_is_enough_alone() -> None:
    case = explicit(
        {"D1": ["U1", "U2"], "D2": ["U3", "U4"]},
        {
            "U1": {"T1": 1, "T2": 0},
            "U2": {"T1": 1, "T2": 1},
            "U3": {"T1": 5, "T2": 5},
            "U4": {"T1": 6, "T2": 6},
            "L": {"T1": 12, "T2": 13},
        },
        loose=["L"],
    )
    small = frozenset({("unit", "U1"), ("unit", "U2"), ("district", "D1")})

    assert solve(case) == Suppression(small, frozenset({("unit", "L")}))


def test_an_all_small_district_hides_the_other_district_and_one_unit_but_not_the_area() -> None:
    case = explicit(
        {"D1": ["U1", "U2"], "D2": ["U3", "U4"]},
        {"U1": {"T1": 1}, "U2": {"T1": 2}, "U3": {"T1": 10}, "U4": {"T1": 12}},
    )
    small = frozenset({("unit", "U1"), ("unit", "U2"), ("district", "D1")})

    assert solve(case) == Suppression(small, frozenset({("district", "D2"), ("unit", "U3")}))


def test_a_unit_without_respondents_is_neither_primary_nor_chosen_to_protect() -> None:
    case = explicit(
        {"D1": ["U0", "U1", "U2"], "D2": ["U3", "U4"]},
        {"U0": {"T1": 0}, "U1": {"T1": 2}, "U2": {"T1": 7}, "U3": {"T1": 9}, "U4": {"T1": 11}},
    )

    assert solve(case) == Suppression(frozenset({("unit", "U1")}), frozenset({("unit", "U2")}))


def test_a_cost_moves_the_choice_to_the_next_cheapest_sibling() -> None:
    case = explicit(
        {"D1": ["U1", "U2", "U3"], "D2": ["U4", "U5"]},
        {"U1": {"T1": 2}, "U2": {"T1": 7}, "U3": {"T1": 9}, "U4": {"T1": 12}, "U5": {"T1": 6}},
    )
    result = suppress(
        case.cells, case.counts, primary=[("unit", "U1")], cost={("unit", "U2"): 100.0}
    )

    assert result.secondary == {("unit", "U3")}


def test_the_area_is_hidden_when_it_is_the_same_group_as_a_primary_cell() -> None:
    # Every respondent has service type T1, which the caller treats as primary for its own reasons.
    case = explicit({"D1": ["U1"]}, {"U1": {"T1": 20, "T2": 0}})
    result = suppress(case.cells, case.counts, primary=[("type", "T1")], never=[AREA])

    assert result.secondary == {AREA, ("district", "D1"), ("unit", "U1")}


def renamed(case: Case, tag: str) -> Case:
    """The same table under other keys and atoms: another service area in the same call."""
    cells = tuple(
        Cell((tag, cell.key), frozenset((tag, atom) for atom in cell.atoms)) for cell in case.cells
    )
    return Case(cells, {(tag, atom): n for atom, n in case.counts.items()}, case.min_n)


def test_service_areas_that_share_no_respondents_are_protected_each_on_its_own() -> None:
    one = explicit({"D1": ["U1", "U2", "U3"]}, {"U1": {"T1": 2}, "U2": {"T1": 7}, "U3": {"T1": 9}})
    other = renamed(
        explicit(
            {"D1": ["U1", "U2"], "D2": ["U3"]}, {"U1": {"T1": 1}, "U2": {"T1": 8}, "U3": {"T1": 6}}
        ),
        "b",
    )
    both = Case(one.cells + other.cells, {**one.counts, **other.counts}, 5)
    small = primary(both.cells, both.counts, min_n=5)
    result = suppress(both.cells, both.counts, primary=small, never=[AREA, ("b", AREA)])

    assert result.secondary == {("unit", "U2"), ("b", ("unit", "U2"))}


# --- derivable and the edges of the API -------------------------------------------------------


def test_derivable_finds_a_unit_left_out_of_its_published_district() -> None:
    case = explicit({"D1": ["U1", "U2", "U3"]}, {"U1": {"T1": 2}, "U2": {"T1": 7}, "U3": {"T1": 9}})

    assert derivable(case.cells, case.counts, [("unit", "U1")]) == {("unit", "U1")}


def test_derivable_finds_nothing_when_a_sibling_is_hidden_too() -> None:
    case = explicit({"D1": ["U1", "U2", "U3"]}, {"U1": {"T1": 2}, "U2": {"T1": 7}, "U3": {"T1": 9}})

    assert derivable(case.cells, case.counts, [("unit", "U1"), ("unit", "U2")]) == set()


def test_a_cell_at_exactly_min_n_is_not_primary() -> None:
    case = explicit({"D1": ["U1", "U2"]}, {"U1": {"T1": 5}, "U2": {"T1": 4}})

    assert primary(case.cells, case.counts, min_n=5) == {("unit", "U2")}


def test_an_unknown_primary_key_is_an_error() -> None:
    case = explicit({"D1": ["U1"]}, {"U1": {"T1": 5}})

    with pytest.raises(ValueError, match="not in the table"):
        suppress(case.cells, case.counts, primary=[("unit", "nobody")])


def test_an_atom_without_a_count_is_an_error() -> None:
    case = explicit({"D1": ["U1"]}, {"U1": {"T1": 5}})

    with pytest.raises(KeyError, match="no respondent count"):
        suppress(case.cells, {}, primary=[("unit", "U1")])


def test_two_cells_with_the_same_key_are_an_error() -> None:
    cell = Cell(("unit", "U1"), frozenset({("U1", "T1", "users")}))

    with pytest.raises(ValueError, match="same key"):
        suppress([cell, cell], {("U1", "T1", "users"): 3}, primary=[("unit", "U1")])


# --- Small groups of respondents: exposed() and protect() -------------------------------------
#
# The attacker (attacker.py) tries every set of atoms small enough to matter against the span of
# the published cells, exactly. The tables are one audience: one hierarchy (area, districts,
# units) crossed with one classification (service types), the shape results are published in.

one_audience_tables = hierarchies(
    max_districts=2, max_units=3, max_loose=2, max_types=3, audiences=(("users",),)
).filter(lambda case: case.min_n <= 7)


def published_atoms(case: Case, suppressed: frozenset[Hashable]) -> list[frozenset[Hashable]]:
    return [cell.atoms for cell in case.cells if cell.key not in suppressed]


def protect_case(case: Case) -> Suppression:
    return protect(case.cells, case.counts, min_n=case.min_n, never=[AREA])


@generated
@given(one_audience_tables, st.data())
def test_exposed_finds_a_small_set_exactly_when_the_attacker_does(
    case: Case, data: st.DataObject
) -> None:
    keys = [cell.key for cell in case.cells]
    hidden = frozenset(data.draw(st.sets(st.sampled_from(keys))))
    brute = given_away(published_atoms(case, hidden), case.counts, min_n=case.min_n)

    found = exposed(case.cells, case.counts, hidden, min_n=case.min_n)

    assert bool(found) == bool(brute)


@generated
@given(one_audience_tables, st.data())
def test_what_exposed_names_is_small_and_follows_from_the_published_cells(
    case: Case, data: st.DataObject
) -> None:
    keys = [cell.key for cell in case.cells]
    hidden = frozenset(data.draw(st.sets(st.sampled_from(keys))))
    found = exposed(case.cells, case.counts, hidden, min_n=case.min_n)
    present = [a for a in sorted(case.counts, key=repr) if case.counts[a]]
    published = [[int(a in atoms) for a in present] for atoms in published_atoms(case, hidden)]

    assert not found or 0 < sum(case.counts[a] for a in found) < case.min_n
    assert not found or in_span([int(a in found) for a in present], echelon_form(published))


@generated
@given(one_audience_tables)
def test_after_protect_no_set_of_fewer_than_min_n_respondents_follows(case: Case) -> None:
    result = protect_case(case)

    assert given_away(published_atoms(case, result.suppressed), case.counts, min_n=case.min_n) == []


@generated
@given(one_audience_tables)
def test_after_protect_no_hidden_cell_follows_either(case: Case) -> None:
    result = protect_case(case)

    assert exposed_by_elimination(case, result) == set()


@generated
@given(one_audience_tables)
def test_protect_hides_every_small_cell(case: Case) -> None:
    result = protect_case(case)
    sizes = {c.key: sum(case.counts[a] for a in c.atoms) for c in case.cells}

    assert {key for key, n in sizes.items() if 0 < n < case.min_n} <= result.suppressed


def test_a_service_less_a_unit_that_has_only_that_service_is_protected() -> None:
    """Three units, seven respondents, min_n 3: service S less unit 1 (all of whom have S)
    would be the one respondent with S at unit 2."""
    counts: dict[Hashable, int] = {("U1", "S"): 3, ("U2", "S"): 1, ("U2", "T"): 2, ("U3", "T"): 1}
    cells = [
        Cell(AREA, frozenset(counts)),
        Cell(("unit", "U1"), frozenset({("U1", "S")})),
        Cell(("unit", "U2"), frozenset({("U2", "S"), ("U2", "T")})),
        Cell(("unit", "U3"), frozenset({("U3", "T")})),
        Cell(("type", "S"), frozenset({("U1", "S"), ("U2", "S")})),
        Cell(("type", "T"), frozenset({("U2", "T"), ("U3", "T")})),
    ]
    before = exposed(cells, counts, {("unit", "U3")}, min_n=3)

    result = protect(cells, counts, min_n=3, never=[AREA])

    assert before == {("U2", "S")}
    assert exposed(cells, counts, result.suppressed, min_n=3) == frozenset()
    assert (
        given_away([c.atoms for c in cells if c.key not in result.suppressed], counts, min_n=3)
        == []
    )


def test_two_small_units_that_a_district_leaves_together_take_the_third_with_them() -> None:
    case = explicit(
        {"D": ["big", "small1", "small2"]},
        {"big": {"T": 10}, "small1": {"T": 2}, "small2": {"T": 2}},
    )

    result = protect(case.cells, case.counts, min_n=5, never=[AREA])

    assert result.suppressed == {("unit", "big"), ("unit", "small1"), ("unit", "small2")}


def test_a_statement_few_answered_in_two_hidden_units_hides_more_than_the_groups_need() -> None:
    """Enough respondents for the units to be hidden in pairs, but for one statement the two
    hidden units together have four answers: the district less its shown units gives them."""
    groups = explicit(
        {"D": ["big", "small1", "small2"]},
        {"big": {"T": 10}, "small1": {"T": 3}, "small2": {"T": 3}},
    )
    answered: dict[Hashable, int] = {
        ("small1", "T", "users"): 2,
        ("small2", "T", "users"): 2,
        ("big", "T", "users"): 9,
    }

    by_groups = protect(groups.cells, groups.counts, min_n=5, never=[AREA])
    by_statement = protect(
        groups.cells, answered, min_n=5, hidden=by_groups.suppressed, never=[AREA]
    )

    assert by_groups.suppressed == {("unit", "small1"), ("unit", "small2")}
    assert ("unit", "big") in by_statement.suppressed


def test_exposed_refuses_a_table_that_is_not_two_hierarchies() -> None:
    counts = {("U1", "T", "users"): 6, ("U1", "T", "relatives"): 6, ("U2", "T", "users"): 6}
    counts |= {("U2", "T", "relatives"): 1, ("U1", "S", "users"): 6, ("U2", "S", "relatives"): 6}
    cells = build_cells({"D": ["U1", "U2"]}, [], counts)

    with pytest.raises(NotTwoHierarchies):
        exposed(cells, hashable(counts), set(), min_n=5)
