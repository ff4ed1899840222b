"""Charts of the Explore section: words, sentiment, places, engagement drivers, topics
over time and what comments say. Small measure tables in, ``Figure`` out."""

from __future__ import annotations

from functools import partial

import altair as alt
import polars as pl

from analysis.figures import base
from analysis.figures.base import Facts, Figure, FigureInputError
from analysis.measures.places import IP_CAVEAT

#: The fixed facts of this section's figures (the builders pass what they compute).
FIGURES = {
    "explore-keyness": Facts(claims=(), n_unit="texts", height=alt.Step(16)),  # id: explore-keyness-<a>-vs-<b>
    "explore-sentiment": Facts(claims=(), n_unit="notes", height=alt.Step(16)),  # id: explore-sentiment-<language>
    "explore-top-terms": Facts(claims=(), n_unit="texts"),
    "explore-sentiment-accuracy": Facts(claims=(), n_unit="hand-labelled notes", height=alt.Step(30),
                                        source="data/labels/sentiment.csv (ids + labels); tiktokrefugee-posts; mediacrawler-creators"),
    "explore-places": Facts(claims=(), n_unit="rows"),
    "explore-engagement": Facts(claims=(), n_unit="notes", height=alt.Step(22)),
    "explore-saves-per-like": Facts(claims=(), n_unit="notes", height=alt.Step(34)),
    "explore-topics-over-time": Facts(claims=(), n_unit="notes", height=260),
    "explore-comment-markers": Facts(claims=(), n_unit="comments", height=alt.Step(34)),
}

_finish = partial(base.finish, FIGURES)


#: Axis text in px (labels and titles): readable on a phone.
LABEL_PX, TITLE_PX = 11, 12
LANG_NAMES = {"en": "English", "zh": "Chinese"}
TABLE_NAMES = {"notes": "Notes", "creators": "Creators", "comments": "Comments"}


def _axis(**kw) -> alt.Axis:
    return alt.Axis(labelFontSize=LABEL_PX, titleFontSize=TITLE_PX, **kw)


def _need(table: pl.DataFrame, what: str, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise FigureInputError(f"{what}: the table lacks column(s) {missing}; it has {table.columns}")
    if table.height == 0:
        raise FigureInputError(f"{what}: the table has no rows to chart")


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() and c.isascii() else " " for c in text.lower()).split())


def keyness(top: pl.DataFrame, label_a: str, label_b: str, *, source: str, n_texts: int,
            illustrative: bool = False) -> Figure:
    """Key terms of each side (``analysis.measures.words.top_key_terms``) as bars of z,
    side a to the right, side b to the left."""
    _need(top, "keyness", ("term", "z", "side", "rank", "count_a", "count_b"))
    data = top.select("term", "count_a", "count_b", "z", "side", "rank").with_columns(
        pl.when(pl.col("side") == "a").then(pl.lit(label_a)).otherwise(pl.lit(label_b)).alias("key_for"))
    best = {s: data.filter(pl.col("side") == s).sort("rank")["term"].head(3).to_list() for s in ("a", "b")}
    parts = [f"{lab} use {', '.join(best[s])} more" for s, lab in (("a", label_a), ("b", label_b)) if best[s]]
    title = "; ".join(parts) + " (log-odds with informative prior, |z| ≥ 1.96)"
    order = data.sort("z", descending=True)["term"].to_list()
    tooltip = [alt.Tooltip("term:N", title="Term"), alt.Tooltip("key_for:N", title="Typical of"),
               alt.Tooltip("z:Q", format=".1f"), alt.Tooltip("count_a:Q", title=f"Uses, {label_a}"),
               alt.Tooltip("count_b:Q", title=f"Uses, {label_b}")]
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("term:N", sort=order, title=None, axis=_axis(labelLimit=200)),
        x=alt.X("z:Q", title=f"z (→ {label_a}, ← {label_b})", axis=_axis()),
        color=alt.Color("key_for:N", title=None, legend=alt.Legend(orient="bottom", labelFontSize=LABEL_PX)),
        tooltip=tooltip,
    )
    return _finish(
        "explore-keyness", chart, data, id=f"explore-keyness-{_slug(label_a)}-vs-{_slug(label_b)}",
        title=title,
        alt_text=f"Bar chart of keyness z per term, {label_a} against {label_b}. " + ". ".join(parts) + ".",
        n=n_texts, source=source, illustrative=illustrative,
        notes=("Keyness: log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008); a term is key at "
               "|z| ≥ 1.96, a per-term 5% level not corrected for the many terms tested.",
               "Own words only: hashtags, URLs and @mentions are left out; Chinese segmented with jieba."),
    )


def top_terms(top: pl.DataFrame, *, source: str, illustrative: bool = False) -> Figure:
    """The most used terms per group (``analysis.measures.words.top_terms``): share of the
    group's texts using each."""
    _need(top, "top terms", ("group", "rank", "term", "docs", "n_docs", "share_of_texts"))
    groups = top["group"].unique(maintain_order=True).to_list()
    firsts = [f"{g}: {top.filter((pl.col('group') == g) & (pl.col('rank') == 1))['term'][0]}" for g in groups]
    chart = alt.Chart(top).mark_bar().encode(
        y=alt.Y("term:N", sort=alt.SortField("rank"), title=None, axis=_axis(labelLimit=160)),
        x=alt.X("share_of_texts:Q", title="Share of the group's texts using the term", axis=_axis(format="%")),
        tooltip=[alt.Tooltip("group:N"), alt.Tooltip("term:N"), alt.Tooltip("docs:Q", title="Texts"),
                 alt.Tooltip("n_docs:Q", title="Texts in group"), alt.Tooltip("share_of_texts:Q", format=".1%")],
    ).properties(width=220, height=alt.Step(14)).facet(
        column=alt.Column("group:N", title=None, header=alt.Header(labelFontSize=TITLE_PX))
    ).resolve_scale(y="independent")
    n = int(top.select("group", "n_docs").unique()["n_docs"].sum())
    return _finish(
        "explore-top-terms", chart, top,
        title="Most used words — " + "; ".join(firsts),
        alt_text="Bar charts of the most used terms per group, as the share of the group's texts using each; "
                 "most used: " + "; ".join(firsts) + ".",
        n=n,
        source=source,
        notes=("Stop words removed (data/lexicons/stopwords_en.csv, stopwords_zh.csv); terms of one character dropped.",),
        illustrative=illustrative,
    )


def sentiment_accuracy(acc: pl.DataFrame, *, illustrative: bool = False) -> Figure:
    """Accuracy of each scorer on the hand-labelled notes against the majority-class
    baseline (``analysis.measures.sentiment.accuracy_vs_baseline``)."""
    _need(acc, "sentiment accuracy", ("language", "scorer", "n", "accuracy", "lo", "hi", "baseline",
                                      "baseline_lo", "baseline_hi", "beats_baseline"))
    lang = pl.col("language").replace_strict(LANG_NAMES, default=pl.col("language"))
    scorers = acc.select(lang.alias("lang"), "scorer", "n", pl.lit("scorer").alias("kind"),
                         pl.col("accuracy").alias("estimate"), "lo", "hi", "beats_baseline")
    baselines = acc.unique("language", keep="first", maintain_order=True).select(
        lang.alias("lang"), pl.lit("majority class").alias("scorer"), "n", pl.lit("baseline").alias("kind"),
        pl.col("baseline").alias("estimate"), pl.col("baseline_lo").alias("lo"), pl.col("baseline_hi").alias("hi"),
        pl.lit(None, dtype=pl.Boolean).alias("beats_baseline"))
    data = pl.concat([scorers, baselines]).with_columns(
        (pl.col("lang") + ": " + pl.col("scorer")).alias("label")).sort("lang", "kind", "scorer")
    beat = acc.filter(pl.col("beats_baseline"))
    if beat.height:
        title = "Sentiment is shown only where the scorer beats guessing the commonest label: " + "; ".join(
            f"{r['scorer']} on {LANG_NAMES.get(r['language'], r['language'])} {r['accuracy']:.0%} "
            f"[{r['lo']:.0%}–{r['hi']:.0%}] vs {r['baseline']:.0%}" for r in beat.iter_rows(named=True))
    else:
        title = "No sentiment scorer beats guessing the commonest label, so no sentiment results are shown"
    tooltip = [alt.Tooltip("label:N", title="Scorer"), alt.Tooltip("estimate:Q", title="Accuracy", format=".1%"),
               alt.Tooltip("lo:Q", title="95% lower", format=".1%"), alt.Tooltip("hi:Q", title="95% upper", format=".1%"),
               alt.Tooltip("n:Q", title="Hand-labelled notes")]
    base_chart = alt.Chart(data).encode(y=alt.Y("label:N", sort=None, title=None, axis=_axis(labelLimit=220)))
    chart = (
        base_chart.mark_rule(strokeWidth=2, color=base.INTERVAL_COLOR).encode(
            x=alt.X("lo:Q", title="Accuracy on hand-labelled notes (95% Wilson)", axis=_axis(format="%"),
                    scale=alt.Scale(domain=[0, 1])), x2="hi:Q", tooltip=tooltip)
        + base_chart.mark_point(filled=True, size=80).encode(
            x="estimate:Q", shape=alt.Shape("kind:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=tooltip)
    )
    return _finish(
        "explore-sentiment-accuracy", chart, data.drop("label"),
        title=title,
        alt_text="Dot plot of each sentiment scorer's accuracy and the majority-class baseline per language: "
                 + "; ".join(f"{r['lang']} {r['scorer']} {r['estimate']:.0%}" for r in data.iter_rows(named=True)) + ".",
        n=int(acc.unique("language")["n"].sum()),
        notes=("A scorer beats the baseline when its accuracy is higher and an exact McNemar test on the same notes "
               "gives p < 0.05.",),
        illustrative=illustrative,
    )


def sentiment_mix(shares: pl.DataFrame, scorer: str, language: str, accuracy: float, *, source: str,
                  illustrative: bool = False) -> Figure:
    """Sentiment shares per group (``analysis.measures.sentiment.sentiment_shares``) of
    the notes in ``language``, with the scorer's measured accuracy in the title."""
    _need(shares, "sentiment mix", ("group", "sentiment", "k", "n", "share", "lo", "hi"))
    neg = shares.filter(pl.col("sentiment") == "negative")
    title = (f"{LANG_NAMES.get(language, language)} notes read by {scorer} (right {accuracy:.0%} of the time): "
             + "; ".join(f"{r['group']} {r['share']:.0%} negative" for r in neg.iter_rows(named=True)))
    tooltip = [alt.Tooltip("group:N"), alt.Tooltip("sentiment:N"), alt.Tooltip("share:Q", format=".1%"),
               alt.Tooltip("lo:Q", title="95% lower", format=".1%"), alt.Tooltip("hi:Q", title="95% upper", format=".1%"),
               alt.Tooltip("n:Q", title="Notes")]
    order = ["positive", "neutral", "negative"]
    base_chart = alt.Chart(shares).encode(y=alt.Y("sentiment:N", sort=order, title=None, axis=_axis()), yOffset="group:N",
                                          color=alt.Color("group:N", title=None, legend=alt.Legend(orient="bottom")))
    chart = (base_chart.mark_bar().encode(x=alt.X("share:Q", title="Share of notes", axis=_axis(format="%")), tooltip=tooltip)
             + base_chart.mark_rule(color=base.INTERVAL_COLOR).encode(x="lo:Q", x2="hi:Q", tooltip=tooltip)
             )
    return _finish(
        "explore-sentiment", chart, shares, id=f"explore-sentiment-{language}",
        title=title,
        alt_text="Bars of the share of notes scored positive, neutral and negative per group. " + title + ".",
        n=int(shares.unique("group")["n"].sum()), source=source, illustrative=illustrative,
        notes=(f"{scorer} agrees with hand labels on {accuracy:.0%} of labelled notes: read shares as rough.",),
    )


def places(rankings: pl.DataFrame, *, source: str, illustrative: bool = False) -> Figure:
    """``ip_location`` rankings of notes, creators and comments
    (``analysis.measures.places.place_rankings``)."""
    _need(rankings, "places", ("table", "rank", "place", "k", "n", "share", "lo", "hi", "missing"))
    data = rankings.with_columns(pl.col("table").replace_strict(TABLE_NAMES, default=pl.col("table")).alias("of"))
    tops = [f"{r['of'].lower()} {r['place']} {r['share']:.0%}" for r in data.filter(pl.col("rank") == 1).iter_rows(named=True)]
    tooltip = [alt.Tooltip("of:N", title="Table"), alt.Tooltip("place:N"), alt.Tooltip("k:Q", title="Rows"),
               alt.Tooltip("share:Q", format=".1%"), alt.Tooltip("lo:Q", title="95% lower", format=".1%"),
               alt.Tooltip("hi:Q", title="95% upper", format=".1%"), alt.Tooltip("n:Q", title="Rows naming a place")]
    base_chart = alt.Chart(data).encode(y=alt.Y("place:N", sort=alt.SortField("rank"), title=None, axis=_axis(labelLimit=160)))
    chart = (
        base_chart.mark_bar().encode(x=alt.X("share:Q", title="Share of rows naming a place", axis=_axis(format="%")),
                                     tooltip=tooltip)
        + base_chart.mark_rule(color=base.INTERVAL_COLOR).encode(x="lo:Q", x2="hi:Q", tooltip=tooltip)
    ).properties(width=220, height=alt.Step(14)).facet(
        column=alt.Column("of:N", title=None, header=alt.Header(labelFontSize=TITLE_PX))
    ).resolve_scale(y="independent")
    n = int(data.unique("table").select((pl.col("n") + pl.col("missing")).sum()).item())
    return _finish(
        "explore-places", chart, data.drop("of"),
        title="Most common IP location — " + "; ".join(tops),
        alt_text="Bar charts of the most common ip_location values with 95% intervals, per table: "
                 + "; ".join(tops) + ".",
        n=n,
        source=source,
        notes=(IP_CAVEAT, "Shares are of the rows that name a place; `missing` counts those that do not."),
        illustrative=illustrative,
    )


def engagement(model: pl.DataFrame, *, source: str, illustrative: bool = False) -> Figure:
    """Rate ratios of the count models (``analysis.measures.engagement.engagement_models``)
    on a log scale, likes and saves side by side."""
    _need(model, "engagement", ("outcome", "feature", "level", "reference", "rate_ratio", "lo", "hi", "n"))
    data = model.with_columns((pl.col("feature") + ": " + pl.col("level") + " vs " + pl.col("reference")).alias("label"))
    likes = data.filter(pl.col("outcome") == "likes")
    strong = (likes if likes.height else data).sort((pl.col("rate_ratio").log()).abs(), descending=True).head(2)
    title = "Other features equal, " + "; ".join(
        f"{r['feature']} {r['level']} (vs {r['reference']}) goes with {r['rate_ratio']:.2g}× the {r['outcome']} "
        f"[{r['lo']:.2g}–{r['hi']:.2g}]" for r in strong.iter_rows(named=True))
    tooltip = [alt.Tooltip("outcome:N"), alt.Tooltip("label:N", title="Feature"),
               alt.Tooltip("rate_ratio:Q", title="Rate ratio", format=".2f"),
               alt.Tooltip("lo:Q", title="95% lower", format=".2f"), alt.Tooltip("hi:Q", title="95% upper", format=".2f"),
               alt.Tooltip("level_n:Q", title="Notes at this level")]
    order = data["label"].unique(maintain_order=True).to_list()
    base_chart = alt.Chart(data).encode(y=alt.Y("label:N", sort=order, title=None, axis=_axis(labelLimit=260)),
                                        yOffset="outcome:N",
                                        color=alt.Color("outcome:N", title=None, legend=alt.Legend(orient="bottom")))
    chart = (
        base_chart.mark_rule(strokeWidth=2).encode(
            x=alt.X("lo:Q", title="Rate ratio (log scale; 1 = no difference)", scale=alt.Scale(type="log"),
                    axis=_axis()), x2="hi:Q", tooltip=tooltip)
        + base_chart.mark_point(filled=True, size=50).encode(x="rate_ratio:Q", tooltip=tooltip)
        + alt.Chart(pl.DataFrame({"x": [1.0]})).mark_rule(color=base.INTERVAL_COLOR, strokeDash=[4, 4]).encode(x="x:Q")
    )
    return _finish(
        "explore-engagement", chart, data.drop("label"),
        title=title,
        alt_text="Dot plot of negative binomial rate ratios with 95% intervals for likes and saves per note feature. "
                 + title + ".",
        n=int(data["n"].max()),
        source=source,
        notes=("Negative binomial (NB2) regressions, errors clustered by account: association, not cause — audience "
               "size, topic and the platform's recommendation are not in the model.",),
        illustrative=illustrative,
    )


def saves_per_like(spl: pl.DataFrame, *, source: str, illustrative: bool = False) -> Figure:
    """Saves per like per group (``analysis.measures.engagement.saves_per_like``)."""
    _need(spl, "saves per like", ("group", "ratio", "lo", "hi", "n"))
    title = "Saves per like — " + "; ".join(f"{r['group']}: {r['ratio']:.2f} [{r['lo']:.2f}–{r['hi']:.2f}]"
                                            for r in spl.iter_rows(named=True))
    tooltip = [alt.Tooltip("group:N"), alt.Tooltip("ratio:Q", title="Saves per like", format=".3f"),
               alt.Tooltip("lo:Q", title="95% lower", format=".3f"), alt.Tooltip("hi:Q", title="95% upper", format=".3f"),
               alt.Tooltip("n:Q", title="Notes")]
    base_chart = alt.Chart(spl).encode(y=alt.Y("group:N", title=None, axis=_axis(labelLimit=220)))
    chart = (base_chart.mark_rule(strokeWidth=2, color=base.INTERVAL_COLOR).encode(
        x=alt.X("lo:Q", title="Saves per like (pooled; 95% bootstrap)", axis=_axis()), x2="hi:Q", tooltip=tooltip)
        + base_chart.mark_point(filled=True, size=80).encode(x="ratio:Q", tooltip=tooltip)
    )
    return _finish(
        "explore-saves-per-like", chart, spl,
        title=title,
        alt_text="Dot plot of saves per like per group with bootstrap intervals. " + title + ".",
        n=int(spl["n"].sum()),
        source=source,
        notes=("A save is a bookmark to come back to: more saves per like suggests notes read as useful.",),
        illustrative=illustrative,
    )


def topics_over_time(weekly: pl.DataFrame, *, source: str, illustrative: bool = False) -> Figure:
    """Weekly topic shares (``analysis.measures.topics_time.weekly_topic_shares``), weeks
    flagged as collection artefacts drawn hollow."""
    _need(weekly, "topics over time", ("dataset", "week", "topic", "k", "n", "share", "artefact"))
    shown: tuple[str, ...] = ()
    if weekly.height > base.MAX_FIGURE_ROWS:  # a creator's years-long history: keep the migration weeks
        first, last = weekly["week"].min(), weekly["week"].max()
        weekly = weekly.filter(pl.col("week").is_between(*base.MIGRATION_WINDOW))
        shown = (f"Shown: weeks of {base.MIGRATION_WINDOW[0]:%d %b %Y} – {base.MIGRATION_WINDOW[1]:%d %b %Y}; the data run from "
                 f"{first:%d %b %Y} to {last:%d %b %Y}.",)
        _need(weekly, "topics over time (migration weeks)", ("week",))
    clean = weekly.filter(~pl.col("artefact"))
    pool = clean if clean.height else weekly
    mean = pool.group_by("topic").agg(pl.col("k").sum() / pl.col("n").sum()).sort(["k", "topic"], descending=[True, False])
    lead = mean.row(0, named=True)
    weeks = weekly["week"].n_unique()
    title = (f"{lead['topic']} is the commonest topic, in {lead['k']:.0%} of notes over {weeks} weeks"
             + ("" if clean.height == weekly.height else "; hollow points are partial weeks (crawl start or end)"))
    tooltip = [alt.Tooltip("dataset:N"), alt.Tooltip("week:T", format="%d %b %Y"), alt.Tooltip("topic:N"),
               alt.Tooltip("share:Q", format=".1%"), alt.Tooltip("n:Q", title="Notes that week"),
               alt.Tooltip("artefact:N", title="Partial week")]
    dash = {"strokeDash": alt.StrokeDash("dataset:N", title=None)} if weekly["dataset"].n_unique() > 1 else {}
    base_chart = alt.Chart(weekly).encode(
        x=alt.X("week:T", title="Week (starting Monday)", axis=_axis(format="%d %b")),
        y=alt.Y("share:Q", title="Share of the week's notes", axis=_axis(format="%")),
        color=alt.Color("topic:N", title=None, legend=alt.Legend(orient="bottom", columns=4)),
        detail="dataset:N", tooltip=tooltip)
    chart = (base_chart.mark_line(strokeWidth=1.5).encode(**dash)
             + base_chart.transform_filter("!datum.artefact").mark_point(size=40, filled=True)
             + base_chart.transform_filter("datum.artefact").mark_point(size=40, filled=False)
             )
    return _finish(
        "explore-topics-over-time", chart, weekly,
        title=title,
        alt_text="Line chart of the weekly share of notes per topic. " + title + ".",
        n=int(weekly.unique(["dataset", "week"])["n"].sum()),
        source=source,
        notes=(*shown, "Weeks holding a data set's first or last crawl day are partial: their shares reflect how the data "
               "were collected, not a trend.", "A note can carry several topics (data/lexicons/topics.csv)."),
        illustrative=illustrative,
    )


def comment_markers(summary: pl.DataFrame, *, source: str, illustrative: bool = False) -> Figure:
    """T7, C4, C5 measured on Chinese-language comments on newcomers' notes
    (``analysis.claims.comments.summary_table``)."""
    _need(summary, "comment markers", ("claim", "marker", "k", "n", "share", "lo", "hi"))
    data = summary.with_columns((pl.col("claim") + ": " + pl.col("marker")).alias("label"))
    n = int(summary["n"].max())
    title = f"Of {n} Chinese-language comments on newcomers' notes, " + "; ".join(
        f"{r['share']:.0%} carry {r['marker']} ({r['claim']})" for r in summary.iter_rows(named=True))
    tooltip = [alt.Tooltip("label:N", title="Marker"), alt.Tooltip("k:Q", title="Comments"),
               alt.Tooltip("share:Q", format=".1%"), alt.Tooltip("lo:Q", title="95% lower", format=".1%"),
               alt.Tooltip("hi:Q", title="95% upper", format=".1%"), alt.Tooltip("n:Q", title="Comments measured")]
    base_chart = alt.Chart(data).encode(y=alt.Y("label:N", sort=None, title=None, axis=_axis(labelLimit=260)))
    chart = (base_chart.mark_rule(strokeWidth=2, color=base.INTERVAL_COLOR).encode(
        x=alt.X("lo:Q", title="Share of Chinese-language comments on newcomers' notes (95% Wilson)",
                axis=_axis(format="%")), x2="hi:Q", tooltip=tooltip)
        + base_chart.mark_point(filled=True, size=80).encode(x="share:Q", tooltip=tooltip)
    )
    return _finish(
        "explore-comment-markers", chart, summary,
        title=title,
        alt_text="Dot plot of the share of Chinese-language comments on newcomers' notes carrying each claim's "
                 "marker. " + title + ".",
        n=n,
        source=source,
        claims=tuple(summary["claim"].to_list()),
        notes=("Markers are lexicon matches (data/lexicons/complaints.csv, memes.csv, cross_border.csv); a comment "
               "phrased without a listed term is missed.",),
        illustrative=illustrative,
    )
