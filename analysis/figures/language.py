"""Tech figures, language side (claims T2, T5, T6): language mix and translation, hashtag
concentration and co-occurrence, topic mix.

Builders take the small tables of analysis.language and return Figures whose titles
state the finding with its numbers. No note text or account id reaches a figure.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from analysis.figures.base import INTERVAL_COLOR, Figure
from analysis.language import CLAIMED_USES, TOP_K, USE_VISIBLE
from analysis.themes import CREATORS, REFUGEE

DATASET_LABELS = {REFUGEE: "#TikTokRefugee posts", CREATORS: "Chinese-American creators"}
LANGUAGE_LABELS = {"english": "English", "chinese": "Chinese", "bilingual": "English + Chinese", "other": "other / no words"}
TRANSLATION_LABELS = {
    "translation_use": "bilingual or mentions translating (T5 proxy)",
    "mentions": "mentions translating (any)",
    "translation_app": "names a translation tool",
    "language_barrier": "says they can't read Chinese",
}
TOPIC_LABELS = {"review": "reviews / recommendations", "shopping": "shopping", "travel": "travel", "food": "food",
                "beauty_fashion": "beauty & fashion", "learning": "learning & tips", "lifestyle": "lifestyle & daily life",
                "social": "making friends"}


class FigureInputError(ValueError):
    """A figure was given a table without the rows it needs; the message names them."""


def _split_group(results: pl.DataFrame, what: str) -> pl.DataFrame:
    """``<dataset>: <what>`` groups of a result table as columns dataset, <what>, share, lo, hi, n."""
    return results.select(
        pl.col("group").str.split(": ").list.first().alias("dataset"),
        pl.col("group").str.split(": ").list.last().alias(what),
        pl.col("estimate").alias("share"), "lo", "hi", "n",
    ).with_columns(pl.col("dataset").replace_strict(DATASET_LABELS, default=pl.col("dataset")).alias("data_set"))


def _cell(data: pl.DataFrame, dataset: str, col: str, value: str) -> dict | None:
    rows = data.filter((pl.col("dataset") == dataset) & (pl.col(col) == value))
    return rows.row(0, named=True) if rows.height else None


def _bars_with_intervals(data: pl.DataFrame, y: str, order: list[str], x_title: str) -> alt.LayerChart:
    base = alt.Chart(data).encode(
        y=alt.Y(f"{y}:N", sort=order, title=None, axis=alt.Axis(labelLimit=240)), yOffset="data_set:N",
        color=alt.Color("data_set:N", title=None, legend=alt.Legend(orient="bottom")),
    )
    tooltip = [alt.Tooltip("data_set:N", title="Data set"), alt.Tooltip(f"{y}:N", title="What"),
               alt.Tooltip("share:Q", title="Share", format=".1%"), alt.Tooltip("lo:Q", title="95% lower", format=".1%"),
               alt.Tooltip("hi:Q", title="95% upper", format=".1%"), alt.Tooltip("n:Q", title="Notes")]
    return (
        base.mark_bar().encode(x=alt.X("share:Q", title=x_title, axis=alt.Axis(format="%")), tooltip=tooltip)
        + base.mark_rule(color=INTERVAL_COLOR).encode(x="lo:Q", x2="hi:Q", tooltip=tooltip)
    ).properties(width="container", height=alt.Step(16))


def language_mix(mix: pl.DataFrame, translation: pl.DataFrame, newcomers: str = REFUGEE,
                 illustrative: bool = False) -> Figure:
    """Language shares per data set (``analysis.language.language_mix``) and translation
    mentions (``translation_mentions``), one bar chart with Wilson intervals."""
    langs = _split_group(mix, "key").with_columns(
        pl.col("key").replace_strict(LANGUAGE_LABELS, default=pl.col("key")).alias("label"), pl.lit("language").alias("part"))
    trans = _split_group(translation.filter(pl.col("group").str.split(": ").list.last().is_in(list(TRANSLATION_LABELS))),
                         "key").with_columns(
        pl.col("key").replace_strict(TRANSLATION_LABELS, default=pl.col("key")).alias("label"),
        pl.lit("translation").alias("part"))
    data = pl.concat([langs, trans])
    en, bi = _cell(data, newcomers, "key", "english"), _cell(data, newcomers, "key", "bilingual")
    use = _cell(data, newcomers, "key", "translation_use")
    if en is None or bi is None or use is None or en["share"] is None:
        raise FigureInputError(f"language_mix needs the {newcomers} rows english, bilingual and translation_use")
    title = (f"{en['share']:.0%} of #TikTokRefugee posts are in English only and {bi['share']:.0%} in English and "
             f"Chinese; {use['share']:.0%} [{use['lo']:.0%}–{use['hi']:.0%}] show translation at work")
    order = [*LANGUAGE_LABELS.values(), *TRANSLATION_LABELS.values()]
    return Figure(
        id="tech-language-mix",
        title=title,
        chart=_bars_with_intervals(data, "label", order, "Share of notes (95% Wilson interval)"),
        data=data.drop("label"),
        alt_text=("Bar chart of the share of notes per language and of notes mentioning translation, per data set. "
                  + "; ".join(f"{d}, {lab}: {s:.1%}" for d, lab, s in data.filter(pl.col("dataset") == newcomers)
                              .select("data_set", "label", "share").rows()) + "."),
        n=int(data.unique("dataset")["n"].sum()),
        n_unit="notes",
        source="; ".join(sorted(data["dataset"].unique().to_list())),
        claims=("T5",),
        illustrative=illustrative,
        notes=("Language identified per note from title and body (hashtags ignored): script first, lingua for Latin "
               "text; accuracy on 310 hand-labelled notes is in the Methods section.",
               "Most machine translation is silent; how many apps each newcomer juggles is not in any data set."),
    )


def hashtag_ranked(top: pl.DataFrame, concentration: pl.DataFrame, source: str = REFUGEE,
                   illustrative: bool = False) -> Figure:
    """The most used tags of the newcomers' posts, ranked by share of posts
    (``analysis.language.top_tags``), titled with the concentration measures
    (``hashtag_concentration``)."""
    def get(measure: str, group: str) -> dict:
        rows = concentration.filter((pl.col("measure") == measure) & (pl.col("group") == group))
        if rows.height != 1:
            raise FigureInputError(f"concentration needs one row measure={measure!r} group={group!r}")
        return rows.row(0, named=True)

    top_all = get(f"top{TOP_K}_share_of_tag_uses", "all tags")
    top_wo = get(f"top{TOP_K}_share_of_tag_uses", "without #tiktokrefugee family")
    zh = get("english_notes_with_chinese_tag", "all")
    lead = top.sort("rank").row(0, named=True)
    title = (f"The top {TOP_K} tags carry {top_all['estimate']:.0%} of tag uses ({top_wo['estimate']:.0%} without the "
             f"#tiktokrefugee family); #{lead['tag']} is on {lead['share_of_notes']:.0%} of posts")
    data = top.with_columns(
        pl.concat_str(pl.lit("#"), pl.col("tag")).alias("label"),
        pl.when(pl.col("selection")).then(pl.lit("#tiktokrefugee family"))
        .otherwise(pl.lit("other tags")).alias("kind"))
    tooltip = [alt.Tooltip("label:N", title="Tag"), alt.Tooltip("posts:Q", title="Posts"),
               alt.Tooltip("share_of_notes:Q", title="Share of posts", format=".1%"),
               alt.Tooltip("lo:Q", title="95% lower", format=".1%"), alt.Tooltip("hi:Q", title="95% upper", format=".1%"),
               alt.Tooltip("share_of_uses:Q", title="Share of tag uses", format=".1%")]
    base = alt.Chart(data).encode(y=alt.Y("label:N", sort=alt.SortField("rank"), title=None))
    chart = (
        base.mark_bar().encode(x=alt.X("share_of_notes:Q", title="Share of posts carrying the tag (95% Wilson)",
                                       axis=alt.Axis(format="%")),
                               color=alt.Color("kind:N", title=None, legend=alt.Legend(orient="bottom")),
                               tooltip=tooltip)
        + base.mark_rule(color=INTERVAL_COLOR).encode(x="lo:Q", x2="hi:Q", tooltip=tooltip)
    ).properties(width="container", height=alt.Step(20))
    return Figure(
        id="tech-hashtags",
        title=title,
        chart=chart,
        data=data.drop("label"),
        alt_text=("Ranked bar chart of the most used tags by share of #TikTokRefugee posts: "
                  + "; ".join(f"#{t} {s:.0%}" for t, s in data.select("tag", "share_of_notes").head(8).rows())
                  + f". Herfindahl index {get('herfindahl_index', 'all tags')['estimate']:.3f}."),
        n=int(top["n"][0]),
        n_unit="posts",
        source=source,
        claims=("T6",),
        illustrative=illustrative,
        notes=("The #tiktokrefugee family (tiktokrefugee, tiktok_refugee, 抖音难民 …) is how the data set was "
               "collected, so its share reflects selection, not behaviour.",
               f"{zh['estimate']:.0%} [{zh['lo']:.0%}–{zh['hi']:.0%}] of English-language posts (n={zh['n']}) carry a "
               "Chinese-script tag — typed, copied or picked from the composer's suggestions; posts do not say which.",
               "Concentration is what tag suggestions would produce, and equally what copying a meme produces; "
               "only the app's suggestion logs could tell them apart."),
    )


def hashtag_cooccurrence(pairs: pl.DataFrame, source: str = REFUGEE, illustrative: bool = False) -> Figure:
    """Heatmap of how often the top tags appear together (``analysis.language.tag_cooccurrence``):
    the share of posts carrying the row tag that also carry the column tag."""
    off = pairs.filter(pl.col("tag_a") != pl.col("tag_b")).sort(["notes", "tag_a"], descending=[True, False])
    if off.height == 0:
        raise FigureInputError("tag_cooccurrence returned no pairs of distinct tags")
    best = off.row(0, named=True)
    title = (f"#{best['tag_a']} and #{best['tag_b']} appear together on {best['notes']} posts, "
             f"{best['share_of_a']:.0%} of those tagged #{best['tag_a']}")
    order = pairs.sort("rank_a").unique("tag_a", keep="first", maintain_order=True)["tag_a"].to_list()
    # The diagonal (a tag with itself, always 100%) would swamp the colour scale.
    chart = alt.Chart(pairs).transform_filter("datum.tag_a != datum.tag_b").mark_rect().encode(
        x=alt.X("tag_b:N", sort=order, title="…also carry this tag", axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("tag_a:N", sort=order, title="Posts tagged"),
        color=alt.Color("share_of_a:Q", title="Share", scale=alt.Scale(scheme="blues"), legend=alt.Legend(format="%")),
        tooltip=[alt.Tooltip("tag_a:N", title="Posts tagged"), alt.Tooltip("tag_b:N", title="Also tagged"),
                 alt.Tooltip("notes:Q", title="Posts with both"), alt.Tooltip("share_of_a:Q", title="Share", format=".0%")],
    ).properties(width="container", height=320)
    return Figure(
        id="tech-hashtag-cooccurrence",
        title=title,
        chart=chart,
        data=pairs,
        alt_text=f"Heatmap of co-occurrence among the {len(order)} most used tags; the strongest pair is "
        f"#{best['tag_a']} with #{best['tag_b']} ({best['notes']} posts).",
        n=int(pairs.filter(pl.col("tag_a") == pl.col("tag_b"))["notes"].max()),
        n_unit="posts (the most used tag's)",
        source=source,
        claims=("T6",),
        illustrative=illustrative,
        notes=("The diagonal (a tag with itself) is left blank; its post count is in the download.",),
    )


def topic_mix(mix: pl.DataFrame, illustrative: bool = False) -> Figure:
    """Share of notes per topic and data set (``analysis.language.topic_mix``)."""
    data = _split_group(mix, "topic").with_columns(
        pl.col("topic").replace_strict(TOPIC_LABELS, default=pl.col("topic")).alias("label"))
    have = [_cell(data, CREATORS, "topic", u) for u in CLAIMED_USES]
    if all(h is not None and h["share"] is not None for h in have):
        pairs = list(zip(CLAIMED_USES, have, strict=True))
        common = [f"{TOPIC_LABELS[u]} {h['share']:.0%}" for u, h in pairs if h["share"] >= USE_VISIBLE]
        rare = [f"{TOPIC_LABELS[u]} {h['share']:.0%}" for u, h in pairs if h["share"] < USE_VISIBLE]
        title = "Of the claimed uses in Chinese-American creators' notes, " + (
            f"{', '.join(common)} are common" if common else "none is common") + (
            f"; {', '.join(rare)} {'is' if len(rare) == 1 else 'are'} rare" if rare else "")
    else:
        top = data.filter(pl.col("share").is_not_null()).sort(["share", "topic"], descending=[True, False])
        title = (f"The most common topic is {top['label'][0]}: {top['share'][0]:.0%} of notes" if top.height
                 else "No notes to measure topics on")
    order = list(TOPIC_LABELS.values())
    return Figure(
        id="tech-topic-mix",
        title=title,
        chart=_bars_with_intervals(data, "label", order, "Share of notes (95% Wilson interval; a note may have several)"),
        data=data.drop("label"),
        alt_text="Bar chart of topic shares per data set: "
        + "; ".join(f"{d}, {lab}: {s:.0%}" for d, lab, s in data.select("data_set", "label", "share").rows()) + ".",
        n=int(data.unique("dataset")["n"].sum()),
        n_unit="notes",
        source="; ".join(sorted(data["dataset"].unique().to_list())),
        claims=("T2",),
        illustrative=illustrative,
        notes=("Topics matched with data/lexicons/topics.csv on title, text and tags; its precision is in the Methods "
               "section. 生活 (life) and 朋友 (friend) are common words and inflate lifestyle and making friends.",
               "The creators are lifestyle creators chosen by the data set's analysts, not a random sample of RedNote."),
    )


# --- Methods: how far the text measures can be trusted ---------------------------------------

def langid_confusion(confusion: pl.DataFrame, accuracy: pl.DataFrame, illustrative: bool = False) -> Figure:
    """Hand label × classifier language on the labelled notes (``analysis.language.langid_confusion``),
    titled with the accuracy overall and on the untouched holdout (``langid_accuracy``)."""
    def acc(group: str) -> dict:
        rows = accuracy.filter((pl.col("measure") == "langid_accuracy") & (pl.col("group") == group))
        if rows.height > 1:
            raise FigureInputError(f"langid accuracy has {rows.height} rows for group={group!r}; expected one")
        # Without the labelled notes (sample mode) there are no per-split rows: nothing measured.
        return rows.row(0, named=True) if rows.height else {"estimate": None, "lo": None, "hi": None, "n": 0}

    overall, hold = acc("all"), acc("holdout")
    if overall["n"] == 0:
        title = "No hand-labelled notes in this data (language ID accuracy is measured on the public data sets)"
    else:
        title = (f"Language ID agrees with the hand label on {overall['estimate']:.0%} of {overall['n']} notes"
                 + (f", {hold['estimate']:.0%} [{hold['lo']:.0%}–{hold['hi']:.0%}] on the {hold['n']} never tuned on"
                    if hold["n"] else ""))
    data = confusion.with_columns(
        pl.col("label").replace_strict(LANGUAGE_LABELS).alias("hand label"),
        pl.col("language").replace_strict(LANGUAGE_LABELS).alias("classifier"))
    order = list(LANGUAGE_LABELS.values())
    base = alt.Chart(data).encode(
        x=alt.X("classifier:N", sort=order, title="Classifier says", axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("hand label:N", sort=order, title="Hand label"))
    chart = (
        base.mark_rect().encode(color=alt.Color("notes:Q", title="Notes", scale=alt.Scale(scheme="blues")),
                                tooltip=[alt.Tooltip("hand label:N"), alt.Tooltip("classifier:N"),
                                         alt.Tooltip("notes:Q", title="Notes")])
        + base.mark_text(fontSize=13).encode(text="notes:Q",
                                             color=alt.condition("datum.notes > 50", alt.value("white"), alt.value("black")))
    ).properties(width="container", height=240)
    return Figure(
        id="methods-language-id",
        title=title,
        chart=chart,
        data=data.drop("hand label", "classifier"),
        alt_text="Confusion matrix of hand-labelled language against the classifier: " + "; ".join(
            f"{LANGUAGE_LABELS[a]} labelled, {LANGUAGE_LABELS[b]} said: {k}" for a, b, k in
            confusion.filter(pl.col("notes") > 0).select("label", "language", "notes").rows()) + ".",
        n=int(overall["n"]),
        n_unit="hand-labelled notes",
        source="data/labels/language.csv (ids + labels); tiktokrefugee-posts; mediacrawler-creators",
        claims=("T5",),
        illustrative=illustrative,
        notes=("250 notes (tuning split) were labelled before the classifier was run on them; its rules were then "
               "fixed on their errors. 60 more (holdout) were labelled afterwards and never tuned on.",),
    )


def lexicon_precision(precision: pl.DataFrame, illustrative: bool = False) -> Figure:
    """Precision of each lexicon category on hand-labelled real notes
    (``analysis.text.lexicon_checks.lexicon_precision``), dots with Wilson intervals."""
    data = precision.filter(pl.col("measure") == "lexicon_precision").select(
        pl.col("group").alias("category"), pl.col("estimate").alias("precision"), "lo", "hi", "n")
    shown = data.filter(pl.col("n") > 0)
    if shown.height == 0:
        title = "No hand-checked notes in this data (lexicon precision is measured on the public data sets)"
    else:
        worst = shown.sort(["precision", "category"]).row(0, named=True)
        good = shown.filter(pl.col("precision") >= 0.9).height
        title = (f"{good} of {shown.height} lexicon categories are right on ≥90% of checked matches; the weakest is "
                 f"{worst['category']} at {worst['precision']:.0%} (n={worst['n']})")
    tooltip = [alt.Tooltip("category:N", title="Lexicon: category"), alt.Tooltip("precision:Q", format=".0%"),
               alt.Tooltip("lo:Q", title="95% lower", format=".0%"), alt.Tooltip("hi:Q", title="95% upper", format=".0%"),
               alt.Tooltip("n:Q", title="Checked matches")]
    base = alt.Chart(shown).encode(y=alt.Y("category:N", title=None, sort=alt.SortField("category")))
    chart = (
        base.mark_rule().encode(x=alt.X("lo:Q", title="Precision on hand-checked matches (95% Wilson)",
                                        axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])), x2="hi:Q",
                                tooltip=tooltip)
        + base.mark_point(filled=True, size=70).encode(x="precision:Q", tooltip=tooltip)
    ).properties(width="container", height=alt.Step(20))
    return Figure(
        id="methods-lexicon-precision",
        title=title,
        chart=chart,
        data=data,
        alt_text="Dot plot of lexicon precision with intervals: " + "; ".join(
            f"{c} {p:.0%} (n={k})" for c, p, k in shown.select("category", "precision", "n").rows()) + ".",
        n=int(shown["n"].sum()) if shown.height else 0,
        n_unit="hand-checked matches",
        source="data/labels/lexicon_checks.csv (ids + labels); tiktokrefugee-posts; mediacrawler-creators",
        claims=("T2", "T5", "C2", "C3", "C4", "C5"),
        illustrative=illustrative,
        notes=("Categories checked on fewer than 10 matches carry wide intervals.",
               "T2 counts a use only if its precision is at least 70%."),
    )
