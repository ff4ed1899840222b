"""Charts of the Tech section: small tables in, ``Figure`` out."""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import altair as alt
import polars as pl

from analysis import reference
from analysis.figures import base
from analysis.figures.base import Facts, Figure, FigureInputError
from analysis.measures.ads import PLATFORM_FIGURES
from analysis.measures.common import CREATORS, REFUGEE
from analysis.measures.content import BENCHMARK, pct
from analysis.measures.language import CLAIMED_USES, TOP_K, USE_VISIBLE

#: The fixed facts of this section's figures (the builders pass what they compute).
FIGURES = {
    "tech-ad-share": Facts(claims=("T3",)),
    "tech-ads-per-creator": Facts(claims=("T3", "M3"), n_unit="creators", height=220,
                                  source="mediacrawler-creators"),
    "tech-clickbait-scores": Facts(claims=("T4",), n_unit="RedNote titles", height=280),
    "tech-value-driven": Facts(claims=("T4",), n_unit="notes"),
    "tech-saves-to-likes": Facts(claims=("T4",), n_unit="notes"),
    "tech-language-mix": Facts(claims=("T5",), n_unit="notes"),
    "tech-hashtags": Facts(claims=("T6",), n_unit="posts", height=alt.Step(20)),
    "tech-hashtag-cooccurrence": Facts(claims=("T6",), n_unit="posts (the most used tag's)", height=320),
    "tech-topic-mix": Facts(claims=("T2",), n_unit="notes"),
}

_finish = partial(base.finish, FIGURES)


def ad_share_vs_platforms(markers: pl.DataFrame, labelled: pl.DataFrame | None = None, *,
                          illustrative: bool = False) -> Figure:
    """Our sponsored share (hand-label estimate if given, and the disclosed-marker share)
    next to the published feed ad load of Facebook, Instagram and TikTok (2020) and the
    unsourced RedNote ad-load range.

    ``markers``: ``ads.ad_shares(...)``; ``labelled``: ``ads.labelled_ad_share(...)`` or None.
    """
    mk = base.get_row(markers, "ad_share")
    ours = [{"label": "RedNote: disclosed (markers)", "kind": "this report", "estimate": mk["estimate"],
             "lo": mk["lo"], "hi": mk["hi"], "n": mk["n"], "source": mk["source"]}]
    headline = mk
    if labelled is not None:
        lab = base.get_row(labelled, "ad_share_labelled")
        ours.insert(0, {"label": "RedNote: sponsored (labelled)", "kind": "this report",
                        "estimate": lab["estimate"], "lo": lab["lo"], "hi": lab["hi"], "n": lab["n"],
                        "source": lab["source"]})
        headline = lab
    pubs = []
    for platform, fig_id in PLATFORM_FIGURES.items():
        ref = reference.figure(fig_id)
        pubs.append({"label": f"{platform}: feed ads (2020)", "kind": "published (feed share)",
                     "estimate": ref.value, "lo": ref.value, "hi": ref.value, "n": None,
                     "source": f"{ref.source}; confidence {ref.confidence}"})
    lo_ref, hi_ref = reference.figure("xhs_ad_load_low"), reference.figure("xhs_ad_load_high")
    pubs.append({"label": "RedNote: feed ads (unsourced)", "kind": "published (feed share)",
                 "estimate": None, "lo": lo_ref.value, "hi": hi_ref.value_hi, "n": None,
                 "source": f"{lo_ref.source}; confidence {lo_ref.confidence}"})
    schema = {"label": pl.String, "kind": pl.String, "estimate": pl.Float64, "lo": pl.Float64, "hi": pl.Float64,
              "n": pl.Int64, "source": pl.String}
    data = pl.DataFrame(ours + pubs, schema=schema)
    ig = reference.figure(PLATFORM_FIGURES["Instagram"])
    what = "are sponsored" if labelled is not None else "carry a sponsorship marker"
    title = (f"About {headline['estimate']:.0%} of RedNote creators' notes {what} "
             f"(95% {headline['lo']:.0%}–{headline['hi']:.0%}), about {headline['estimate'] / ig.value:.1f}× "
             f"Instagram's {ig.formatted()} share of feed posts that are ads")
    alt_text = ("Dot plot with intervals comparing shares: " + "; ".join(
        f"{r['label']}: " + (f"{r['estimate']:.1%}" if r["estimate"] is not None else f"{r['lo']:.0%}–{r['hi']:.0%}")
        for r in ours + pubs) + ".")
    return _finish(
        "tech-ad-share",
        base.interval_dots(data, "Share that is sponsored / ads (95% interval or published range)", "%", color="kind",
                           extra_tooltip=(alt.Tooltip("source:N", title="Source"),)),
        data,
        title=title,
        alt_text=alt_text,
        n=int(headline["n"]),
        n_unit="labelled notes" if labelled is not None else "notes",
        source=f"{mk['source']}; WhistleOut 2020 via American Marketer; industry blogs (confidence L)",
        notes=(
            "Not like for like: ours is the share of creators' notes that are sponsored or self-promotional; "
            "the published figures are the share of posts in a user's feed that are ads. Ads the platform "
            "inserts into RedNote feeds are not in our data.",
            "The hand-labelled estimate scales 227 labelled notes to the data sets by sampling stratum "
            "(data/labels/ads.md); the disclosure markers find only a small part of sponsored notes.",
        ),
        illustrative=illustrative,
    )


def sponsored_per_creator(per_creator: pl.DataFrame, *, illustrative: bool = False) -> Figure:
    """How many creators have 0, 1, 2–4 or 5+ notes with a disclosure marker
    (``ads.creator_ad_shares``), aggregated — no account ids."""
    buckets = pl.when(pl.col("n_sponsored") == 0).then(pl.lit("0")).when(pl.col("n_sponsored") == 1).then(pl.lit("1")) \
        .when(pl.col("n_sponsored") <= 4).then(pl.lit("2–4")).otherwise(pl.lit("5+"))
    order = ["0", "1", "2–4", "5+"]
    data = (
        per_creator.group_by(buckets.alias("sponsored_notes"))
        .agg(pl.len().alias("creators"), pl.col("n_notes").sum().alias("notes"))
        .with_columns((pl.col("creators") / pl.col("creators").sum()).alias("share"))
        .sort(pl.col("sponsored_notes").replace_strict(order, list(range(len(order)))))
    )
    n = per_creator.height
    with_any = int((per_creator["n_sponsored"] > 0).sum())
    chart = (
        alt.Chart(data).mark_bar().encode(
            x=alt.X("sponsored_notes:N", title="Notes with a disclosure marker, per creator", sort=order),
            y=alt.Y("creators:Q", title="Creators"),
            tooltip=[alt.Tooltip("sponsored_notes:N", title="Marked notes"), alt.Tooltip("creators:Q", title="Creators"),
                     alt.Tooltip("share:Q", title="Share of creators", format=".0%"),
                     alt.Tooltip("notes:Q", title="Their notes")],
        )
    )
    return _finish(
        "tech-ads-per-creator", chart, data,
        title=f"{with_any} of {n} creators ({with_any / n:.0%}) have at least one note that discloses a sponsorship",
        alt_text="Bar chart of creators by number of notes with a disclosure marker: " + "; ".join(
            f"{b}: {c} creators" for b, c in data.select("sponsored_notes", "creators").rows()) + ".",
        n=n,
        notes=("Markers catch disclosed sponsorship only, so these counts are floors.",),
        illustrative=illustrative,
    )




GROUP_LABELS = {
    "mediacrawler-creators": "RedNote: established creators",
    "tiktokrefugee-posts": "RedNote: #TikTokRefugee posts",
    "benchmark clickbait": "Benchmark: clickbait headlines",
    "benchmark news": "Benchmark: news headlines",
    "sample": "RedNote: synthetic sample",
    "all": "RedNote: all notes",
}


_BENCH_CITE = f"{BENCHMARK} (Chakraborty et al. 2016, held-out 20%)"


def _label(group: pl.Expr) -> pl.Expr:
    return group.replace(GROUP_LABELS).alias("label")


def _rednote_sets(results: pl.DataFrame) -> list[str]:
    groups = results.filter(pl.col("measure") == "value_driven_share")["group"].to_list()
    return sorted(g for g in groups if g != "all")


def clickbait_scores(hist: pl.DataFrame, results: pl.DataFrame, *, illustrative: bool = False) -> Figure:
    """Distribution of clickbait scores: RedNote titles per data set vs the benchmark's
    held-out clickbait and news headlines (``content.score_histogram``, ``content_results``)."""
    sets = _rednote_sets(results)
    scored = {g: base.get_row(results, "clickbait_scored_share", g) for g in (*sets, "benchmark clickbait", "benchmark news")}
    calibrated = base.get_row(results, "clickbait_calibrated_share", "all")
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
    )
    shares_text = "; ".join(f"{GROUP_LABELS.get(g, g)}: {pct(r)} of {r['n']} at or above 0.5"
                            for g, r in scored.items())
    return _finish(
        "tech-clickbait-scores", chart, data,
        title=title,
        alt_text=(f"Line chart of the share of titles in each clickbait-score bin. {shares_text}."
                  + (f" Hand-labelled RedNote titles put the clickbait share at {pct(calibrated)} (95% interval "
                     f"{pct({'estimate': calibrated['lo']})}–{pct({'estimate': calibrated['hi']})})."
                     if calibrated["estimate"] is not None else "")),
        n=n_titles,
        source=f"{', '.join(sets)}; {_BENCH_CITE}",
        notes=(
            "English titles: TF-IDF logistic regression trained on the headline benchmark; Chinese titles: a "
            "documented lexicon score (data/lexicons/clickbait_zh.csv); bilingual titles: the larger of the two.",
            "The scorer transfers imperfectly from news headlines to social-media titles (see the transfer "
            "table): it over-calls casual English titles and misses Chinese hooks without marker words, so the "
            "hand-labelled, re-weighted share is the figure the verdict uses.",
            "The vertical axis is square-root scaled so small shares stay visible.",
        ),
        illustrative=illustrative,
    )


class _DotPlot(NamedTuple):
    """The fixed words of a dot plot of result rows."""

    x_title: str
    fmt: str  # of the axis and tooltips
    what: str  # what the alt text says the dots show
    row: str  # how the alt text lists a row: a format of its label, estimate and n


_DOT_PLOTS = {
    "tech-value-driven": _DotPlot(
        "Share of notes with a value-driven marker (95% Wilson interval)", "%",
        "the share of notes whose title, body or tags mark them as a review, tutorial, advice or recommendation",
        "{label}: {estimate:.1%} of {n}"),
    "tech-saves-to-likes": _DotPlot(
        "Saves per like, pooled over notes (95% bootstrap interval)", ".2f",
        "saves per like for value-driven and other notes in each data set", "{label}: {estimate:.2f} (n={n})"),
}


def _dot_plot(fid: str, data: pl.DataFrame, **facts) -> Figure:
    """The dot plot ``fid`` of ``_DOT_PLOTS``: ``data``'s rows (label, estimate, lo, hi, n) with
    their intervals; the alt text lists every row."""
    words = _DOT_PLOTS[fid]
    listed = "; ".join(words.row.format(label=label, estimate=estimate, n=n)
                       for label, estimate, n in data.select("label", "estimate", "n").rows())
    return _finish(fid, base.interval_dots(data, words.x_title, words.fmt), data,
                   alt_text=f"Dot plot with intervals of {words.what}: {listed}", **facts)


def value_driven(results: pl.DataFrame, *, illustrative: bool = False) -> Figure:
    """Value-driven share of notes per data set (and all), Wilson 95% intervals."""
    sets = _rednote_sets(results)
    data = (
        results.filter(pl.col("measure") == "value_driven_share")
        .select("group", _label(pl.col("group")), "estimate", "lo", "hi", "n")
        .sort(pl.col("group") == "all", "group")
    )
    by_set = {g: base.get_row(results, "value_driven_share", g) for g in sets}
    overall = base.get_row(results, "value_driven_share", "all")
    if len(sets) > 1:
        title = ("Share of notes that review, teach, advise or recommend: "
                 + ", ".join(f"{pct(r)} of {GROUP_LABELS.get(g, g).removeprefix('RedNote: ')}" for g, r in by_set.items()))
    else:
        title = f"{pct(overall)} of notes review, teach, advise or recommend"
    return _dot_plot(
        "tech-value-driven", data,
        title=title,
        n=int(overall["n"]),
        source=", ".join(sets),
        notes=(
            "Markers from data/lexicons/value_driven.csv (e.g. 测评, 攻略, 教程, 干货, 避雷, 推荐, 合集, review, "
            "how to, tips); a note without marker words is counted as not value-driven, so the share is a floor.",
            "The #TikTokRefugee posts are newcomers' introductions, not a sample of what RedNote shows them.",
        ),
        illustrative=illustrative,
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
    return _dot_plot(
        "tech-saves-to-likes", data,
        title=title,
        n=int(data["n"].sum()),
        source=", ".join(sorted(data["dataset"].unique())),
        notes=(
            "Saving (collecting) a note keeps it for later; a higher saves-to-likes ratio suggests content people "
            "expect to use again. Pooled as total saves ÷ total likes; counts the source rounded (7.6万) are used "
            "as given.",
        ),
        illustrative=illustrative,
    )






#: Languages in hues apart from the data sets' blue and orange, each with 3:1 contrast on the
#: light and the dark page (English, Chinese, bilingual, other).
LANGUAGE_COLORS = ["#54a24b", "#e45756", "#b279a2", "#9d755d"]

TRANSLATION_LABELS = {
    "translation_use": "bilingual or mentions translating (T5 proxy)",
    "mentions": "mentions translating (any)",
    "translation_app": "names a translation tool",
    "language_barrier": "says they can't read Chinese",
}


TOPIC_LABELS = {"review": "reviews / recommendations", "shopping": "shopping", "travel": "travel", "food": "food",
                "beauty_fashion": "beauty & fashion", "learning": "learning & tips", "lifestyle": "lifestyle & daily life",
                "social": "making friends"}


def language_mix(mix: pl.DataFrame, translation: pl.DataFrame, newcomers: str = REFUGEE,
                 illustrative: bool = False) -> Figure:
    """Language shares per data set (``analysis.measures.language.language_mix``) and translation
    mentions (``translation_mentions``): the exclusive language shares as one 100% bar per data
    set, the overlapping translation shares as bars with Wilson intervals below."""
    langs = base.split_group(mix, "key").with_columns(
        pl.col("key").replace_strict(base.LANGUAGE_LABELS, default=pl.col("key")).alias("label"), pl.lit("language").alias("part"))
    trans = base.split_group(translation.filter(pl.col("group").str.split(": ").list.last().is_in(list(TRANSLATION_LABELS))),
                              "key").with_columns(
        pl.col("key").replace_strict(TRANSLATION_LABELS, default=pl.col("key")).alias("label"),
        pl.lit("translation").alias("part"))
    data = pl.concat([langs, trans])
    en, bi = base.cell(data, newcomers, "key", "english"), base.cell(data, newcomers, "key", "bilingual")
    use = base.cell(data, newcomers, "key", "translation_use")
    if en is None or bi is None or use is None or en["share"] is None:
        raise FigureInputError(f"language_mix needs the {newcomers} rows english, bilingual and translation_use")
    title = (f"{en['share']:.0%} of #TikTokRefugee posts are in English only and {bi['share']:.0%} in English and "
             f"Chinese; {use['share']:.0%} [{use['lo']:.0%}–{use['hi']:.0%}] show translation at work")
    # Two panels: each note has exactly one language (shares add to 100%, one stacked bar per
    # data set), while translation mentions overlap (a note may count in several rows).
    lang_order = list(base.LANGUAGE_LABELS.values())
    sets = langs.unique("data_set", maintain_order=True)["data_set"].to_list()
    tooltip = [alt.Tooltip("data_set:N", title="Data set"), alt.Tooltip("label:N", title="Language"),
               alt.Tooltip("share:Q", title="Share", format=".1%"), alt.Tooltip("lo:Q", title="95% lower", format=".1%"),
               alt.Tooltip("hi:Q", title="95% upper", format=".1%"), alt.Tooltip("n:Q", title="Notes")]
    stacked = alt.Chart(langs.with_columns(
        pl.col("label").replace_strict(lang_order, list(range(len(lang_order))), default=len(lang_order)).alias("order"))
    ).mark_bar().encode(
        y=alt.Y("data_set:N", sort=sets, title=None, axis=alt.Axis(labelLimit=240)),
        x=alt.X("share:Q", stack="normalize", title="Share of notes (each note has one language)",
                axis=alt.Axis(format="%", values=base.QUARTERS)),
        color=alt.Color("label:N", title=None, legend=alt.Legend(orient="bottom", columns=2),
                        scale=alt.Scale(domain=lang_order, range=LANGUAGE_COLORS)),
        order=alt.Order("order:Q"),
        tooltip=tooltip,
    ).properties(width="container", height=alt.Step(28), title="Language of each note (adds up to 100%)")
    mentions = base.bars_with_intervals(
        trans, "label", list(TRANSLATION_LABELS.values()),
        "Share of notes (95% Wilson interval; the rows overlap)",
    ).properties(title="Notes showing translation (a note may count in several rows)")
    chart = alt.vconcat(stacked, mentions, spacing=24).resolve_scale(color="independent")
    return _finish(
        "tech-language-mix", chart, data.drop("label"),
        title=title,
        alt_text=("Two panels: a stacked bar per data set splitting its notes by language, and bars of the share of "
                  "notes showing translation at work (overlapping categories). "
                  + "; ".join(f"{d}, {lab}: {s:.1%}" for d, lab, s in data.filter(pl.col("dataset") == newcomers)
                              .select("data_set", "label", "share").rows()) + "."),
        n=int(data.unique("dataset")["n"].sum()),
        source="; ".join(sorted(data["dataset"].unique().to_list())),
        notes=("Language identified per note from title and body (hashtags ignored): script first, lingua for Latin "
               "text; accuracy on 310 hand-labelled notes is in the Methods section.",
               "The language shares split each data set's notes and add up to 100%; the translation rows overlap "
               "(a bilingual note that names a translation app counts in several of them).",
               "Most machine translation is silent; how many apps each newcomer juggles is not in any data set."),
        illustrative=illustrative,
    )


def hashtag_ranked(top: pl.DataFrame, concentration: pl.DataFrame, source: str = REFUGEE,
                   illustrative: bool = False) -> Figure:
    """The most used tags of the newcomers' posts, ranked by share of posts
    (``analysis.measures.language.top_tags``), titled with the concentration measures
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
               *base.interval_tooltips(".1%"),
               alt.Tooltip("share_of_uses:Q", title="Share of tag uses", format=".1%")]
    base_chart = alt.Chart(data).encode(y=alt.Y("label:N", sort=alt.SortField("rank"), title=None))
    chart = base.interval_bars(
        base_chart, alt.X("share_of_notes:Q", title="Share of posts carrying the tag (95% Wilson)", axis=alt.Axis(format="%")),
        tooltip, color=alt.Color("kind:N", title=None, legend=alt.Legend(orient="bottom")),
    )
    return _finish(
        "tech-hashtags", chart, data.drop("label"),
        title=title,
        alt_text=("Ranked bar chart of the most used tags by share of #TikTokRefugee posts: "
                  + "; ".join(f"#{t} {s:.0%}" for t, s in data.select("tag", "share_of_notes").head(8).rows())
                  + f". Herfindahl index {get('herfindahl_index', 'all tags')['estimate']:.3f}."),
        n=int(top["n"][0]),
        source=source,
        notes=("The #tiktokrefugee family (tiktokrefugee, tiktok_refugee, 抖音难民 …) is how the data set was "
               "collected, so its share reflects selection, not behaviour.",
               f"{zh['estimate']:.0%} [{zh['lo']:.0%}–{zh['hi']:.0%}] of English-language posts (n={zh['n']}) carry a "
               "Chinese-script tag — typed, copied or picked from the composer's suggestions; posts do not say which.",
               "Concentration is what tag suggestions would produce, and equally what copying a meme produces; "
               "only the app's suggestion logs could tell them apart."),
        illustrative=illustrative,
    )


def hashtag_cooccurrence(pairs: pl.DataFrame, source: str = REFUGEE, illustrative: bool = False) -> Figure:
    """Heatmap of how often the top tags appear together (``analysis.measures.language.tag_cooccurrence``):
    the share of posts carrying the row tag that also carry the column tag."""
    # The title names the darkest cell: the largest share of a tag's posts that carry another tag.
    off = pairs.filter(pl.col("tag_a") != pl.col("tag_b")).sort(
        ["share_of_a", "notes", "tag_a", "tag_b"], descending=[True, True, False, False])
    if off.height == 0:
        raise FigureInputError("tag_cooccurrence returned no pairs of distinct tags")
    best = off.row(0, named=True)
    title = (f"{best['share_of_a']:.0%} of posts tagged #{best['tag_a']} also carry #{best['tag_b']} "
             f"({best['notes']} posts), the strongest pairing among the top tags")
    order = pairs.sort("rank_a").unique("tag_a", keep="first", maintain_order=True)["tag_a"].to_list()
    # The diagonal (a tag with itself, always 100%) would swamp the colour scale.
    chart = alt.Chart(pairs).transform_filter("datum.tag_a != datum.tag_b").mark_rect().encode(
        x=alt.X("tag_b:N", sort=order, title="…also carry this tag", axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("tag_a:N", sort=order, title="Posts tagged"),
        color=alt.Color("share_of_a:Q", title="Share", scale=alt.Scale(scheme="blues"), legend=alt.Legend(format="%")),
        tooltip=[alt.Tooltip("tag_a:N", title="Posts tagged"), alt.Tooltip("tag_b:N", title="Also tagged"),
                 alt.Tooltip("notes:Q", title="Posts with both"), alt.Tooltip("share_of_a:Q", title="Share", format=".0%")],
    )
    return _finish(
        "tech-hashtag-cooccurrence", chart, pairs,
        title=title,
        alt_text=f"Heatmap of co-occurrence among the {len(order)} most used tags; the darkest cell is "
        f"#{best['tag_a']} with #{best['tag_b']}: {best['share_of_a']:.0%} of #{best['tag_a']} posts ({best['notes']}).",
        n=int(pairs.filter(pl.col("tag_a") == pl.col("tag_b"))["notes"].max()),
        source=source,
        notes=("The diagonal (a tag with itself) is left blank; its post count is in the download.",),
        illustrative=illustrative,
    )


def topic_mix(mix: pl.DataFrame, illustrative: bool = False) -> Figure:
    """Share of notes per topic and data set (``analysis.measures.language.topic_mix``)."""
    data = base.split_group(mix, "topic").with_columns(
        pl.col("topic").replace_strict(TOPIC_LABELS, default=pl.col("topic")).alias("label"))
    have = [base.cell(data, CREATORS, "topic", u) for u in CLAIMED_USES]
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
    return _finish(
        "tech-topic-mix",
        base.bars_with_intervals(data, "label", order, "Share of notes (95% Wilson interval; a note may have several)"),
        data.drop("label"),
        title=title,
        alt_text="Bar chart of topic shares per data set: "
        + "; ".join(f"{d}, {lab}: {s:.0%}" for d, lab, s in data.select("data_set", "label", "share").rows()) + ".",
        n=int(data.unique("dataset")["n"].sum()),
        source="; ".join(sorted(data["dataset"].unique().to_list())),
        notes=("Topics matched with data/lexicons/topics.csv on title, text and tags; its precision is in the Methods "
               "section. 生活 (life) and 朋友 (friend) are common words and inflate lifestyle and making friends.",
               "The creators are lifestyle creators chosen by the data set's analysts, not a random sample of RedNote."),
        illustrative=illustrative,
    )
