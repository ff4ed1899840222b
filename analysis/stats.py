"""Intervals and small-sample rules, shared by every analysis.

Everything here is deterministic: bootstraps take a fixed ``seed`` and resample with one
vectorised index matrix rather than a Python loop. Intervals are 95% unless ``conf`` says
otherwise.

* ``wilson_interval`` / ``proportion`` / ``wilson_exprs`` — a share and its Wilson score
  interval (well behaved near 0 and 1 and at small n, unlike the Wald interval).
* ``bootstrap_median`` / ``bootstrap_ratio_of_sums`` / ``bootstrap`` — percentile
  bootstrap intervals for statistics without a closed form. Above ``LARGE_N`` units the
  median and the ratio skip resampling and compute the bootstrap's large-sample answer
  directly (``median_interval_exact``, ``linearized_interval``; see ``LARGE_N``), so a
  crawl of millions of notes costs one pass, not thousands.
* ``rate_ratio`` — the ratio of two proportions with the Katz log interval.
* ``ratio_to_fixed`` — a share divided by a published figure that has no n of its own.
* ``loglog_slope`` — the elasticity of one quantity on another (OLS on logs, t interval).
* ``MIN_N`` / ``testable`` — the minimum number of units below which a verdict is
  ``not testable`` (see the constant's comment for why 30).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import polars as pl

from analysis.results import Result

#: Below this many units (notes, creators, media kits) no verdict is drawn. With n = 30 a
#: Wilson interval around a 50% share is still ±17 points wide and a bootstrap median
#: interval is unstable; fewer units cannot separate "about 70%" from "about half", so a
#: verdict would be noise. Estimates are still reported, flagged as below the minimum.
MIN_N = 30

#: Bootstrap resamples: enough for stable 2.5/97.5 percentiles (Efron & Tibshirani
#: suggest ≥1,000 for percentile intervals) while staying fast on ~10^3 units.
N_BOOT = 4000

#: Above this many units, ``bootstrap_median`` and ``bootstrap_ratio_of_sums`` stop
#: resampling: resampling costs n_boot × n draws (4·10¹⁰ for 10M notes, hours), while at
#: this n the percentile bootstrap has converged to what can be computed in one pass —
#: for a median, the exact bootstrap distribution of the middle order statistic
#: (binomial; Efron 1982 §10.3), with no Monte Carlo error; for a ratio of sums, the
#: normal interval of its linearization (delta method; Cochran 1977 §6.4), which is the
#: bootstrap's own limit. ``tests/test_stats.py`` checks both against resampling at n
#: above this bound. Every real data set shipped here is far below it (≈16K notes), so
#: the published ledger is computed by resampling.
LARGE_N = 50_000

#: The fixed seed every bootstrap uses by default, so a rebuilt report shows the same digits.
SEED = 20250113


class StatsInputError(ValueError):
    """Impossible inputs to a statistic (negative counts, successes above n, …)."""


def z_value(conf: float = 0.95) -> float:
    """The two-sided standard-normal quantile for ``conf`` (1.959964 for 95%)."""
    if not 0 < conf < 1:
        raise StatsInputError(f"conf={conf!r}; give a confidence level between 0 and 1, e.g. 0.95")
    return NormalDist().inv_cdf(0.5 + conf / 2)


def testable(n: int | None, min_n: int = MIN_N) -> bool:
    """True when ``n`` units are enough for a verdict (``n >= min_n``)."""
    return n is not None and n >= min_n


def _check_counts(successes: int, n: int) -> None:
    if n < 0 or successes < 0:
        raise StatsInputError(f"counts must be non-negative (successes={successes}, n={n})")
    if successes > n:
        raise StatsInputError(f"successes={successes} exceed n={n}")


def wilson_interval(successes: int, n: int, conf: float = 0.95) -> tuple[float | None, float | None]:
    """The Wilson score interval ``(lo, hi)`` for ``successes`` out of ``n``.

    ``(None, None)`` when ``n == 0`` (no data, no interval). Example: 8/20 at 95% gives
    (0.2188, 0.6134).
    """
    _check_counts(successes, n)
    if n == 0:
        return None, None
    z = z_value(conf)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # At p = 0 or 1 the bound is exactly 0 or 1; floating point would leave ±1e-17.
    lo = 0.0 if successes == 0 else max(0.0, centre - half)
    hi = 1.0 if successes == n else min(1.0, centre + half)
    return lo, hi


def wilson_exprs(successes: pl.Expr, n: pl.Expr, conf: float = 0.95) -> tuple[pl.Expr, pl.Expr]:
    """``(lo, hi)`` Wilson bounds as polars expressions, for per-group shares in one pass.

    Rows with ``n == 0`` get null bounds.
    """
    z2 = z_value(conf) ** 2
    s, m = successes.cast(pl.Float64), n.cast(pl.Float64)
    p = s / m
    denom = 1 + z2 / m
    centre = (p + z2 / (2 * m)) / denom
    half = (z2**0.5) * (p * (1 - p) / m + z2 / (4 * m * m)).sqrt() / denom
    ok = m > 0
    lo = pl.when(ok & (s == 0)).then(0.0).when(ok).then(pl.max_horizontal(centre - half, pl.lit(0.0)))
    hi = pl.when(ok & (s == m)).then(1.0).when(ok).then(pl.min_horizontal(centre + half, pl.lit(1.0)))
    return lo, hi


def proportion(
    successes: int,
    n: int,
    *,
    measure: str,
    source: str,
    group: str = "all",
    conf: float = 0.95,
    note: str = "",
) -> Result:
    """A share as a ``Result`` with its Wilson interval (estimate null when n = 0)."""
    lo, hi = wilson_interval(successes, n, conf)
    method = f"Wilson {conf:.0%} interval"
    if n < MIN_N:
        method += f"; n below the minimum of {MIN_N}, no verdict drawn"
    return Result(
        measure=measure,
        estimate=successes / n if n else None,
        lo=lo,
        hi=hi,
        n=n,
        unit="share",
        source=source,
        group=group,
        note=f"{note}; {method}" if note else method,
    )


def _as_array(values, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1:
        raise StatsInputError(f"{name} must be one-dimensional, got shape {arr.shape}")
    return arr[~np.isnan(arr)] if name == "values" else arr


def bootstrap(
    values,
    statistic: Callable[[np.ndarray], np.ndarray],
    *,
    n_boot: int = N_BOOT,
    seed: int = SEED,
    conf: float = 0.95,
) -> tuple[float | None, float | None, float | None]:
    """``(estimate, lo, hi)``: a statistic and its percentile-bootstrap interval.

    ``statistic`` must reduce along ``axis=-1`` (e.g. ``lambda a: np.median(a, axis=-1)``)
    so all resamples are computed in one call. NaNs are dropped first; no values gives
    ``(None, None, None)``.
    """
    arr = _as_array(values, "values")
    if arr.size == 0:
        return None, None, None
    return _resampled(arr, statistic, n_boot=n_boot, seed=seed, conf=conf)


#: Resample indices drawn at once. The resamples are drawn in blocks of rows, so memory
#: stays bounded (~this × 8 bytes per paired variable) at any n; the generator yields the
#: same stream drawn in blocks as at once, so the intervals do not change.
RESAMPLE_BLOCK = 1 << 22


def _resampled(units: np.ndarray, statistic, *, n_boot: int = N_BOOT, seed: int = SEED,
               conf: float = 0.95) -> tuple[float, float, float]:
    """The bootstrap itself, over ``units`` along the last axis (a row per paired variable):
    ``statistic`` of all units and the percentiles of its resamples (NaN ones, undefined, left out)."""
    rng = np.random.default_rng(seed)
    n = units.shape[-1]
    rows = max(1, RESAMPLE_BLOCK // max(n, 1))
    draws = np.concatenate([statistic(units[..., rng.integers(0, n, size=(min(rows, n_boot - start), n))])
                            for start in range(0, n_boot, rows)])
    lo, hi = _percentiles(draws[~np.isnan(draws)], conf)
    return float(statistic(units)), lo, hi


def _percentiles(draws: np.ndarray, conf: float) -> tuple[float, float]:
    alpha = (1 - conf) / 2
    lo, hi = np.quantile(draws, [alpha, 1 - alpha])
    return float(lo), float(hi)


def interval_method(kind: str, n: int, conf: float = 0.95, *, n_boot: int | None = None) -> str:
    """How ``bootstrap_median`` (``kind="median"``), ``bootstrap_ratio_of_sums``
    (``kind="ratio"``) or another smooth statistic of sums (``kind="linear"``) gets its
    interval for ``n`` units, in words for a result's note."""
    if kind not in ("median", "ratio", "linear"):
        raise StatsInputError(f"kind={kind!r}; use 'median', 'ratio' or 'linear'")
    if n <= LARGE_N:
        return f"percentile bootstrap {conf:.0%}" + (f" ({n_boot:,} resamples)" if n_boot else "")
    if kind == "median":
        return f"exact bootstrap {conf:.0%} interval of the median (binomial order statistics; n > {LARGE_N:,})"
    scale = " on the log scale" if kind == "ratio" else ""
    return f"delta-method {conf:.0%} interval{scale}, the bootstrap's large-sample limit (n > {LARGE_N:,})"


def median_interval_exact(values, conf: float = 0.95) -> tuple[float | None, float | None, float | None]:
    """``(median, lo, hi)``: the percentile interval of the bootstrap distribution of the
    median, computed exactly rather than by resampling.

    A resample's middle order statistic is at most the j-th smallest value exactly when at
    least ``m = n // 2 + 1`` of its n draws fall at or below it, a Binomial(n, j/n) event;
    the bounds are the order statistics where that probability crosses α/2 and 1 − α/2.
    For even n the resampled median averages two middle values; above ``LARGE_N`` they
    differ by less than the data's own spacing, so the upper middle one is used. O(n).
    """
    from scipy.stats import binom

    arr = _as_array(values, "values")
    n = arr.size
    if n == 0:
        return None, None, None
    alpha = (1 - conf) / 2
    m = n // 2 + 1
    # P(resampled median ≤ x_(j)) rises with j; the bounds are its α and 1 − α crossings.
    # Outside m ± 8√n (16 binomial sds) it is 0 or 1 to machine precision.
    reach = 8 * math.isqrt(n) + 8
    first = max(1, m - reach)
    j = np.arange(first, min(n, m + reach) + 1)
    cdf = binom.sf(m - 1, n, j / n)
    # 0-based positions of the first x_(j) whose probability reaches α and 1 − α
    j_lo = first - 1 + int(np.searchsorted(cdf, alpha))
    j_hi = min(first - 1 + int(np.searchsorted(cdf, 1 - alpha)), n - 1)
    picked = np.partition(arr, sorted({j_lo, j_hi}))
    return float(np.median(arr)), float(picked[j_lo]), float(picked[j_hi])


def linearized_interval(estimate: float, influence: np.ndarray, conf: float = 0.95, *,
                        log: bool = False) -> tuple[float, float, float]:
    """``(estimate, lo, hi)``: a normal interval whose variance is the sum of squared
    per-unit influence values (the linearization of a smooth statistic of sums; the
    bootstrap's variance to first order), with the usual n / (n − 1) correction.

    ``log=True`` (a positive estimate) builds it on the log scale and maps it back, so the
    bounds stay positive and skew right as a ratio's bootstrap distribution does."""
    n = influence.size
    se = math.sqrt(float(np.dot(influence, influence)) * n / max(n - 1, 1))
    z = z_value(conf)
    if log and estimate > 0:
        spread = math.exp(z * se / estimate)
        return float(estimate), float(estimate / spread), float(estimate * spread)
    return float(estimate), float(estimate - z * se), float(estimate + z * se)


def bootstrap_median(values, **kwargs) -> tuple[float | None, float | None, float | None]:
    """``(median, lo, hi)`` with a percentile-bootstrap interval (see ``bootstrap``); above
    ``LARGE_N`` values, the same interval computed exactly (``median_interval_exact``)."""
    arr = _as_array(values, "values")
    if arr.size > LARGE_N:
        return median_interval_exact(arr, conf=kwargs.get("conf", 0.95))
    return bootstrap(arr, lambda a: np.median(a, axis=-1), **kwargs)


def _ratio_of_sums(pairs: np.ndarray) -> np.ndarray:
    """Σ row 0 / Σ row 1 along the last axis; NaN where the denominator sums to 0."""
    num, den = pairs[0].sum(axis=-1), pairs[1].sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den != 0, num / den, np.nan)


def bootstrap_ratio_of_sums(numerator, denominator, **kwargs) -> tuple[float | None, float | None, float | None]:
    """``(sum(num)/sum(den), lo, hi)``, resampling the paired units together; keywords
    as ``bootstrap`` (n_boot, seed, conf).

    Use it for a ratio pooled over units, e.g. saves per like over notes, or a
    follower-weighted mean (``num = share * fans``, ``den = fans``). Pairs with a NaN
    on either side are dropped. Above ``LARGE_N`` pairs the interval is the delta-method
    one on the log scale (influence of unit i: (num_i − R·den_i) / Σden).
    """
    num, den = _as_array(numerator, "numerator"), _as_array(denominator, "denominator")
    if num.shape != den.shape:
        raise StatsInputError(f"numerator and denominator differ in length ({num.size} vs {den.size})")
    keep = ~(np.isnan(num) | np.isnan(den))
    num, den = num[keep], den[keep]
    if num.size == 0 or den.sum() == 0:
        return None, None, None
    if num.size > LARGE_N:
        total = den.sum()
        ratio = num.sum() / total
        return linearized_interval(ratio, (num - ratio * den) / total, conf=kwargs.get("conf", 0.95), log=True)
    return _resampled(np.stack([num, den]), _ratio_of_sums, **kwargs)


def rate_ratio(
    a: int, n1: int, b: int, n2: int, conf: float = 0.95
) -> tuple[float | None, float | None, float | None]:
    """``(RR, lo, hi)`` for (a/n1) / (b/n2) with the Katz log interval.

    se(log RR) = sqrt(1/a − 1/n1 + 1/b − 1/n2). ``(None, None, None)`` when either
    count or n is zero (the ratio or its log is undefined).
    """
    _check_counts(a, n1)
    _check_counts(b, n2)
    if min(a, n1, b, n2) == 0:
        return None, None, None
    rr = (a / n1) / (b / n2)
    se = math.sqrt(1 / a - 1 / n1 + 1 / b - 1 / n2)
    z = z_value(conf)
    return rr, rr * math.exp(-z * se), rr * math.exp(z * se)


def ratio_to_fixed(
    estimate: float | None, lo: float | None, hi: float | None, reference: float
) -> tuple[float | None, float | None, float | None]:
    """A share and its interval divided by a published figure treated as exact.

    Use when the reference has no sample size; the interval then reflects only our
    estimate's uncertainty (a lower bound on the true uncertainty).
    """
    if reference <= 0:
        raise StatsInputError(f"reference={reference!r}; a ratio needs a positive reference figure")

    def scale(v):
        return None if v is None else v / reference

    return scale(estimate), scale(lo), scale(hi)


@dataclass(frozen=True)
class Slope:
    """A least-squares slope with its t interval."""

    slope: float
    lo: float
    hi: float
    intercept: float
    n: int
    r2: float


def loglog_slope(x, y, conf: float = 0.95) -> Slope | None:
    """OLS of log10(y) on log10(x): the elasticity (1.0 = proportional) with a t interval.

    Pairs where either value is missing or not positive are dropped (a log needs > 0).
    ``None`` if fewer than three pairs remain (no residual degrees of freedom).
    """
    from scipy.stats import t as t_dist

    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    keep = np.isfinite(xa) & np.isfinite(ya) & (xa > 0) & (ya > 0)
    lx, ly = np.log10(xa[keep]), np.log10(ya[keep])
    n = int(lx.size)
    if n < 3 or np.ptp(lx) == 0:
        return None
    xm, ym = lx.mean(), ly.mean()
    sxx = ((lx - xm) ** 2).sum()
    b = ((lx - xm) * (ly - ym)).sum() / sxx
    a = ym - b * xm
    resid = ly - (a + b * lx)
    sse = (resid**2).sum()
    se = math.sqrt(sse / (n - 2) / sxx)
    tq = float(t_dist.ppf(0.5 + conf / 2, n - 2))
    r2 = 1 - sse / ((ly - ym) ** 2).sum()
    return Slope(slope=float(b), lo=float(b - tq * se), hi=float(b + tq * se), intercept=float(a), n=n, r2=float(r2))


def stratified_share(
    successes,
    sampled,
    population,
    *,
    n_draws: int = N_BOOT,
    seed: int = SEED,
    conf: float = 0.95,
) -> tuple[float | None, float | None, float | None]:
    """``(share, lo, hi)`` of a population split into strata, each labelled in a sample.

    ``successes[h]`` of ``sampled[h]`` labelled units were positive in stratum ``h`` of
    ``population[h]`` units. The estimate is Σ N_h·k_h/n_h / Σ N_h. The interval draws
    each sampled stratum's share from its Jeffreys Beta(k + ½, n − k + ½) distribution
    (well behaved when k = 0, unlike a normal approximation) and takes percentiles of the
    weighted sum; a stratum labelled in full (n = N) is known exactly and does not vary.
    """
    k, n, pop = (np.asarray(v, dtype=float) for v in (successes, sampled, population))
    if not (k.shape == n.shape == pop.shape):
        raise StatsInputError("successes, sampled and population need one entry per stratum")
    if np.any(k < 0) or np.any(k > n) or np.any(n > pop) or np.any(n <= 0):
        raise StatsInputError("each stratum needs 0 ≤ successes ≤ sampled ≤ population and sampled > 0")
    if pop.sum() == 0:
        return None, None, None
    weights = pop / pop.sum()
    estimate = float((weights * k / n).sum())
    rng = np.random.default_rng(seed)
    census = n == pop
    draws = rng.beta(k + 0.5, n - k + 0.5, size=(n_draws, k.size))
    draws[:, census] = (k / n)[census]
    lo, hi = _percentiles(draws @ weights, conf)
    return estimate, min(lo, estimate), max(hi, estimate)
