"""Commerce figures: brand mentions, their engagement, and the China-showcase shares.

Builders take the small tables of analysis.commerce and return Figures whose titles
state the finding with the numbers.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from analysis.commerce import BRAND_GROUPS, SHOWCASE_CATEGORIES
from analysis.figures.base import INTERVAL_COLOR, Figure
from analysis.results import pick
from analysis.themes import CREATORS, REFUGEE

HAND_LABELLED = "hand-labelled-sample"
DATASET_LABELS = {REFUGEE: "#TikTokRefugee posts", CREATORS: "Chinese-American creators",
                  HAND_LABELLED: "#TikTokRefugee posts, random 200 read by hand"}
TOPIC_LABELS = {
    "china_showcase": "any China showcase",
    "travel_china": "travel to China",
    "chinese_culture": "Chinese culture",
    "language_learning": "learning the language",
    "travel_general": "travel of any kind",
}


def _dataset_label() -> pl.Expr:
    return pl.col("dataset").replace_strict(DATASET_LABELS, default=pl.col("dataset"))


def brand_mentions(mentions: pl.DataFrame, engagement: pl.DataFrame, newcomers: str = REFUGEE,
                   top: int = 15, illustrative: bool = False) -> Figure:
    """The most-named brands per data set (``analysis.commerce.brand_mentions``), with
    the share of the newcomers' notes naming a Chinese brand in the title
    (``brand_engagement``)."""
    top_brands = mentions.group_by("brand").agg(pl.col("notes").sum()).sort(["notes", "brand"], descending=[True, False])
    keep = top_brands.head(top)["brand"].to_list()
    data = mentions.filter(pl.col("brand").is_in(keep)).with_columns(
        _dataset_label().alias("data_set"),
        pl.concat_str(pl.col("brand").str.replace_all("_", " "),
                      pl.when(pl.col("origin").str.starts_with("Chinese")).then(pl.lit(" (CN)")).otherwise(pl.lit(" (US)")))
        .alias("label"),
    )
    def share(dataset: str) -> dict:
        rows = engagement.filter(
            (pl.col("measure") == "share_of_notes") & (pl.col("group") == f"{dataset}: {BRAND_GROUPS[0]}"))
        return rows.row(0, named=True) if rows.height else {"estimate": None, "n": 0}

    new, old = share(newcomers), share(CREATORS)
    k_new = round((new["estimate"] or 0) * new["n"])
    title = f"{k_new} of {new['n']} #TikTokRefugee posts name a Chinese brand"
    if old["n"]:
        title += f"; Chinese-American creators name one in {old['estimate']:.1%} of {old['n']:,} notes"
    order = [b for b in keep if b in data["brand"].to_list()]
    labels = data.unique("brand").select("brand", "label").to_dict(as_series=False)
    label_order = [dict(zip(labels["brand"], labels["label"], strict=True))[b] for b in order]
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("label:N", sort=label_order, title=None),
        yOffset="data_set:N",
        x=alt.X("share:Q", title="Share of notes naming the brand", axis=alt.Axis(format=".1%")),
        color=alt.Color("data_set:N", title=None, legend=alt.Legend(orient="bottom", columns=1, labelLimit=320)),
        tooltip=[alt.Tooltip("label:N", title="Brand"), alt.Tooltip("data_set:N", title="Data set"),
                 alt.Tooltip("notes:Q", title="Notes"), alt.Tooltip("share:Q", title="Share", format=".2%"),
                 alt.Tooltip("median_likes:Q", title="Median likes")],
    ).properties(width="container", height=max(200, 22 * len(order)))
    return Figure(
        id="commerce-brands",
        title=title,
        chart=chart,
        data=data.drop("label"),
        alt_text=(
            f"Bar chart of the {len(order)} most-named brands by share of notes, per data set. "
            + "; ".join(f"{lab}: {k} notes" for lab, k in data.group_by("label").agg(pl.col("notes").sum())
                        .sort(["notes", "label"], descending=[True, False]).head(5).rows())  # ties: by name
            + "."
        ),
        n=int(new["n"]) + int(old["n"]),
        n_unit="notes",
        source=newcomers + (f"; {CREATORS}" if old["n"] else ""),
        claims=("M1",),
        illustrative=illustrative,
        notes=(
            "Brands matched in title, text and tags with data/lexicons/brands.csv; logos in pictures are not seen.",
            "Whether Luckin Coffee's #TikTokRefugee post was mocked needs the comments under it, which no data set "
            "here holds.",
        ),
    )


def brand_engagement(engagement: pl.DataFrame, illustrative: bool = False) -> Figure:
    """Median likes of notes naming a Chinese brand, a US brand or none, per data set
    (``analysis.commerce.brand_engagement``)."""
    likes = engagement.filter(pl.col("measure") == "median_likes").select(
        pl.col("group").str.split(": ").list.first().alias("dataset"),
        pl.col("group").str.split(": ").list.last().alias("brands"),
        pl.col("estimate").alias("median_likes"), "lo", "hi", pl.col("n").alias("notes"),
    ).with_columns(_dataset_label().alias("data_set"))
    creators = likes.filter(pl.col("dataset") == CREATORS)
    cell = {b: r for b, r in zip(creators["brands"], creators.iter_rows(named=True), strict=True)}
    cn, none = cell.get(BRAND_GROUPS[0]), cell.get(BRAND_GROUPS[2])
    if cn and none and cn["median_likes"] is not None and none["median_likes"] is not None:
        title = (
            f"Creators' notes naming a Chinese brand get a median {cn['median_likes']:.0f} likes "
            f"[{cn['lo']:.0f}–{cn['hi']:.0f}] vs {none['median_likes']:.0f} for notes naming no brand"
        )
    else:
        title = "Median likes of notes by the brands they name"
    shown = likes.filter(pl.col("notes") > 0)
    base = alt.Chart(shown).encode(
        y=alt.Y("brands:N", sort=list(BRAND_GROUPS), title=None), yOffset="data_set:N",
        color=alt.Color("data_set:N", title=None, legend=alt.Legend(orient="bottom", columns=1, labelLimit=320)),
    )
    chart = (
        base.mark_rule().encode(x=alt.X("lo:Q", title="Median likes (95% bootstrap interval)"), x2="hi:Q")
        + base.mark_point(filled=True, size=60).encode(
            x="median_likes:Q",
            tooltip=[alt.Tooltip("data_set:N", title="Data set"), alt.Tooltip("brands:N", title="Notes naming"),
                     alt.Tooltip("median_likes:Q", title="Median likes"), alt.Tooltip("lo:Q", title="Lower"),
                     alt.Tooltip("hi:Q", title="Upper"), alt.Tooltip("notes:Q", title="Notes")],
        )
    ).properties(width="container", height=220)
    return Figure(
        id="commerce-brand-engagement",
        title=title,
        chart=chart,
        data=likes,
        alt_text="Dot plot of median likes with intervals for notes naming a Chinese brand, a US brand or no brand: "
        + "; ".join(f"{d}, {b}: {m:.0f} (n={k})" for d, b, m, k in shown.select("data_set", "brands", "median_likes",
                                                                                 "notes").rows()),
        n=int(likes["notes"].sum()),
        n_unit="notes",
        source="; ".join(sorted(likes["dataset"].unique().to_list())),
        claims=("M1",),
        illustrative=illustrative,
        notes=("A note naming both a Chinese and a US brand counts as naming a Chinese brand.",
               "Groups with no notes are left out of the chart (kept in the download)."),
    )


def travel_culture(shares: pl.DataFrame, newcomers: str = REFUGEE, illustrative: bool = False,
                   accuracy: pl.DataFrame | None = None) -> Figure:
    """Share of notes per travel/culture/language category and data set
    (``analysis.commerce.travel_culture_shares``); with ``accuracy``
    (``analysis.commerce.showcase_accuracy``) the hand-labelled sample's share is added
    as its own bar and leads the title, since it does not depend on the lexicon."""
    labelled = None
    if accuracy is not None and accuracy.filter(pl.col("measure") == "showcase_share_labelled").height:
        labelled = pick(accuracy, "showcase_share_labelled")
        recall = pick(accuracy, "showcase_recall")
        shares = pl.concat([shares, accuracy.filter(pl.col("measure") == "showcase_share_labelled").with_columns(
            pl.lit(f"{HAND_LABELLED}: china_showcase").alias("group"))])
    data = shares.select(
        pl.col("group").str.split(": ").list.first().alias("dataset"),
        pl.col("group").str.split(": ").list.last().alias("category"),
        pl.col("estimate").alias("share"), "lo", "hi", "n",
    ).with_columns(
        _dataset_label().alias("data_set"),
        pl.col("category").replace_strict(TOPIC_LABELS, default=pl.col("category")).alias("topic"),
    )
    cell = {(d, c): r for d, c, r in zip(data["dataset"], data["category"], data.iter_rows(named=True), strict=True)}
    showcase, language = cell.get((newcomers, "china_showcase")), cell.get((newcomers, "language_learning"))
    if labelled is not None and showcase and showcase["share"] is not None:
        title = (
            f"{labelled['estimate']:.1%} of a random {labelled['n']} #TikTokRefugee posts showcase Chinese travel, "
            f"culture or language [{labelled['lo']:.0%}–{labelled['hi']:.0%}], read by hand; the lexicon finds "
            f"{showcase['share']:.1%} of all {showcase['n']} (recall {recall['estimate']:.0%})"
        )
    elif showcase and showcase["share"] is not None:
        title = (
            f"{showcase['share']:.0%} of #TikTokRefugee posts showcase Chinese travel, culture or language "
            f"[{showcase['lo']:.0%}–{showcase['hi']:.0%}]"
            + (f"; {language['share']:.1%} are about learning Chinese" if language and language["share"] is not None
               else "")
        )
    else:
        title = "Share of notes showcasing Chinese travel, culture and language"
    order = [TOPIC_LABELS[c] for c in ("china_showcase", *SHOWCASE_CATEGORIES, "travel_general")]
    base = alt.Chart(data).encode(
        y=alt.Y("topic:N", sort=order, title=None), yOffset="data_set:N",
        color=alt.Color("data_set:N", title=None, legend=alt.Legend(orient="bottom", columns=1, labelLimit=320)),
    )
    chart = (
        base.mark_bar().encode(
            x=alt.X("share:Q", title="Share of notes (95% Wilson interval)", axis=alt.Axis(format="%")),
            tooltip=[alt.Tooltip("data_set:N", title="Data set"), alt.Tooltip("topic:N", title="Topic"),
                     alt.Tooltip("share:Q", title="Share", format=".1%"), alt.Tooltip("lo:Q", title="Lower", format=".1%"),
                     alt.Tooltip("hi:Q", title="Upper", format=".1%"), alt.Tooltip("n:Q", title="Notes")],
        )
        + base.mark_rule(color=INTERVAL_COLOR).encode(x="lo:Q", x2="hi:Q")
    ).properties(width="container", height=260)
    return Figure(
        id="commerce-travel-culture",
        title=title,
        chart=chart,
        data=data,
        alt_text="Bar chart of the share of notes about travel to China, Chinese culture, learning the language and "
        "travel in general, per data set: "
        + "; ".join(f"{d}, {t}: {s:.1%}" for d, t, s in data.select("data_set", "topic", "share").rows()),
        n=int(data.filter(pl.col("dataset") != HAND_LABELLED).unique("dataset")["n"].sum()),
        n_unit="notes",
        source="; ".join(sorted(set(data["dataset"].to_list()) - {HAND_LABELLED}))
        + ("; hand labels: data/labels/china_showcase.csv" if labelled is not None else ""),
        claims=("M2",),
        illustrative=illustrative,
        notes=(
            "Matched with data/lexicons/travel_culture.csv on title, text and tags; pictures of places are not seen.",
            "For the creators (Chinese Americans in Texas) 'travel of any kind' is mostly travel in the US.",
        ),
    )
