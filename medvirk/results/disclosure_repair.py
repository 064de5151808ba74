"""The greedy repair loop of secondary suppression: which published cell to hide next.

It keeps a basis of the published cells' span made of published cells and the coordinates of
every cell over it (``_Tableau``), so that each round costs one rank-one update rather than a
new factorisation (see disclosure.py for what the loop promises). Pure numpy.
"""

from __future__ import annotations

import numpy as np

from .disclosure_matrix import (
    BoolArray,
    FloatArray,
    IndexArray,
    SuppressionError,
    norms,
    residual,
    span_basis,
)

# Entries of the coordinate tableau are rationals with small denominators (the matrices are 0/1
# and hierarchical), while rounding noise stays around 1e-13. Anything in between is treated as
# zero, which can only make the tableau believe a cell is still derivable: more suppression, and
# the final check would catch the opposite.
_ZERO = 1e-7
# A row adds a new direction when what is left of it after projection is more than this share of
# its length. Rounding leaves ~1e-15 of a dependent row; an independent 0/1 row keeps far more.
_INDEPENDENT = 1e-8
# Rows per block of the Gram-Schmidt basis: big enough for matrix-matrix speed, small enough
# that the row-by-row part inside a block stays cheap.
_BLOCK = 32


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
        left = norms(y - coords @ q)
        self.in_span = ~suppressed | (left <= _INDEPENDENT * norms(y))
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
            found: IndexArray = self.column_row[columns[coloop]]
            return found
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


class Greedy:
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
            basis = span_basis(self.y[never_rows])
            if basis.shape[0]:
                spanned = residual(self.y, basis) <= _INDEPENDENT * norms(self.y)
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
            if residual(goal, span_basis(rest))[0] > _INDEPENDENT * norms(goal)[0]:
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
