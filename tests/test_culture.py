"""Specification of analysis.measures.culture (claims C2, C3, C4, C5)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from canonical_rows import notes_frame

from analysis.claims import rules as claims
from analysis.claims.ledger import build_ledger
from analysis.measures import culture
from analysis.results import Result, pick
from analysis.stats import wilson_interval

REF = "tiktokrefugee-posts"


def test__welcome_share__categories_union_and_hostility():
    notes = notes_frame([
        {"text": "Thank you for having us, everyone here is so nice!"},
        {"text": "谢谢你们的欢迎"},
        {"text": "Are we welcome here? Please be kind"},  # a hope, not an experience
        {"text": "People were rude to me"},
    ])
    got = culture.welcome_share(notes)
    assert pick(got, "welcome_share", f"{REF}: gratitude")["estimate"] == 0.5
    assert pick(got, "welcome_share", f"{REF}: kindness")["estimate"] == 0.25
    assert pick(got, "welcome_share", f"{REF}: positive")["estimate"] == 0.5
    assert pick(got, "welcome_share", f"{REF}: hostile")["estimate"] == 0.25
    expressed = pick(got, "positive_of_expressed", REF)
    assert (expressed["estimate"], expressed["n"]) == (pytest.approx(2 / 3), 3)


def _row(measure: str, group: str, k: int, n: int) -> dict:
    lo, hi = wilson_interval(k, n)
    return Result(measure, k / n, n, "share", REF, lo, hi, group=group).__dict__




def test__age_mentions__shares_and_cohort_of_stated():
    notes = notes_frame([
        {"text": "Hi! Im 20 and from Ohio"},
        {"text": "Just a grandmother who loves dragons"},
        {"text": "I am 16 and love anime"},
        {"text": "hello"},
    ])
    got = culture.age_mentions(notes)
    assert pick(got, "age_mention_share", f"{REF}: any_age")["estimate"] == 0.75
    gz = pick(got, "cohort_of_stated", f"{REF}: gen_z")
    assert (gz["estimate"], gz["n"]) == (pytest.approx(2 / 3), 3)
    assert pick(got, "cohort_of_stated", f"{REF}: senior")["estimate"] == pytest.approx(1 / 3)




def test__pew_tiktok_by_age__reads_the_reference_figures():
    got = culture.pew_tiktok_by_age()
    assert got.select("band", "share").rows() == [("18–29", 0.62), ("30–49", 0.39), ("50–64", 0.24), ("65+", 0.10)]


def _meme_notes() -> pl.DataFrame:
    return notes_frame([
        {"text": "Where is my Chinese spy?", "published_at": "2025-01-13 15:00"},
        {"text": "sorry for invading your app", "published_at": "2025-01-14 15:00"},
        {"text": "hello", "published_at": "2025-01-15 15:00"},
        {"text": "paying my cat tax", "tags": ["cattax"], "published_at": "2025-01-21 15:00"},
    ])


def test__meme_shares__per_meme_and_any():
    got = culture.meme_shares(_meme_notes())
    for meme in ("spy", "colonizing", "cat_tax"):
        assert pick(got, "meme_share", f"{REF}: {meme}")["estimate"] == 0.25
    assert pick(got, "meme_share", f"{REF}: any_meme")["estimate"] == 0.75


def test__meme_frequency__weekly_counts_in_us_eastern_weeks():
    got = culture.meme_frequency(_meme_notes(), every="1w")
    spy = got.filter(pl.col("meme") == "spy").select("period", "notes", "total").rows()
    assert spy == [(date(2025, 1, 13), 1, 3), (date(2025, 1, 20), 0, 1)]
    cat = got.filter((pl.col("meme") == "cat_tax") & (pl.col("notes") > 0)).select("period", "share").rows()
    assert cat == [(date(2025, 1, 20), 1.0)]




def test__cross_border_topics__shares_and_any_topic():
    notes = notes_frame([
        {"text": "My medical bills are insane, how is healthcare in China?"},
        {"text": "房价太高了"},
        {"text": "Rent a ride in NYC"},  # car rental: counted by the lexicon (a known false positive)
        {"text": "hello"},
    ])
    got = culture.cross_border_topics(notes)
    assert pick(got, "cross_border_share", f"{REF}: healthcare")["estimate"] == 0.25
    assert pick(got, "cross_border_share", f"{REF}: housing")["estimate"] == 0.5
    assert pick(got, "cross_border_share", f"{REF}: any_topic")["estimate"] == 0.75


def test__culture_claims__real_data_verdicts_and_sizes(real_bundle):
    ledger = build_ledger(real_bundle).filter(pl.col("claim_id").is_in(["C2", "C3", "C4", "C5"]))
    got = {r["claim_id"]: r for r in ledger.iter_rows(named=True)}
    # The row carries the estimate the verdict rests on: all 37 posts that say how newcomers
    # were treated are positive (Wilson lower bound 37/37 = 0.906); welcome overall is context.
    # The lexicon chose the denominator and the hostility side is unvalidated: a proxy, capped at partly.
    assert (got["C2"]["verdict"], got["C2"]["fit"], got["C2"]["n"]) == (claims.PARTLY, "proxy", 37)
    assert got["C2"]["estimate"] == 1.0 and round(got["C2"]["lo"], 3) == 0.906
    assert "5.1%" in got["C2"]["comparison"]
    assert got["C3"]["verdict"] == claims.NOT_TESTABLE and got["C3"]["n"] < 30
    assert "Pew" in got["C3"]["comparison"]
    # Read by hand: one post apologises "for invading", four carry a cat tax; the ten "spy"
    # posts are Americans missing "my Chinese spy", not Chinese users saying "I am your spy".
    assert (got["C4"]["verdict"], got["C4"]["kind"]) == (claims.PARTLY, "existence")
    assert "colonizing: 1 verified" in got["C4"]["rule"] and "cat_tax: 4 verified" in got["C4"]["rule"]
    assert "spy: 0 instance(s)" in got["C4"]["rule"] and "cat tax!" in got["C4"]["instances"]
    # One post on US healthcare and two on LGBTQ identity; no housing-price post, and the talk
    # the article describes was in comments: partly, not "not supported".
    assert (got["C5"]["verdict"], got["C5"]["kind"]) == (claims.PARTLY, "existence")
    assert "healthcare: 1 verified" in got["C5"]["rule"] and "lgbtq: 2 verified" in got["C5"]["rule"]
