"""Statistics of survey results from additive figures.

Every figure a report shows is computed from sums that add up: per group and statement, the
number of valid answers, their total and total of squares, and the answers per point of the
scale. A district's figures are then the sum of its units', small groups can be suppressed
after the sums are made, and nothing here ever needs a single response.

Pure Python (no Django, no scipy): the Student t quantile is computed here from the
regularised incomplete beta function, so the module runs wherever the figures are.

Intervals are 95 % two-sided throughout (``CONFIDENCE``): one level across all pages, so a
reader never has to ask which interval a bar shows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

CONFIDENCE = 0.95
_UPPER = 0.5 + CONFIDENCE / 2  # the t quantile that bounds a two-sided 95 % interval

Quadrant = Literal["concentrate", "keep_up", "low_priority", "overkill"]


# --- additive figures ----------------------------------------------------------------


@dataclass(frozen=True)
class ItemStats:
    """Additive figures of one statement in one group.

    ``n`` counts valid answers (points on the scale; "don't know" is kept apart in
    ``dont_know``), ``counts[i]`` the answers at point ``i + 1``. The importance figures are
    those of the importance rating of the same statement, all zero when it was not asked.
    """

    n: int
    total: int
    total_sq: int
    counts: tuple[int, ...]
    dont_know: int = 0
    imp_n: int = 0
    imp_total: int = 0
    imp_total_sq: int = 0

    def __post_init__(self) -> None:
        # Figures come from database aggregates and from sums up a hierarchy: a set that does
        # not add up is a bug upstream, and a report built on it would be silently wrong.
        if not self.counts:
            raise ValueError("a scale has at least one point")
        if min(*self.counts, self.dont_know, self.imp_n) < 0:
            raise ValueError("counts cannot be negative")
        points = range(1, len(self.counts) + 1)
        if self.n != sum(self.counts):
            raise ValueError(f"n = {self.n} but the counts add up to {sum(self.counts)}")
        if self.total != sum(p * c for p, c in zip(points, self.counts, strict=True)):
            raise ValueError("total does not match the counts")
        if self.total_sq != sum(p * p * c for p, c in zip(points, self.counts, strict=True)):
            raise ValueError("total_sq does not match the counts")
        if self.imp_n == 0 and (self.imp_total or self.imp_total_sq):
            raise ValueError("importance totals without importance ratings")

    @property
    def points(self) -> int:
        return len(self.counts)

    @classmethod
    def empty(cls, points: int) -> ItemStats:
        """No answers: the start of a sum (``sum(groups, ItemStats.empty(5))``)."""
        return cls(n=0, total=0, total_sq=0, counts=(0,) * points)

    @classmethod
    def of(
        cls,
        scores: Sequence[int | None],
        importance: Sequence[int | None] = (),
        *,
        points: int,
        importance_points: int | None = None,
    ) -> ItemStats:
        """The figures of raw answers, coded as stored: ``1``…``points`` a point on the
        scale, ``0`` "don't know", ``None`` no answer. For tests and small cases; reports
        get the same figures from database aggregates.

        Importance is coded the same way; its scale has no "don't know", so a ``0`` there is
        simply not a rating. Its scale has ``points`` points unless ``importance_points``
        says otherwise.
        """
        if points < 1:
            raise ValueError("a scale has at least one point")
        counts = [0] * points
        dont_know = 0
        for score in scores:
            if score is None:
                continue
            if score == 0:
                dont_know += 1
            elif 1 <= score <= points:
                counts[score - 1] += 1
            else:
                raise ValueError(f"{score} is not on a scale of {points}")
        imp_points = points if importance_points is None else importance_points
        ratings = [r for r in importance if r]  # None and 0 are no rating
        if any(not 1 <= r <= imp_points for r in ratings):
            raise ValueError(f"an importance rating is not on a scale of {imp_points}")
        return cls(
            n=sum(counts),
            total=sum(p * c for p, c in enumerate(counts, start=1)),
            total_sq=sum(p * p * c for p, c in enumerate(counts, start=1)),
            counts=tuple(counts),
            dont_know=dont_know,
            imp_n=len(ratings),
            imp_total=sum(ratings),
            imp_total_sq=sum(r * r for r in ratings),
        )

    def __add__(self, other: object) -> ItemStats:
        if not isinstance(other, ItemStats):
            return NotImplemented
        if len(self.counts) != len(other.counts):
            # Summing a 5-point and a 6-point statement would give counts that mean nothing.
            raise ValueError("cannot add figures of scales with different numbers of points")
        return ItemStats(
            n=self.n + other.n,
            total=self.total + other.total,
            total_sq=self.total_sq + other.total_sq,
            counts=tuple(a + b for a, b in zip(self.counts, other.counts, strict=True)),
            dont_know=self.dont_know + other.dont_know,
            imp_n=self.imp_n + other.imp_n,
            imp_total=self.imp_total + other.imp_total,
            imp_total_sq=self.imp_total_sq + other.imp_total_sq,
        )


@dataclass(frozen=True)
class ScoreStats:
    """Additive figures of any score, e.g. a section index per respondent."""

    n: int
    total: float
    total_sq: float

    @classmethod
    def empty(cls) -> ScoreStats:
        return cls(n=0, total=0.0, total_sq=0.0)

    @classmethod
    def of(cls, values: Iterable[float | None]) -> ScoreStats:
        """The figures of raw scores; ``None`` (no score) is left out."""
        present = [float(v) for v in values if v is not None]
        return cls(
            n=len(present), total=math.fsum(present), total_sq=math.fsum(v * v for v in present)
        )

    def __add__(self, other: object) -> ScoreStats:
        if not isinstance(other, ScoreStats):
            return NotImplemented
        return ScoreStats(
            n=self.n + other.n,
            total=self.total + other.total,
            total_sq=self.total_sq + other.total_sq,
        )


# --- estimates -----------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    """A mean with its 95 % interval (Student t, n − 1 degrees of freedom).

    ``sd`` (sample, ddof = 1), ``se``, ``low`` and ``high`` are None below two values, where
    there is no spread to measure; ``mean`` is None with no values at all.
    """

    n: int
    mean: float | None
    sd: float | None
    se: float | None
    low: float | None
    high: float | None


def estimate(n: int, total: float, total_sq: float) -> Estimate:
    """The mean and its interval from the count, the sum and the sum of squares."""
    if n < 0:
        raise ValueError("n cannot be negative")
    if n == 0:
        return Estimate(n=0, mean=None, sd=None, se=None, low=None, high=None)
    mean = total / n
    if n == 1:
        return Estimate(n=1, mean=mean, sd=None, se=None, low=None, high=None)
    # The sum of squared deviations as (n·Σx² − (Σx)²) / n: exact up to the last division
    # for integer figures, which the one-pass formula otherwise rounds away. With float
    # figures rounding can take it a hair below zero when all values are equal: the floor.
    squares = max((n * total_sq - total * total) / n, 0.0)
    sd = math.sqrt(squares / (n - 1))
    se = sd / math.sqrt(n)
    half = t_quantile(_UPPER, n - 1) * se
    return Estimate(n=n, mean=mean, sd=sd, se=se, low=mean - half, high=mean + half)


@dataclass(frozen=True)
class ItemSummary:
    """What a report shows for one statement in one group."""

    answered: int  # valid answers and "don't know"
    score: Estimate
    distribution: tuple[float, ...]  # share of valid answers per point, 1…points
    agree: float | None  # share of valid answers at or above the scale's agree_from
    dont_know: float | None  # share of those who answered
    importance: Estimate | None  # None when importance was not asked (or not rated)
    gap: float | None  # importance mean − score mean


def summarise(stats: ItemStats, *, agree_from: int) -> ItemSummary:
    """Summarise one statement; ``agree_from`` is the scale's (``Scale.agree_from()``)."""
    if not 1 <= agree_from <= stats.points:
        raise ValueError(f"agree_from {agree_from} is not on a scale of {stats.points}")
    answered = stats.n + stats.dont_know
    score = estimate(stats.n, stats.total, stats.total_sq)
    if stats.n:
        distribution = tuple(c / stats.n for c in stats.counts)
        agree: float | None = sum(stats.counts[agree_from - 1 :]) / stats.n
    else:
        # Zeros rather than an empty tuple, so a chart can always draw one bar per point.
        distribution = (0.0,) * stats.points
        agree = None
    importance = estimate(stats.imp_n, stats.imp_total, stats.imp_total_sq) if stats.imp_n else None
    gap = (
        importance.mean - score.mean
        if importance is not None and importance.mean is not None and score.mean is not None
        else None
    )
    return ItemSummary(
        answered=answered,
        score=score,
        distribution=distribution,
        agree=agree,
        dont_know=stats.dont_know / answered if answered else None,
        importance=importance,
        gap=gap,
    )


@dataclass(frozen=True)
class Change:
    """The change of a mean between two groups or rounds, with its 95 % interval (Welch)."""

    diff: float | None  # current − previous; None when either has no mean
    low: float | None
    high: float | None
    significant: bool  # the interval excludes 0
    df: float | None  # Welch–Satterthwaite degrees of freedom


def difference(current: Estimate, previous: Estimate) -> Change:
    """Welch's interval for current − previous: the groups are independent (different
    respondents, different rounds) and need not share a variance."""
    if current.mean is None or previous.mean is None:
        return Change(diff=None, low=None, high=None, significant=False, df=None)
    diff = current.mean - previous.mean
    if current.se is None or previous.se is None:
        return Change(diff=diff, low=None, high=None, significant=False, df=None)
    v1, v2 = current.se**2, previous.se**2
    var = v1 + v2
    if var == 0:
        # Both groups unanimous: no spread to estimate, so the interval is the point itself.
        df = float(current.n + previous.n - 2)
        return Change(diff=diff, low=diff, high=diff, significant=diff != 0, df=df)
    # Welch–Satterthwaite, written with the shares of the variance so that tiny standard
    # errors cannot underflow to 0 / 0.
    df = 1 / ((v1 / var) ** 2 / (current.n - 1) + (v2 / var) ** 2 / (previous.n - 1))
    half = t_quantile(_UPPER, df) * math.sqrt(var)
    low, high = diff - half, diff + half
    return Change(diff=diff, low=low, high=high, significant=low > 0 or high < 0, df=df)


# --- importance–performance analysis -------------------------------------------------


@dataclass(frozen=True)
class IpaInput:
    key: str
    importance: Estimate
    performance: Estimate


@dataclass(frozen=True)
class IpaPoint:
    key: str
    importance: float  # x
    performance: float  # y
    quadrant: Quadrant
    # (importance − performance) − (centre_x − centre_y): the signed distance (times √2)
    # from the iso-priority diagonal through the centre, positive on the side to improve.
    priority: float


@dataclass(frozen=True)
class ConcentrateItem:
    """An item in the "concentrate here" quadrant, with the intervals that place it."""

    key: str
    priority: float
    importance: Estimate
    performance: Estimate
    # The performance interval lies wholly below centre_y and the importance interval
    # wholly above centre_x: the placement is not an artefact of noise.
    clear: bool


@dataclass(frozen=True)
class Ipa:
    centre_x: float | None  # mean importance over the items; None without items
    centre_y: float | None  # mean performance over the items
    points: tuple[IpaPoint, ...]  # in the order given
    concentrate_here: tuple[ConcentrateItem, ...]  # by priority, highest first


def ipa(items: Sequence[IpaInput]) -> Ipa:
    """Importance–performance analysis with data-centred crosshairs.

    Stated importance tends to be uniformly high, so crosshairs at the scale's midpoint put
    nearly everything in the top half; centring them on the items' own means (and ranking by
    the diagonal) keeps the analysis telling items apart. Items without an importance or a
    performance mean are left out, and do not move the centre.
    """
    kept = [
        (item, item.importance.mean, item.performance.mean)
        for item in items
        if item.importance.mean is not None and item.performance.mean is not None
    ]
    if not kept:
        return Ipa(centre_x=None, centre_y=None, points=(), concentrate_here=())
    # fsum so that the centre does not depend on the order of the items.
    cx = math.fsum(x for _, x, _ in kept) / len(kept)
    cy = math.fsum(y for _, _, y in kept) / len(kept)
    points = tuple(
        IpaPoint(
            key=item.key,
            importance=x,
            performance=y,
            quadrant=_quadrant(x, y, cx, cy),
            priority=(x - y) - (cx - cy),
        )
        for item, x, y in kept
    )
    concentrate = [
        ConcentrateItem(
            key=item.key,
            priority=point.priority,
            importance=item.importance,
            performance=item.performance,
            clear=_below(item.performance, cy) and _above(item.importance, cx),
        )
        for (item, _, _), point in zip(kept, points, strict=True)
        if point.quadrant == "concentrate"
    ]
    # The sort is stable: equal priorities keep the order given (the questionnaire's).
    concentrate.sort(key=lambda c: -c.priority)
    return Ipa(centre_x=cx, centre_y=cy, points=points, concentrate_here=tuple(concentrate))


def _quadrant(x: float, y: float, cx: float, cy: float) -> Quadrant:
    # On the crosshair counts as important / performing well: ">=" on both axes.
    if x >= cx:
        return "keep_up" if y >= cy else "concentrate"
    return "overkill" if y >= cy else "low_priority"


def _below(e: Estimate, line: float) -> bool:
    return e.high is not None and e.high < line


def _above(e: Estimate, line: float) -> bool:
    return e.low is not None and e.low > line


# --- Student t quantile --------------------------------------------------------------

# From this many degrees of freedom on, the Cornish–Fisher expansion around the normal
# quantile is used: at the 95 % level its error is below 3e-9 (below 3e-7 even at 99.9 %),
# far below the two decimals any page shows, and it is some twenty times faster than the
# incomplete beta function's continued fraction, which would also need ever more terms and
# lose digits to lgamma of huge arguments. A national round asks for about half a million
# Welch intervals, nearly all of them with more degrees of freedom than this.
_LARGE_DF = 50.0
_MAX_TERMS = 10_000
_TINY = 1e-300
_EPS = 1e-15


@lru_cache(maxsize=4096)
def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom (``df`` need not be
    a whole number: Welch's is not). Cached, because reports ask for the same few ``n``."""
    if not 0 < p < 1:
        raise ValueError("p must lie strictly between 0 and 1")
    if not df > 0:  # also refuses NaN
        raise ValueError("df must be positive")
    if p == 0.5:
        return 0.0
    # Work on the smaller tail probability: 1 − p is exact for p ≥ ½, so nothing is lost.
    if p > 0.5:
        return _t_upper(1 - p, df)
    return -_t_upper(p, df)


# Between 2 and _LARGE_DF degrees of freedom (Welch's are seldom whole numbers, and below
# 2 no interval is ever shown, since a group needs at least three answers), t is read off
# a table of exact values every 1/64 of a degree, made once per level (a tenth of a second),
# by cubic interpolation: within 2e-8 of the exact value (relative) at the 95 % level and
# below, and some thirty times faster than the continued fraction.
_GRID_LOW = 2.0
_GRID_STEP = 1 / 64
_GRID_POINTS = int((_LARGE_DF - _GRID_LOW) / _GRID_STEP) + 4
_GRID_MIN_Q = 0.025


@lru_cache(maxsize=8)
def _grid(q: float) -> tuple[float, ...]:
    return tuple(_t_exact(q, _GRID_LOW + i * _GRID_STEP) for i in range(_GRID_POINTS))


def _t_upper(q: float, df: float) -> float:
    """The t with P(T > t) = q, for 0 < q < ½."""
    if df >= _LARGE_DF:
        return _cornish_fisher(_z_upper(q), df)
    if df >= _GRID_LOW and q >= _GRID_MIN_Q:
        table = _grid(q)
        position = (df - _GRID_LOW) / _GRID_STEP
        i = min(max(int(position) - 1, 0), _GRID_POINTS - 4)
        u = position - i  # between the second and third of the four points, or at an end
        y0, y1, y2, y3 = table[i : i + 4]
        # Lagrange through the four points at 0, 1, 2, 3.
        return (
            -y0 * (u - 1) * (u - 2) * (u - 3) / 6
            + y1 * u * (u - 2) * (u - 3) / 2
            - y2 * u * (u - 1) * (u - 3) / 2
            + y3 * u * (u - 1) * (u - 2) / 6
        )
    return _t_exact(q, df)


def _t_exact(q: float, df: float) -> float:
    """The t with P(T > t) = q, for 0 < q < ½, by Newton on the incomplete beta function."""
    z = _z_upper(q)
    if df >= _LARGE_DF:
        return _cornish_fisher(z, df)
    # Safeguarded Newton on P(T > t) − q, which falls as t grows: a step that leaves the
    # bracket [lo, hi] known to hold the root is replaced by bisection, so the heavy tails of
    # small df (t = 636.6 at q = 0.0005, df = 1) cannot throw it off.
    lo, hi = 0.0, math.inf
    t = max(_cornish_fisher(z, df), z)
    for _ in range(200):
        f = _t_tail(t, df) - q
        if f == 0:
            return t
        if f > 0:
            lo = t
        else:
            hi = t
        density = _t_density(t, df)
        step = f / density if density > 0 else math.inf
        new = t + step
        if not lo < new < hi:
            new = (lo + hi) / 2 if hi < math.inf else 2 * t + 1
        if abs(new - t) <= 1e-13 * new or hi - lo <= 1e-13 * new:
            return new
        t = new
    return t


def _t_tail(t: float, df: float) -> float:
    """P(T > t) for t ≥ 0: ½·I_x(df/2, ½) with x = df / (df + t²)."""
    tt = t * t
    # Both x and 1 − x directly, so neither loses digits to cancellation near t = 0 or ∞.
    return 0.5 * _beta_inc(df / 2, 0.5, df / (df + tt), tt / (df + tt))


def _t_density(t: float, df: float) -> float:
    log_c = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    return math.exp(log_c - (df + 1) / 2 * math.log1p(t * t / df))


def _beta_inc(a: float, b: float, x: float, y: float) -> float:
    """The regularised incomplete beta function I_x(a, b), with y = 1 − x given."""
    if x <= 0:
        return 0.0
    if y <= 0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(y)
    )
    # The continued fraction converges fast only below the mean of the distribution; above
    # it, use I_x(a, b) = 1 − I_{1−x}(b, a).
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _beta_fraction(a, b, x) / a
    return 1 - math.exp(log_front) * _beta_fraction(b, a, y) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of I_x(a, b), by the modified Lentz method."""
    c = 1.0
    d = 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, _MAX_TERMS + 1):
        m2 = 2 * m
        for coefficient in (
            m * (b - m) * x / ((a + m2 - 1) * (a + m2)),
            -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1)),
        ):
            d = 1 + coefficient * d
            d = 1 / (d if abs(d) > _TINY else _TINY)
            c = 1 + coefficient / c
            c = c if abs(c) > _TINY else _TINY
            h *= d * c
        if abs(d * c - 1) < _EPS:
            return h
    # Not reached for df ≤ _LARGE_DF; failing loudly beats a quietly wrong interval.
    raise ArithmeticError(f"incomplete beta did not converge for a={a}, b={b}, x={x}")


@lru_cache(maxsize=64)
def _z_upper(q: float) -> float:
    """The standard normal z with P(Z > z) = q, for 0 < q ≤ ½."""
    # Abramowitz & Stegun 26.2.23 (error below 4.5e-4) as the start, then Newton on erfc.
    w = math.sqrt(-2 * math.log(q))
    z = w - (2.515517 + 0.802853 * w + 0.010328 * w * w) / (
        1 + 1.432788 * w + 0.189269 * w * w + 0.001308 * w**3
    )
    for _ in range(50):
        density = math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
        step = (0.5 * math.erfc(z / math.sqrt(2)) - q) / density
        z += step
        if abs(step) <= 1e-15 * max(abs(z), 1.0):
            break
    return z


def _cornish_fisher(z: float, df: float) -> float:
    """t from the normal quantile z, by the expansion in 1/df (Abramowitz & Stegun 26.7.5)."""
    z2 = z * z
    g1 = (z2 + 1) * z / 4
    g2 = ((5 * z2 + 16) * z2 + 3) * z / 96
    g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384
    g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160
    return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df
