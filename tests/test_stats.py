"""Specifications of analysis.stats, against values worked out by hand."""

import math

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analysis import stats


def test__z_value__95_percent():
    assert stats.z_value(0.95) == pytest.approx(1.959964, abs=1e-6)


def test__z_value__rejects_a_percentage():
    with pytest.raises(stats.StatsInputError, match="between 0 and 1"):
        stats.z_value(95)


def test__wilson_interval__8_of_20():
    # p = 0.4, z² = 3.841459: centre = (0.4 + z²/40) / (1 + z²/20) = 0.416113,
    # half = z·sqrt(0.012 + z²/1600) / 1.192073 = 0.197306
    lo, hi = stats.wilson_interval(8, 20)
    assert lo == pytest.approx(0.218807, abs=1e-6)
    assert hi == pytest.approx(0.613418, abs=1e-6)


def test__wilson_interval__zero_successes_has_positive_upper_bound():
    # hi = (z²/n) / (1 + z²/n) = 0.3841459 / 1.3841459
    lo, hi = stats.wilson_interval(0, 10)
    assert lo == 0.0
    assert hi == pytest.approx(0.277533, abs=1e-6)


def test__wilson_interval__empty_sample_has_no_interval():
    assert stats.wilson_interval(0, 0) == (None, None)


def test__wilson_interval__rejects_more_successes_than_n():
    with pytest.raises(stats.StatsInputError, match="exceed"):
        stats.wilson_interval(5, 4)


def test__wilson_exprs__match_the_scalar_function_per_group():
    frame = pl.DataFrame({"k": [8, 0, 0], "n": [20, 10, 0]})
    lo, hi = stats.wilson_exprs(pl.col("k"), pl.col("n"))
    got = frame.select(lo.round(6).alias("lo"), hi.round(6).alias("hi"))
    expected = pl.DataFrame({"lo": [0.218807, 0.0, None], "hi": [0.613418, 0.277533, None]})
    assert_frame_equal(got, expected)


def test__proportion__result_carries_share_interval_and_n():
    r = stats.proportion(8, 20, measure="ad_share", source="x", group="d1")
    assert (r.measure, r.group, r.estimate, r.n, r.unit, r.source) == ("ad_share", "d1", 0.4, 20, "share", "x")
    assert (round(r.lo, 6), round(r.hi, 6)) == (0.218807, 0.613418)
    assert "below the minimum of 30" in r.note


def test__testable__minimum_n_boundary():
    assert not stats.testable(stats.MIN_N - 1)
    assert stats.testable(stats.MIN_N)
    assert not stats.testable(None)


def test__rate_ratio__katz_interval_by_hand():
    # RR = 0.1/0.2 = 0.5; se = sqrt(1/10 - 1/100 + 1/20 - 1/100) = sqrt(0.13) = 0.360555
    rr, lo, hi = stats.rate_ratio(10, 100, 20, 100)
    assert rr == 0.5
    assert lo == pytest.approx(0.5 * math.exp(-1.959964 * 0.360555), abs=1e-5)
    assert hi == pytest.approx(0.5 * math.exp(1.959964 * 0.360555), abs=1e-5)
    assert (round(lo, 4), round(hi, 4)) == (0.2466, 1.0136)


def test__rate_ratio__zero_count_is_undefined():
    assert stats.rate_ratio(0, 100, 20, 100) == (None, None, None)


def test__ratio_to_fixed__scales_estimate_and_bounds():
    assert stats.ratio_to_fixed(0.1, 0.05, 0.2, 0.2) == (0.5, 0.25, 1.0)


def test__ratio_to_fixed__rejects_zero_reference():
    with pytest.raises(stats.StatsInputError, match="positive reference"):
        stats.ratio_to_fixed(0.1, 0.05, 0.2, 0.0)


def test__bootstrap_median__constant_values_give_a_point_interval():
    assert stats.bootstrap_median([5.0] * 12) == (5.0, 5.0, 5.0)


def test__bootstrap_median__drops_nan_and_is_deterministic():
    values = [1.0, 2.0, 3.0, float("nan"), 10.0, 4.0]
    first = stats.bootstrap_median(values)
    assert first == stats.bootstrap_median(values)
    est, lo, hi = first
    assert est == 3.0  # median of 1, 2, 3, 4, 10
    assert 1.0 <= lo <= est <= hi <= 10.0


def test__bootstrap_median__empty_input():
    assert stats.bootstrap_median([]) == (None, None, None)


def test__bootstrap__other_seed_changes_only_the_interval():
    values = np.arange(50, dtype=float)
    a = stats.bootstrap(values, lambda x: x.mean(axis=-1), seed=1)
    b = stats.bootstrap(values, lambda x: x.mean(axis=-1), seed=2)
    assert a[0] == b[0] == 24.5
    assert a[1:] != b[1:]


def test__bootstrap_ratio_of_sums__pooled_ratio():
    # follower-weighted mean share: (0.8·100 + 0.6·300) / 400 = 260 / 400
    est, lo, hi = stats.bootstrap_ratio_of_sums([80.0, 180.0], [100.0, 300.0])
    assert est == 0.65
    assert 0.6 <= lo <= hi <= 0.8


def test__bootstrap_ratio_of_sums__lengths_must_match():
    with pytest.raises(stats.StatsInputError, match="differ in length"):
        stats.bootstrap_ratio_of_sums([1.0, 2.0], [1.0])


def test__loglog_slope__exact_power_law():
    fit = stats.loglog_slope([1, 10, 100, 1000], [10, 1000, 100000, 10000000])
    assert (fit.slope, fit.lo, fit.hi, fit.n) == pytest.approx((2.0, 2.0, 2.0, 4))
    assert fit.r2 == pytest.approx(1.0)


def test__loglog_slope__three_points_by_hand():
    # logs x = 0, 1, 2; y = 0, 2, 3 → b = 3/2, residuals −1/6, 1/3, −1/6, SSE = 1/6,
    # se = sqrt(SSE/1/2) = 0.288675, t(0.975, df=1) = 12.706205, R² = 1 − (1/6)/(42/9)
    fit = stats.loglog_slope([1, 10, 100, -5], [1, 100, 1000, 7])
    assert fit.n == 3
    assert fit.slope == pytest.approx(1.5)
    assert fit.lo == pytest.approx(1.5 - 12.706205 * 0.288675, abs=1e-5)
    assert fit.hi == pytest.approx(1.5 + 12.706205 * 0.288675, abs=1e-5)
    assert fit.r2 == pytest.approx(1 - (1 / 6) / (42 / 9))


def test__loglog_slope__too_few_points():
    assert stats.loglog_slope([1, 10], [1, 10]) is None


def test__stratified_share__weights_strata_by_population():
    # (10 · 5/10 + 90 · 9/30) / 100 = (5 + 27) / 100
    est, lo, hi = stats.stratified_share([5, 9], [10, 30], [10, 90])
    assert est == pytest.approx(0.32)
    assert lo < est < hi


def test__stratified_share__census_strata_are_exact():
    assert stats.stratified_share([3, 1], [4, 2], [4, 2]) == pytest.approx((4 / 6, 4 / 6, 4 / 6))


def test__stratified_share__zero_successes_keep_an_upper_bound():
    est, lo, hi = stats.stratified_share([0], [40], [723])
    assert (est, lo) == (0.0, 0.0)
    assert 0.0 < hi < 0.1


def test__stratified_share__rejects_sample_larger_than_stratum():
    with pytest.raises(stats.StatsInputError, match="sampled ≤ population"):
        stats.stratified_share([1], [5], [3])


def test__bootstrap__resamples_drawn_in_blocks_give_the_same_interval(monkeypatch):
    # Memory stays bounded at any n because resamples are drawn a block of rows at a time;
    # the interval must not depend on the block size.
    rng = np.random.default_rng(3)
    values, num, den = rng.exponential(size=501), rng.poisson(3, size=333), rng.poisson(9, size=333) + 1
    at_once = (stats.bootstrap_median(values), stats.bootstrap_ratio_of_sums(num, den))
    monkeypatch.setattr(stats, "RESAMPLE_BLOCK", 1_000)  # one or two resamples per block
    assert (stats.bootstrap_median(values), stats.bootstrap_ratio_of_sums(num, den)) == at_once


# --- Above LARGE_N: the bootstrap's answer without resampling ------------------------------

def test__median_interval_exact__five_values_by_hand():
    # n = 5, m = 3: P(resampled median ≤ x_(j)) = P(Binomial(5, j/5) ≥ 3)
    # = 0.058, 0.317, 0.683, 0.942, 1 for j = 1…5; the 2.5% and 97.5% crossings are at
    # j = 1 and j = 5, so the interval is (1, 10) around the median 3.
    assert stats.median_interval_exact([4.0, 1.0, 10.0, 3.0, 2.0]) == (3.0, 1.0, 10.0)


def test__median_interval_exact__empty_input():
    assert stats.median_interval_exact([]) == (None, None, None)


@pytest.mark.parametrize("draw", ["normal", "lognormal"])
def test__bootstrap_median__above_large_n_matches_resampling(draw):
    rng = np.random.default_rng(7)
    values = getattr(rng, draw)(size=stats.LARGE_N + 1)
    est, lo, hi = stats.bootstrap_median(values)  # computed exactly
    r_est, r_lo, r_hi = stats.bootstrap(values, lambda a: np.median(a, axis=-1), n_boot=1000)
    width = r_hi - r_lo
    assert est == r_est
    assert abs(lo - r_lo) < 0.1 * width and abs(hi - r_hi) < 0.1 * width


def test__bootstrap_ratio_of_sums__above_large_n_matches_resampling():
    rng = np.random.default_rng(11)
    n = stats.LARGE_N + 1
    likes = np.floor(rng.pareto(1.5, n) * 20) + 1  # long-tailed, as engagement counts are
    saves = np.floor(likes * rng.random(n) * 0.6)
    est, lo, hi = stats.bootstrap_ratio_of_sums(saves, likes)
    r_est, r_lo, r_hi = stats._resampled(np.stack([saves, likes]), stats._ratio_of_sums, n_boot=1000)
    width = r_hi - r_lo
    assert est == pytest.approx(r_est)
    assert abs(lo - r_lo) < 0.1 * width and abs(hi - r_hi) < 0.1 * width
    assert 0 < lo < est < hi


def test__large_n_methods__below_large_n_the_intervals_are_resampled(monkeypatch):
    values = np.random.default_rng(5).normal(size=200)
    resampled = stats.bootstrap_median(values)
    monkeypatch.setattr(stats, "LARGE_N", 100)
    assert stats.bootstrap_median(values) == stats.median_interval_exact(values)
    assert stats.bootstrap_median(values) != resampled


def test__interval_method__names_the_method_each_n_gets():
    assert stats.interval_method("median", stats.LARGE_N) == "percentile bootstrap 95%"
    assert stats.interval_method("ratio", 10, n_boot=1000) == "percentile bootstrap 95% (1,000 resamples)"
    assert stats.interval_method("median", stats.LARGE_N + 1).startswith("exact bootstrap 95% interval")
    assert "log scale" in stats.interval_method("ratio", stats.LARGE_N + 1)
    with pytest.raises(stats.StatsInputError, match="'median', 'ratio' or 'linear'"):
        stats.interval_method("mean", 10)
