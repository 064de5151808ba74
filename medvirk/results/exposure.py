"""Which sets of respondents the published cells give away: the small-group check.

disclosure.py makes sure no *hidden cell* can be computed from the published ones. The promise
in the letter is about people, not cells: no set of fewer than ``min_n`` respondents may have
answer figures that follow from what is published — a hidden cell, an atom (one unit's
respondents with one service), or any union of atoms, such as "everyone with service S outside
the shown units". This module finds such a set when there is one.

The model is disclosure.py's: every figure of a cell is the sum of its atoms' figures, atoms
without answers are known zeros (dropped), and the attacker knows every published cell's figures
and which atoms it is made of. A union of atoms is *given away* when its 0/1 vector over the
atoms lies in the span of the published cells' vectors.

Searching every union of atoms is exponential. It is not needed for the tables Medvirk publishes,
whose cells form two *laminar* families (any two cells of a family are nested or disjoint): the
area with its districts and units, and the service types across the area. For such a table:

* Give each atom the smallest published cell of each family that holds it (or "none"). Two
  atoms with the same pair are indistinguishable and are merged. Every vector in the span is
  then ``x(atom) = phi(its cell in family 1) + psi(its cell in family 2)``: a sum over a chain of
  nested cells is a free value per chain end.
* Draw a graph with one node per such cell and one edge per merged atom, from its family-1 node
  to its family-2 node, weighted by the atom's count. A 0/1 ``x`` of that form is, level by level
  of the integer potentials, a union of *directed cuts*: node sets X that no edge enters, whose
  leaving edges are the atoms of the union. (When both families have a "none" node, both have
  the potential 0, so they are one node.)

So a small set is given away exactly when the graph has a directed cut lighter than ``min_n``.
That is a minimum-cut question: edges of ``min_n`` or more can never be cut and are contracted,
two nodes with edges both ways can never be separated and are contracted, and what is left is
small. The cut is found with max-flow, stopping at ``min_n`` units of flow.

Pure Python; nothing here knows about Django.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol


class CellLike(Protocol):
    @property
    def key(self) -> Hashable: ...

    @property
    def atoms(self) -> frozenset[Hashable]: ...


Node = tuple[int, int]  # (family, index of its cell in the family), or (family, -1) for "none"


class NotTwoHierarchies(ValueError):
    """The published cells do not form two laminar families; the check cannot decide."""


@dataclass(frozen=True)
class Exposure:
    """A small set of respondents the published cells give away, and the cut that does it.

    ``atoms`` and ``n`` are the set and its count. ``breaks`` tells whether hiding some more
    cells would take this cut apart (the set may still be given away another way: check again).
    """

    atoms: frozenset[Hashable]
    n: int
    _graph: _Graph
    _merged: Mapping[Node, Node]  # each node's representative after contraction
    _inside: frozenset[Node]
    _component: frozenset[Node]

    def moves(self, key: Hashable) -> bool:
        """Whether hiding this cell moves any atom of the cut's part to another node."""
        graph = self._graph
        i = graph.index.get(key)
        if i is None:
            return False
        node = (graph.family_of[i], i)
        return self._merged.get(node) in self._component

    def breaks(self, hide: Iterable[Hashable]) -> bool:
        """Whether hiding these published cells puts two nodes from the two sides of the cut
        into one: their atoms move to the nearest shown cell above, in the same family."""
        hidden = frozenset(hide)
        graph = self._graph
        joined: dict[Node, set[Node]] = {}  # where atoms go -> the nodes that go there
        for key in hidden:
            i = graph.index.get(key)
            if i is None:
                continue
            node = (graph.family_of[i], i)
            if node not in graph.node_atoms:
                continue  # every atom of it sits in a smaller shown cell: nothing moves
            up = graph.parent[i]
            while up is not None and graph.keys[up] in hidden:
                up = graph.parent[up]
            target: Node = (graph.family_of[i], up if up is not None else -1)
            if target[1] == -1 and target not in graph.node_atoms:
                other = (1 - target[0], -1)
                target = other if other in graph.node_atoms else target
            joined.setdefault(target, set()).add(node)
        for target, nodes in joined.items():
            group = set(nodes) | ({target} if target in graph.node_atoms else set())
            sides = {
                self._merged[n] in self._inside
                for n in group
                if self._merged.get(n) in self._component
            }
            if len(sides) == 2:
                return True
        return False


def find(
    cells: Sequence[CellLike],
    counts: Mapping[Hashable, int],
    published: Iterable[Hashable],
    *,
    min_n: int,
) -> Exposure | None:
    """A set of respondents with 0 < n < ``min_n`` whose figures follow from the published
    cells, or None. ``counts`` holds every atom's count for the figure in question (respondents,
    or answers to one statement); atoms with 0 are known zeros.

    Raises ``NotTwoHierarchies`` for a table the check cannot decide.
    """
    shown = frozenset(published)
    weights = {atom: int(n) for atom, n in counts.items() if n > 0}
    if all(n >= min_n for n in weights.values()):
        return None  # every atom alone holds enough: no union can be small
    graph = _Graph.build([c for c in cells if c.key in shown], weights)
    return graph.smallest_cut(min_n)


@dataclass
class _Graph:
    keys: list[Hashable]  # the cells with atoms, in a fixed order
    masks: list[int]  # each cell's atoms as a bit set
    atoms: list[Hashable]
    weights: list[int]
    families: list[list[int]]  # cell indices per family
    parent: dict[int, int | None]  # nearest containing cell in the same family
    index: dict[Hashable, int] = field(default_factory=dict)
    family_of: dict[int, int] = field(default_factory=dict)
    node_atoms: dict[Node, int] = field(default_factory=dict)  # bit set of each node's atoms
    edges: dict[tuple[Node, Node], list[int]] = field(default_factory=dict)  # atom indices

    @classmethod
    def build(cls, cells: Sequence[CellLike], weights: Mapping[Hashable, int]) -> _Graph:
        atoms = sorted(weights, key=repr)
        bit = {atom: 1 << i for i, atom in enumerate(atoms)}
        ordered = sorted(cells, key=lambda cell: repr(cell.key))
        keys: list[Hashable] = []
        masks: list[int] = []
        for cell in ordered:
            mask = 0
            for atom in cell.atoms:
                mask |= bit.get(atom, 0)
            if mask:
                keys.append(cell.key)
                masks.append(mask)
        families = _two_laminar_families(masks, keys)
        graph = cls(keys, masks, atoms, [weights[a] for a in atoms], families, {})
        graph.index = {key: i for i, key in enumerate(keys)}
        graph.family_of = {i: f for f, members in enumerate(families) for i in members}
        graph._place_atoms()
        return graph

    def _place_atoms(self) -> None:
        """Each cell's parent and each atom's smallest cell per family; nodes and edges."""
        where: list[list[Node]] = [[(f, -1)] * len(self.atoms) for f in (0, 1)]
        for f, members in enumerate(self.families):
            # Of two identical cells the later one counts as the smaller, nested in the other.
            order = sorted(members, key=lambda i: (-self.masks[i].bit_count(), i))
            rank = {i: r for r, i in enumerate(order)}
            for i in order:
                above = [j for j in order[: rank[i]] if not self.masks[i] & ~self.masks[j]]
                self.parent[i] = above[-1] if above else None
                mask = self.masks[i]
                while mask:  # larger cells first, so the smallest one is written last
                    low = mask & -mask
                    where[f][low.bit_length() - 1] = (f, i)
                    mask ^= low
        for a in range(len(self.atoms)):
            first, second = where[0][a], where[1][a]
            self.edges.setdefault((first, second), []).append(a)
            for node in (first, second):
                self.node_atoms[node] = self.node_atoms.get(node, 0) | (1 << a)

    def smallest_cut(self, min_n: int) -> Exposure | None:
        merge = _UnionFind()
        if (0, -1) in self.node_atoms and (1, -1) in self.node_atoms:
            merge.union((0, -1), (1, -1))  # both "none" nodes have the potential 0
        arcs = self._contract(merge, min_n)
        nodes = {merge.find(n) for n in self.node_atoms}
        for component in _components(nodes, arcs):
            if len(component) < 2:
                continue
            inside = _light_cut(component, arcs, min_n)
            if inside is None:
                continue
            leaving = [
                a
                for (left, right), members in self.edges.items()
                if merge.find(left) in inside and merge.find(right) not in inside
                for a in members
            ]
            return Exposure(
                atoms=frozenset(self.atoms[a] for a in leaving),
                n=sum(self.weights[a] for a in leaving),
                _graph=self,
                _merged={n: merge.find(n) for n in self.node_atoms},
                _inside=frozenset(inside),
                _component=frozenset(component),
            )
        return None

    def _contract(self, merge: _UnionFind, min_n: int) -> dict[tuple[Node, Node], int]:
        """Contract what no light cut can separate; the arcs left, with their weights."""
        while True:
            arcs: dict[tuple[Node, Node], int] = {}
            for (left, right), members in self.edges.items():
                a, b = merge.find(left), merge.find(right)
                if a != b:
                    arcs[(a, b)] = arcs.get((a, b), 0) + sum(self.weights[i] for i in members)
            joined = False
            for (a, b), weight in arcs.items():
                # An arc of min_n or more cannot be in a small cut; an arc each way means the
                # two ends' potentials differ by at most 0 both ways, so they are equal.
                if (weight >= min_n or (b, a) in arcs) and merge.find(a) != merge.find(b):
                    merge.union(a, b)
                    joined = True
            if not joined:
                return arcs


def _two_laminar_families(masks: Sequence[int], keys: Sequence[Hashable]) -> list[list[int]]:
    """Colour the cells so that no two of one colour cross (overlap without nesting)."""
    size = len(masks)
    crossing: list[list[int]] = [[] for _ in range(size)]
    for i in range(size):
        for j in range(i + 1, size):
            common = masks[i] & masks[j]
            if common and common != masks[i] and common != masks[j]:
                crossing[i].append(j)
                crossing[j].append(i)
    colour: list[int | None] = [None] * size
    for start in range(size):
        if colour[start] is not None:
            continue
        colour[start] = 0
        todo = deque([start])
        while todo:
            i = todo.popleft()
            for j in crossing[i]:
                if colour[j] is None:
                    colour[j] = 1 - (colour[i] or 0)
                    todo.append(j)
                elif colour[j] == colour[i]:
                    raise NotTwoHierarchies(
                        "the published cells are not one hierarchy crossed with one "
                        f"classification ({keys[i]!r} and {keys[j]!r} are in an odd cycle of "
                        "overlapping cells)"
                    )
    return [[i for i in range(size) if colour[i] == c] for c in (0, 1)]


class _UnionFind:
    def __init__(self) -> None:
        self.up: dict[Node, Node] = {}

    def find(self, node: Node) -> Node:
        root = node
        while self.up.get(root, root) != root:
            root = self.up[root]
        while node != root:
            self.up[node], node = root, self.up.get(node, node)
        return root

    def union(self, a: Node, b: Node) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller node wins, so the representative does not depend on the merge order.
            low, high = sorted((ra, rb))
            self.up[high] = low


def _components(nodes: Iterable[Node], arcs: Mapping[tuple[Node, Node], int]) -> list[list[Node]]:
    neighbours: dict[Node, set[Node]] = {n: set() for n in nodes}
    for a, b in arcs:
        neighbours[a].add(b)
        neighbours[b].add(a)
    seen: set[Node] = set()
    out = []
    for start in sorted(neighbours):
        if start in seen:
            continue
        part = [start]
        seen.add(start)
        todo = [start]
        while todo:
            for other in neighbours[todo.pop()]:
                if other not in seen:
                    seen.add(other)
                    part.append(other)
                    todo.append(other)
        out.append(sorted(part))
    return out


def _light_cut(
    component: Sequence[Node], arcs: Mapping[tuple[Node, Node], int], min_n: int
) -> set[Node] | None:
    """Nodes X of the part that no arc enters and whose leaving arcs weigh less than ``min_n``.

    Every arc a→b also stands for a "b may not be inside while a is outside" rule, which is an
    arc b→a no cut can afford (weight ``min_n`` is enough: flows stop there). The lightest such
    X is the lightest s–t cut over some pair, so s is fixed and every t is tried both ways.
    """
    members = set(component)
    capacity: dict[Node, dict[Node, int]] = {n: {} for n in component}
    for (a, b), weight in arcs.items():
        if a in members:
            capacity[a][b] = capacity[a].get(b, 0) + weight
            capacity[b][a] = capacity[b].get(a, 0) + min_n
    # The quick cases first: a node no arc enters, or one no arc leaves.
    entering = dict.fromkeys(component, 0)
    leaving = dict.fromkeys(component, 0)
    for (a, b), weight in arcs.items():
        if a in members:
            leaving[a] += weight
            entering[b] += weight
    for n in component:
        if entering[n] == 0 and leaving[n] < min_n:
            return {n}
        if leaving[n] == 0 and entering[n] < min_n:
            return members - {n}
    source = component[0]
    for other in component[1:]:
        for s, t in ((source, other), (other, source)):
            inside = _min_cut(capacity, s, t, min_n)
            if inside is not None:
                return inside
    return None


def _min_cut(
    capacity: Mapping[Node, Mapping[Node, int]], source: Node, sink: Node, limit: int
) -> set[Node] | None:
    """The source side of a minimum source–sink cut if it is lighter than ``limit``."""
    residual = {a: dict(out) for a, out in capacity.items()}
    for a, out in capacity.items():
        for b in out:
            residual[b].setdefault(a, 0)
    flow = 0
    while flow < limit:
        back: dict[Node, Node] = {source: source}
        todo = deque([source])
        while todo and sink not in back:
            a = todo.popleft()
            for b, left in residual[a].items():
                if left > 0 and b not in back:
                    back[b] = a
                    todo.append(b)
        if sink not in back:
            return set(back)  # what the source still reaches: the lightest cut's inside
        step, b = limit, sink
        while b != source:
            step = min(step, residual[back[b]][b])
            b = back[b]
        b = sink
        while b != source:
            a = back[b]
            residual[a][b] -= step
            residual[b][a] += step
            b = a
        flow += step
    return None
