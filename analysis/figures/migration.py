"""Migration figures ("Will users stay?"): weekly cohort retention and the decay of
daily volume, next to the published DAU and download drops.

Builders take the small tables of analysis.migration and return Figures whose titles
state the finding with the numbers.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from analysis.figures.base import Figure, migration_window, zoom_x
from analysis.reference import Reference
from analysis.results import pick

CAVEAT = (
    "The refugee data set is a keyword sample of posts, not a panel of accounts: an account that kept using "
    "RedNote without the hashtag, or only read, looks like one that left. Retention here is a lower bound."
)


def cohort_retention(cohorts: pl.DataFrame, summary: pl.DataFrame, source: str, illustrative: bool = False) -> Figure:
    """Heatmap of weekly cohort retention (``analysis.migration.cohort_retention``), with
    the pooled return share (``retention_summary``) in the title."""
    again = pick(summary, "posted_again")
    data = cohorts.with_columns(
        pl.col("cohort").dt.strftime("week of %d %b").alias("cohort_label"),
        pl.col("share").round(4).alias("share"),
        pl.concat_str(pl.col("active").cast(pl.String), pl.col("accounts").cast(pl.String), separator="/").alias("cell"),
    )
    weeks = [w for w in (1, 2, 4) if summary.filter(pl.col("measure") == f"retention_week_{w}").height]
    later = pick(summary, f"retention_week_{weeks[-1]}") if weeks else None
    title = (
        f"{again['estimate']:.1%} of {again['n']} #TikTokRefugee posting accounts posted with the tag again"
        f" [{again['lo']:.1%}–{again['hi']:.1%}]"
    )
    if later is not None and later["estimate"] is not None:
        title += f"; {later['estimate']:.1%} did so in week {weeks[-1]} after their first post"
    order = data.sort("cohort")["cohort_label"].unique(maintain_order=True).to_list()
    base = alt.Chart(data).encode(
        x=alt.X("week:O", title="Weeks after the account's first post", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("cohort_label:N", sort=order, title="Cohort (first post)"),
    )
    chart = (
        base.mark_rect().encode(
            color=alt.Color("share:Q", title="Posting", scale=alt.Scale(scheme="blues", domain=[0, 1]),
                            legend=alt.Legend(format="%", orient="bottom")),
            tooltip=[alt.Tooltip("cohort_label:N", title="Cohort"), alt.Tooltip("week:O", title="Week"),
                     alt.Tooltip("accounts:Q", title="Accounts observable"), alt.Tooltip("active:Q", title="Posting"),
                     alt.Tooltip("share:Q", title="Share", format=".1%"), alt.Tooltip("lo:Q", title="Lower", format=".1%"),
                     alt.Tooltip("hi:Q", title="Upper", format=".1%")],
        )
        + base.mark_text(fontSize=9).encode(
            text="cell:N",
            color=alt.condition("datum.share > 0.5", alt.value("white"), alt.value("black")),
        )
    ).properties(width="container", height=max(160, 26 * len(order)))
    return Figure(
        id="migration-cohort-retention",
        title=title,
        chart=chart,
        data=data,
        alt_text=(
            f"Heatmap of the share of #TikTokRefugee posting accounts that posted again in each week after their first "
            f"post, one row per weekly cohort; week 0 is full by construction and later weeks are nearly empty. "
            f"{again['estimate']:.1%} of {again['n']} accounts posted on a later day."
        ),
        n=int(again["n"]),
        n_unit="accounts",
        source=source,
        claims=("W1",),
        illustrative=illustrative,
        notes=(CAVEAT, "Cells show accounts posting / accounts observable that week; weeks past the data's end are left "
               "out (censored), not counted as zero."),
    )


def volume_decay(curve: pl.DataFrame, decay: pl.DataFrame, published: dict[str, Reference], source: str,
                 illustrative: bool = False) -> Figure:
    """Daily posts with the fitted decay (``analysis.migration.decay_curve`` and
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
    shown, shown_note = migration_window(
        curve.select("day", "posts", "fitted"), weekly=[pl.col("posts").sum(), pl.lit(None, pl.Float64).alias("fitted")]
    )
    data = shown.with_columns(pl.col("fitted").round(2))
    base = alt.Chart(data).encode(x=alt.X("day:T", title="Day (US Eastern)"))
    chart = (
        base.mark_bar(opacity=0.7).encode(
            y=alt.Y("posts:Q", title="Posts per day"),
            tooltip=[alt.Tooltip("day:T", title="Day"), alt.Tooltip("posts:Q", title="Posts"),
                     alt.Tooltip("fitted:Q", title="Fitted", format=".1f")],
        ).add_params(zoom_x())
        + base.transform_filter("isValid(datum.fitted)").mark_line(color="#b2182b", strokeWidth=2).encode(y="fitted:Q")
    ).properties(width="container", height=260)
    return Figure(
        id="migration-volume-decay",
        title=title,
        chart=chart,
        data=data,
        alt_text=(
            f"Bar chart of #TikTokRefugee posts per day with a fitted exponential decay from 13 Jan: volume halves every "
            f"{half['estimate']:.1f} days. Published: US daily active users {dau.formatted()}, downloads "
            f"{downloads.formatted()}."
        ),
        n=int(data["posts"].sum()),
        n_unit="posts",
        source=f"{source}; {dau.label()}; {downloads.label()}",
        claims=("W1", "P1"),
        illustrative=illustrative,
        notes=(*shown_note, half["note"], CAVEAT),
    )
