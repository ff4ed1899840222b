"""Specifications of analysis.figures.ads: titles state the numbers, data is aggregated."""

from __future__ import annotations

import polars as pl
from test_ads import _kits, _notes

from analysis.figures import commerce as commerce_figs
from analysis.figures import tech as tech_figs
from analysis.measures import ads


def test__ad_share_vs_platforms__title_states_share_and_ratio_to_instagram():
    markers = ads.ad_shares(ads.classify_notes(_notes()))
    fig = tech_figs.ad_share_vs_platforms(markers)
    # 3 of 6 notes → 50%, Wilson 19%–81%, 0.5 / 0.206 = 2.4×
    assert fig.title.startswith("About 50% of RedNote creators' notes carry a sponsorship marker (95% 19%–81%), "
                                "about 2.4× Instagram's 20.6%")
    assert fig.claims == ("T3",)
    assert fig.data["label"].to_list()[0] == "RedNote: disclosed (markers)"
    assert fig.data.height == 5


def test__ad_share_vs_platforms__labelled_estimate_leads_when_given():
    markers = ads.ad_shares(ads.classify_notes(_notes()))
    labelled = pl.DataFrame({"measure": ["ad_share_labelled"], "group": ["all"], "estimate": [0.1], "lo": [0.05],
                             "hi": [0.2], "n": [200], "unit": ["share"], "source": ["x"], "note": [""]})
    fig = tech_figs.ad_share_vs_platforms(markers, labelled)
    assert fig.title.startswith("About 10% of RedNote creators' notes are sponsored (95% 5%–20%), about 0.5×")
    assert (fig.n, fig.n_unit) == (200, "labelled notes")


def test__sponsored_per_creator__buckets_without_ids():
    fig = tech_figs.sponsored_per_creator(ads.creator_ad_shares(ads.classify_notes(_notes())))
    assert fig.title == "2 of 2 creators (100%) have at least one note that discloses a sponsorship"
    assert "account_id" not in fig.data.columns
    assert dict(fig.data.select("sponsored_notes", "creators").rows()) == {"1": 1, "2–4": 1}


def test__kol_price_vs_followers__drops_ids_and_states_elasticity():
    kits = _kits([{"fans": 100, "liked_collected": 1000, "price_image_rmb": 10.0},
                  {"fans": 1000, "liked_collected": 10000, "price_image_rmb": 100.0},
                  {"fans": 10000, "liked_collected": 100000, "price_image_rmb": 1000.0}])
    fig = commerce_figs.kol_price_vs_followers(ads.kol_prices(kits), ads.kol_economics(kits))
    assert fig.title.startswith("A sponsored post costs about ¥100 per 1,000 followers (median ¥100 a post); "
                                "price rises in step with followers (elasticity 1.00")
    assert fig.data.columns == ["fans", "liked_collected", "price_image_rmb", "price_per_1k_fans"]
    assert fig.claims == ("M3",)
