"""Specification of analysis.figures.explore: titles state the finding from the table,
axis text is at least 11 px, the download carries the table, and empty input is refused."""

from datetime import date

import polars as pl
import pytest

from analysis.figures import explore as fx
from analysis.figures.base import FigureInputError


def _axes(spec) -> list[dict]:
    """Every axis dict anywhere in a Vega-Lite spec."""
    found = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "axis" and isinstance(value, dict):
                found.append(value)
            else:
                found.extend(_axes(value))
    elif isinstance(spec, list):
        for item in spec:
            found.extend(_axes(item))
    return found


def _readable(fig) -> None:
    axes = _axes(fig.chart.to_dict())
    assert axes, f"{fig.id}: no axis found"
    assert all(a.get("labelFontSize", 0) >= 11 and a.get("titleFontSize", 0) >= 11 for a in axes), fig.id


KEY = pl.DataFrame({"term": ["cat", "you", "我们", "小红书"], "count_a": [30, 20, 1, 2], "count_b": [2, 3, 40, 25],
                    "z": [4.1, 2.5, -5.0, -3.2], "side": ["a", "a", "b", "b"], "rank": [1, 2, 1, 2]})


def test__keyness__title_names_each_sides_strongest_terms():
    fig = fx.keyness(KEY, "newcomers", "established creators", source="s", n_texts=100)
    assert fig.title.startswith("newcomers use cat, you more; established creators use 我们, 小红书 more")
    assert "1.96" in fig.title
    assert fig.id == "explore-keyness-newcomers-vs-established-creators"
    assert fig.data["key_for"].to_list() == ["newcomers", "newcomers", "established creators", "established creators"]
    _readable(fig)


def test__keyness__refuses_an_empty_table():
    with pytest.raises(FigureInputError, match="no rows"):
        fx.keyness(KEY.clear(), "a", "b", source="s", n_texts=0)


def test__sentiment_accuracy__shows_only_the_scorer_that_beats_its_baseline():
    acc = pl.DataFrame({
        "language": ["en", "zh", "zh"], "scorer": ["vader", "hownet", "snownlp"], "n": [220, 220, 220],
        "correct": [128, 135, 100], "accuracy": [0.582, 0.614, 0.455], "lo": [0.516, 0.548, 0.39],
        "hi": [0.645, 0.676, 0.52], "baseline_label": ["neutral", "neutral", "neutral"],
        "baseline": [0.745, 0.55, 0.55], "baseline_lo": [0.68, 0.48, 0.48], "baseline_hi": [0.8, 0.61, 0.61],
        "mcnemar_p": [0.001, 0.03, 0.01], "beats_baseline": [False, True, False]})
    fig = fx.sentiment_accuracy(acc)
    assert "hownet on Chinese 61% [55%–68%] vs 55%" in fig.title
    assert "vader" not in fig.title and "snownlp" not in fig.title
    # Three scorers and one baseline per language.
    assert fig.data.height == 5 and fig.data.filter(pl.col("kind") == "baseline").height == 2
    assert fig.n == 440
    _readable(fig)
    none = fx.sentiment_accuracy(acc.with_columns(pl.lit(False).alias("beats_baseline")))
    assert none.title.startswith("No sentiment scorer beats")


def test__places__title_gives_each_tables_top_place_and_the_caveat():
    ranks = pl.DataFrame({"table": ["notes", "notes", "comments"], "rank": [1, 2, 1], "place": ["美国", "广东", "上海"],
                          "k": [60, 30, 5], "n": [100, 100, 10], "share": [0.6, 0.3, 0.5], "lo": [0.5, 0.22, 0.24],
                          "hi": [0.69, 0.4, 0.76], "missing": [20, 20, 2]})
    fig = fx.places(ranks, source="s")
    assert fig.title == "Most common IP location — notes 美国 60%; comments 上海 50%"
    assert fig.n == 132  # 100 + 20 notes, 10 + 2 comments
    assert any("IP属地" in note for note in fig.notes)
    _readable(fig)


def test__engagement__title_names_the_two_largest_likes_effects():
    model = pl.DataFrame({
        "outcome": ["likes", "likes", "likes", "saves"], "feature": ["note_type", "hashtags", "hour", "note_type"],
        "level": ["video", "≥10", "00–05", "video"], "reference": ["normal", "0", "06–11", "normal"],
        "rate_ratio": [2.0, 0.25, 1.1, 3.0], "lo": [1.5, 0.1, 0.9, 2.0], "hi": [2.7, 0.6, 1.3, 4.5],
        "p": [0.01] * 4, "level_n": [50, 40, 30, 50], "n": [500] * 4, "accounts": [80] * 4, "note": ["x"] * 4})
    fig = fx.engagement(model, source="s")
    # |log 0.25| > |log 2| > |log 1.1|: hashtags first, then note type.
    assert fig.title == ("Other features equal, hashtags ≥10 (vs 0) goes with 0.25× the likes [0.1–0.6]; "
                         "note_type video (vs normal) goes with 2× the likes [1.5–2.7]")
    assert any("not cause" in note for note in fig.notes)
    _readable(fig)


def test__topics_over_time__leads_with_the_commonest_topic_outside_partial_weeks():
    weekly = pl.DataFrame({
        "dataset": ["d"] * 4, "week": [date(2025, 1, 6)] * 2 + [date(2025, 1, 13)] * 2,
        "topic": ["food", "travel"] * 2, "k": [9, 1, 10, 30], "n": [10, 10, 40, 40],
        "share": [0.9, 0.1, 0.25, 0.75], "lo": [0.6, 0.02, 0.14, 0.6], "hi": [0.98, 0.4, 0.4, 0.86],
        "artefact": [True, True, False, False]})
    fig = fx.topics_over_time(weekly, source="s")
    # The partial first week (food 90%) is left out of the lead: travel 30/40 in the full week.
    assert fig.title.startswith("travel is the commonest topic, in 75% of notes over 2 weeks")
    assert "hollow points are partial weeks" in fig.title
    assert fig.n == 50
    _readable(fig)


def test__comment_markers__title_gives_each_claims_share_of_n():
    summary = pl.DataFrame({"claim": ["T7", "C4"], "marker": ["a complaint marker", "the spy meme"], "k": [1, 5],
                            "n": [23, 23], "share": [1 / 23, 5 / 23], "lo": [0.008, 0.097], "hi": [0.21, 0.42],
                            "examples": ["d/c1", "d/c2"]})
    fig = fx.comment_markers(summary, source="s")
    assert fig.title == ("Of 23 Chinese-language comments on newcomers' notes, 4% carry a complaint marker (T7); "
                         "22% carry the spy meme (C4)")
    assert fig.claims == ("T7", "C4")
    _readable(fig)


def test__saves_per_like_and_top_terms__carry_their_tables():
    spl = pl.DataFrame({"group": ["newcomers"], "saves": [50], "likes": [200], "ratio": [0.25], "lo": [0.2],
                        "hi": [0.3], "n": [40]})
    fig = fx.saves_per_like(spl, source="s")
    assert fig.title == "Saves per like — newcomers: 0.25 [0.20–0.30]" and fig.n == 40
    _readable(fig)
    top = pl.DataFrame({"group": ["a", "a", "b"], "rank": [1, 2, 1], "term": ["猫", "dog", "饭"], "count": [5, 3, 4],
                        "docs": [4, 3, 2], "n_docs": [10, 10, 5], "share_of_texts": [0.4, 0.3, 0.4]})
    fig = fx.top_terms(top, source="s")
    assert fig.title == "Most used words — a: 猫; b: 饭" and fig.n == 15
    assert fig.data.equals(top)
    _readable(fig)


def test__topics_over_time__a_long_history_is_cut_to_the_migration_weeks():
    weeks = pl.date_range(date(2020, 1, 6), date(2025, 12, 29), "1w", eager=True)  # 313 weeks × 7 topics
    weekly = pl.DataFrame({"week": weeks}).join(pl.DataFrame({"topic": [f"t{i}" for i in range(7)]}), how="cross")
    weekly = weekly.with_columns(pl.lit("d").alias("dataset"), pl.lit(1).alias("k"), pl.lit(4).alias("n"),
                                 pl.lit(0.25).alias("share"), pl.lit(0.05).alias("lo"), pl.lit(0.7).alias("hi"),
                                 pl.lit(False).alias("artefact"))
    fig = fx.topics_over_time(weekly, source="s")
    # Mondays from 16 Dec 2024 to 31 Mar 2025: 16 weeks.
    assert fig.data["week"].n_unique() == 16 and fig.data.height == 16 * 7
    assert fig.notes[0].startswith("Shown: weeks of 15 Dec 2024 – 31 Mar 2025; the data run from 06 Jan 2020")
