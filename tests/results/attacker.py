"""An attacker on published results, written from the threat and sharing no code with
medvirk.results: which sets of respondents can anyone work out the answers of?

Every published answer figure of a group is a sum over its atoms (one unit's respondents with
one service). The attacker knows which atoms make up each published group and every published
figure, and treats an atom that gave no answer as a known zero. A set of atoms is *given away*
when its 0/1 vector is a linear combination of the published groups' vectors: then every one
of its figures is that same combination of published figures.

Exact arithmetic throughout: the null space of the published rows is computed over the
rationals with fractions.Fraction and scaled to integers, and a set is in the span exactly when
it sums to zero against every null vector. Sets are tried by brute force, smallest first, up
to the size a set below ``min_n`` can have (each atom holds at least one answer).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

Atom = Hashable


def null_space(rows: Sequence[Sequence[int]], width: int) -> list[list[int]]:
    """Integer vectors spanning {x : row · x = 0 for every row}, by exact elimination."""
    matrix = [[Fraction(v) for v in row] for row in rows]
    pivots: list[int] = []
    rank = 0
    for column in range(width):
        found = next((r for r in range(rank, len(matrix)) if matrix[r][column] != 0), None)
        if found is None:
            continue
        matrix[rank], matrix[found] = matrix[found], matrix[rank]
        lead = matrix[rank][column]
        matrix[rank] = [v / lead for v in matrix[rank]]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column] != 0:
                factor = matrix[r][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        pivots.append(column)
        rank += 1
    free = [c for c in range(width) if c not in pivots]
    basis = []
    for f in free:
        vector = [Fraction(0)] * width
        vector[f] = Fraction(1)
        for r, p in enumerate(pivots):
            vector[p] = -matrix[r][f]
        scale = math.lcm(*(v.denominator for v in vector))
        basis.append([int(v * scale) for v in vector])
    return basis


def given_away(
    published: Iterable[Iterable[Atom]],
    weights: Mapping[Any, int],
    *,
    min_n: int,
    limit: int = 1,
) -> list[frozenset[Atom]]:
    """Up to ``limit`` sets of atoms with 0 < n < ``min_n`` whose figures follow from the
    published groups (each given as its atoms), smallest first. ``weights`` is each atom's count
    of answers to the figure in question."""
    atoms = sorted((a for a, n in weights.items() if n > 0), key=repr)
    index = {a: i for i, a in enumerate(atoms)}
    rows = []
    for group in published:
        row = [0] * len(atoms)
        for atom in group:
            if atom in index:
                row[index[atom]] = 1
        if any(row):
            rows.append(row)
    if not atoms:
        return []
    basis = null_space(rows, len(atoms))
    # No null vector at all: the published rows pin every atom down, so every set is known.
    null = np.array(basis or [[0] * len(atoms)], dtype=np.int64).reshape(-1, len(atoms))
    if basis and max(abs(v) for vector in basis for v in vector) > 2**40:
        raise OverflowError("null vectors too large for exact int64 sums")
    light = np.array([i for i, a in enumerate(atoms) if weights[a] < min_n], dtype=np.intp)
    size_of = np.array([weights[a] for a in atoms], dtype=np.int64)
    found: list[frozenset[Atom]] = []
    for size in range(1, min_n):
        for chunk in _chunks(itertools.combinations(light.tolist(), size), 50_000):
            combos = np.array(chunk, dtype=np.intp).reshape(-1, size)
            small = size_of[combos].sum(axis=1) < min_n
            combos = combos[small]
            # Exact: integer sums of integer null vectors, far below 2**63.
            known = ~null[:, combos].sum(axis=2).any(axis=0)
            for row in combos[known]:
                found.append(frozenset(atoms[i] for i in row))
                if len(found) >= limit:
                    return found
    return found


def _chunks(items: Iterable[tuple[int, ...]], size: int) -> Iterable[list[tuple[int, ...]]]:
    batch: list[tuple[int, ...]] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
