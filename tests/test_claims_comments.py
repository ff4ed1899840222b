"""Specification of analysis.claims.comments: T7, C4 and C5 measured on Chinese-language
comments on newcomers' notes."""

from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import polars as pl
import pytest

from analysis.claims import comments as cc
from analysis.io.load import load_bundle

T0 = datetime(2025, 1, 14, tzinfo=UTC)
EXPORTS = Path(__file__).parent / "fixtures" / "exports"


def _bundle(notes, comments):
    notes = pl.DataFrame([{"dataset": "user", "note_id": n, "account_created_on": d} for n, d in notes],
                         schema={"dataset": pl.String, "note_id": pl.String, "account_created_on": pl.Date})
    comments = pl.DataFrame(
        [{"dataset": "user", "comment_id": c, "note_id": n, "text": t, "published_at": T0.replace(hour=i)}
         for i, (c, n, t) in enumerate(comments)],
        schema={"dataset": pl.String, "comment_id": pl.String, "note_id": pl.String, "text": pl.String,
                "published_at": pl.Datetime("us", "UTC")})
    return SimpleNamespace(notes=notes, comments=comments)


TINY = _bundle(
    [("n_new", date(2025, 1, 14)), ("n_old", date(2020, 5, 1))],
    [("c1", "n_new", "外国人太多了，首页全是英文"),  # complaint (首页全是)
     ("c2", "n_new", "我是你的间谍"),  # spy
     ("c3", "n_new", "I'm your Chinese spy"),  # English: not measured
     ("c4", "n_new", "上海房价太高了"),  # housing (房价)
     ("c5", "n_new", "欢迎来到小红书"),  # no marker
     ("c6", "n_old", "首页全是外国人，我是间谍")],  # established user's note: not measured
)


def test__measure_comments__counts_chinese_comments_on_newcomer_notes_only():
    got = cc.measure_comments(TINY)
    # c1, c2, c4, c5: Chinese and under the newcomer's note; c3 is English, c6 under an old account's note.
    assert {k: (m.k, m.share.n) for k, m in got.items()} == {"T7": (1, 4), "C4": (1, 4), "C5": (1, 4)}
    assert got["C4"].share.estimate == pytest.approx(0.25)
    assert got["C4"].share.lo < 0.25 < got["C4"].share.hi
    assert got["T7"].examples == ("user/c1",)
    assert got["C5"].examples == ("user/c4",)


def test__measure_comments__no_comments_means_nothing_measured():
    empty = _bundle([("n_new", date(2025, 1, 14))], [])
    assert cc.measure_comments(empty) == {}
    assert cc.measure_comment_claim(empty, "T7") is None
    assert "ENABLE_GET_COMMENTS" in cc.HOW_TO_CRAWL and all(c in cc.HOW_TO_CRAWL for c in ("T7", "C4", "C5"))


def test__measure_comments__refuses_a_claim_without_a_marker():
    with pytest.raises(ValueError, match="P1"):
        cc.measure_comments(TINY, ("P1",))


def test__summary_table__one_row_per_claim_with_examples():
    table = cc.summary_table(cc.measure_comments(TINY))
    assert table["claim"].to_list() == ["T7", "C4", "C5"]
    assert table.filter(pl.col("claim") == "C4")["examples"].item() == "user/c2"


@pytest.fixture(scope="module")
def conversation():
    return load_bundle("auto", user_data=str(EXPORTS / "notes_and_comments"))


def test__measure_comments__on_the_comment_fixture(conversation):
    # Hand count from the fixture's texts (tests/fixtures/exports/README.md, comment_labels.csv):
    # 41 comments sit on newcomers' notes; 23 of them are in Chinese only. Of those 23, the
    # lexicons match: T7 1 (首页全是), C4 5 (间谍 ×5), C5 4 (租房, 同性, 医保 ×2).
    # The hand labels find more (T7 2, C5 9): "外国人太多了，能不能单独开个国际版" and C5 talk
    # without a listed term (救护车账单, 一套房子, 买药 …) are missed; the share is a floor.
    got = cc.measure_comments(conversation)
    assert {k: (m.k, m.share.n) for k, m in got.items()} == {"T7": (1, 23), "C4": (5, 23), "C5": (4, 23)}
    dataset = conversation.comments["dataset"][0]
    assert got["C4"].examples == tuple(f"{dataset}/{c}" for c in (
        "6785e5f00000000071023311", "6785f6580000000064dc9e9e", "67874a3000000000b2d72f62"))
    assert got["T7"].examples == (f"{dataset}/6785b9a400000000b93259fd",)


def test__ledger_on_the_comment_fixture__t7_c4_c5_read_the_replies(conversation):
    from analysis.claims.ledger import evidence_for

    t7 = evidence_for("T7", conversation)
    # The 23 Chinese-only comments on newcomers' notes counted above, 1 with a complaint term;
    # 23 is under the minimum of 30, so the share is stated and the verdict is not testable.
    assert "comments on newcomers' notes" in t7.measure and (t7.n, t7.fit) == (23, "direct")
    assert t7.estimate == pytest.approx(1 / 23) and t7.verdict == "not testable with the data at hand"
    c4 = evidence_for("C4", conversation)
    # "I am your spy" said by Chinese users: the 间谍 replies (5 of the 23) count as instances.
    assert "Chinese-language replies: spy:" in c4.instances
    assert "spy: " in c4.rule and "spy: 0 " not in c4.rule
    c5 = evidence_for("C5", conversation)
    # housing talk is found in the replies (租房), so housing is testable here, unlike in posts alone
    assert "housing: 0" not in c5.rule and "Chinese-language replies:" in c5.instances


def test__measure_comments__comments_without_newcomer_notes_measure_nothing():
    # comments_only: the notes they answer are not in the export, so no comment sits on a
    # known newcomer's note (tests/fixtures/exports/README.md).
    bundle = load_bundle("real", user_data=str(EXPORTS / "comments_only"))
    assert bundle.comments.height == 10 and cc.measure_comments(bundle) == {}
