"""Specification of analysis.measures.language (claims T2, T5, T6, T7)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from canonical_rows import notes_frame
from polars.testing import assert_frame_equal

from analysis.claims import rules as claims
from analysis.claims import tech as tech_claims
from analysis.claims.ledger import build_ledger
from analysis.measures import language
from analysis.results import Result, pick
from analysis.stats import wilson_interval

REF = "tiktokrefugee-posts"


def _tagged() -> pl.DataFrame:
    return notes_frame([
        {"text": "Hello everyone, I am new here and I love it", "tags": ["A", "小红书"]},
        {"text": "我是新来的，请多关照", "tags": ["a"]},
        {"text": "Hi friends, thank you for having me", "tags": ["a", "c", "a"]},
        {"text": "", "tags": []},
    ])


def test__language_mix__shares_per_language_with_wilson_bounds():
    got = language.language_mix(_tagged())
    row = pick(got, "language_share", f"{REF}: english")
    assert (row["estimate"], row["n"]) == (0.5, 4)
    assert (row["lo"], row["hi"]) == pytest.approx(wilson_interval(2, 4))
    assert pick(got, "language_share", f"{REF}: chinese")["estimate"] == 0.25
    assert pick(got, "language_share", f"{REF}: other")["estimate"] == 0.25
    assert pick(got, "language_share", f"{REF}: bilingual")["estimate"] == 0.0


def test__translation_mentions__counts_mentions_and_bilingual_use():
    notes = notes_frame([
        {"text": "I used Google Translate for this, sorry"},
        {"text": "I don't speak Chinese yet"},
        {"text": "Hello, I love cats and dogs so much | 你好，我非常喜欢猫和狗"},
        {"text": "Just vibing"},
    ])
    got = language.translation_mentions(notes)
    assert pick(got, "translation_share", f"{REF}: translation_app")["estimate"] == 0.25
    assert pick(got, "translation_share", f"{REF}: language_barrier")["estimate"] == 0.25
    assert pick(got, "translation_share", f"{REF}: mentions")["estimate"] == 0.5
    assert pick(got, "translation_share", f"{REF}: translation_use")["estimate"] == 0.75




def test__tag_uses__lower_cases_dedupes_and_marks_selection_and_han_tags():
    got = language.tag_uses(notes_frame([{"tags": ["TikTokRefugee", "tiktok_refugee", "抖音难民", "Cats", "cats"]}])) \
        .collect().sort("tag")
    assert got.select("tag", "selection", "chinese").rows() == [
        ("cats", False, False), ("tiktok_refugee", True, False), ("tiktokrefugee", True, False), ("抖音难民", True, True)]


def test__hashtag_concentration__top_k_share_herfindahl_and_top_tag_share():
    got = language.hashtag_concentration(_tagged(), k=2, n_boot=200)
    # Distinct tags per note: a ×3, 小红书 ×1, c ×1 → 5 uses over 3 tagged notes.
    top = pick(got, "top2_share_of_tag_uses", "all tags")
    assert (top["estimate"], top["n"]) == (pytest.approx(0.8), 3)
    assert top["lo"] <= top["estimate"] <= top["hi"]
    assert pick(got, "herfindahl_index", "all tags")["estimate"] == pytest.approx(0.6**2 + 0.2**2 + 0.2**2)
    assert pick(got, "top_tag_share_of_notes", "all tags")["estimate"] == 0.75
    # English notes: 1st and 3rd; only the 1st carries a Han-script tag.
    zh = pick(got, "english_notes_with_chinese_tag")
    assert (zh["estimate"], zh["n"]) == (0.5, 2)


def test__top_tags__ranked_with_deterministic_ties():
    got = language.top_tags(_tagged(), k=3)
    assert got.select("rank", "tag", "posts").rows() == [(1, "a", 3), (2, "c", 1), (3, "小红书", 1)]
    assert got["share_of_notes"].to_list() == [0.75, 0.25, 0.25]
    assert got["share_of_uses"].to_list() == pytest.approx([0.6, 0.2, 0.2])


def test__tag_cooccurrence__counts_pairs_and_share_of_the_row_tag():
    got = language.tag_cooccurrence(_tagged(), k=2)
    expected = pl.DataFrame({
        "tag_a": ["a", "a", "c", "c"], "tag_b": ["a", "c", "a", "c"], "rank_a": [1, 1, 2, 2], "rank_b": [1, 2, 1, 2],
        "notes": [3, 1, 1, 1], "notes_a": [3, 3, 1, 1], "share_of_a": [1.0, 1 / 3, 1.0, 1.0],
    })
    assert_frame_equal(got, expected, check_dtypes=False)




def test__topic_mix__shares_per_topic_and_dataset():
    notes = notes_frame([
        {"title": "达拉斯探店", "text": "这家火锅很好吃，推荐！"},
        {"title": "Costco haul", "text": "bought so much"},
        {"title": "周末", "text": "在家休息"},
    ], dataset="mediacrawler-creators")
    got = language.topic_mix(notes)
    g = "mediacrawler-creators"
    assert pick(got, "topic_share", f"{g}: review")["estimate"] == pytest.approx(1 / 3)
    assert pick(got, "topic_share", f"{g}: food")["estimate"] == pytest.approx(1 / 3)
    assert pick(got, "topic_share", f"{g}: shopping")["estimate"] == pytest.approx(1 / 3)
    assert pick(got, "topic_share", f"{g}: travel")["estimate"] == 0.0


def _mix(shares: dict[str, tuple[float, float, float]], n: int = 1000, ds: str = "mediacrawler-creators"):
    return pl.DataFrame([Result("topic_share", e, n, "share", ds, lo, hi, group=f"{ds}: {t}").__dict__
                         for t, (e, lo, hi) in shares.items()])


def test__topic_verdict__supported_partly_and_precision_gate():
    high = {u: (0.2, 0.18, 0.22) for u in language.CLAIMED_USES}
    assert tech_claims.topic_verdict(_mix(high))[0] == claims.SUPPORTED
    two = {**high, "shopping": (0.02, 0.01, 0.03), "social": (0.02, 0.01, 0.03)}
    assert tech_claims.topic_verdict(_mix(two))[0] == claims.PARTLY
    none = {u: (0.02, 0.01, 0.03) for u in language.CLAIMED_USES}
    assert tech_claims.topic_verdict(_mix(none))[0] == claims.NOT_SUPPORTED
    # High shares from imprecise lexicons do not count as measured.
    gated = tech_claims.topic_verdict(_mix(high), precision={"review": 1.0, "travel": 0.8, "shopping": 0.5, "social": 0.5})
    assert gated[0] == claims.PARTLY
    assert "shopping not reliably measured" in gated[1] and "social not reliably measured" in gated[1]
    # Precision scales the lower bound: 6% × 0.8 < 5%.
    scaled = {**high, "travel": (0.07, 0.06, 0.08)}
    assert tech_claims.topic_verdict(_mix(scaled), precision={"travel": 0.8})[0] == claims.PARTLY


def test__influx_complaints__share_of_chinese_notes_about_newcomers_with_complaints():
    notes = notes_frame([
        {"text": "首页全是TikTok难民，烦死了"},
        {"text": "欢迎TikTok难民来小红书"},
        {"text": "今天吃了火锅"},
        {"text": "Hello I am a TikTok refugee, so happy to be here"},
    ])
    got = language.influx_complaints(notes)
    about = pick(got, "chinese_notes_about_newcomers", REF)
    assert (about["estimate"], about["n"]) == (pytest.approx(2 / 3), 3)
    comp = pick(got, "complaint_share", REF)
    assert (comp["estimate"], comp["n"]) == (0.5, 2)




def test__language_claims__real_data_verdicts_and_sizes(real_bundle):
    ledger = build_ledger(real_bundle).filter(pl.col("claim_id").is_in(["T2", "T5", "T6", "T7"]))
    got = {r["claim_id"]: r for r in ledger.iter_rows(named=True)}
    # Apps per user cannot be seen in posts: the bilingual share is context, never a verdict.
    assert (got["T5"]["verdict"], got["T5"]["fit"], got["T5"]["n"]) == (claims.NOT_TESTABLE, "context", 724)
    assert 0.12 <= got["T5"]["lo"] <= got["T5"]["estimate"] <= got["T5"]["hi"] <= 0.19
    assert got["T6"]["verdict"] == claims.NOT_TESTABLE and got["T6"]["what_would_test"]
    assert got["T2"]["verdict"] == claims.PARTLY and got["T2"]["n"] == 14975
    assert got["T7"]["verdict"] == claims.NOT_TESTABLE


def test__language_mix__real_refugee_posts_are_mostly_english(real_bundle):
    mix = language.language_mix(real_bundle.notes.filter(pl.col("dataset") == REF))
    english = pick(mix, "language_share", f"{REF}: english")
    bilingual = pick(mix, "language_share", f"{REF}: bilingual")
    assert english["n"] == 724
    assert 0.6 <= english["estimate"] <= 0.72
    assert 0.1 <= bilingual["estimate"] <= 0.2


def test__hashtag_concentration__the_interval_does_not_depend_on_the_resample_block(monkeypatch):
    # Resamples are drawn a block at a time so memory stays bounded at a million notes.
    from analysis import stats

    at_once = language.hashtag_concentration(_tagged(), k=2, n_boot=200)
    monkeypatch.setattr(stats, "RESAMPLE_BLOCK", 7)  # one resample per block
    assert_frame_equal(language.hashtag_concentration(_tagged(), k=2, n_boot=200), at_once, check_exact=True)


def test__hashtag_concentration__above_large_n_the_delta_method_matches_resampling():
    # 60K notes, two tags each from a long-tailed pool of 500
    rng = np.random.default_rng(3)
    n = 60_000
    uses = pl.DataFrame({"note_id": np.repeat(np.arange(n), 2).astype(str),
                         "tag": (rng.zipf(1.5, size=2 * n) % 500).astype(str)}).unique()
    mat = language._note_tag_matrix(uses)
    (top_lo, top_hi), (hhi_lo, hhi_hi) = language._linearized_concentration(mat, 10)
    blocks = [language._concentration(c, 10) for c in language._resampled_tag_counts(mat, 500, 1)]
    top_b, hhi_b = (np.concatenate(part) for part in zip(*blocks, strict=True))
    for (lo, hi), draws in (((top_lo, top_hi), top_b), ((hhi_lo, hhi_hi), hhi_b)):
        r_lo, r_hi = np.quantile(draws, [0.025, 0.975])
        assert abs(lo - r_lo) < 0.15 * (r_hi - r_lo) and abs(hi - r_hi) < 0.15 * (r_hi - r_lo)
