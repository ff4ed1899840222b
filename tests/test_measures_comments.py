"""Specification of analysis.measures.comments: threads and who says what."""

from datetime import UTC, date, datetime

import polars as pl
import pytest

from analysis.measures import comments as cm
from analysis.text import lexicon

T0 = datetime(2025, 1, 14, tzinfo=UTC)


def _comments(rows):
    return pl.DataFrame(
        [{"dataset": "d", "comment_id": c, "note_id": n, "parent_comment_id": p, "text": t,
          "published_at": T0.replace(hour=i)} for i, (c, n, p, t) in enumerate(rows)])


def test__reply_threads__follows_parents_to_the_first_comment():
    c = _comments([("c1", "n1", None, "a"), ("c2", "n1", "c1", "b"), ("c3", "n1", "c2", "c"),
                   ("c4", "n1", "", "d"), ("c5", "n1", "gone", "e")])
    t = {r["comment_id"]: (r["root_comment_id"], r["depth"], r["orphan"]) for r in cm.reply_threads(c).to_dicts()}
    assert t == {"c1": ("c1", 0, False), "c2": ("c1", 1, False), "c3": ("c1", 2, False),
                 "c4": ("c4", 0, False), "c5": ("c5", 1, True)}


def test__reply_threads__refuses_a_cycle():
    c = _comments([("c1", "n1", "c2", "a"), ("c2", "n1", "c1", "b")])
    with pytest.raises(ValueError, match="cycle"):
        cm.reply_threads(c, max_depth=5)


def test__thread__returns_the_whole_thread_in_reading_order():
    c = _comments([("c1", "n1", None, "a"), ("c2", "n1", "c1", "b"), ("c3", "n1", "c2", "c"),
                   ("c9", "n1", None, "other thread")])
    assert cm.thread(c, "c3")["comment_id"].to_list() == ["c1", "c2", "c3"]
    with pytest.raises(KeyError, match="nope"):
        cm.thread(c, "nope")


def test__newcomer_notes__by_data_set_or_account_created_since_the_surge():
    notes = pl.DataFrame({"dataset": ["r", "x", "x", "x"], "note_id": ["1", "2", "3", "4"],
                          "account_created_on": [None, date(2025, 1, 13), date(2020, 1, 1), None]})
    keys = cm.newcomer_notes(notes, newcomer_datasets=("r",))
    assert sorted(keys.rows()) == [("r", "1"), ("x", "2")]


def test__lexicon_shares_by_language__counts_spy_meme_by_commenter_language_on_newcomer_notes():
    memes = lexicon.load_lexicon("memes")
    c = _comments([("c1", "n1", None, "我是你的中国间谍"), ("c2", "n1", None, "欢迎欢迎"),
                   ("c3", "n1", None, "I am your Chinese spy"), ("c4", "n2", None, "间谍 again")])
    langs = pl.DataFrame({"dataset": "d", "comment_id": ["c1", "c2", "c3", "c4"],
                          "language": ["chinese", "chinese", "english", "chinese"]})
    on = pl.DataFrame({"dataset": ["d"], "note_id": ["n1"]})  # c4 sits under someone else's note
    s = cm.lexicon_shares_by_language(c, langs, memes, ["spy"], on_notes=on)
    got = {r["language"]: (r["k"], r["n"]) for r in s.to_dicts()}
    assert got == {"chinese": (1, 2), "english": (1, 1)}
    assert s.filter(pl.col("language") == "chinese")["share"][0] == pytest.approx(0.5)


def test__comments_as_notes__feeds_the_language_identifier():
    from analysis.text import langid

    c = _comments([("c1", "n1", None, "这个真的太好吃了吧"), ("c2", "n1", None, "welcome to the app, friend")])
    langs = langid.identify(cm.comments_as_notes(c))
    assert dict(langs.select("note_id", "language").rows()) == {"c1": "chinese", "c2": "english"}
