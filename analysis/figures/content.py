"""Content figures (claim T4): clickbait scores against the headline benchmark, the
value-driven share per data set, and saves per like as a usefulness signal.

Each builder takes the small tables of analysis.content and returns a Figure whose
title states the finding with the numbers.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from analysis.content import BENCHMARK, pct
from analysis.figures.base import Figure, interval_dots

GROUP_LABELS = {
    "mediacrawler-creators": "RedNote: established creators",
    "tiktokrefugee-posts": "RedNote: #TikTokRefugee posts",
    "benchmark clickbait": "Benchmark: clickbait headlines",
    "benchmark news": "Benchmark: news headlines",
    "sample": "RedNote: synthetic sample",
    "all": "RedNote: all notes",
}
_BENCH_CITE = f"{BENCHMARK} (Chakraborty et al. 2016, held-out 20%)"


class FigureInputError(ValueError):
    """A figure was given a table without the rows it needs; the message names them."""


def _label(group: pl.Expr) -> pl.Expr:
    return group.replace(GROUP_LABELS).alias("label")


def _get(results: pl.DataFrame, measure: str, group: str) -> dict:
    rows = results.filter((pl.col("measure") == measure) & (pl.col("group") == group))
    if rows.height != 1:
        raise FigureInputError(f"results need one row of measure={measure!r}, group={group!r}; found {rows.height}"
                               " — pass analysis.content.content_results(...)")
    return rows.row(0, named=True)


def _rednote_sets(results: pl.DataFrame) -> list[str]:
    groups = results.filter(pl.col("measure") == "value_driven_share")["group"].to_list()
    return sorted(g for g in groups if g != "all")


def clickbait_scores(hist: pl.DataFrame, results: pl.DataFrame, *, illustrative: bool = False) -> Figure:
    """Distribution of clickbait scores: RedNote titles per data set vs the benchmark's
    held-out clickbait and news headlines (``content.score_histogram``, ``content_results``)."""
    sets = _rednote_sets(results)
    scored = {g: _get(results, "clickbait_scored_share", g) for g in (*sets, "benchmark clickbait", "benchmark news")}
    calibrated = _get(results, "clickbait_calibrated_share", "all")
    data = hist.with_columns(_label(pl.col("group")))
    n_titles = int(sum(scored[g]["n"] for g in sets))
    flagged = sum(scored[g]["estimate"] * scored[g]["n"] for g in sets) / n_titles if n_titles else None
    title = (
        f"{pct({'estimate': flagged})} of RedNote titles score as clickbait, against "
        f"{pct(scored['benchmark clickbait'])} of benchmark clickbait and {pct(scored['benchmark news'])} of "
        f"news headlines"
        + (f"; hand labels put the share at {pct(calibrated)}" if calibrated["estimate"] is not None
           else " (no hand-labelled titles in these data to check the scorer)")
    )
    chart = (
        alt.Chart(data)
        .mark_line(point=True, interpolate="step-after")
        .encode(
            x=alt.X("bin_lo:Q", title="Clickbait score (0 = news-like, 1 = clickbait-like)",
                    scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("share:Q", title="Share of titles in the score bin", axis=alt.Axis(format="%"),
                    scale=alt.Scale(type="sqrt")),
            color=alt.Color("label:N", title=None, legend=alt.Legend(orient="bottom", columns=1)),
            tooltip=[alt.Tooltip("label:N", title="Group"), alt.Tooltip("bin_lo:Q", title="Score from", format=".2f"),
                     alt.Tooltip("bin_hi:Q", title="to", format=".2f"), alt.Tooltip("count:Q", title="Titles"),
                     alt.Tooltip("share:Q", title="Share", format=".1%")],
        )
        .properties(width="container", height=280)
    )
    shares_text = "; ".join(f"{GROUP_LABELS.get(g, g)}: {pct(r)} of {r['n']} at or above 0.5"
                            for g, r in scored.items())
    return Figure(
        id="tech-clickbait-scores",
        title=title,
        chart=chart,
        data=data,
        alt_text=(f"Line chart of the share of titles in each clickbait-score bin. {shares_text}."
                  + (f" Hand-labelled RedNote titles put the clickbait share at {pct(calibrated)} (95% interval "
                     f"{pct({'estimate': calibrated['lo']})}–{pct({'estimate': calibrated['hi']})})."
                     if calibrated["estimate"] is not None else "")),
        n=n_titles,
        n_unit="RedNote titles",
        source=f"{', '.join(sets)}; {_BENCH_CITE}",
        claims=("T4",),
        illustrative=illustrative,
        notes=(
            "English titles: TF-IDF logistic regression trained on the headline benchmark; Chinese titles: a "
            "documented lexicon score (data/lexicons/clickbait_zh.csv); bilingual titles: the larger of the two.",
            "The scorer transfers imperfectly from news headlines to social-media titles (see the transfer "
            "table): it over-calls casual English titles and misses Chinese hooks without marker words, so the "
            "hand-labelled, re-weighted share is the figure the verdict uses.",
            "The vertical axis is square-root scaled so small shares stay visible.",
        ),
    )


def value_driven(results: pl.DataFrame, *, illustrative: bool = False) -> Figure:
    """Value-driven share of notes per data set (and all), Wilson 95% intervals."""
    sets = _rednote_sets(results)
    data = (
        results.filter(pl.col("measure") == "value_driven_share")
        .select("group", _label(pl.col("group")), "estimate", "lo", "hi", "n")
        .sort(pl.col("group") == "all", "group")
    )
    by_set = {g: _get(results, "value_driven_share", g) for g in sets}
    overall = _get(results, "value_driven_share", "all")
    if len(sets) > 1:
        title = ("Share of notes that review, teach, advise or recommend: "
                 + ", ".join(f"{pct(r)} of {GROUP_LABELS.get(g, g).removeprefix('RedNote: ')}" for g, r in by_set.items()))
    else:
        title = f"{pct(overall)} of notes review, teach, advise or recommend"
    return Figure(
        id="tech-value-driven",
        title=title,
        chart=interval_dots(data, "Share of notes with a value-driven marker (95% Wilson interval)", "%"),
        data=data,
        alt_text="Dot plot with intervals of the share of notes whose title, body or tags mark them as a review, "
                 "tutorial, advice or recommendation: "
                 + "; ".join(f"{lab}: {e:.1%} of {n}" for lab, e, n in data.select("label", "estimate", "n").rows()),
        n=int(overall["n"]),
        n_unit="notes",
        source=", ".join(sets),
        claims=("T4",),
        illustrative=illustrative,
        notes=(
            "Markers from data/lexicons/value_driven.csv (e.g. 测评, 攻略, 教程, 干货, 避雷, 推荐, 合集, review, "
            "how to, tips); a note without marker words is counted as not value-driven, so the share is a floor.",
            "The #TikTokRefugee posts are newcomers' introductions, not a sample of what RedNote shows them.",
        ),
    )


def saves_to_likes(results: pl.DataFrame, *, illustrative: bool = False) -> Figure:
    """Saves per like (pooled ratio of sums, bootstrap 95%) for value-driven vs other notes
    per data set."""
    rows = results.filter(pl.col("measure") == "saves_per_like_pooled")
    data = (
        rows.filter(pl.col("group").str.contains("|", literal=True))
        .with_columns(pl.col("group").str.split("|").list.to_struct(fields=["dataset", "kind"]).alias("_g"))
        .unnest("_g")
        .select("dataset", "kind", pl.concat_str([pl.col("dataset").replace(GROUP_LABELS).str.replace("RedNote: ", ""),
                                                  pl.col("kind")], separator=" · ").alias("label"),
                "estimate", "lo", "hi", "n")
        .sort("dataset", "kind")
    )
    if data.is_empty():
        raise FigureInputError("no saves_per_like_pooled rows per data set and note kind; pass content_results(...)")
    by = {(d, k): e for d, k, e in data.select("dataset", "kind", "estimate").rows()}
    biggest = data.group_by("dataset").agg(pl.col("n").sum()).sort("n", descending=True)["dataset"][0]
    val, oth = by.get((biggest, "value-driven")), by.get((biggest, "other"))
    name = GROUP_LABELS.get(biggest, biggest).removeprefix("RedNote: ")
    if val and oth:
        title = (f"Value-driven notes are saved {val / oth:.1f}× as often per like as other notes "
                 f"({val:.2f} vs {oth:.2f} saves per like, {name})")
    else:
        title = f"Saves per like by kind of note ({name})"
    return Figure(
        id="tech-saves-to-likes",
        title=title,
        chart=interval_dots(data, "Saves per like, pooled over notes (95% bootstrap interval)", ".2f"),
        data=data,
        alt_text="Dot plot with intervals of saves per like for value-driven and other notes in each data set: "
                 + "; ".join(f"{lab}: {e:.2f} (n={n})" for lab, e, n in data.select("label", "estimate", "n").rows()),
        n=int(data["n"].sum()),
        n_unit="notes",
        source=", ".join(sorted(data["dataset"].unique())),
        claims=("T4",),
        illustrative=illustrative,
        notes=(
            "Saving (collecting) a note keeps it for later; a higher saves-to-likes ratio suggests content people "
            "expect to use again. Pooled as total saves ÷ total likes; counts the source rounded (7.6万) are used "
            "as given.",
        ),
    )


__all__ = ["clickbait_scores", "saves_to_likes", "value_driven"]
