"""Will users stay? (claim W1): cohort retention of posting accounts and volume decay.

Inputs are canonical notes (analysis/io/schema.py). What the data can say is narrow:
the refugee data set is a *keyword sample of posts* (#TikTokRefugee), not a panel of
accounts. An account that keeps using RedNote but stops writing the hashtag — or only
reads — looks like an account that left. Retention measured here is therefore a lower
bound on posting retention and says nothing direct about reading. A panel of accounts
followed for weeks (all their notes, not only tagged ones), or the platform's own
daily-active counts by sign-up cohort, would test the claim; the published DAU and
download drops (Sensor Tower) are the closest we have and are shown beside ours.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import polars as pl

from analysis import reference
from analysis.measures import frames
from analysis.measures.common import CREATORS, DAY_TZ, REFUGEE, SURGE_DAY
from analysis.results import Result, results_frame
from analysis.stats import proportion, wilson_exprs, z_value

#: Weeks after an account's first post that the cohort table follows.
MAX_WEEKS = 6
#: Days after the surge's first day fitted by the decay model (13–26 Jan: the two weeks
#: in which the ban's timeline played out, before the sample's collection pattern in
#: February takes over).
DECAY_DAYS = 14


class DecayFitError(ValueError):
    """The decay model cannot be fitted to the given daily counts."""


def daily_activity(notes: pl.DataFrame | pl.LazyFrame, tz: str = DAY_TZ) -> pl.DataFrame:
    """Posts, posting accounts and likes per calendar day in ``tz``, zero-filled.

    Returns columns day (Date), posts, accounts, likes_total (Int64) and likes_median
    (Float64, null on days without posts), one row per day from the first to the last
    day with a post.
    """
    per_day = frames.daily_counts(notes, tz)
    if per_day.height == 0:
        return per_day.with_columns(pl.col("day").cast(pl.Date))
    days = pl.DataFrame({"day": pl.date_range(per_day["day"].min(), per_day["day"].max(), "1d", eager=True)})
    return (
        days.join(per_day, on="day", how="left", validate="1:1")
        .with_columns(pl.col("posts", "accounts", "likes_total").fill_null(0))
        .sort("day")
    )


def _poisson_loglinear(x: np.ndarray, y: np.ndarray, iterations: int = 100) -> tuple[float, float, float, float]:
    """Slope, its quasi-Poisson standard error, the dispersion and the intercept of
    log E[y] = a + b·x.

    Fitted by iteratively reweighted least squares on a handful of daily counts; days
    with zero posts stay in (a log-linear OLS would have to drop or fudge them).
    """
    design = np.column_stack([np.ones_like(x), x])
    beta = np.linalg.lstsq(design, np.log(y + 0.5), rcond=None)[0]
    for _ in range(iterations):
        mu = np.exp(design @ beta)
        z = design @ beta + (y - mu) / mu
        w = mu
        new = np.linalg.solve(design.T @ (design * w[:, None]), design.T @ (w * z))
        if np.max(np.abs(new - beta)) < 1e-10:
            beta = new
            break
        beta = new
    mu = np.exp(design @ beta)
    dof = len(y) - 2
    dispersion = max(1.0, float(((y - mu) ** 2 / mu).sum() / dof)) if dof > 0 else 1.0
    cov = np.linalg.inv(design.T @ (design * mu[:, None])) * dispersion
    return float(beta[1]), float(math.sqrt(cov[1, 1])), dispersion, float(beta[0])


def _fit_window(daily: pl.DataFrame, start: date, days: int) -> tuple[pl.DataFrame, np.ndarray, np.ndarray]:
    window = daily.filter((pl.col("day") >= start) & (pl.col("day") < start + timedelta(days=days)))
    if window.height < 3 or window["posts"].sum() == 0:
        raise DecayFitError(
            f"volume_decay needs at least 3 days with posts from {start} on; got {window.height} days "
            f"and {window['posts'].sum()} posts — widen the window or check the data set's dates"
        )
    t = window.select((pl.col("day") - pl.lit(start)).dt.total_days().cast(pl.Float64))["day"].to_numpy()
    return window, t, window["posts"].cast(pl.Float64).to_numpy()


def decay_curve(daily: pl.DataFrame, start: date = SURGE_DAY, days: int = DECAY_DAYS) -> pl.DataFrame:
    """``daily`` with a ``fitted`` column: the decay model's expected posts on each day of
    the fit window (null outside it), for drawing the fit over the counts."""
    window, t, y = _fit_window(daily, start, days)
    b, _, _, a = _poisson_loglinear(t, y)
    fitted = window.select("day", pl.Series("fitted", np.exp(a + b * t)))
    return daily.join(fitted, on="day", how="left", validate="1:1")


def volume_decay(
    daily: pl.DataFrame,
    start: date = SURGE_DAY,
    days: int = DECAY_DAYS,
    source: str = REFUGEE,
    conf: float = 0.95,
) -> pl.DataFrame:
    """The half-life of daily post volume after ``start``, from a log-linear fit.

    ``daily`` is ``daily_activity`` output. Fits log E[posts] = a + b·t over ``days``
    days from ``start`` (Poisson likelihood, quasi-Poisson standard error so that
    overdispersed counts widen the interval) and returns a result table with
    ``daily_retention_of_volume`` (exp b: the share of a day's volume left the next day)
    and ``volume_half_life`` (ln 2 / −b, in days). The half-life's upper bound is null
    when the interval of b reaches 0 (no decay cannot be excluded).
    """
    window, t, y = _fit_window(daily, start, days)
    b, se, dispersion, _ = _poisson_loglinear(t, y)
    z = z_value(conf)
    b_lo, b_hi = b - z * se, b + z * se
    n = int(y.sum())
    span = f"{start:%d %b} – {start + timedelta(days=days - 1):%d %b %Y}"
    note = (
        f"Poisson log-linear fit of daily posts over {span} ({window.height} days), quasi-Poisson "
        f"{conf:.0%} interval (dispersion {dispersion:.1f})"
    )

    def half_life(slope: float) -> float | None:
        return math.log(2) / -slope if slope < 0 else None

    return results_frame(
        [
            Result("daily_retention_of_volume", math.exp(b), n, "ratio", source, math.exp(b_lo), math.exp(b_hi), note=note),
            Result(
                "volume_half_life", half_life(b), n, "days", source, half_life(b_lo), half_life(b_hi),
                note=note + ("" if b_hi < 0 else "; no decay cannot be excluded (upper bound open)"),
            ),
        ]
    )


def cohort_retention(notes: pl.DataFrame | pl.LazyFrame, tz: str = DAY_TZ, max_weeks: int = MAX_WEEKS) -> pl.DataFrame:
    """Weekly cohort retention of posting accounts.

    An account's cohort is the week (Monday, in ``tz``) of its first post in ``notes``;
    week k covers days 7k … 7k+6 after that first post. An account counts towards week k
    only if the data run to the end of its week k (later weeks are censored, not zero).
    Returns cohort (Date), week (Int64, 0…max_weeks), accounts (observable), active
    (posted in that week), share, lo, hi (Wilson 95%). Week 0 is 1 by construction.
    """
    counts = frames.cohort_counts(notes, tz, max_weeks)
    lo, hi = wilson_exprs(pl.col("active"), pl.col("accounts"))
    return counts.with_columns((pl.col("active") / pl.col("accounts")).alias("share"), lo.alias("lo"), hi.alias("hi"))


def retention_summary(
    notes: pl.DataFrame | pl.LazyFrame,
    tz: str = DAY_TZ,
    weeks: tuple[int, ...] = (1, 2, 4),
    source: str = REFUGEE,
    caveat: str = "keyword sample: a lower bound on posting retention",
) -> pl.DataFrame:
    """Pooled retention of posting accounts, as a result table.

    * ``posted_again``: share of accounts with a post on a later day than their first,
      among accounts whose first post is at least 7 days before the data end;
    * ``retention_week_<k>``: share of accounts observable at week k that posted in week k.

    ``caveat`` is appended to each row's note: for the keyword-sampled refugee posts these
    are lower bounds of posting retention (see module docstring); for a crawl of every
    note of each creator (MediaCrawler's creator mode) they are posting retention proper.
    """
    k, n = frames.posted_again_counts(notes, tz)
    rows = [proportion(k, n, measure="posted_again", source=source,
                       note=f"accounts posting on a later day than their first; {caveat}")]
    pooled = (
        cohort_retention(notes, tz, max(weeks))
        .filter(pl.col("week").is_in(weeks))
        .group_by("week")
        .agg(pl.col("active").sum(), pl.col("accounts").sum())
    )
    counts = {w: (a, n) for w, a, n in pooled.select("week", "active", "accounts").rows()}
    for w in weeks:
        a, n = counts.get(w, (0, 0))
        rows.append(proportion(int(a), int(n), measure=f"retention_week_{w}", source=source,
                               note=f"accounts posting in week {w} after their first post, pooled over cohorts; {caveat}"))
    return results_frame(rows)


#: The published figures W1 is read against, by role.
PUBLISHED_DROPS = {
    "dau_change": "surge_us_dau_change_jan20_22",
    "downloads_change": "surge_us_downloads_after_return",
    "users_kept": "surge_us_users_kept",
    "peak_dau": "surge_us_dau_2025_01_13",
}


def published_drops() -> dict[str, reference.Reference]:
    """The published US DAU and download drops, users kept and peak DAU (Sensor Tower,
    Similarweb), keyed by role (``PUBLISHED_DROPS``)."""
    return {role: reference.figure(fig_id) for role, fig_id in PUBLISHED_DROPS.items()}




def retention_contrast(newcomers: pl.DataFrame | pl.LazyFrame, creators: pl.DataFrame | pl.LazyFrame,
                       newcomer_source: str = REFUGEE, creator_source: str = CREATORS) -> pl.DataFrame:
    """Posting retention of the newcomers' accounts (a keyword sample: lower bounds) beside
    the established creators' (every note of each creator: a panel), as one result table."""
    parts = [retention_summary(newcomers, source=newcomer_source)]
    if creators.lazy().select(pl.len()).collect().item():
        parts.append(retention_summary(creators, source=creator_source, caveat="every note of each creator: a panel"))
    return pl.concat(parts)
