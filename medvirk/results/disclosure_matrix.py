"""The cell-by-atom matrix of a table, and exact checks of what lies in the span of its rows.

A cell's figures are its 0/1 row times the atoms' unknown figures, so a hidden cell can be
computed from the published ones exactly when its row lies in their span (see disclosure.py).
Pure numpy; nothing here knows about Django.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from .disclosure import Cell


class SuppressionError(RuntimeError):
    """The greedy loop left a suppressed cell derivable. This is a bug, never a data problem."""


FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IndexArray = npt.NDArray[np.intp]

# The final check calls a cell derivable up to a far looser residual than the greedy works with,
# so that a borderline case raises instead of publishing something close to a leak.
_DERIVABLE = 1e-6


def atom_count(counts: Mapping[Hashable, int], atom: Hashable) -> int:
    try:
        count = int(counts[atom])
    except KeyError:
        # An unknown count is a caller bug; guessing 0 would make the cell look smaller than it is.
        raise KeyError(f"no respondent count for atom {atom!r}") from None
    if count < 0:
        raise ValueError(f"negative respondent count {count} for atom {atom!r}")
    return count


@dataclass
class Table:
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
    def build(cls, cells: Sequence[Cell], counts: Mapping[Hashable, int]) -> Table:
        decorated = sorted(((repr(cell.key), cell) for cell in cells), key=lambda pair: pair[0])
        keys = [cell.key for _, cell in decorated]
        index = {key: i for i, key in enumerate(keys)}
        if len(index) < len(keys):
            raise ValueError("two cells have the same key")
        if len({text for text, _ in decorated}) < len(keys):
            raise ValueError("two cell keys have the same repr(); the result would depend on order")

        atoms: set[Hashable] = set().union(*(cell.atoms for cell in cells))
        sizes = {atom: atom_count(counts, atom) for atom in atoms}
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


def components(matrix: FloatArray, seeds: BoolArray) -> Iterator[IndexArray]:
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


def compressed(block: FloatArray) -> FloatArray:
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


def span_basis(rows: FloatArray) -> FloatArray:
    """An orthonormal basis of the rows' span, erring on the side of a larger span.

    Keeping singular directions down to numpy's rank tolerance can only add to what the attacker
    is assumed to know, which makes a check more cautious, never less.
    """
    if rows.shape[0] == 0:
        return np.zeros((0, rows.shape[1]))
    _, singular, vt = np.linalg.svd(rows, full_matrices=False)
    tolerance = singular[0] * max(rows.shape) * np.finfo(np.float64).eps
    return vt[: int(np.count_nonzero(singular > tolerance))]


def residual(vectors: FloatArray, basis: FloatArray) -> npt.NDArray[np.float64]:
    """The length of what is left of each vector outside the basis's span."""
    return norms(vectors - (vectors @ basis.T) @ basis)


def norms(vectors: FloatArray) -> npt.NDArray[np.float64]:
    out: npt.NDArray[np.float64] = np.sqrt(np.einsum("ij,ij->i", vectors, vectors))
    return out


def derivable_rows(y: FloatArray, hidden: BoolArray) -> BoolArray:
    """Which hidden rows lie in the span of the other rows, from scratch with an SVD."""
    basis = span_basis(y[~hidden])
    targets = y[hidden]
    out = np.zeros(y.shape[0], dtype=bool)
    out[hidden] = residual(targets, basis) <= _DERIVABLE * np.maximum(norms(targets), 1.0)
    return out
