"""Statistics of survey results from additive figures (medvirk/results/analysis.py).

Hand-computed cases pin the figures a report prints; hypothesis checks that figures add up
across groups and agree with numpy; the t quantile is checked against printed tables, closed
forms and a numerical integral of the density.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from medvirk.results.analysis import (
    Change,
    Estimate,
    IpaInput,
    ItemStats,
    ScoreStats,
    difference,
    estimate,
    ipa,
    summarise,
    t_quantile,
)

FIVE = [5, 4, 4, 3, 5]  # mean 4.2, Σ(x − x̄)² = 2.8, variance 0.7


def _estimate_of(values: list[int]) -> Estimate:
    stats = ItemStats.of(values, points=5)
    return estimate(stats.n, stats.total, stats.total_sq)


# --- hand-computed small cases -------------------------------------------------------


def test_mean_of_five_answers() -> None:
    assert summarise(ItemStats.of(FIVE, points=5), agree_from=4).score.mean == pytest.approx(4.2)


def test_sd_of_five_answers_is_the_sample_sd() -> None:
    # √(2.8 / 4)
    sd = summarise(ItemStats.of(FIVE, points=5), agree_from=4).score.sd
    assert sd == pytest.approx(0.8366600, abs=1e-7)


def test_se_of_five_answers() -> None:
    # 0.8366600 / √5
    se = summarise(ItemStats.of(FIVE, points=5), agree_from=4).score.se
    assert se == pytest.approx(0.3741657, abs=1e-7)


def test_interval_of_five_answers_uses_t_with_four_df() -> None:
    score = summarise(ItemStats.of(FIVE, points=5), agree_from=4).score
    assert (score.low, score.high) == (  # type: ignore[comparison-overlap]  # mypy skips Approx.__eq__ in a tuple
        pytest.approx(4.2 - 2.7764451 * 0.3741657, abs=1e-6),
        pytest.approx(4.2 + 2.7764451 * 0.3741657, abs=1e-6),
    )


def test_distribution_is_share_of_valid_answers_per_point() -> None:
    distribution = summarise(ItemStats.of(FIVE, points=5), agree_from=4).distribution
    assert distribution == pytest.approx((0.0, 0.0, 0.2, 0.4, 0.4))


def test_agree_share_counts_points_from_agree_from() -> None:
    # 5, 4, 4, 5 are at 4 or above: 4 of 5.
    assert summarise(ItemStats.of(FIVE, points=5), agree_from=4).agree == pytest.approx(0.8)


def test_agree_share_leaves_out_points_below_agree_from() -> None:
    # Only the two 5s: 2 of 5.
    assert summarise(ItemStats.of(FIVE, points=5), agree_from=5).agree == pytest.approx(0.4)


def test_dont_know_share_is_of_those_who_answered() -> None:
    # Three points and two "don't know": 2 of 5; the unanswered one does not count.
    summary = summarise(ItemStats.of([5, 0, 4, 0, 3, None], points=5), agree_from=4)
    assert (summary.answered, summary.dont_know) == (5, pytest.approx(0.4))  # type: ignore[comparison-overlap]  # mypy skips Approx.__eq__ in a tuple


def test_dont_know_is_left_out_of_the_mean_and_shares() -> None:
    summary = summarise(ItemStats.of([5, 0, 4, 0, 3], points=5), agree_from=4)
    assert (summary.score.n, summary.score.mean, summary.agree) == (  # type: ignore[comparison-overlap]  # mypy skips Approx.__eq__ in a tuple
        3,
        pytest.approx(4.0),
        pytest.approx(2 / 3),
    )


def test_no_answers_have_no_mean() -> None:
    summary = summarise(ItemStats.of([None, None], points=5), agree_from=4)
    assert (summary.answered, summary.score.mean, summary.score.sd) == (0, None, None)


def test_no_answers_have_no_shares() -> None:
    summary = summarise(ItemStats.of([], points=5), agree_from=4)
    assert (summary.agree, summary.dont_know) == (None, None)


def test_no_valid_answers_give_a_zero_bar_per_point() -> None:
    summary = summarise(ItemStats.of([0, 0], points=5), agree_from=4)
    assert (summary.distribution, summary.dont_know) == ((0.0,) * 5, 1.0)


def test_one_answer_has_a_mean_but_no_spread_or_interval() -> None:
    score = summarise(ItemStats.of([3], points=5), agree_from=4).score
    assert (score.mean, score.sd, score.se, score.low, score.high) == (3.0, None, None, None, None)


def test_importance_gets_its_own_estimate() -> None:
    summary = summarise(ItemStats.of(FIVE, [5, 5, 4, None, 0], points=5), agree_from=4)
    assert summary.importance is not None
    assert (summary.importance.n, summary.importance.mean) == (3, pytest.approx(14 / 3))  # type: ignore[comparison-overlap]  # mypy skips Approx.__eq__ in a tuple


def test_gap_is_importance_mean_minus_score_mean() -> None:
    summary = summarise(ItemStats.of(FIVE, [5, 5, 5, 4, 4], points=5), agree_from=4)
    assert summary.gap == pytest.approx(4.6 - 4.2)


def test_importance_not_asked_gives_no_importance_and_no_gap() -> None:
    summary = summarise(ItemStats.of(FIVE, points=5), agree_from=4)
    assert (summary.importance, summary.gap) == (None, None)


def test_agree_from_off_the_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="agree_from"):
        summarise(ItemStats.of(FIVE, points=5), agree_from=6)


def test_an_answer_off_the_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="not on a scale of 5"):
        ItemStats.of([6], points=5)


def test_figures_that_do_not_add_up_are_refused() -> None:
    with pytest.raises(ValueError, match="counts add up"):
        ItemStats(n=3, total=3, total_sq=5, counts=(1, 1))


def test_figures_of_different_scales_cannot_be_added() -> None:
    with pytest.raises(ValueError, match="different numbers of points"):
        ItemStats.of([1], points=5) + ItemStats.of([1], points=6)


def test_empty_figures_start_a_sum() -> None:
    groups = [ItemStats.of([5, 4], points=5), ItemStats.of([3, 0], points=5)]
    assert sum(groups, ItemStats.empty(5)) == ItemStats.of([5, 4, 3, 0], points=5)


def test_equal_float_scores_give_zero_sd_not_nan() -> None:
    # In floats 5·Σx² − (Σx)² comes out at −1.8e-15 for five scores of 0.7.
    stats = ScoreStats.of([0.7] * 5)
    assert estimate(stats.n, stats.total, stats.total_sq).sd == 0.0


def test_score_stats_leave_out_missing_scores() -> None:
    assert ScoreStats.of([1.5, None, 2.5]) == ScoreStats(n=2, total=4.0, total_sq=8.5)


# --- additivity and agreement with numpy ---------------------------------------------


@st.composite
def two_groups(
    draw: st.DrawFn,
) -> tuple[int, list[int | None], list[int | None], list[int | None], list[int | None]]:
    points = draw(st.integers(2, 9))
    answer = st.one_of(st.none(), st.integers(0, points))
    rating = st.one_of(st.none(), st.integers(1, points))
    return (
        points,
        draw(st.lists(answer)),
        draw(st.lists(rating)),
        draw(st.lists(answer)),
        draw(st.lists(rating)),
    )


@given(two_groups())
def test_sum_of_two_groups_is_the_stats_of_all_their_answers(
    groups: tuple[int, list[int | None], list[int | None], list[int | None], list[int | None]],
) -> None:
    points, scores_a, importance_a, scores_b, importance_b = groups
    summed = ItemStats.of(scores_a, importance_a, points=points) + ItemStats.of(
        scores_b, importance_b, points=points
    )
    assert summed == ItemStats.of(scores_a + scores_b, importance_a + importance_b, points=points)


quarters = st.integers(0, 40).map(lambda v: v / 4)  # exact in binary, so sums are exact too


@given(st.lists(st.one_of(st.none(), quarters)), st.lists(st.one_of(st.none(), quarters)))
def test_sum_of_two_groups_score_stats_is_the_stats_of_all_scores(
    a: list[float | None], b: list[float | None]
) -> None:
    assert ScoreStats.of(a) + ScoreStats.of(b) == ScoreStats.of(a + b)


valid_answers = st.lists(st.integers(1, 7), min_size=2, max_size=300)


@given(valid_answers, st.integers(0, 5), st.integers(0, 5))
def test_summary_mean_matches_numpy(values: list[int], dont_know: int, missing: int) -> None:
    answers: list[int | None] = [*values, *[0] * dont_know, *[None] * missing]
    score = summarise(ItemStats.of(answers, points=7), agree_from=6).score
    assert score.mean == pytest.approx(np.mean(values))


@given(valid_answers)
def test_summary_sd_matches_numpy(values: list[int]) -> None:
    score = summarise(ItemStats.of(values, points=7), agree_from=6).score
    assert score.sd == pytest.approx(np.std(values, ddof=1), rel=1e-9, abs=1e-12)


@given(valid_answers)
def test_summary_se_matches_numpy(values: list[int]) -> None:
    score = summarise(ItemStats.of(values, points=7), agree_from=6).score
    expected = np.std(values, ddof=1) / math.sqrt(len(values))
    assert score.se == pytest.approx(expected, rel=1e-9, abs=1e-12)


@given(valid_answers)
def test_summary_interval_is_centred_on_the_mean(values: list[int]) -> None:
    score = summarise(ItemStats.of(values, points=7), agree_from=6).score
    assert score.low is not None
    assert score.high is not None
    assert (score.low + score.high) / 2 == pytest.approx(score.mean)


@given(valid_answers)
def test_summary_distribution_matches_numpy_shares(values: list[int]) -> None:
    distribution = summarise(ItemStats.of(values, points=7), agree_from=6).distribution
    expected = np.bincount(values, minlength=8)[1:] / len(values)
    assert distribution == pytest.approx(tuple(expected))


@given(valid_answers)
def test_summary_agree_matches_numpy_share(values: list[int]) -> None:
    agree = summarise(ItemStats.of(values, points=7), agree_from=6).agree
    assert agree == pytest.approx(np.mean(np.array(values) >= 6))


# --- differences ---------------------------------------------------------------------


def test_far_apart_with_many_answers_is_significant() -> None:
    change = difference(_estimate_of([5] * 150 + [4] * 50), _estimate_of([3] * 100 + [2] * 100))
    assert change.significant


def test_overlapping_groups_are_not_significant() -> None:
    change = difference(_estimate_of(FIVE), _estimate_of([4, 4, 3, 5, 4]))
    assert not change.significant


def test_difference_is_current_minus_previous() -> None:
    assert difference(_estimate_of(FIVE), _estimate_of([3, 3])).diff == pytest.approx(1.2)


def _reversed(change: Change) -> tuple[float, float, float]:
    """diff, low and high of the same change seen the other way round."""
    assert change.diff is not None
    assert change.low is not None
    assert change.high is not None
    return (-change.diff, -change.high, -change.low)


def test_difference_changes_sign_with_the_order() -> None:
    ab = difference(_estimate_of(FIVE), _estimate_of([1, 2, 3, 4, 5, 1, 2, 3, 4, 5]))
    ba = difference(_estimate_of([1, 2, 3, 4, 5, 1, 2, 3, 4, 5]), _estimate_of(FIVE))
    assert (ab.diff, ab.low, ab.high) == pytest.approx(_reversed(ba))


# Welch by hand: se₁² = 0.7 / 5 = 7/50, se₂² = (20/9) / 10 = 2/9, so
# df = (7/50 + 2/9)² / ((7/50)² / 4 + (2/9)² / 9) = (26569/202500) / (75721/7290000)
#    = 956484/75721 ≈ 12.6316874.
WELCH_A = FIVE
WELCH_B = [1, 2, 3, 4, 5, 1, 2, 3, 4, 5]


def test_welch_df_matches_hand_computation() -> None:
    change = difference(_estimate_of(WELCH_A), _estimate_of(WELCH_B))
    assert change.df == pytest.approx(956484 / 75721, rel=1e-12)


def test_welch_interval_uses_t_at_welch_df() -> None:
    change = difference(_estimate_of(WELCH_A), _estimate_of(WELCH_B))
    half = t_quantile(0.975, 956484 / 75721) * math.sqrt(7 / 50 + 2 / 9)
    assert (change.low, change.high) == (pytest.approx(1.2 - half), pytest.approx(1.2 + half))  # type: ignore[comparison-overlap]  # mypy skips Approx.__eq__ in a tuple


def test_change_needs_two_answers_on_each_side_for_an_interval() -> None:
    change = difference(_estimate_of([5]), _estimate_of([1, 2, 1, 2]))
    assert (change.diff, change.low, change.high, change.significant) == (  # type: ignore[comparison-overlap]  # mypy skips Approx.__eq__ in a tuple
        pytest.approx(3.5),
        None,
        None,
        False,
    )


def test_change_without_a_mean_on_one_side_has_no_diff() -> None:
    change = difference(_estimate_of(FIVE), _estimate_of([]))
    assert (change.diff, change.low, change.significant) == (None, None, False)


def test_change_between_unanimous_groups_is_a_point_interval() -> None:
    change = difference(_estimate_of([5, 5, 5]), _estimate_of([4, 4, 4]))
    assert (change.low, change.high, change.significant) == (1.0, 1.0, True)


# --- importance–performance analysis -------------------------------------------------


def _est(mean: float, half: float = 0.1) -> Estimate:
    """An estimate with a chosen interval; ipa reads only the mean and the interval."""
    return Estimate(n=50, mean=mean, sd=None, se=half / 2, low=mean - half, high=mean + half)


NO_MEAN = Estimate(n=0, mean=None, sd=None, se=None, low=None, high=None)


def _single(mean: float) -> Estimate:
    return Estimate(n=1, mean=mean, sd=None, se=None, low=None, high=None)


# Quarters, so the centre is exact: importance 25.5 / 6 = 4.25, performance 21.75 / 6 = 3.625,
# and centre_x − centre_y = 0.625.
SIX = [
    IpaInput("wait", importance=_est(4.5), performance=_est(3.5, 0.2)),  # perf CI to 3.7
    IpaInput("info", importance=_est(5.0), performance=_est(3.0)),
    IpaInput("respect", importance=_est(4.5), performance=_est(4.5)),
    IpaInput("food", importance=_est(3.5), performance=_est(3.25)),
    IpaInput("activities", importance=_est(3.75), performance=_est(4.5)),
    IpaInput("contact", importance=_est(4.25), performance=_est(3.0)),  # on the x crosshair
]


def test_ipa_centre_is_the_mean_of_the_items() -> None:
    result = ipa(SIX)
    assert (result.centre_x, result.centre_y) == (4.25, 3.625)


def test_ipa_places_each_item_in_its_quadrant() -> None:
    assert {p.key: p.quadrant for p in ipa(SIX).points} == {
        "wait": "concentrate",
        "info": "concentrate",
        "respect": "keep_up",
        "food": "low_priority",
        "activities": "overkill",
        "contact": "concentrate",
    }


def test_ipa_priority_is_distance_from_the_diagonal_through_the_centre() -> None:
    # (importance − performance) − 0.625
    assert {p.key: p.priority for p in ipa(SIX).points} == {
        "wait": 0.375,
        "info": 1.375,
        "respect": -0.625,
        "food": -0.375,
        "activities": -1.375,
        "contact": 0.625,
    }


def test_ipa_concentrate_here_is_ordered_by_priority() -> None:
    assert [c.key for c in ipa(SIX).concentrate_here] == ["info", "contact", "wait"]


def test_ipa_concentrate_here_carries_the_intervals() -> None:
    info = ipa(SIX).concentrate_here[0]
    assert (info.importance, info.performance) == (_est(5.0), _est(3.0))


def test_ipa_leaves_out_items_without_importance() -> None:
    result = ipa([*SIX, IpaInput("new", importance=NO_MEAN, performance=_est(1.0))])
    assert ([p.key for p in result.points], result.centre_x, result.centre_y) == (
        [i.key for i in SIX],
        4.25,
        3.625,
    )


def test_ipa_leaves_out_items_without_performance() -> None:
    result = ipa([IpaInput("unanswered", importance=_est(5.0), performance=NO_MEAN), *SIX])
    assert [p.key for p in result.points] == [i.key for i in SIX]


def test_ipa_clear_when_both_intervals_clear_the_crosshairs() -> None:
    # info: performance up to 3.1 < 3.625, importance from 4.9 > 4.25
    assert ipa(SIX).concentrate_here[0].clear


def test_ipa_not_clear_when_performance_interval_reaches_the_centre() -> None:
    # wait: performance up to 3.7 > 3.625
    assert not ipa(SIX).concentrate_here[2].clear


def test_ipa_not_clear_when_importance_interval_reaches_the_centre() -> None:
    # contact: importance from 4.15 < 4.25
    assert not ipa(SIX).concentrate_here[1].clear


def test_ipa_not_clear_without_an_interval() -> None:
    result = ipa(
        [
            IpaInput("single", importance=_single(5.0), performance=_single(1.0)),
            IpaInput("other", importance=_est(1.0), performance=_est(5.0)),
        ]
    )
    assert [(c.key, c.clear) for c in result.concentrate_here] == [("single", False)]


def test_ipa_of_no_items_has_no_centre() -> None:
    result = ipa([IpaInput("new", importance=NO_MEAN, performance=_est(3.0))])
    assert (result.centre_x, result.centre_y, result.points, result.concentrate_here) == (
        None,
        None,
        (),
        (),
    )


# --- t quantile ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "df", "expected"),
    [
        (0.975, 1, 12.7062047),
        (0.975, 2, 4.3026527),
        (0.975, 4, 2.7764451),
        (0.975, 10, 2.2281389),
        (0.975, 30, 2.0422725),
        (0.975, 120, 1.9799304),
        (0.995, 5, 4.0321430),
        (0.975, 1e6, 1.959966),
    ],
)
def test_t_quantile_matches_the_table(p: float, df: float, expected: float) -> None:
    assert t_quantile(p, df) == pytest.approx(expected, abs=1e-6)


P_GRID = [0.5, 0.55, 0.75, 0.9, 0.975, 0.99, 0.999, 0.9995]


@pytest.mark.parametrize("p", P_GRID)
def test_t_quantile_with_one_df_is_the_cauchy_quantile(p: float) -> None:
    assert t_quantile(p, 1) == pytest.approx(math.tan(math.pi * (p - 0.5)), rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("p", P_GRID)
def test_t_quantile_with_two_df_matches_its_closed_form(p: float) -> None:
    expected = (2 * p - 1) / math.sqrt(2 * p * (1 - p))
    assert t_quantile(p, 2) == pytest.approx(expected, rel=1e-10, abs=1e-12)


def _t_cdf_by_simpson(t: float, df: float) -> float:
    """½ + ∫₀ᵗ of the t density, by Simpson's rule: independent of the incomplete beta."""
    x = np.linspace(0.0, t, 200_001)
    log_c = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    y = np.exp(log_c - (df + 1) / 2 * np.log1p(x * x / df))
    h = x[1] - x[0]
    return float(0.5 + h / 3 * (y[0] + y[-1] + 4 * y[1:-1:2].sum() + 2 * y[2:-1:2].sum()))


@pytest.mark.parametrize("df", [1.5, 2.7, 12.6317, 55.5])
@pytest.mark.parametrize("p", [0.6, 0.975, 0.9995])
def test_t_quantile_with_fractional_df_inverts_the_distribution(p: float, df: float) -> None:
    assert _t_cdf_by_simpson(t_quantile(p, df), df) == pytest.approx(p, abs=1e-9)


def test_t_quantile_is_symmetric_about_zero() -> None:
    # 0.125 and 0.875 are exact in binary, so the two tails are the same number.
    assert t_quantile(0.125, 7) == -t_quantile(0.875, 7)


def test_t_quantile_is_smooth_where_large_df_switch_method() -> None:
    # Near df = 10⁴ the quantile falls by about (z³ + z) / (4 df²) per degree of freedom.
    z = 1.959963985
    expected = 2 * (z**3 + z) / (4 * 1e4**2)
    assert t_quantile(0.975, 9_999) - t_quantile(0.975, 10_001) == pytest.approx(expected, rel=0.01)


@pytest.mark.parametrize("p", [0.0, 1.0, -0.1, 1.5])
def test_t_quantile_refuses_p_outside_zero_to_one(p: float) -> None:
    with pytest.raises(ValueError, match="p must lie"):
        t_quantile(p, 5)


@pytest.mark.parametrize("df", [0.0, -1.0, math.nan])
def test_t_quantile_refuses_df_that_is_not_positive(df: float) -> None:
    with pytest.raises(ValueError, match="df must be positive"):
        t_quantile(0.975, df)


@pytest.mark.parametrize("p", [0.975, 0.995, 0.9995])
def test_t_quantile_is_continuous_where_the_expansion_takes_over(p: float) -> None:
    below, above = t_quantile(p, 49.999999), t_quantile(p, 50.0)

    assert above == pytest.approx(below, abs=3e-7)
    assert t_quantile(0.975, 50) == pytest.approx(2.0085591121, abs=1e-8)


@pytest.mark.parametrize("p", [0.975, 0.95, 0.75])
def test_t_quantile_from_the_table_matches_the_exact_one(p: float) -> None:
    from medvirk.results.analysis import _t_exact

    rng = np.random.default_rng(5)
    for df in rng.uniform(2, 50, size=300):
        assert t_quantile(p, float(df)) == pytest.approx(_t_exact(1 - p, float(df)), rel=3e-8)
