"""Demographics figures (claim C1): female shares against the published figures, and
follower age bands. Builders take the small tables of analysis.demographics."""

from __future__ import annotations

import altair as alt
import polars as pl

from analysis.demographics import AGE_BANDS, AGE_LABELS, SAMPLE_NOTE
from analysis.figures.base import Figure


class FigureInputError(ValueError):
    """A figure was given a table without the rows it needs; the message names them."""


def _one(frame: pl.DataFrame, column: str, value: str) -> dict:
    rows = frame.filter(pl.col(column) == value)
    if rows.height != 1:
        raise FigureInputError(f"need one row with {column}={value!r}; found {rows.height}")
    return rows.row(0, named=True)


def female_shares(comparison: pl.DataFrame, *, illustrative: bool = False) -> Figure:
    """Our female shares (creators; their followers) with intervals beside the published
    ~70% / ~75% / ~80% (``demographics.female_comparison``)."""
    followers = _one(comparison, "what", "Their followers (weighted)")
    creators = _one(comparison, "what", "Creators (profiles)")
    if followers["share"] is None or creators["share"] is None:
        raise FigureInputError("no creator genders or follower shares in this data (media_kits or creators is "
                               "empty); the figure needs the creators' media kits")
    data = comparison.with_columns(pl.coalesce("lo", "share").alias("lo"), pl.coalesce("hi", "share").alias("hi"))
    base = alt.Chart(data).encode(y=alt.Y("what:N", title=None, sort=None, axis=alt.Axis(labelLimit=220)))
    tooltip = [alt.Tooltip("what:N", title="What"), alt.Tooltip("share:Q", title="Share female", format=".0%"),
               alt.Tooltip("lo:Q", title="95% lower", format=".0%"), alt.Tooltip("hi:Q", title="95% upper", format=".0%"),
               alt.Tooltip("n:Q", title="n"), alt.Tooltip("source:N", title="Source")]
    color = alt.Color("kind:N", title=None, legend=alt.Legend(orient="bottom"))
    chart = (
        base.mark_rule(strokeWidth=2).encode(
            x=alt.X("lo:Q", title="Share female (95% interval)", axis=alt.Axis(format="%"),
                    scale=alt.Scale(domain=[0.5, 1])), x2="hi:Q", color=color, tooltip=tooltip)
        + base.mark_point(filled=True, size=80).encode(x="share:Q", color=color, shape=alt.Shape("kind:N", legend=None),
                                                       tooltip=tooltip)
    ).properties(width="container", height=alt.Step(34))
    claimed = 0.70  # the article's "~70%" (figure xhs_female_share_nikkei_2024)
    relation = ("more than" if followers["lo"] > claimed else "less than" if followers["hi"] < claimed
                else "in line with")
    title = (f"{followers['share']:.0%} of these creators' followers are women (95% {followers['lo']:.0%}–"
             f"{followers['hi']:.0%}), {relation} the ~70% the article cites; {creators['share']:.0%} of the creators are")
    return Figure(
        id="culture-gender",
        title=title,
        chart=chart,
        data=data,
        alt_text="Dot plot of female shares: " + "; ".join(
            f"{w}: {s:.0%}" for w, s in data.select("what", "share").rows())
        + ". Our estimates carry 95% intervals; published figures are single values.",
        n=int(followers["n"]),
        n_unit="media kits (follower shares)",
        source="mediacrawler-creators (profiles, koc_list.csv); Nikkei Asia/KrASIA, Fortune, Qiangua (confidence S)",
        claims=("C1",),
        illustrative=illustrative,
        notes=(f"Sample: {SAMPLE_NOTE}.",
               "Education and wealth, the rest of the claim, are in no data set used here: not testable."),
    )


def follower_ages(ages: pl.DataFrame, *, illustrative: bool = False) -> Figure:
    """Follower-weighted share of followers per age band with bootstrap intervals
    (``demographics.follower_age_bands``)."""
    order = [AGE_LABELS[b] for b in AGE_BANDS]
    data = (
        ages.filter((pl.col("group") == "follower_weighted") & pl.col("measure").is_in([f"follower_age_{b}" for b in AGE_BANDS]))
        .with_columns(pl.col("measure").str.strip_prefix("follower_age_").replace(AGE_LABELS).alias("age"))
        .select("age", pl.col("estimate").alias("share"), "lo", "hi", "n")
        .sort(pl.col("age").replace_strict(order, list(range(len(order)))))
    )
    under35 = ages.filter((pl.col("measure") == "follower_age_under35") & (pl.col("group") == "follower_weighted"))
    if under35.height != 1 or data.height != len(AGE_BANDS):
        raise FigureInputError("pass demographics.follower_age_bands(...): it needs every band and under35, weighted")
    u = under35.row(0, named=True)
    tooltip = [alt.Tooltip("age:N", title="Age"), alt.Tooltip("share:Q", title="Share", format=".1%"),
               alt.Tooltip("lo:Q", title="95% lower", format=".1%"), alt.Tooltip("hi:Q", title="95% upper", format=".1%")]
    base = alt.Chart(data).encode(x=alt.X("age:N", title="Follower age", sort=order))
    chart = (
        base.mark_bar().encode(y=alt.Y("share:Q", title="Share of followers (weighted)", axis=alt.Axis(format="%")),
                               tooltip=tooltip)
        + base.mark_rule().encode(y="lo:Q", y2="hi:Q", tooltip=tooltip)
    ).properties(width="container", height=240)
    return Figure(
        id="culture-follower-ages",
        title=f"{u['estimate']:.0%} of these creators' followers are under 35 (95% {u['lo']:.0%}–{u['hi']:.0%})",
        chart=chart,
        data=data,
        alt_text="Bar chart of followers by age band: " + "; ".join(
            f"{a}: {s:.0%}" for a, s in data.select("age", "share").rows()) + ".",
        n=int(u["n"]),
        n_unit="media kits",
        source="mediacrawler-creators (koc_list.csv, platform advertiser figures)",
        claims=("C1",),
        illustrative=illustrative,
        notes=(f"Sample: {SAMPLE_NOTE}. Shares are weighted by each creator's followers; followers of several "
               "creators count once per creator.",),
    )


__all__ = ["female_shares", "follower_ages"]
