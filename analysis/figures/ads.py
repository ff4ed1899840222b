"""Ad figures (claims T3, M3): sponsored-note share against other platforms' ad load,
sponsored notes per creator, and KOL prices against followers.

Builders take the small tables of analysis.ads and return a Figure whose title states
the finding with its numbers. No account ids reach a figure.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from analysis import reference
from analysis.ads import PLATFORM_FIGURES
from analysis.figures.base import INTERVAL_COLOR, Figure, interval_dots


class FigureInputError(ValueError):
    """A figure was given a table without the rows it needs; the message names them."""


def _get(results: pl.DataFrame, measure: str, group: str = "all") -> dict:
    rows = results.filter((pl.col("measure") == measure) & (pl.col("group") == group))
    if rows.height != 1:
        raise FigureInputError(f"results need one row of measure={measure!r}, group={group!r}; found {rows.height}")
    return rows.row(0, named=True)


def ad_share_vs_platforms(markers: pl.DataFrame, labelled: pl.DataFrame | None = None, *,
                          illustrative: bool = False) -> Figure:
    """Our sponsored share (hand-label estimate if given, and the disclosed-marker share)
    next to the published feed ad load of Facebook, Instagram and TikTok (2020) and the
    unsourced RedNote ad-load range.

    ``markers``: ``ads.ad_shares(...)``; ``labelled``: ``ads.labelled_ad_share(...)`` or None.
    """
    mk = _get(markers, "ad_share")
    ours = [{"label": "RedNote: disclosed (markers)", "kind": "this report", "estimate": mk["estimate"],
             "lo": mk["lo"], "hi": mk["hi"], "n": mk["n"], "source": mk["source"]}]
    headline = mk
    if labelled is not None:
        lab = _get(labelled, "ad_share_labelled")
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
    return Figure(
        id="tech-ad-share",
        title=title,
        chart=interval_dots(data, "Share that is sponsored / ads (95% interval or published range)", "%", color="kind", extra_tooltip=(alt.Tooltip("source:N", title="Source"),)),
        data=data,
        alt_text=alt_text,
        n=int(headline["n"]),
        n_unit="labelled notes" if labelled is not None else "notes",
        source=f"{mk['source']}; WhistleOut 2020 via American Marketer; industry blogs (confidence L)",
        claims=("T3",),
        illustrative=illustrative,
        notes=(
            "Not like for like: ours is the share of creators' notes that are sponsored or self-promotional; "
            "the published figures are the share of posts in a user's feed that are ads. Ads the platform "
            "inserts into RedNote feeds are not in our data.",
            "The hand-labelled estimate scales 227 labelled notes to the data sets by sampling stratum "
            "(data/labels/ads.md); the disclosure markers find only a small part of sponsored notes.",
        ),
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
        ).properties(width="container", height=220)
    )
    return Figure(
        id="tech-ads-per-creator",
        title=f"{with_any} of {n} creators ({with_any / n:.0%}) have at least one note that discloses a sponsorship",
        chart=chart,
        data=data,
        alt_text="Bar chart of creators by number of notes with a disclosure marker: " + "; ".join(
            f"{b}: {c} creators" for b, c in data.select("sponsored_notes", "creators").rows()) + ".",
        n=n,
        n_unit="creators",
        source="mediacrawler-creators",
        claims=("T3", "M3"),
        illustrative=illustrative,
        notes=("Markers catch disclosed sponsorship only, so these counts are floors.",),
    )


def kol_price_vs_followers(prices: pl.DataFrame, econ: pl.DataFrame, *, illustrative: bool = False) -> Figure:
    """Sponsored image-post price against followers, log-log, with the fitted line
    (``ads.kol_prices``, ``ads.kol_economics``). One point per media kit, ids dropped."""
    slope = _get(econ, "price_fans_elasticity")
    per_k = _get(econ, "price_per_1k_fans_median")
    med = _get(econ, "price_image_median")
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
    fit = points.transform_regression("fans", "price_image_rmb", method="pow").mark_line(color=INTERVAL_COLOR)
    pace = ("in step with" if slope["lo"] <= 1 <= slope["hi"] else "faster than" if slope["lo"] > 1
            else "more slowly than")
    title = (f"A sponsored post costs about ¥{per_k['estimate']:.0f} per 1,000 followers (median ¥{med['estimate']:.0f} "
             f"a post); price rises {pace} followers (elasticity {slope['estimate']:.2f}, "
             f"95% {slope['lo']:.2f}–{slope['hi']:.2f})")
    return Figure(
        id="commerce-kol-price",
        title=title,
        chart=(points + fit).properties(width="container", height=300),
        data=data,
        alt_text=(f"Scatter plot on log scales of {data.height} creators' advertiser price for a sponsored image post "
                  f"against their followers, with a fitted power line of slope {slope['estimate']:.2f}. The median "
                  f"price is {med['estimate']:.0f} RMB and the median price per 1,000 followers "
                  f"{per_k['estimate']:.1f} RMB (95% {per_k['lo']:.1f}–{per_k['hi']:.1f})."),
        n=int(slope["n"]),
        n_unit="media kits with a price",
        source="mediacrawler-creators (koc_list.csv, platform advertiser figures)",
        claims=("M3",),
        illustrative=illustrative,
        notes=(
            "Elasticity 1 means price proportional to followers. These are small creators (KOCs, median under "
            "1,000 followers), not celebrity KOLs; prices are the platform's listed rates, not deals done.",
            "Creators are pseudonymized and no ids are shown.",
        ),
    )


__all__ = ["ad_share_vs_platforms", "kol_price_vs_followers", "sponsored_per_creator"]
