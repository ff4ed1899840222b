"""Specification of analysis.figures.migration: titles state the computed finding."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from canonical_rows import notes_frame

from analysis import reference
from analysis.figures import commerce as commerce_figs
from analysis.measures import migration


def test__cohort_retention__title_states_the_return_share():
    notes = notes_frame([
        {"account_id": "a", "published_at": "2025-01-06 15:00"},
        {"account_id": "a", "published_at": "2025-01-14 15:00"},
        {"account_id": "b", "published_at": "2025-01-08 15:00"},
        {"account_id": "c", "published_at": "2025-01-09 15:00"},
        {"account_id": "d", "published_at": "2025-01-20 15:00"},
    ])
    figure = commerce_figs.cohort_retention(migration.cohort_retention(notes), migration.retention_summary(notes), "x")
    # a returns; a, b and c have a full week observed; d's first post is on the last day.
    assert figure.title.startswith("33.3% of 3 #TikTokRefugee posting accounts posted with the tag again")
    assert figure.data.filter(pl.col("week") == 1)["cell"].to_list() == ["1/1"]


def test__volume_decay__title_states_half_life_and_published_drops():
    start = date(2025, 1, 13)
    daily = pl.DataFrame({"day": [start + timedelta(days=i) for i in range(14)],
                          "posts": [64, 32, 16, 8, 4, 2, 1, 0, 0, 0, 0, 0, 0, 0]})
    published = {"dau_change": reference.figure("surge_us_dau_change_jan20_22"),
                 "downloads_change": reference.figure("surge_us_downloads_after_return")}
    figure = commerce_figs.volume_decay(migration.decay_curve(daily), migration.volume_decay(daily), published, "x")
    assert figure.title.startswith("Daily #TikTokRefugee posts halved every 1.0 days after 13 Jan")
    assert figure.title.endswith("published US DAU fell 17% within a week and downloads 91% by February")
    assert figure.n == 127
