"""Charts of the Commerce section (brands, KOLs, the migration): small tables in, ``Figure`` out."""

from __future__ import annotations

from functools import partial

import altair as alt
import polars as pl

from analysis.figures import base
from analysis.figures.base import Facts, Figure, FigureInputError
from analysis.measures.commerce import BRAND_GROUPS, SHOWCASE_CATEGORIES
from analysis.measures.common import CREATORS, REFUGEE
from analysis.reference import Reference
from analysis.results import pick

#: The fixed facts of this section's figures (the builders pass what they compute).
FIGURES = {
    "commerce-brands": Facts(claims=("M1",), n_unit="notes"),
    "commerce-brand-engagement": Facts(claims=("M1",), n_unit="notes", height=220),
    "commerce-travel-culture": Facts(claims=("M2",), n_unit="notes", height=260),
    "migration-cohort-retention": Facts(claims=("W1",), n_unit="accounts"),
    "migration-volume-decay": Facts(claims=("W1", "P1"), n_unit="posts", height=260),
    "commerce-kol-price": Facts(claims=("M3",), n_unit="media kits with a price", height=300,
                                source="mediacrawler-creators (koc_list.csv, platform advertiser figures)"),
}

_finish = partial(base.finish, FIGURES)


TOPIC_LABELS = {
    "china_showcase": "any China showcase",
    "travel_china": "travel to China",
    "chinese_culture": "Chinese culture",
    "language_learning": "learning the language",
    "travel_general": "travel of any kind",
}


def _dataset_label() -> pl.Expr:
    return pl.col("dataset").replace_strict(base.DATASET_LABELS, default=pl.col("dataset"))


def brand_mentions(mentions: pl.DataFrame, engagement: pl.DataFrame, newcomers: str = REFUGEE,
                   top: int = 15, illustrative: bool = False) -> Figure:
    """The most-named brands per data set (``analysis.measures.commerce.brand_mentions``), with
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
    )
    return _finish(
        "commerce-brands", chart, data.drop("label"),
        title=title,
        alt_text=f"Bar chart of the {len(order)} most-named brands by share of notes, per data set. "
            + "; ".join(f"{lab}: {k} notes" for lab, k in data.group_by("label").agg(pl.col("notes").sum())
                        .sort(["notes", "label"], descending=[True, False]).head(5).rows())  # ties: by name
            + ".",
        n=int(new["n"]) + int(old["n"]),
        source=newcomers + (f"; {CREATORS}" if old["n"] else ""),
        height=max(200, 22 * len(order)),
        notes=(
            "Brands matched in title, text and tags with data/lexicons/brands.csv; logos in pictures are not seen.",
            "Whether Luckin Coffee's #TikTokRefugee post was mocked needs the comments under it, which no data set "
            "here holds.",
        ),
        illustrative=illustrative,
    )


def brand_engagement(engagement: pl.DataFrame, illustrative: bool = False) -> Figure:
    """Median likes of notes naming a Chinese brand, a US brand or none, per data set
    (``analysis.measures.commerce.brand_engagement``)."""
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
    base_chart = alt.Chart(shown).encode(
        y=alt.Y("brands:N", sort=list(BRAND_GROUPS), title=None), yOffset="data_set:N",
        color=alt.Color("data_set:N", title=None, legend=alt.Legend(orient="bottom", columns=1, labelLimit=320)),
    )
    chart = (
        base_chart.mark_rule().encode(x=alt.X("lo:Q", title="Median likes (95% bootstrap interval)"), x2="hi:Q")
        + base_chart.mark_point(filled=True, size=60).encode(
            x="median_likes:Q",
            tooltip=[alt.Tooltip("data_set:N", title="Data set"), alt.Tooltip("brands:N", title="Notes naming"),
                     alt.Tooltip("median_likes:Q", title="Median likes"), *base.interval_tooltips(None, "Lower", "Upper"),
                     alt.Tooltip("notes:Q", title="Notes")],
        )
    )
    return _finish(
        "commerce-brand-engagement", chart, likes,
        title=title,
        alt_text="Dot plot of median likes with intervals for notes naming a Chinese brand, a US brand or no brand: "
        + "; ".join(f"{d}, {b}: {m:.0f} (n={k})" for d, b, m, k in shown.select("data_set", "brands", "median_likes",
                                                                                 "notes").rows()),
        n=int(likes["notes"].sum()),
        source="; ".join(sorted(likes["dataset"].unique().to_list())),
        notes=("A note naming both a Chinese and a US brand counts as naming a Chinese brand.",
               "Groups with no notes are left out of the chart (kept in the download)."),
        illustrative=illustrative,
    )


def travel_culture(shares: pl.DataFrame, newcomers: str = REFUGEE, illustrative: bool = False,
                   accuracy: pl.DataFrame | None = None) -> Figure:
    """Share of notes per travel/culture/language category and data set
    (``analysis.measures.commerce.travel_culture_shares``); with ``accuracy``
    (``analysis.measures.commerce.showcase_accuracy``) the hand-labelled sample's share is added
    as its own bar and leads the title, since it does not depend on the lexicon."""
    labelled = None
    if accuracy is not None and accuracy.filter(pl.col("measure") == "showcase_share_labelled").height:
        labelled = pick(accuracy, "showcase_share_labelled")
        recall = pick(accuracy, "showcase_recall")
        shares = pl.concat([shares, accuracy.filter(pl.col("measure") == "showcase_share_labelled").with_columns(
            pl.lit(f"{base.HAND_LABELLED}: china_showcase").alias("group"))])
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
    base_chart = alt.Chart(data).encode(
        y=alt.Y("topic:N", sort=order, title=None), yOffset="data_set:N",
        color=alt.Color("data_set:N", title=None, legend=alt.Legend(orient="bottom", columns=1, labelLimit=320)),
    )
    tooltip = [alt.Tooltip("data_set:N", title="Data set"), alt.Tooltip("topic:N", title="Topic"),
               alt.Tooltip("share:Q", title="Share", format=".1%"), *base.interval_tooltips(".1%", "Lower", "Upper"),
               alt.Tooltip("n:Q", title="Notes")]
    chart = base.interval_bars(base_chart, alt.X("share:Q", title="Share of notes (95% Wilson interval)", axis=alt.Axis(format="%")),
                               tooltip, rule_tooltip=False)
    return _finish(
        "commerce-travel-culture", chart, data,
        title=title,
        alt_text="Bar chart of the share of notes about travel to China, Chinese culture, learning the language and "
        "travel in general, per data set: "
        + "; ".join(f"{d}, {t}: {s:.1%}" for d, t, s in data.select("data_set", "topic", "share").rows()),
        n=int(data.filter(pl.col("dataset") != base.HAND_LABELLED).unique("dataset")["n"].sum()),
        source="; ".join(sorted(set(data["dataset"].to_list()) - {base.HAND_LABELLED}))
        + ("; hand labels: data/labels/china_showcase.csv" if labelled is not None else ""),
        notes=(
            "Matched with data/lexicons/travel_culture.csv on title, text and tags; pictures of places are not seen.",
            "For the creators (Chinese Americans in Texas) 'travel of any kind' is mostly travel in the US.",
        ),
        illustrative=illustrative,
    )


CAVEAT = (
    "The refugee data set is a keyword sample of posts, not a panel of accounts: an account that kept using "
    "RedNote without the hashtag, or only read, looks like one that left. Retention here is a lower bound."
)


def cohort_retention(cohorts: pl.DataFrame, summary: pl.DataFrame, source: str, illustrative: bool = False) -> Figure:
    """Heatmap of weekly cohort retention (``analysis.measures.migration.cohort_retention``), with
    the pooled return share (``retention_summary``) in the title."""
    again = pick(summary, "posted_again")
    if again["estimate"] is None:  # no posting accounts to follow: nothing to draw
        raise FigureInputError(f"no accounts whose return can be followed (n = {again['n']})")
    data = cohorts.with_columns(
        pl.col("cohort").dt.strftime("week of %d %b").alias("cohort_label"),
        pl.col("share").round(4).alias("share"),
        pl.concat_str(pl.col("active").cast(pl.String), pl.col("accounts").cast(pl.String), separator="/").alias("cell"),
    )
    weeks = [w for w in (1, 2, 4) if summary.filter(pl.col("measure") == f"retention_week_{w}").height]
    later = pick(summary, f"retention_week_{weeks[-1]}") if weeks else None
    # The title's headline, restated by the alt text.
    returned = f"{again['estimate']:.1%} of {again['n']}"
    title = f"{returned} #TikTokRefugee posting accounts posted with the tag again [{again['lo']:.1%}–{again['hi']:.1%}]"
    if later is not None and later["estimate"] is not None:
        title += f"; {later['estimate']:.1%} did so in week {weeks[-1]} after their first post"
    order = data.sort("cohort")["cohort_label"].unique(maintain_order=True).to_list()
    base_chart = alt.Chart(data).encode(
        x=alt.X("week:O", title="Weeks after the account's first post", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("cohort_label:N", sort=order, title="Cohort (first post)"),
    )
    chart = (
        base_chart.mark_rect().encode(
            color=alt.Color("share:Q", title="Posting", scale=alt.Scale(scheme="blues", domain=[0, 1]),
                            legend=alt.Legend(format="%", orient="bottom", values=base.QUARTERS)),
            tooltip=[alt.Tooltip("cohort_label:N", title="Cohort"), alt.Tooltip("week:O", title="Week"),
                     alt.Tooltip("accounts:Q", title="Accounts observable"), alt.Tooltip("active:Q", title="Posting"),
                     alt.Tooltip("share:Q", title="Share", format=".1%"), alt.Tooltip("lo:Q", title="Lower", format=".1%"),
                     alt.Tooltip("hi:Q", title="Upper", format=".1%")],
        )
        + base_chart.mark_text(fontSize=9).encode(
            text="cell:N",
            # White on dark cells; elsewhere the theme's own text colour (no hard-coded black).
            color={"condition": {"test": "datum.share > 0.5", "value": "white"}},
        )
    )
    return _finish(
        "migration-cohort-retention", chart, data,
        title=title,
        alt_text=("Heatmap of the share of #TikTokRefugee posting accounts that posted again in each week after their "
                  "first post, one row per weekly cohort; week 0 is full by construction and later weeks are nearly "
                  f"empty. {returned} accounts posted on a later day."),
        n=int(again["n"]),
        source=source,
        height=max(160, 26 * len(order)),
        notes=(CAVEAT, "Cells show accounts posting / accounts observable that week; weeks past the data's end are left "
               "out (censored), not counted as zero."),
        illustrative=illustrative,
    )


def volume_decay(curve: pl.DataFrame, decay: pl.DataFrame, published: dict[str, Reference], source: str,
                 illustrative: bool = False) -> Figure:
    """Daily posts with the fitted decay (``analysis.measures.migration.decay_curve`` and
    ``volume_decay``) and the published DAU and download drops in the title.

    ``published``: reference figures keyed ``dau_change`` and ``downloads_change``.
    """
    half = pick(decay, "volume_half_life")
    hi = "open" if half["hi"] is None else f"{half['hi']:.1f}"
    dau, downloads = published["dau_change"], published["downloads_change"]
    title = (
        f"Daily #TikTokRefugee posts halved every {half['estimate']:.1f} days after 13 Jan [{half['lo']:.1f}–{hi}]; "
        f"published US DAU fell {abs(dau.value):.0%} within a week and downloads {abs(downloads.value):.0%} by February"
    )
    shown, shown_note = base.migration_window(
        curve.select("day", "posts", "fitted"), weekly=[pl.col("posts").sum(), pl.lit(None, pl.Float64).alias("fitted")]
    )
    data = shown.with_columns(pl.col("fitted").round(2))
    base_chart = alt.Chart(data).encode(x=alt.X("day:T", title="Day (US Eastern)"))
    chart = (
        base_chart.mark_bar(opacity=0.7).encode(
            y=alt.Y("posts:Q", title="Posts per day"),
            tooltip=[alt.Tooltip("day:T", title="Day"), alt.Tooltip("posts:Q", title="Posts"),
                     alt.Tooltip("fitted:Q", title="Fitted", format=".1f")],
        ).add_params(base.zoom_x())
        + base_chart.transform_filter("isValid(datum.fitted)").mark_line(color=base.EVENT_COLOR, strokeWidth=2).encode(y="fitted:Q")
    )
    return _finish(
        "migration-volume-decay", chart, data,
        title=title,
        alt_text=f"Bar chart of #TikTokRefugee posts per day with a fitted exponential decay from 13 Jan: volume halves every "
            f"{half['estimate']:.1f} days. Published: US daily active users {dau.formatted()}, downloads "
            f"{downloads.formatted()}.",
        n=int(data["posts"].sum()),
        source=f"{source}; {dau.label()}; {downloads.label()}",
        notes=(*shown_note, half["note"], CAVEAT),
        illustrative=illustrative,
    )


def kol_price_vs_followers(prices: pl.DataFrame, econ: pl.DataFrame, *, illustrative: bool = False) -> Figure:
    """Sponsored image-post price against followers, log-log, with the fitted line
    (``ads.kol_prices``, ``ads.kol_economics``). One point per media kit, ids dropped."""
    slope = base.get_row(econ, "price_fans_elasticity")
    per_k = base.get_row(econ, "price_per_1k_fans_median")
    med = base.get_row(econ, "price_image_median")
    if slope["estimate"] is None or per_k["estimate"] is None:
        raise FigureInputError(f"only {slope['n']} media kits state a price; the price–followers figure needs three "
                               "or more")
    data = prices.select("fans", "liked_collected", "price_image_rmb", "price_per_1k_fans").sort("fans")
    points = alt.Chart(data).mark_circle(size=50, opacity=0.7).encode(
        x=alt.X("fans:Q", title="Followers (log scale)", scale=alt.Scale(type="log")),
        y=alt.Y("price_image_rmb:Q", title="Price of a sponsored image post, RMB (log scale)",
                scale=alt.Scale(type="log")),
        tooltip=[alt.Tooltip("fans:Q", title="Followers", format=","),
                 alt.Tooltip("price_image_rmb:Q", title="Price (RMB)", format=",.0f"),
                 alt.Tooltip("price_per_1k_fans:Q", title="RMB per 1,000 followers", format=",.1f"),
                 alt.Tooltip("liked_collected:Q", title="Likes + saves received", format=",")],
    )
    fit = points.transform_regression("fans", "price_image_rmb", method="pow").mark_line(color=base.INTERVAL_COLOR)
    pace = ("in step with" if slope["lo"] <= 1 <= slope["hi"] else "faster than" if slope["lo"] > 1
            else "more slowly than")
    title = (f"A sponsored post costs about ¥{per_k['estimate']:.0f} per 1,000 followers (median ¥{med['estimate']:.0f} "
             f"a post); price rises {pace} followers (elasticity {slope['estimate']:.2f}, "
             f"95% {slope['lo']:.2f}–{slope['hi']:.2f})")
    return _finish(
        "commerce-kol-price", (points + fit), data,
        title=title,
        alt_text=(f"Scatter plot on log scales of {data.height} creators' advertiser price for a sponsored image post "
                  f"against their followers, with a fitted power line of slope {slope['estimate']:.2f}. The median "
                  f"price is {med['estimate']:.0f} RMB and the median price per 1,000 followers "
                  f"{per_k['estimate']:.1f} RMB (95% {per_k['lo']:.1f}–{per_k['hi']:.1f})."),
        n=int(slope["n"]),
        notes=(
            "Elasticity 1 means price proportional to followers. These are small creators (KOCs, median under "
            "1,000 followers), not celebrity KOLs; prices are the platform's listed rates, not deals done.",
            "Creators are pseudonymized and no ids are shown.",
        ),
        illustrative=illustrative,
    )
