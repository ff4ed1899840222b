"""Charts of the Culture section: small tables in, ``Figure`` out."""

from __future__ import annotations

from functools import partial

import altair as alt
import polars as pl

from analysis.figures import base
from analysis.figures.base import Facts, Figure, FigureInputError
from analysis.measures.common import REFUGEE
from analysis.measures.culture import COHORTS, CROSS_BORDER, MEMES, POSITIVE
from analysis.measures.demographics import AGE_BANDS, AGE_LABELS, SAMPLE_NOTE
from analysis.stats import MIN_N

#: The fixed facts of this section's figures (the builders pass what they compute).
FIGURES = {
    "culture-gender": Facts(claims=("C1",), n_unit="media kits (follower shares)", height=alt.Step(34),
                            source="mediacrawler-creators (profiles, koc_list.csv); Nikkei Asia/KrASIA, Fortune, Qiangua (confidence S)"),
    "culture-follower-ages": Facts(claims=("C1",), n_unit="media kits", height=240,
                                   source="mediacrawler-creators (koc_list.csv, platform advertiser figures)"),
    "culture-welcome": Facts(claims=("C2",), n_unit="posts"),
    "culture-memes": Facts(claims=("C4",), n_unit="posts", height=240),
    "culture-cross-border": Facts(claims=("C5",), n_unit="notes"),
    "culture-age-cohorts": Facts(claims=("C3",), n_unit="age-stating posts"),
}

_finish = partial(base.finish, FIGURES)


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
    base_chart = alt.Chart(data).encode(y=alt.Y("what:N", title=None, sort=None, axis=alt.Axis(labelLimit=220)))
    tooltip = [alt.Tooltip("what:N", title="What"), alt.Tooltip("share:Q", title="Share female", format=".0%"),
               alt.Tooltip("lo:Q", title="95% lower", format=".0%"), alt.Tooltip("hi:Q", title="95% upper", format=".0%"),
               alt.Tooltip("n:Q", title="n"), alt.Tooltip("source:N", title="Source")]
    color = alt.Color("kind:N", title=None, legend=alt.Legend(orient="bottom"))
    chart = (
        base_chart.mark_rule(strokeWidth=2).encode(
            x=alt.X("lo:Q", title="Share female (95% interval)", axis=alt.Axis(format="%"),
                    scale=alt.Scale(domain=[0.5, 1])), x2="hi:Q", color=color, tooltip=tooltip)
        + base_chart.mark_point(filled=True, size=80).encode(x="share:Q", color=color, shape=alt.Shape("kind:N", legend=None),
                                                             tooltip=tooltip)
    )
    claimed = 0.70  # the article's "~70%" (figure xhs_female_share_nikkei_2024)
    relation = ("more than" if followers["lo"] > claimed else "less than" if followers["hi"] < claimed
                else "in line with")
    title = (f"{followers['share']:.0%} of these creators' followers are women (95% {followers['lo']:.0%}–"
             f"{followers['hi']:.0%}), {relation} the ~70% the article cites; {creators['share']:.0%} of the creators are")
    return _finish(
        "culture-gender", chart, data,
        title=title,
        alt_text="Dot plot of female shares: " + "; ".join(
            f"{w}: {s:.0%}" for w, s in data.select("what", "share").rows())
        + ". Our estimates carry 95% intervals; published figures are single values.",
        n=int(followers["n"]),
        notes=(f"Sample: {SAMPLE_NOTE}.",
               "Education and wealth, the rest of the claim, are in no data set used here: not testable."),
        illustrative=illustrative,
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
               *base.interval_tooltips(".1%")]
    base_chart = alt.Chart(data).encode(x=alt.X("age:N", title="Follower age", sort=order))
    chart = base.interval_bars(base_chart, alt.Y("share:Q", title="Share of followers (weighted)", axis=alt.Axis(format="%")),
                               tooltip)
    return _finish(
        "culture-follower-ages", chart, data,
        title=f"{u['estimate']:.0%} of these creators' followers are under 35 (95% {u['lo']:.0%}–{u['hi']:.0%})",
        alt_text="Bar chart of followers by age band: " + "; ".join(
            f"{a}: {s:.0%}" for a, s in data.select("age", "share").rows()) + ".",
        n=int(u["n"]),
        notes=(f"Sample: {SAMPLE_NOTE}. Shares are weighted by each creator's followers; followers of several "
               "creators count once per creator.",),
        illustrative=illustrative,
    )




WELCOME_LABELS = {"positive": "any of the three", "welcome": "welcome", "gratitude": "gratitude", "kindness": "kindness",
                  "hostile": "hostility (the opposite)"}


MEME_LABELS = {"colonizing": "“colonizing” / invading", "spy": "“my Chinese spy” / 间谍", "cat_tax": "cat tax / 猫税"}


CROSS_LABELS = {"any_topic": "any of the three", "healthcare": "healthcare", "housing": "housing & rent",
                "lgbtq": "LGBTQ"}


#: Below this share a title calls a topic rare ("Only …").
RARE = 0.05


COHORT_LABELS = {"gen_z": "Gen Z (13–28)", "millennial": "millennial (29–44)", "gen_x": "Gen X (45–60)",
                 "senior": "senior / grandparent"}


def welcome(shares: pl.DataFrame, newcomers: str = REFUGEE, illustrative: bool = False) -> Figure:
    """Share of notes expressing welcome, gratitude, kindness and hostility, per data set
    (``analysis.measures.culture.welcome_share``)."""
    data = base.split_group(shares.filter(pl.col("measure") == "welcome_share"), "category").with_columns(
        pl.col("category").replace_strict(WELCOME_LABELS, default=pl.col("category")).alias("label"))
    pos, hos = base.cell(data, newcomers, "category", "positive"), base.cell(data, newcomers, "category", "hostile")
    if pos is None or hos is None or pos["share"] is None:
        raise FigureInputError(f"welcome needs the {newcomers} rows positive and hostile")
    k_pos, k_hos = round(pos["share"] * pos["n"]), round(hos["share"] * hos["n"])
    parts = ", ".join(f"{c} {base.cell(data, newcomers, 'category', c)['share']:.1%}" for c in POSITIVE)
    title = (f"{pos['share']:.0%} [{pos['lo']:.0%}–{pos['hi']:.0%}] of #TikTokRefugee posts voice welcome, thanks or "
             f"kindness; {k_hos} of {hos['n']} describe hostility")
    return _finish(
        "culture-welcome",
        base.bars_with_intervals(data, "label", list(WELCOME_LABELS.values()), "Share of notes (95% Wilson interval)"),
        data.drop("label"),
        title=title,
        alt_text=(f"Bar chart: {k_pos} of {pos['n']} #TikTokRefugee posts express welcome, gratitude or kindness "
                  f"({parts}); "
                  f"{k_hos} describe hostility."),
        n=int(pos["n"]),
        source="; ".join(sorted(data["dataset"].unique().to_list())),
        notes=("Matched with data/lexicons/welcome.csv; its precision is in the Methods section. Most posts are "
               "introductions that say nothing either way.",
               "Hostility would mostly show in comments, which no data set here holds."),
        illustrative=illustrative,
    )


def memes_over_time(weekly: pl.DataFrame, shares: pl.DataFrame, newcomers: str = REFUGEE,
                    illustrative: bool = False) -> Figure:
    """Weekly count of posts carrying each meme (``analysis.measures.culture.meme_frequency``),
    titled with the overall counts (``meme_shares``)."""
    counts = {}
    for m in MEMES:
        rows = shares.filter(pl.col("group") == f"{newcomers}: {m}")
        if rows.height != 1 or rows["estimate"][0] is None:
            raise FigureInputError(f"meme shares need the row {newcomers}: {m}")
        counts[m] = round(rows["estimate"][0] * rows["n"][0])
    any_row = shares.filter(pl.col("group") == f"{newcomers}: any_meme").row(0, named=True)
    n = int(any_row["n"])
    lead = "The memes are rare in posts" if (any_row["estimate"] or 0) < RARE else \
        f"{any_row['estimate']:.0%} of posts carry a meme"
    title = (f"{lead}: 'spy' in {counts['spy']}, cat tax in {counts['cat_tax']}, "
             f"'colonizing' in {counts['colonizing']} of {n} #TikTokRefugee posts")
    data = weekly.with_columns(pl.col("meme").replace_strict(MEME_LABELS, default=pl.col("meme")).alias("label"))
    tooltip = [alt.Tooltip("period:T", title="Week from", format="%d %b %Y"), alt.Tooltip("label:N", title="Meme"),
               alt.Tooltip("notes:Q", title="Posts with the meme"), alt.Tooltip("total:Q", title="All posts that week"),
               alt.Tooltip("share:Q", title="Share", format=".1%")]
    chart = alt.Chart(data).mark_bar().encode(
        # Ordinal weeks so every week, memes or not, gets a full-width slot.
        x=alt.X("yearmonthdate(period):O", title="Week (US Eastern, from Monday)",
                axis=alt.Axis(format="%d %b", labelAngle=-45)),
        y=alt.Y("notes:Q", title="Posts carrying the meme", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("label:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=tooltip,
    )
    return _finish(
        "culture-memes", chart, data.drop("label"),
        title=title,
        alt_text="Weekly bar chart of posts carrying each meme: " + "; ".join(
            f"{MEME_LABELS[m]} {k} posts" for m, k in counts.items()) + f", of {n} posts in all.",
        n=n,
        source=newcomers,
        notes=("Matched with data/lexicons/memes.csv on title, text and tags; memes in pictures and video are not seen.",
               "Weekly totals (tooltip) show how many posts each week could have carried a meme."),
        illustrative=illustrative,
    )


def cross_border(shares: pl.DataFrame, newcomers: str = REFUGEE, illustrative: bool = False) -> Figure:
    """Share of notes on healthcare, housing and LGBTQ issues per data set
    (``analysis.measures.culture.cross_border_topics``)."""
    data = base.split_group(shares, "topic").with_columns(
        pl.col("topic").replace_strict(CROSS_LABELS, default=pl.col("topic")).alias("label"))
    anyt = base.cell(data, newcomers, "topic", "any_topic")
    if anyt is None or anyt["share"] is None:
        raise FigureInputError(f"cross_border needs the {newcomers} row any_topic")
    k = round(anyt["share"] * anyt["n"])
    title = (f"{'Only ' if anyt['share'] < RARE else ''}{k} of {anyt['n']} #TikTokRefugee posts ({anyt['share']:.1%}) "
             "talk about healthcare, housing or LGBTQ issues")
    return _finish(
        "culture-cross-border",
        base.bars_with_intervals(data, "label", list(CROSS_LABELS.values()), "Share of notes (95% Wilson interval)"),
        data.drop("label"),
        title=title,
        alt_text="Bar chart of the share of notes on each cross-border topic: " + "; ".join(
            f"{d}, {lab}: {s:.1%}" for d, lab, s in data.select("data_set", "label", "share").rows()) + ".",
        n=int(data.unique("dataset")["n"].sum()),
        source="; ".join(sorted(data["dataset"].unique().to_list())),
        notes=("Matched with data/lexicons/cross_border.csv; the creators' housing notes are about the US market.",
               "The exchange the article describes happened largely in comments, which no data set here holds.",
               f"Topics: {', '.join(CROSS_BORDER)}."),
        illustrative=illustrative,
    )


def age_vs_pew(ages: pl.DataFrame, pew: pl.DataFrame, newcomers: str = REFUGEE, illustrative: bool = False) -> Figure:
    """Self-described age cohorts among age-stating newcomer posts
    (``analysis.measures.culture.age_mentions``, measure ``cohort_of_stated``) next to Pew's 2023
    TikTok use by age (``pew_tiktok_by_age``), in two panels with their own share axes."""
    stated = base.split_group(ages.filter(pl.col("measure") == "cohort_of_stated"), "cohort").filter(
        pl.col("dataset") == newcomers)
    if stated.height != len(COHORTS):
        raise FigureInputError(f"age_vs_pew needs the {len(COHORTS)} cohort_of_stated rows of {newcomers}")
    posts = stated.select(
        pl.lit("Age-stating #TikTokRefugee posts (share in cohort)").alias("series"),
        pl.col("cohort").replace_strict(COHORT_LABELS).alias("label"), "share", "lo", "hi", "n")
    pew_rows = pew.select(pl.lit("Pew 2023: US adults using TikTok, by age").alias("series"),
                          pl.col("band").alias("label"), "share", pl.lit(None, dtype=pl.Float64).alias("lo"),
                          pl.lit(None, dtype=pl.Float64).alias("hi"), pl.lit(5733).cast(pl.Int64).alias("n"))
    data = pl.concat([posts, pew_rows])
    gz = stated.filter(pl.col("cohort") == "gen_z").row(0, named=True)
    sr = stated.filter(pl.col("cohort") == "senior").row(0, named=True)
    pew_gap = f"TikTok itself skews young ({pew['share'][0]:.0%} of 18–29s vs {pew['share'][-1]:.0%} of 65+)"
    if gz["n"] == 0:
        title = f"No post states an age or generation; {pew_gap}"
    elif gz["n"] >= MIN_N:
        title = (f"{gz['n']} of the posts state an age: {gz['share']:.0%} of them Gen Z, {sr['share']:.0%} seniors; "
                 f"{pew_gap}")
    else:
        title = (f"Only {gz['n']} of the posts state an age: {round(gz['share'] * gz['n'])} Gen Z, "
                 f"{round(sr['share'] * sr['n'])} seniors — too few to say who migrated; {pew_gap}")
    # Two panels with their own share axes: the posts' shares split the age-stating posts, Pew's
    # are each age band's own rate of TikTok use; one axis would invite comparing them.
    tooltip = [alt.Tooltip("label:N", title="Group"),
               alt.Tooltip("share:Q", title="Share", format=".0%"), alt.Tooltip("lo:Q", title="95% lower", format=".0%"),
               alt.Tooltip("hi:Q", title="95% upper", format=".0%"), alt.Tooltip("n:Q", title="n")]
    x = alt.X("share:Q", axis=alt.Axis(format="%", values=base.QUARTERS), scale=alt.Scale(domain=[0, 1]))
    cohorts = list(COHORT_LABELS.values())
    post_y = alt.Y("label:N", sort=cohorts, title=None, scale=alt.Scale(domain=cohorts), axis=alt.Axis(labelLimit=200))
    shown, held_note = base.too_few(posts, "n")
    post_base = alt.Chart(shown).encode(y=post_y)
    # An empty layer would leave an unlabelled mark group in the SVG (axe: svg-img-alt).
    drawn = [post_base.mark_bar().encode(x=x.title("Share of age-stating posts (95% Wilson interval)"), tooltip=tooltip),
             post_base.mark_rule(color=base.INTERVAL_COLOR).encode(x="lo:Q", x2="hi:Q", tooltip=tooltip)] if shown.height else []
    held = [base.too_few_marks(posts, "n", post_y)] if held_note else []
    post_panel = alt.layer(*drawn, *held).encode(x=x.title("Share of age-stating posts (95% Wilson interval)")) \
        .properties(width="container", height=alt.Step(24), title="Share of age-stating #TikTokRefugee posts")
    pew_panel = alt.Chart(pew_rows).mark_bar().encode(
        y=alt.Y("label:N", sort=pew["band"].to_list(), title=None), x=x.title("Share of the age band using TikTok"),
        tooltip=tooltip,
    ).properties(width="container", height=alt.Step(24), title="Share of US adults using TikTok (Pew 2023)")
    chart = alt.vconcat(post_panel, pew_panel, spacing=24)
    return _finish(
        "culture-age-cohorts", chart, data,
        title=title,
        alt_text=("Two bar charts. Among " + str(gz["n"]) + " age-stating #TikTokRefugee posts: "
                  + ", ".join(f"{lab} {s:.0%}" for lab, s in posts.select("label", "share").rows() if s is not None)
                  + ". Pew 2023 TikTok use by age: " + ", ".join(f"{b} {s:.0%}" for b, s in pew.select("band", "share").rows())
                  + "."),
        n=int(gz["n"]),
        source=f"{newcomers}; {pew['source'][0]}",
        notes=(*held_note,
               "The two panels measure different things: the share of age-stating posts in each cohort, and the share "
               "of each US age band that uses TikTok (Pew, n=5,733).",
               "Cohorts matched with data/lexicons/age_cohorts.csv ('I'm 19', 'grandma', 'Gen Z' …); a post may "
               "state several."),
        illustrative=illustrative,
    )
