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

Pure Python and numpy; nothing here knows about Django.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import numpy.typing as npt

from . import exposure

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IndexArray = npt.NDArray[np.intp]

# Entries of the coordinate tableau are rationals with small denominators (the matrices are 0/1
# and hierarchical), while rounding noise stays around 1e-13. Anything in between is treated as
# zero, which can only make the tableau believe a cell is still derivable: more suppression, and
# the final check would catch the opposite.
_ZERO = 1e-7
# A row adds a new direction when what is left of it after projection is more than this share of
# its length. Rounding leaves ~1e-15 of a dependent row; an independent 0/1 row keeps far more.
_INDEPENDENT = 1e-8
# The final check calls a cell derivable up to a far looser residual than the greedy works with,
# so that a borderline case raises instead of publishing something close to a leak.
_DERIVABLE = 1e-6
# Rows per block of the Gram-Schmidt basis: big enough for matrix-matrix speed, small enough
# that the row-by-row part inside a block stays cheap.
_BLOCK = 32


# Raised whenever the guarantee grows, so results computed under an older one are recomputed:
# 1 protected hidden cells; 2 protects every set of fewer than min_n respondents, per statement.
VERSION = 2


class SuppressionError(RuntimeError):
    """The greedy loop left a suppressed cell derivable. This is a bug, never a data problem."""


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
    return sum(_atom_count(counts, atom) for atom in cell.atoms)


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
    table = _Table.build(cells, counts)
    primary_keys = frozenset(primary)
    never_keys = frozenset(never)
    table.require_known(primary_keys, "primary")
    table.require_known(never_keys, "never")

    suppressed = table.mask(primary_keys)
    never_mask = table.mask(never_keys)
    costs = table.costs(cost)
    secondary: list[int] = []
    for rows in _components(table.matrix, suppressed & table.nonzero):
        y = _compressed(table.matrix[rows])
        hidden = suppressed[rows]
        chosen = _Greedy(y, hidden, never_mask[rows], costs[rows]).protect()
        hidden[chosen] = True
        # The same check as derivable(), on the same part, but computed from scratch: it shares
        # nothing with the tableau the loop relied on.
        leaks = rows[_leaks(y, hidden)]
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
    table = _Table.build(cells, counts)
    keys = frozenset(suppressed)
    table.require_known(keys, "suppressed")
    hidden = table.mask(keys)
    leaks: list[int] = []
    for rows in _components(table.matrix, hidden & table.nonzero):
        leaks.extend(int(i) for i in rows[_leaks(_compressed(table.matrix[rows]), hidden[rows])])
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


def _atom_count(counts: Mapping[Hashable, int], atom: Hashable) -> int:
    try:
        count = int(counts[atom])
    except KeyError:
        # An unknown count is a caller bug; guessing 0 would make the cell look smaller than it is.
        raise KeyError(f"no respondent count for atom {atom!r}") from None
    if count < 0:
        raise ValueError(f"negative respondent count {count} for atom {atom!r}")
    return count


@dataclass
class _Table:
    """The cells in ``repr(key)`` order and their 0/1 matrix over the atoms with respondents.

    Sorting by ``repr`` makes every later tie-break independent of the caller's order. Atoms that
    belong to exactly the same cells are merged into one column: the attacker cannot tell them
    apart, so merging them changes no answer, and sorting the merged columns by their cells makes
    the matrix itself independent of the order in which sets and mappings are iterated.
    """

    keys: list[Hashable]
    index: dict[Hashable, int]
    n: npt.NDArray[np.int64]
    matrix: FloatArray

    @property
    def nonzero(self) -> BoolArray:
        return self.n > 0

    @classmethod
    def build(cls, cells: Sequence[Cell], counts: Mapping[Hashable, int]) -> _Table:
        decorated = sorted(((repr(cell.key), cell) for cell in cells), key=lambda pair: pair[0])
        keys = [cell.key for _, cell in decorated]
        index = {key: i for i, key in enumerate(keys)}
        if len(index) < len(keys):
            raise ValueError("two cells have the same key")
        if len({text for text, _ in decorated}) < len(keys):
            raise ValueError("two cell keys have the same repr(); the result would depend on order")

        atoms: set[Hashable] = set().union(*(cell.atoms for cell in cells))
        sizes = {atom: _atom_count(counts, atom) for atom in atoms}
        column = {atom: j for j, atom in enumerate(a for a, size in sizes.items() if size)}
        rows: list[int] = []
        cols: list[int] = []
        for i, (_, cell) in enumerate(decorated):
            found = [column[atom] for atom in cell.atoms if atom in column]
            rows.extend([i] * len(found))
            cols.extend(found)
        matrix = np.zeros((len(keys), len(column)))
        matrix[rows, cols] = 1.0
        # Exact: the sums are integers far below 2**53.
        n = np.rint(matrix @ np.array([sizes[a] for a in column], dtype=np.float64))
        if column:
            # One column per distinct set of cells, in an order fixed by the cells alone. Two
            # different sets with the same signature would merely be merged, which drops an
            # equation: that can only make more cells look derivable, never fewer.
            signature = _row_weights(len(keys)) @ matrix.astype(np.uint64)
            matrix = matrix[:, np.unique(signature, return_index=True)[1]]
        return cls(keys, index, n.astype(np.int64), matrix)

    def require_known(self, keys: frozenset[Hashable], what: str) -> None:
        unknown = [key for key in keys if key not in self.index]
        if unknown:
            raise ValueError(f"{what} names cells that are not in the table: {unknown!r}")

    def mask(self, keys: frozenset[Hashable]) -> BoolArray:
        out = np.zeros(len(self.keys), dtype=bool)
        out[[self.index[key] for key in keys]] = True
        return out

    def costs(self, cost: Mapping[Hashable, float] | None) -> FloatArray:
        out = self.n.astype(np.float64)
        for key, value in (cost or {}).items():
            if key in self.index:
                if not math.isfinite(value):
                    raise ValueError(f"cost of {key!r} is not a finite number: {value!r}")
                out[self.index[key]] = value
        return out


def _row_weights(size: int) -> npt.NDArray[np.uint64]:
    """Fixed pseudo-random 64-bit weights (splitmix64 of the row number), for column signatures:
    the same on every run, so the column order never depends on hashing or iteration order."""
    z = np.arange(1, size + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _components(matrix: FloatArray, seeds: BoolArray) -> Iterator[IndexArray]:
    """Row sets of the connected parts (cells linked by shared atoms) that contain a seed.

    Cells that share no atom, even through other cells, cannot appear in each other's linear
    combinations, so each part is solved alone; several service areas in one call stay small.
    Rows without atoms (no respondents) belong to no part.
    """
    covered = np.zeros(matrix.shape[0], dtype=bool)
    for start in np.flatnonzero(seeds):
        if covered[start]:
            continue
        rows = np.zeros(matrix.shape[0], dtype=bool)
        rows[start] = True
        while True:
            atoms = rows.astype(np.float64) @ matrix > 0
            grown = matrix @ atoms.astype(np.float64) > 0
            if np.array_equal(grown, rows):
                break
            rows = grown
        covered |= rows
        yield np.flatnonzero(rows)


def _compressed(block: FloatArray) -> FloatArray:
    """The rows in an orthonormal coordinate system of at most as many columns as rows.

    Only the rows' inner products matter for span questions, and ``block.T = QR`` keeps them
    (``R.T`` holds the rows' coordinates in ``Q``), so later work costs rows², not rows × atoms.
    """
    dense = block[:, block.any(axis=0)]
    if dense.shape[1] <= dense.shape[0]:
        return np.ascontiguousarray(dense)
    # numpy's stubs type every mode as QRResult; mode="r" returns the R matrix alone.
    upper = cast(FloatArray, np.linalg.qr(dense.T, mode="r"))
    return np.ascontiguousarray(upper.T)


def _span_basis(rows: FloatArray) -> FloatArray:
    """An orthonormal basis of the rows' span, erring on the side of a larger span.

    Keeping singular directions down to numpy's rank tolerance can only add to what the attacker
    is assumed to know, which makes a check more cautious, never less.
    """
    if rows.shape[0] == 0:
        return np.zeros((0, rows.shape[1]))
    _, singular, vt = np.linalg.svd(rows, full_matrices=False)
    tolerance = singular[0] * max(rows.shape) * np.finfo(np.float64).eps
    return vt[: int(np.count_nonzero(singular > tolerance))]


def _residual(vectors: FloatArray, basis: FloatArray) -> npt.NDArray[np.float64]:
    left = vectors - (vectors @ basis.T) @ basis
    return np.sqrt(np.einsum("ij,ij->i", left, left))


def _norms(vectors: FloatArray) -> npt.NDArray[np.float64]:
    return np.sqrt(np.einsum("ij,ij->i", vectors, vectors))


def _leaks(y: FloatArray, hidden: BoolArray) -> BoolArray:
    """Which hidden rows lie in the span of the other rows, from scratch with an SVD."""
    basis = _span_basis(y[~hidden])
    targets = y[hidden]
    out = np.zeros(y.shape[0], dtype=bool)
    out[hidden] = _residual(targets, basis) <= _DERIVABLE * np.maximum(_norms(targets), 1.0)
    return out


class _Tableau:
    """A basis of the published cells' span made of published cells, and coordinates over it.

    Every cell in the span has a row of coordinates; a suppressed cell is derivable exactly while
    it is in the span. A basis cell that no published non-basis cell needs (a *coloop*) is the
    only way to its direction, so hiding it takes out of the span every cell that uses that
    direction. Hiding any other basis cell swaps a non-basis cell in with one rank-one update, as
    a simplex pivot does, so the loop needs no new factorisation per round.
    """

    def __init__(self, y: FloatArray, suppressed: BoolArray, order: IndexArray) -> None:
        size = y.shape[0]
        self.suppressed = suppressed.copy()
        basis, q = _ordered_basis(y, order[~suppressed[order]])
        coords = y @ q.T
        left = _norms(y - coords @ q)
        self.in_span = ~suppressed | (left <= _INDEPENDENT * _norms(y))
        self.tableau = np.zeros((size, len(basis)))
        if basis:
            # y[basis] = coords[basis] @ q, so a row with coordinates c over q has the
            # coordinates c @ inv(coords[basis]) over the basis cells.
            lower = coords[basis]
            self.tableau[self.in_span] = np.linalg.solve(lower.T, coords[self.in_span].T).T
            self.tableau[basis] = np.eye(len(basis))
        self.tableau[np.abs(self.tableau) <= _ZERO] = 0.0
        self.column_row = np.array(basis, dtype=np.intp)
        self.is_basis = np.zeros(size, dtype=bool)
        self.is_basis[basis] = True

    @property
    def exposed(self) -> BoolArray:
        return self.suppressed & self.in_span

    def enough(self, target: int) -> IndexArray:
        """Columns whose basis cell alone would take the target out of the span."""
        others = self.tableau[~self.suppressed & ~self.is_basis]
        coloop = ~(others != 0.0).any(axis=0)
        return np.flatnonzero((self.tableau[target] != 0.0) & coloop)

    def helping(self, target: int) -> IndexArray:
        """Published cells whose hiding changes how the target can be computed: the basis cells
        of its representation and the non-basis cells that stand in for them."""
        uses = self.tableau[target] != 0.0
        stand_ins = ~self.suppressed & ~self.is_basis & (self.tableau[:, uses] != 0.0).any(axis=1)
        return np.union1d(self.column_row[uses], np.flatnonzero(stand_ins))

    def enough_after(self, row: int, target: int) -> IndexArray | None:
        """The cells that would each be enough for the target once ``row`` is hidden, or None
        if hiding ``row`` already protects it. The same arithmetic as ``hide``, but only on the
        entries that decide the answer, so trying many first steps costs little."""
        others = ~self.suppressed & ~self.is_basis
        others[row] = False
        if not self.is_basis[row]:
            columns = np.flatnonzero(self.tableau[target] != 0.0)
            coloop = ~(self.tableau[others][:, columns] != 0.0).any(axis=0)
            return self.column_row[columns[coloop]]
        column = int(np.flatnonzero(self.column_row == row)[0])
        replacements = np.flatnonzero(others & (self.tableau[:, column] != 0.0))
        if replacements.size == 0:
            return None if self.tableau[target, column] != 0.0 else self.column_row[:0]
        pivot = int(replacements[np.argmax(np.abs(self.tableau[replacements, column]))])
        factor = self.tableau[:, column] / self.tableau[pivot, column]
        others[pivot] = False
        goal = self.tableau[target] - factor[target] * self.tableau[pivot]
        goal[column] = factor[target]
        columns = np.flatnonzero(np.abs(goal) > _ZERO)
        block = self.tableau[others][:, columns] - np.outer(
            factor[others], self.tableau[pivot, columns]
        )
        block[:, columns == column] = factor[others][:, None]
        coloop = ~(np.abs(block) > _ZERO).any(axis=0)
        rows = self.column_row[columns]
        rows[columns == column] = pivot
        return rows[coloop]

    def hide(self, row: int) -> None:
        self.suppressed[row] = True
        if not self.is_basis[row]:
            return  # the span stays; the cell keeps its coordinates and is derivable for now
        column = int(np.flatnonzero(self.column_row == row)[0])
        self.is_basis[row] = False
        replacements = np.flatnonzero(
            ~self.suppressed & ~self.is_basis & (self.tableau[:, column] != 0.0)
        )
        if replacements.size == 0:
            # A coloop: its direction leaves the span, and so does every cell that used it.
            leaving = self.tableau[:, column] != 0.0
            self.in_span[leaving] = False
            self.tableau[leaving] = 0.0
            self.column_row[column] = -1
            return
        # Largest pivot for stability; argmax takes the first of equals, so row order decides.
        pivot = int(replacements[np.argmax(np.abs(self.tableau[replacements, column]))])
        pivot_row = self.tableau[pivot].copy()
        factor = self.tableau[:, column] / pivot_row[column]
        self.tableau -= np.outer(factor, pivot_row)
        self.tableau[:, column] = factor
        self.tableau[np.abs(self.tableau) <= _ZERO] = 0.0
        self.is_basis[pivot] = True
        self.column_row[column] = pivot


class _Greedy:
    """The repair loop over one connected part: which cell to hide next, and why."""

    def __init__(self, y: FloatArray, suppressed: BoolArray, never: BoolArray, cost: FloatArray):
        self.y = y
        self.cost = cost
        self.never = never
        # Cheap cells first into the basis, so that representations lean on small cells and
        # the cells tried when no single one is enough are small ones; ``never`` cells last.
        order = np.lexsort((np.arange(y.shape[0]), cost, never))
        self.state = _Tableau(y, suppressed, order)
        self.nonnegative = bool((cost >= 0).all())
        self._given_away: tuple[tuple[int, ...], BoolArray] | None = None

    def protect(self) -> list[int]:
        chosen: list[int] = []
        picked = np.zeros(self.y.shape[0], dtype=bool)
        while True:
            exposed = np.flatnonzero(self.state.exposed)
            if exposed.size == 0:
                return chosen
            target = int(min(exposed, key=lambda i: (bool(picked[i]), self.cost[i], int(i))))
            choice = self._choose(target)
            picked[choice] = True
            chosen.append(choice)
            self.state.hide(choice)

    def _choose(self, target: int) -> int:
        state = self.state
        published = ~state.suppressed
        never_rows = np.flatnonzero(published & self.never)
        given_away = self._spanned_by_never(never_rows)
        if given_away[target]:
            return self._choose_never(target, never_rows)
        eligible = published & ~self.never & ~given_away

        enough = self._enough(state, target, eligible)
        if enough.size:
            # Each of these is enough for the target. Hiding one also protects every other
            # exposed cell that uses its direction, so weigh the cost against all it protects:
            # one district now rather than a unit now and that district later.
            columns = np.flatnonzero(np.isin(state.column_row, enough))
            rows = state.column_row[columns]
            protects = np.count_nonzero(state.tableau[state.exposed][:, columns], axis=0)
            share = self.cost[rows] / protects
            return int(rows[np.lexsort((rows, self.cost[rows], share))[0]])

        # No single cell is enough. Look one step ahead: hide a cell that helps, and price it
        # with the cheapest cell that is then enough. Without the look-ahead the cheapest helper
        # is often one whose part another published cell simply takes over.
        helping = state.helping(target)
        helping = helping[eligible[helping]]
        if helping.size == 0:
            # Impossible: a target outside the never cells' span has a helper outside them.
            raise SuppressionError("no published cell helps to protect a derivable cell")
        best: tuple[float, float, int] | None = None
        for row in (int(i) for i in helping[np.lexsort((helping, self.cost[helping]))]):
            if best is not None and self.cost[row] > best[0] and self.nonnegative:
                break  # with costs of at least 0, no dearer first step can beat the best pair
            following = state.enough_after(row, target)
            if following is None:
                return row  # enough on its own after all
            following = following[eligible[following] & (following != row)]
            if following.size:
                total = float(self.cost[row] + self.cost[following].min())
                best = min(best or (total, self.cost[row], row), (total, self.cost[row], row))
        if best is None:
            return self._cheapest(helping)
        return best[2]

    def _enough(self, state: _Tableau, target: int, eligible: BoolArray) -> IndexArray:
        rows = state.column_row[state.enough(target)]
        return rows[eligible[rows]]

    def _spanned_by_never(self, never_rows: IndexArray) -> BoolArray:
        """Cells the published ``never`` cells give away on their own.

        Hiding such a cell as a secondary would force hiding a ``never`` cell later, so the loop
        leaves them alone; and a target among them can only be protected by a ``never`` cell.
        """
        token = tuple(int(i) for i in never_rows)
        if self._given_away is None or self._given_away[0] != token:
            basis = _span_basis(self.y[never_rows])
            if basis.shape[0]:
                spanned = _residual(self.y, basis) <= _INDEPENDENT * _norms(self.y)
            else:
                spanned = np.zeros(self.y.shape[0], dtype=bool)
            self._given_away = (token, spanned)
        return self._given_away[1]

    def _choose_never(self, target: int, never_rows: IndexArray) -> int:
        """The ``never`` cell to give up for a target that the ``never`` cells give away: the
        cheapest one without which they no longer do, else one they compute it with."""
        ordered = sorted((int(i) for i in never_rows), key=lambda i: (self.cost[i], i))
        goal = self.y[[target]]
        for row in ordered:
            rest = self.y[[i for i in ordered if i != row]]
            if _residual(goal, _span_basis(rest))[0] > _INDEPENDENT * _norms(goal)[0]:
                return row
        weights = np.linalg.lstsq(self.y[ordered].T, self.y[target], rcond=None)[0]
        helping = [row for row, w in zip(ordered, weights, strict=True) if abs(w) > _ZERO]
        return (helping or ordered)[0]

    def _cheapest(self, rows: IndexArray) -> int:
        return int(rows[np.lexsort((rows, self.cost[rows]))[0]])


def _ordered_basis(y: FloatArray, order: IndexArray) -> tuple[list[int], FloatArray]:
    """Rows that are independent of the rows before them in ``order``, and an orthonormal basis.

    Blocked Gram-Schmidt: a block of rows is first cleared of all earlier directions at once,
    twice ("twice is enough" keeps the result orthogonal even for nearly dependent rows), then
    its rows are taken one by one. The block products run as matrix-matrix work, which is what
    keeps a table of several hundred cells fast; a dependent row costs one dot product.
    """
    width = y.shape[1]
    left = y[order]
    scale = np.einsum("ij,ij->i", left, left)
    floor = _INDEPENDENT**2
    q = np.zeros((min(len(order), width), width))
    chosen: list[int] = []
    for start in range(0, len(order), _BLOCK):
        block = left[start : start + _BLOCK]
        for _ in range(2):
            head = q[: len(chosen)]
            block -= (block @ head.T) @ head
        first = len(chosen)
        for i in range(block.shape[0]):
            if len(chosen) == width:
                return chosen, q  # the span is everything: no later row can add to it
            length = float(block[i] @ block[i])
            if length < 0.25 * scale[start + i] and len(chosen) > first:
                # Most of the row went to this block's own directions: project once more.
                recent = q[first : len(chosen)]
                block[i] -= (recent @ block[i]) @ recent
                length = float(block[i] @ block[i])
            if length <= floor * scale[start + i]:
                continue
            direction = block[i] / np.sqrt(length)
            tail = block[i + 1 :]
            tail -= np.outer(tail @ direction, direction)
            q[len(chosen)] = direction
            chosen.append(int(order[start + i]))
    return chosen, q[: len(chosen)]
