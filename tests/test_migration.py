"""Specification of analysis.measures.migration (claim W1)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from canonical_rows import notes_frame
from polars.testing import assert_frame_equal

from analysis.claims import rules as claims
from analysis.claims.migration import will_users_stay
from analysis.measures.migration import (
    DecayFitError,
    cohort_retention,
    daily_activity,
    decay_curve,
    retention_summary,
    volume_decay,
)
from analysis.stats import wilson_interval


def test__daily_activity__counts_us_eastern_days_and_fills_gaps():
    notes = notes_frame([
        {"account_id": "a", "published_at": "2025-01-13 15:00", "liked_count": 10},  # 10:00 ET, 13 Jan
        {"account_id": "b", "published_at": "2025-01-14 03:00", "liked_count": 20},  # 22:00 ET, 13 Jan
        {"account_id": "a", "published_at": "2025-01-15 15:00", "liked_count": 5},
    ])
    expected = pl.DataFrame(
        {
            "day": [date(2025, 1, 13), date(2025, 1, 14), date(2025, 1, 15)],
            "posts": [2, 0, 1], "accounts": [2, 0, 1], "likes_total": [30, 0, 5],
            "likes_median": [15.0, None, 5.0],
        },
        schema={"day": pl.Date, "posts": pl.Int64, "accounts": pl.Int64, "likes_total": pl.Int64,
                "likes_median": pl.Float64},
    )
    assert_frame_equal(daily_activity(notes), expected)


def test__daily_activity__utc_days_when_asked():
    notes = notes_frame([{"published_at": "2025-01-14 03:00"}])
    assert daily_activity(notes, tz="UTC")["day"].to_list() == [date(2025, 1, 14)]


def _daily(posts: list[int], start: date = date(2025, 1, 13)) -> pl.DataFrame:
    return pl.DataFrame({
        "day": pl.date_range(start, date.fromordinal(start.toordinal() + len(posts) - 1), "1d", eager=True),
        "posts": posts,
    })


def test__volume_decay__halving_every_day_gives_a_half_life_of_one_day():
    result = volume_decay(_daily([64, 32, 16, 8, 4, 2, 1]), days=7)
    half = result.filter(pl.col("measure") == "volume_half_life").row(0, named=True)
    ratio = result.filter(pl.col("measure") == "daily_retention_of_volume").row(0, named=True)
    assert half["estimate"] == pytest.approx(1.0, abs=1e-9)
    assert ratio["estimate"] == pytest.approx(0.5, abs=1e-9)
    assert half["lo"] < 1.0 < half["hi"]
    assert half["n"] == 127
    assert half["unit"] == "days"


def test__volume_decay__flat_volume_leaves_the_upper_bound_open():
    result = volume_decay(_daily([5, 6, 5, 6, 5, 6, 5]), days=7)
    half = result.filter(pl.col("measure") == "volume_half_life").row(0, named=True)
    assert half["hi"] is None
    assert "no decay cannot be excluded" in half["note"]


def test__volume_decay__too_few_days_names_the_fix():
    with pytest.raises(DecayFitError, match="widen the window"):
        volume_decay(_daily([10, 5]), days=7)


def _cohort_fixture() -> pl.DataFrame:
    return notes_frame([
        {"account_id": "a", "published_at": "2025-01-06 15:00"},  # Monday: cohort 6 Jan
        {"account_id": "a", "published_at": "2025-01-14 15:00"},  # 8 days later: week 1
        {"account_id": "b", "published_at": "2025-01-08 15:00"},  # cohort 6 Jan
        {"account_id": "b", "published_at": "2025-01-20 15:00"},  # week 1, but the data end there: censored
        {"account_id": "c", "published_at": "2025-01-20 15:00"},  # first post on the last day: no full week 0
    ])


def test__cohort_retention__censors_weeks_the_data_do_not_cover():
    lo2, hi2 = wilson_interval(2, 2)
    lo1, hi1 = wilson_interval(1, 1)
    expected = pl.DataFrame(
        {
            "cohort": [date(2025, 1, 6), date(2025, 1, 6)], "week": [0, 1], "accounts": [2, 1], "active": [2, 1],
            "share": [1.0, 1.0], "lo": [lo2, lo1], "hi": [hi2, hi1],
        },
        schema={"cohort": pl.Date, "week": pl.Int64, "accounts": pl.Int64, "active": pl.Int64,
                "share": pl.Float64, "lo": pl.Float64, "hi": pl.Float64},
    )
    assert_frame_equal(cohort_retention(_cohort_fixture(), max_weeks=2), expected)


def test__cohort_retention__works_on_a_lazy_frame():
    eager = cohort_retention(_cohort_fixture(), max_weeks=2)
    assert_frame_equal(cohort_retention(_cohort_fixture().lazy(), max_weeks=2), eager)


def test__retention_summary__counts_returning_accounts_with_a_full_week_observed():
    result = retention_summary(_cohort_fixture(), weeks=(1,))
    assert result.select("measure", "estimate", "n").rows() == [("posted_again", 1.0, 2), ("retention_week_1", 1.0, 1)]
    assert result["unit"].to_list() == ["share", "share"]
    assert "lower bound" in result["note"][0]


def _row(estimate, lo, hi, n):
    return {"estimate": estimate, "lo": lo, "hi": hi, "n": n}










def test__decay_curve__fits_exact_halving_and_leaves_other_days_null():
    daily = _daily([64, 32, 16, 8, 4, 2, 1, 9])
    got = decay_curve(daily, days=7)
    assert got["fitted"][:7].to_list() == pytest.approx([64, 32, 16, 8, 4, 2, 1], rel=1e-9)
    assert got["fitted"][7] is None


def test__will_users_stay__real_refugee_accounts_rarely_post_again(real_bundle):
    # Checked independently from the raw CSV with the standard library: of the 605 accounts
    # whose first post (US Eastern day) is at least 7 days before the last day (2 Mar 2025),
    # 15 posted on a later day.
    evidence = will_users_stay(real_bundle)
    assert (evidence.estimate, evidence.n) == (15 / 605, 605)
    # No published DAU four weeks on with a stated baseline: the readers' doubt is not testable yet.
    assert evidence.verdict == claims.NOT_TESTABLE and "readers' doubt" in evidence.rule
    assert "gained (not kept)" in evidence.comparison and "no decay fitted" in evidence.comparison
