"""Specification of analysis.measures.commerce (claims M1, M2)."""

from __future__ import annotations

import polars as pl
from canonical_rows import notes_frame
from polars.testing import assert_frame_equal

from analysis.claims import rules as claims
from analysis.claims.commerce import (
    china_showcase,
    free_exposure,
    showcase_estimate,
)
from analysis.measures.commerce import (
    brand_engagement,
    brand_mentions,
    showcase_accuracy,
    travel_culture_shares,
)
from analysis.results import Result, results_frame
from analysis.stats import proportion, wilson_interval

REF, CRE = "tiktokrefugee-posts", "mediacrawler-creators"


def _brand_notes() -> pl.DataFrame:
    return pl.concat([
        notes_frame([
            {"title": "Luckin coffee is great", "text": "瑞幸", "liked_count": 10},
            {"text": "starbucks vs 瑞幸", "liked_count": 30},
            {"text": "小米粥 for breakfast", "liked_count": 5},  # millet porridge, not Xiaomi
            {"text": "hello", "liked_count": 7},
        ]),
        notes_frame([{"text": "去Costco", "liked_count": 4}], dataset=CRE),
    ])


def test__brand_mentions__one_row_per_named_brand_and_data_set():
    lo_half, hi_half = wilson_interval(2, 4)
    lo_q, hi_q = wilson_interval(1, 4)
    lo_all, hi_all = wilson_interval(1, 1)
    expected = pl.DataFrame({
        "dataset": [CRE, REF, REF], "brand": ["costco", "luckin", "starbucks"],
        "origin": ["US brand", "Chinese brand", "US brand"], "notes": [1, 2, 1], "total": [1, 4, 4],
        "share": [1.0, 0.5, 0.25], "lo": [lo_all, lo_half, lo_q], "hi": [hi_all, hi_half, hi_q],
        "median_likes": [4.0, 20.0, 30.0],
    })
    assert_frame_equal(brand_mentions(_brand_notes()), expected)


def test__brand_engagement__median_likes_and_shares_per_brand_group():
    got = brand_engagement(_brand_notes()).filter(pl.col("source") == REF)
    assert got.select("measure", "group", "estimate", "lo", "hi", "n").rows() == [
        ("median_likes", f"{REF}: Chinese brand", 20.0, 10.0, 30.0, 2),
        ("share_of_notes", f"{REF}: Chinese brand", 0.5, *wilson_interval(2, 4), 4),
        ("median_likes", f"{REF}: US brand", None, None, None, 0),
        ("share_of_notes", f"{REF}: US brand", 0.0, *wilson_interval(0, 4), 4),
        ("median_likes", f"{REF}: no brand", 6.0, 5.0, 7.0, 2),
        ("share_of_notes", f"{REF}: no brand", 0.5, *wilson_interval(2, 4), 4),
    ]


def _engagement(k_cn: int, n: int, cn_likes: tuple, none_likes: tuple) -> pl.DataFrame:
    return results_frame([
        proportion(k_cn, n, measure="share_of_notes", group=f"{REF}: Chinese brand", source=REF),
        Result("median_likes", *cn_likes[:1], cn_likes[3], "likes", REF, *cn_likes[1:3], group=f"{REF}: Chinese brand"),
        Result("median_likes", *none_likes[:1], none_likes[3], "likes", REF, *none_likes[1:3],
               group=f"{REF}: no brand"),
    ])








def test__travel_culture_shares__each_category_and_the_showcase_union():
    notes = notes_frame([
        {"text": "I want to visit China"},
        {"text": "learning Mandarin on duolingo"},
        {"text": "我爱中国文化和旅游"},
        {"text": "hi"},
    ])
    got = travel_culture_shares(notes).select("group", "estimate", "n")
    expected = pl.DataFrame({
        "group": [f"{REF}: {c}" for c in ("travel_china", "travel_general", "chinese_culture", "language_learning",
                                           "china_showcase")],
        "estimate": [0.25, 0.25, 0.25, 0.25, 0.75], "n": [4, 4, 4, 4, 4],
    })
    assert_frame_equal(got, expected)


def _shares(k: int, n: int) -> pl.DataFrame:
    return results_frame([proportion(k, n, measure="topic_share", group=f"{REF}: china_showcase", source=REF)])


def _share(k: int, n: int) -> dict:
    return _shares(k, n).row(0, named=True)








def test__showcase_estimate__prefers_the_hand_labelled_sample_when_large_enough():
    labelled = results_frame([proportion(17, 200, measure="showcase_share_labelled", source=REF)])
    row, what = showcase_estimate(_shares(36, 724), labelled)
    assert (row["estimate"], row["n"], what) == (17 / 200, 200, "hand-labelled random sample")


def test__showcase_estimate__falls_back_to_the_lexicon_below_the_minimum_n():
    labelled = results_frame([proportion(2, 20, measure="showcase_share_labelled", source=REF)])
    row, what = showcase_estimate(_shares(36, 724), labelled)
    assert (row["estimate"], row["n"], what) == (36 / 724, 724, "lexicon on all notes")


def test__showcase_accuracy__precision_recall_and_agreement_against_labels():
    notes = notes_frame([
        {"note_id": "a", "text": "I want to visit China"},  # matched, showcase
        {"note_id": "b", "text": "learning Mandarin"},  # matched, labelled other
        {"note_id": "c", "text": "my Chinese is bad, practising"},  # missed showcase
        {"note_id": "d", "text": "hi"},  # other, unmatched
    ])
    labels = pl.DataFrame({"note_id": ["a", "b", "c", "d"], "showcase": [True, False, True, False]})
    got = showcase_accuracy(notes, labels).select("measure", "estimate", "n").rows()
    assert got == [("showcase_precision", 0.5, 2), ("showcase_recall", 0.5, 2), ("showcase_accuracy", 0.5, 4),
                   ("showcase_share_labelled", 0.5, 4)]


def test__free_exposure__no_real_refugee_post_names_a_chinese_brand(real_bundle):
    # Read by hand: the 724 posts name no Chinese consumer brand (one names Tesla, one an iPhone).
    evidence = free_exposure(real_bundle)
    # Intro posts cannot show the exposure brands got: context, so not testable rather than not supported.
    assert (evidence.estimate, evidence.n, evidence.verdict, evidence.fit) == (0.0, 724, claims.NOT_TESTABLE, "context")


def test__china_showcase__real_verdict_rests_on_the_200_hand_labelled_posts(real_bundle):
    # 17 of the 200 randomly drawn posts were labelled showcase by reading them.
    evidence = china_showcase(real_bundle)
    assert (evidence.estimate, evidence.n, evidence.verdict) == (17 / 200, 200, claims.PARTLY)
    assert "recall" in evidence.rule
