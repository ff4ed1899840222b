"""Charts of the Politics section: small tables in, ``Figure`` out."""

from __future__ import annotations

from functools import partial

import altair as alt
import polars as pl

from analysis.figures import base
from analysis.figures.base import Facts, Figure
from analysis.measures.politics import (
    BAN_EVENTS,
    NEWCOMER_SINCE,
    PHASE_STARTS,
    STRONG_GROWTH,
    event_dates,
    peak_day,
)
from analysis.results import pick
from analysis.stats import MIN_N

#: The fixed facts of this section's figures (the builders pass what they compute).
FIGURES = {
    "politics-daily-volume": Facts(claims=("P1", "W1"), n_unit="posts"),
    "politics-phase-engagement": Facts(claims=("P1",), n_unit="posts", height=alt.Step(34)),
    "politics-firewall-timeline": Facts(claims=("T1", "P1"), n_unit="dated exits",
                                        source="reference timeline (press reports; confidence S) and the article's stated dates"),
    "politics-privacy": Facts(claims=("P2",), n_unit="posts", height=180),
    "politics-tourism": Facts(claims=("P3",), n_unit="published figures", height=280,
                              source="National Immigration Administration (confidence D); China Tourism Academy (confidence S)"),
    "politics-account-opening": Facts(claims=("P1", "W1"), n_unit="accounts", height=240),
}

_finish = partial(base.finish, FIGURES)


#: Short event names for labels on a phone-width chart (full names are in the tooltip).
SHORT_EVENT = {
    "pafaca_signed": "PAFACA", "tiktok_v_garland_argued": "hearing", "tiktok_v_garland_decided": "ruling",
    "tiktok_dark_us": "dark", "tiktok_restored": "restored", "eo_14166": "EO 14166",
    "tiktok_back_app_stores": "back in stores",
}

ARTICLE_PERIOD, RECORDED = "Period the article names", "Recorded date"
#: Mid tones that keep 3:1 on the light and the dark page.
TIMELINE_COLORS = {ARTICLE_PERIOD: "#72b7b2", RECORDED: "#e45756"}

#: Height of the daily chart and of one event-label row in it (px).
DAILY_HEIGHT = 320
LABEL_ROW = 14

PRIVACY_LABELS = {
    "data_privacy": "any data-privacy talk",
    "privacy": "privacy / personal data",
    "my_data": "'my data' changing hands",
    "data_safer": "data safer with China",
    "us_government": "distrust of the US government",
}


def daily_volume(daily: pl.DataFrame, timeline: pl.DataFrame, surge: pl.DataFrame, source: str,
                 illustrative: bool = False) -> Figure:
    """Posts per US Eastern day with the ban's dated events as rules.

    ``daily``: analysis.measures.migration.daily_activity; ``surge``: analysis.measures.politics.surge_concentration.
    """
    events = (
        event_dates(timeline, BAN_EVENTS)
        .with_columns(pl.col("id").replace_strict(SHORT_EVENT, default=pl.col("id")).alias("short"))
        .group_by("date")
        .agg(pl.col("event").str.join("; "), pl.col("short").str.join(", "))
        .rename({"date": "day"})
    )
    daily, shown_note = base.migration_window(daily, weekly=[pl.col("posts").sum(), pl.col("likes_median").median()])
    data = daily.select("day", "posts", pl.col("accounts") if "accounts" in daily.columns else pl.lit(None, pl.Int64).alias("accounts"), "likes_median").join(events, on="day", how="left", validate="1:1")
    data = data.sort("day")
    week = pick(surge, "surge_week_share")
    peak = pick(surge, "peak_day_share")
    n = int(daily["posts"].sum())
    title = (
        f"{week['estimate']:.0%} of #TikTokRefugee posts came in the 7 days from 13 Jan 2025, between the Supreme "
        f"Court hearing and TikTok going dark"
    )
    # Event labels run horizontally, one row each in date order (events a day apart would
    # collide otherwise); labels in the right part of the window end at their rule.
    first, last = data["day"].min(), data["day"].max()
    span = max((last - first).days, 1)
    labels_data = base.stagger(data.filter(pl.col("event").is_not_null()), "day", step=LABEL_ROW, levels=len(BAN_EVENTS)) \
        .with_columns((pl.col("label_y") + LABEL_ROW).alias("label_y"),
                      ((pl.col("day") - first).dt.total_days() / span > 0.6).alias("right"))
    # Headroom above the tallest bar for the label rows.
    band = LABEL_ROW * (labels_data.height + 1)
    y_max = (data["posts"].max() or 1) / (1 - band / DAILY_HEIGHT)
    base_chart = alt.Chart(data).encode(x=alt.X("day:T", title="Day (US Eastern)"))
    bars = base_chart.mark_bar().encode(
        y=alt.Y("posts:Q", title="Posts per day", scale=alt.Scale(domain=[0, y_max])),
        tooltip=[alt.Tooltip("day:T", title="Day"), alt.Tooltip("posts:Q", title="Posts"),
                 alt.Tooltip("accounts:Q", title="Accounts"), alt.Tooltip("likes_median:Q", title="Median likes")],
    )
    rules = base_chart.transform_filter("isValid(datum.event)").mark_rule(color=base.EVENT_COLOR, strokeDash=[4, 3]).encode(
        tooltip=[alt.Tooltip("day:T", title="Day"), alt.Tooltip("event:N", title="Event")]
    )
    label_base = alt.Chart(labels_data).encode(
        x="day:T", y=alt.Y("label_y:Q", scale=None), text="short:N",
        tooltip=[alt.Tooltip("day:T", title="Day"), alt.Tooltip("event:N", title="Event")])
    labels = (label_base.transform_filter("!datum.right").mark_text(align="left", baseline="middle", dx=3)
              + label_base.transform_filter("datum.right").mark_text(align="right", baseline="middle", dx=-3))
    chart = (bars.add_params(base.zoom_x()) + rules + labels)
    return _finish(
        "politics-daily-volume", chart, data,
        title=title,
        alt_text=f"Bar chart of #TikTokRefugee posts per day from {data['day'].min():%d %b} to {data['day'].max():%d %b %Y} "
            f"with the ban's events marked. Posting peaks on {peak_day(daily):%d %b %Y} with {peak['estimate']:.0%} "
            f"of all posts and falls to a few a day after the ruling.",
        n=n,
        source=source,
        height=DAILY_HEIGHT,
        notes=(
            *shown_note,
            "Days are US Eastern: the events are US-dated and the posters are US accounts.",
            "PAFACA (signed 24 Apr 2024) lies before the data set begins.",
            "A keyword sample of posts: its daily counts reflect how the collector sampled as well as how many "
            "posted; the rise in late February is more likely the former.",
            "Timing consistent with the ban is not proof that the ban caused the posts.",
        ),
        illustrative=illustrative,
    )


def phase_engagement(engagement: pl.DataFrame, source: str, illustrative: bool = False) -> Figure:
    """Median likes per phase of the ban's timeline (``analysis.measures.politics.phase_engagement``)."""
    order = [label for label, _ in PHASE_STARTS]
    likes = engagement.filter(pl.col("measure") == "median_likes").select(
        pl.col("group").alias("phase"), pl.col("estimate").alias("median_likes"), "lo", "hi", pl.col("n").alias("posts")
    )
    # Phases with fewer than MIN_N posts are named "too few", not drawn: a median of one or
    # two posts would stretch the axis and flatten the phases worth comparing.
    shown, held_note = base.too_few(likes, "posts", label="phase")
    if shown.is_empty():
        title = f"Every phase has fewer than {MIN_N} posts: too few to compare their likes"
    else:
        biggest = shown.sort("posts", descending=True).row(0, named=True)
        title = f"Posts in the busiest phase ({biggest['phase']}) drew a median of {biggest['median_likes']:.0f} likes"
    after = shown.filter(pl.col("phase") == order[-1])
    if shown.height and after.height and after["median_likes"][0] is not None and order[-1] != biggest["phase"]:
        title += f"; after TikTok returned to app stores, {after['median_likes'][0]:.0f}"
    y = alt.Y("phase:N", sort=order, title=None, scale=alt.Scale(domain=order))
    base_chart = alt.Chart(shown).encode(y=y)
    tooltip = [alt.Tooltip("phase:N", title="Phase"), alt.Tooltip("median_likes:Q", title="Median likes"),
               alt.Tooltip("lo:Q", title="Lower"), alt.Tooltip("hi:Q", title="Upper"),
               alt.Tooltip("posts:Q", title="Posts")]
    # Only layers with rows: an empty one leaves an unlabelled mark group in the SVG (axe: svg-img-alt).
    drawn = [base_chart.mark_rule(color=base.INTERVAL_COLOR, strokeWidth=2).encode(x2="hi:Q", tooltip=tooltip),
             base_chart.mark_point(filled=True, size=70).encode(x="median_likes:Q", tooltip=tooltip)] if shown.height else []
    chart = alt.layer(*drawn, *([base.too_few_marks(likes, "posts", y)] if held_note else [])).encode(
        x=alt.X("lo:Q", title="Median likes per post (95% bootstrap interval)")
    )
    return _finish(
        "politics-phase-engagement", chart, likes,
        title=title,
        alt_text="Dot plot of median likes per #TikTokRefugee post in each phase of the ban's timeline, with intervals; "
        + "; ".join(f"{p}: {m:.0f} (n={k})" if k >= MIN_N else f"{p}: too few posts (n={k})"
                    for p, m, k in likes.select("phase", "median_likes", "posts").rows() if k),
        n=int(likes["posts"].sum()),
        source=source,
        notes=held_note,
        illustrative=illustrative,
    )


def firewall_timeline(agreement: pl.DataFrame, timeline: pl.DataFrame) -> Figure:
    """The article's exit periods (bars) against the recorded dates (points), with the
    ban's events below. ``agreement``: analysis.measures.politics.firewall_agreement."""
    # Row labels short enough for a phone (full names are in the tooltip): the platform for an
    # exit; the event and its date for the ban, whose January events lie days apart.
    exits = agreement.select(
        "event", pl.col("event").str.split(" ").list.first().alias("label"), pl.lit("Great Firewall exit").alias("kind"),
        pl.col("reference_date").alias("date"), "period_start", "period_end", "article_says", "agrees",
    )
    ban = event_dates(timeline, BAN_EVENTS).select(
        "event", pl.format("{} · {}", pl.col("id").replace_strict(SHORT_EVENT), pl.col("date").dt.strftime("%d %b %Y"))
        .alias("label"), pl.lit("US TikTok ban").alias("kind"), "date",
        pl.lit(None, pl.Date).alias("period_start"), pl.lit(None, pl.Date).alias("period_end"),
        pl.lit(None, pl.String).alias("article_says"), pl.lit(None, pl.Boolean).alias("agrees"),
    )
    data = pl.concat([exits, ban]).sort("date")
    k, n = int(agreement["agrees"].sum()), agreement.height
    dates = {i: d for i, d in timeline.select("id", "date").rows()}
    months = (dates["tiktok_dark_us"] - dates["pafaca_signed"]).days / 30.44
    title = (
        f"{k} of {n} exit dates in the article match the record; the US ban took {months:.0f} months from law "
        f"(PAFACA) to TikTok going dark"
    )
    # Two panels, each on its own time scale: on one 2009–2025 axis the seven ban events of
    # 2024–25 would pile up at the right edge.
    tooltip = [alt.Tooltip("event:N", title="Event"), alt.Tooltip("date:T", title="Recorded date"),
               alt.Tooltip("article_says:N", title="Article says"), alt.Tooltip("agrees:N", title="Agrees")]
    # One colour legend for both panels: the article's periods (bars) and recorded dates (dots).
    colour = alt.Scale(domain=list(TIMELINE_COLORS), range=list(TIMELINE_COLORS.values()))
    legend = alt.Legend(orient="bottom", columns=2, title=None, labelLimit=200)

    def panel(frame: pl.DataFrame, title: str, fmt: str) -> alt.LayerChart | alt.Chart:
        y = alt.Y("label:N", sort=frame["label"].to_list(), title=None, axis=alt.Axis(labelLimit=180))
        axis = alt.Axis(format=fmt, labelFlush=True, labelOverlap=True)
        colour_of = alt.Color("part:N", scale=colour, legend=legend)
        points = alt.Chart(frame).transform_calculate(part=f"'{RECORDED}'").mark_point(filled=True, size=70).encode(
            x=alt.X("date:T", title=None, axis=axis), y=y, color=colour_of, tooltip=tooltip)
        layers = [points]
        if frame["period_start"].is_not_null().any():
            layers.insert(0, alt.Chart(frame).transform_calculate(part=f"'{ARTICLE_PERIOD}'").mark_bar(
                opacity=0.5, height=14).encode(x=alt.X("period_start:T", title=None, axis=axis), x2="period_end:T",
                                               y=y, color=colour_of, tooltip=tooltip))
        return alt.layer(*layers).properties(width="container", height=alt.Step(26), title=title)

    exit_rows, ban_rows = data.filter(pl.col("kind") == "Great Firewall exit"), data.filter(pl.col("kind") == "US TikTok ban")
    chart = alt.vconcat(
        panel(exit_rows, f"US platforms' exits from China, {exit_rows['date'].min():%Y}–{exit_rows['date'].max():%Y}", "%Y"),
        panel(ban_rows, f"The US TikTok ban, {ban_rows['date'].min():%b %Y} – {ban_rows['date'].max():%b %Y}", "%b %Y"),
        spacing=24,
    ).resolve_scale(x="independent", y="independent", color="shared")
    return _finish(
        "politics-firewall-timeline", chart, data,
        title=title,
        alt_text=f"Timeline from {data['date'].min():%Y} to {data['date'].max():%Y}: for each US platform's exit from China, "
            f"the period the article names as a bar and the recorded date as a point ({k} of {n} points fall in their "
            "bar), followed by the dated events of the US TikTok ban.",
        n=n,
        notes=(
            "The article says 'left'; the record has blocks (Twitter, Facebook, Instagram), a move to Hong Kong "
            "(Google) and an announced shutdown (LinkedIn).",
            "'Late 2021' is read as October–December 2021.",
        ),
    )


def privacy_mentions(mentions: pl.DataFrame, source: str, illustrative: bool = False) -> Figure:
    """Shares of posts in each privacy category (``analysis.measures.politics.privacy_mentions``)."""
    data = mentions.select(
        pl.col("group").alias("category"),
        pl.col("group").replace_strict(PRIVACY_LABELS, default=pl.col("group")).alias("label"),
        pl.col("estimate").alias("share"), "lo", "hi", "n",
        (pl.col("estimate") * pl.col("n")).round().cast(pl.Int64).alias("posts"),
    )
    total = data.filter(pl.col("category") == "data_privacy").row(0, named=True)
    gov = data.filter(pl.col("category") == "us_government").row(0, named=True)
    title = (
        f"Only {total['posts']} of {total['n']} #TikTokRefugee posts ({total['share']:.1%}) talk about privacy or "
        f"their data; {gov['posts']} blame the US government"
    )
    order = list(PRIVACY_LABELS.values())
    base_chart = alt.Chart(data).encode(y=alt.Y("label:N", sort=order, title=None))
    tooltip = [alt.Tooltip("label:N", title="Category"), alt.Tooltip("posts:Q", title="Posts"),
               alt.Tooltip("share:Q", title="Share", format=".1%"), *base.interval_tooltips(".1%", "Lower", "Upper")]
    chart = base.interval_bars(base_chart, alt.X("share:Q", title="Share of posts (95% Wilson interval)", axis=alt.Axis(format="%")),
                               tooltip, rule_tooltip=False)
    return _finish(
        "politics-privacy", chart, data,
        title=title,
        alt_text=f"Bar chart of the share of #TikTokRefugee posts in each privacy category: any data-privacy talk "
            f"{total['share']:.1%} (upper bound {total['hi']:.1%}), distrust of the US government {gov['share']:.1%}.",
        n=int(total["n"]),
        source=source,
        notes=(
            "Matched on title, text and tags with data/lexicons/privacy.csv; spoken words in videos are not seen.",
            "Most matches are ironic ('here to give you all my data'); the posts carry no ages, so the article's "
            "'young Americans' cannot be checked.",
        ),
        illustrative=illustrative,
    )


def tourism(table: pl.DataFrame, results: pl.DataFrame, timeline: pl.DataFrame) -> Figure:
    """Published arrivals 2019 / 2023 / 2024 with the visa-free milestones
    (``analysis.measures.politics.tourism_table`` and ``tourism_results``)."""
    short = {"foreign tourist visits": "visits", "foreigner border crossings": "crossings",
             "of which visa-free entries": "visa-free"}
    data = table.select(
        pl.concat_str(pl.col("year").cast(pl.String), pl.col("measure").replace_strict(short, default=pl.col("measure")),
                      separator=" ").alias("bar"),
        pl.col("year").cast(pl.String), "measure", (pl.col("value") / 1e6).alias("millions"), "unit", "label",
        "confidence",
    )
    growth = pick(results, "crossings_growth_2024")["estimate"]
    visa_free = table.filter(pl.col("id") == "tourism_visa_free_entries_2024")["value"][0]
    dates = {i: d for i, d in timeline.select("id", "date").rows()}
    title = (
        f"Foreigner border crossings rose {growth:.0%} in 2024, the first full year of visa-free entry, with "
        f"{visa_free / 1e6:.1f}M visa-free entries" + (" — not 'still low'" if growth > STRONG_GROWTH else "")
    )
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("bar:N", title=None, sort=data["bar"].to_list(), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("millions:Q", title="Millions"),
        color=alt.Color("measure:N", title=None, legend=alt.Legend(orient="bottom", columns=1)),
        tooltip=[alt.Tooltip("year:N", title="Year"), alt.Tooltip("measure:N", title="Measure"),
                 alt.Tooltip("millions:Q", title="Millions", format=".2f"), alt.Tooltip("label:N", title="Source")],
    )
    return _finish(
        "politics-tourism", chart, data,
        title=title,
        alt_text="Bar chart: " + "; ".join(f"{y} {m} {v:.1f} million" for y, m, v in data.select("year", "measure", "millions").rows())
            + f". Foreigner crossings grew {growth:.0%} from 2023 to 2024.",
        n=table.height,
        notes=(
            f"Visa-free trial for some countries from {dates['china_visa_free_trial']:%d %b %Y}; 240-hour visa-free "
            f"transit from {dates['china_240h_transit']:%d %b %Y}.",
            "Not like for like: 2019 counts foreign tourist visits; 2023–2024 count foreigner border crossings "
            "(entries and exits, all purposes), so 2024 is not 'twice 2019'.",
        ),
    )


def account_opening(weeks: pl.DataFrame, ages: pl.DataFrame, source: str, illustrative: bool = False) -> Figure:
    """Posting accounts by the week they were opened (``analysis.measures.politics.account_opening_weeks``),
    titled with the share opened since the migration began (``account_ages``)."""
    opened = pick(ages, "accounts_opened_since", NEWCOMER_SINCE.isoformat())
    # Each bar spans its week (a bare date would draw a hairline on a time axis) and rises from
    # zero: with x and x2 alone a bar is ranged along x and drawn as a thin dash at its count.
    dated = weeks.filter(pl.col("week_start").is_not_null()).with_columns(
        week_end=pl.col("week_start") + pl.duration(days=6)
    )
    older = weeks.filter(pl.col("week_start").is_null())
    older_n = int(older["accounts"].sum()) if older.height else 0
    title = (
        f"{opened['estimate']:.0%} of the {opened['n']} accounts posting #TikTokRefugee were opened on or after "
        f"{NEWCOMER_SINCE:%d %b %Y} — newcomers, not existing users who adopted a hashtag"
    )
    chart = (
        alt.Chart(dated).mark_rect().encode(
            x=alt.X("week_start:T", title="Week the account was opened"), x2="week_end:T",
            y=alt.Y("accounts:Q", title="Posting accounts", scale=alt.Scale(zero=True)), y2=alt.datum(0),
            tooltip=[alt.Tooltip("week:N", title="Week of"), alt.Tooltip("accounts:Q", title="Accounts")],
        )
    )
    return _finish(
        "politics-account-opening", chart, weeks.select("week", "accounts"),
        title=title,
        alt_text=f"Bar chart of posting accounts by the week their account was opened: {opened['estimate']:.0%} "
            f"(95% interval {opened['lo']:.0%}–{opened['hi']:.0%}) of {opened['n']} accounts opened on or after "
            f"{NEWCOMER_SINCE:%d %b %Y}, most of them in the week of 13 January 2025; {older_n} accounts are older.",
        n=int(opened["n"]),
        source=source,
        notes=(
            f"Accounts opened {older[0, 'week']}: {older_n}, not drawn." if older.height else "No older accounts.",
            "The creation day is read from the account id, which embeds its creation second; only the day is kept, "
            "and the id itself is replaced by a pseudonym.",
        ),
        illustrative=illustrative,
    )
