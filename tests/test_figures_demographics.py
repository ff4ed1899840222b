"""Specifications of analysis.figures.demographics."""

from __future__ import annotations

import polars as pl
from test_demographics import _creators, _kits, _table

from analysis.figures import culture as culture_figs
from analysis.measures import demographics as d


def test__female_shares__title_compares_with_the_article_figure():
    fig = culture_figs.female_shares(d.female_comparison(_creators(), _kits([0.9] * 40, [100] * 40)))
    # followers 90% with a point interval (identical kits) → "more than"; creators 2 of 3 known = 67%
    assert fig.title.startswith("90% of these creators' followers are women (95% 90%–90%), more than the ~70%")
    assert fig.title.endswith("67% of the creators are")
    assert fig.claims == ("C1",)
    assert fig.data.height == 6


def test__follower_ages__bands_in_order_and_under_35_in_title():
    kits = _table("media_kits", [{"fans": 100, "follower_age_lt18": 0.1, "follower_age_18_24": 0.2,
                                  "follower_age_25_34": 0.3, "follower_age_35_44": 0.25, "follower_age_gt44": 0.15}])
    fig = culture_figs.follower_ages(d.follower_age_bands(kits))
    assert fig.data["age"].to_list() == ["<18", "18–24", "25–34", "35–44", ">44"]
    assert fig.title == "60% of these creators' followers are under 35 (95% 60%–60%)"
    assert fig.data.filter(pl.col("age") == ">44")["share"][0] == 0.15
