"""Secondary (complementary) cell suppression, so that no suppressed figure can be derived.

The invitation letter promises that nobody at a unit sees single answers. Suppressing the groups
smaller than ``min_n`` (primary suppression) is not enough: a district's figures minus those of its
other units give the missing unit's figures, and the same holds across service types, audiences and
groups that happen to hold the same respondents. This module decides which further cells to hide.

The model, in the terms used below:

* An *atom* is a finest group of respondents, such as (unit, service type, audience). Its
  respondent count is public, because response counts are published.
* A *cell* is a published group: a set of atoms. Every answer figure of a cell (count per scale
  point, sum of scores, sum of squares, valid answers) is the sum of that figure over its atoms,
  so each figure is the cell's 0/1 indicator vector times the atoms' (unknown) figures.
* The attacker knows every cell's atoms, every atom's count and the published cells' figures.
  Atoms with no respondents are known to contribute 0, so they are dropped from every vector.
  A suppressed cell is *derivable* when its vector is a linear combination, with any real
  coefficients, of the published cells' vectors. That covers every chain of sums and
  differences, not just one subtraction.

The approach follows SSB's GaussSuppression (Langsrud, Statistics Norway; the R packages
SSBtools/GaussSuppression, https://github.com/statisticsnorway/ssb-gausssuppression): treat
suppression as linear algebra on the cell-by-atom matrix instead of enumerating hierarchies. The
choice of secondary cells differs: here it is a greedy repair per derivable cell, which keeps the
cheapest sibling that is enough on its own, and every suppressed cell (secondary ones too) ends up
non-derivable, not only the primary ones.

The cell-by-atom matrix and the span checks live in disclosure_matrix.py, the greedy repair
loop in disclosure_repair.py. Pure Python and numpy; nothing here knows about Django.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from . import exposure
from .disclosure_matrix import (
    SuppressionError,
    Table,
    atom_count,
    components,
    compressed,
    derivable_rows,
)
from .disclosure_repair import Greedy

# Raised whenever the guarantee grows, so results computed under an older one are recomputed:
# 1 protected hidden cells; 2 protects every set of fewer than min_n respondents, per statement.
VERSION = 2


@dataclass(frozen=True)
class Cell:
    """A published group of respondents: its key and the atoms it is made of."""

    key: Hashable  # e.g. ("unit", 17) or ("area", 3, "users")
    atoms: frozenset[Hashable]


@dataclass(frozen=True)
class Suppression:
    """Which cells to hide: primary (too small) and secondary (hidden to protect the others)."""

    primary: frozenset[Hashable]
    secondary: frozenset[Hashable]

    @property
    def suppressed(self) -> frozenset[Hashable]:
        """Every cell whose figures must not be shown, whatever the reason."""
        return self.primary | self.secondary


def cell_count(cell: Cell, counts: Mapping[Hashable, int]) -> int:
    """Respondents in a cell: the sum over its atoms, because atoms partition the respondents."""
    return sum(atom_count(counts, atom) for atom in cell.atoms)


def primary(
    cells: Iterable[Cell], counts: Mapping[Hashable, int], *, min_n: int
) -> frozenset[Hashable]:
    """Cells with 0 < n < ``min_n``.

    A cell without respondents has no figures to hide (its counts are published), so it is not
    primary even though 0 < ``min_n``.
    """
    if min_n < 1:
        raise ValueError(f"min_n must be at least 1, not {min_n}")
    return frozenset(cell.key for cell in cells if 0 < cell_count(cell, counts) < min_n)


def suppress(
    cells: Sequence[Cell],
    counts: Mapping[Hashable, int],
    *,
    primary: Iterable[Hashable],
    cost: Mapping[Hashable, float] | None = None,
    never: Iterable[Hashable] = (),
) -> Suppression:
    """Choose secondary cells so that no suppressed cell is derivable from the published ones.

    The loop takes the derivable suppressed cells one at a time (primary ones first, then the
    cheapest) and hides one more published cell per round, so it ends:

    * If some published cells are each enough on their own to make the cell non-derivable, it
      hides one of them: the cheapest per derivable cell it protects, so that one district that
      protects three cells beats a unit that protects one and the district again later. Such a
      cell takes part in every way of computing the derivable one, so it is a sibling, a parent
      or another split of the same respondents.
    * Otherwise (the cell can be computed in two independent ways, such as a total that is also
      the sum of its parts) it hides a cell that takes part in computing it: the one that costs
      least together with the cheapest cell that is then enough. Then it looks again.

    ``cost`` says how much it hurts to hide a cell; a cell missing from it costs its respondent
    count, so by default the smallest groups are hidden. Ties go to the smaller ``repr(key)``, and
    the input order of ``cells`` does not matter, so the same table always gives the same result.

    Cells in ``never`` (typically the grand total) are hidden only when nothing else can protect a
    primary cell, that is when a primary cell can be computed from the ``never`` cells alone. For
    the same reason the loop does not choose a secondary cell that the ``never`` cells would give
    away. A cell in both ``primary`` and ``never`` is suppressed: the promise wins.

    Cells without respondents are never chosen (they protect nothing) and need no protection.
    Primary keys with no respondents are still reported as primary, because the caller asked.
    """
    table = Table.build(cells, counts)
    primary_keys = frozenset(primary)
    never_keys = frozenset(never)
    table.require_known(primary_keys, "primary")
    table.require_known(never_keys, "never")

    suppressed = table.mask(primary_keys)
    never_mask = table.mask(never_keys)
    costs = table.costs(cost)
    secondary: list[int] = []
    for rows in components(table.matrix, suppressed & table.nonzero):
        y = compressed(table.matrix[rows])
        hidden = suppressed[rows]
        chosen = Greedy(y, hidden, never_mask[rows], costs[rows]).protect()
        hidden[chosen] = True
        # The same check as derivable(), on the same part, but computed from scratch: it shares
        # nothing with the tableau the loop relied on.
        leaks = rows[derivable_rows(y, hidden)]
        if leaks.size:
            names = ", ".join(repr(table.keys[i]) for i in leaks)
            raise SuppressionError(f"secondary suppression left these cells derivable: {names}")
        secondary.extend(int(rows[i]) for i in chosen)
    return Suppression(primary_keys, frozenset(table.keys[i] for i in secondary))


def derivable(
    cells: Sequence[Cell], counts: Mapping[Hashable, int], suppressed: Iterable[Hashable]
) -> frozenset[Hashable]:
    """The suppressed cells an attacker can compute exactly from the published ones.

    A cell without respondents is never reported: its figures are all zero and everybody knows
    that from the published counts, so there is nothing to derive.
    """
    table = Table.build(cells, counts)
    keys = frozenset(suppressed)
    table.require_known(keys, "suppressed")
    hidden = table.mask(keys)
    leaks: list[int] = []
    for rows in components(table.matrix, hidden & table.nonzero):
        leaks.extend(
            int(i) for i in rows[derivable_rows(compressed(table.matrix[rows]), hidden[rows])]
        )
    return frozenset(table.keys[i] for i in leaks)


def protect(
    cells: Sequence[Cell],
    counts: Mapping[Hashable, int],
    *,
    min_n: int,
    hidden: Iterable[Hashable] = (),
    cost: Mapping[Hashable, float] | None = None,
    never: Iterable[Hashable] = (),
) -> Suppression:
    """Which cells to hide so that no set of fewer than ``min_n`` respondents is given away.

    ``counts`` are the atoms' counts for one kind of figure: respondents for a group's figures,
    or the answers to one statement (so a group big enough in respondents can be too small for a
    statement that many did not know). Three things then hold at once:

    * every cell with 0 < n < ``min_n`` is hidden (``primary``), and so is everything in
      ``hidden`` (cells hidden already for another reason, such as the whole group);
    * no hidden cell can be computed from the published ones (``suppress``);
    * no set of respondents with 0 < n < ``min_n`` — a hidden cell, one atom, or any union of
      atoms — can be computed from them either (``exposed``).

    The loop alternates: ``suppress`` protects what is hidden; then, while some small set is
    given away, the cheapest cell (or pair of cells) whose hiding takes that way apart is hidden
    and ``suppress`` runs again. ``cost`` and ``never`` mean what they mean for ``suppress``.
    The result is checked from scratch before it is returned.
    """
    small = primary(cells, counts, min_n=min_n)
    keys = frozenset(cell.key for cell in cells)
    unknown = frozenset(hidden) - keys
    if unknown:
        raise ValueError(
            f"hidden names cells that are not in the table: {sorted(map(repr, unknown))}"
        )
    never_keys = frozenset(never)
    prices = {cell.key: float(cell_count(cell, counts)) for cell in cells}
    prices.update(cost or {})
    current = suppress(
        cells, counts, primary=small | frozenset(hidden), cost=cost, never=never_keys
    ).suppressed
    while True:
        found = exposure.find(cells, counts, keys - current, min_n=min_n)
        if found is None:
            break
        more = _breaking(found, keys - current, prices, never_keys)
        current = suppress(
            cells, counts, primary=current | more, cost=cost, never=never_keys
        ).suppressed
    if derivable(cells, counts, current) or exposed(cells, counts, current, min_n=min_n):
        raise SuppressionError("protection left a small group or a hidden cell derivable")
    return Suppression(small, current - small)


def exposed(
    cells: Sequence[Cell],
    counts: Mapping[Hashable, int],
    suppressed: Iterable[Hashable],
    *,
    min_n: int,
) -> frozenset[Hashable]:
    """The atoms of a set of respondents with 0 < n < ``min_n`` whose figures follow from the
    cells that are not suppressed, or an empty set when there is none.

    Decided exactly for tables whose published cells form two hierarchies (see exposure.py);
    for any other table it raises ``exposure.NotTwoHierarchies`` rather than guess.
    """
    keys = frozenset(cell.key for cell in cells)
    found = exposure.find(cells, counts, keys - frozenset(suppressed), min_n=min_n)
    return found.atoms if found is not None else frozenset()


def _breaking(
    found: exposure.Exposure,
    published: frozenset[Hashable],
    prices: Mapping[Hashable, float],
    never: frozenset[Hashable],
) -> frozenset[Hashable]:
    """The cheapest published cell, or else pair of cells, whose hiding breaks the way ``found``
    gives a small set away; ``never`` cells only when nothing else does."""
    order = sorted(published, key=lambda key: (key in never, prices[key], repr(key)))
    useful = [key for key in order if found.moves(key)]
    for key in useful:
        if key not in never and found.breaks([key]):
            return frozenset([key])
    pairs = sorted(
        (
            (prices[a] + prices[b], repr(a), repr(b), a, b)
            for i, a in enumerate(useful)
            for b in useful[i + 1 :]
            if a not in never and b not in never
        ),
    )
    for *_, a, b in pairs:
        if found.breaks([a, b]):
            return frozenset([a, b])
    for key in useful:
        if found.breaks([key]):
            return frozenset([key])
    if not useful:
        raise SuppressionError(f"no published cell can protect {sorted(map(repr, found.atoms))}")
    # No one or two cells break it apart: hide the cheapest that changes anything, and look again.
    return frozenset([useful[0]])
