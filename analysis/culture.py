"""Culture theme: welcome (C2), age cohorts next to Pew (C3), memes over time (C4) and
cross-border topics (C5).

Inputs are canonical notes; the claims read the #TikTokRefugee posts (the newcomers),
with the Chinese-American creators' notes as context where useful. Lexicons live in
data/lexicons/ (welcome, age_cohorts, memes, cross_border); their precision on labelled
notes is reported by ``analysis.lexicon_checks``.
"""

from __future__ import annotations

import polars as pl

from analysis import reference, stats
from analysis.claims import (
    NOT_SUPPORTED,
    NOT_TESTABLE,
    PARTLY,
    SUPPORTED,
    Evidence,
    claim,
    verdict_min_n,
    verdict_share_at_least,
)
from analysis.results import results_frame
from analysis.text import lexicon
from analysis.themes import newcomer_notes, note_text

POSITIVE = ("welcome", "gratitude", "kindness")


def flag_notes(notes: pl.DataFrame | pl.LazyFrame, name: str) -> pl.LazyFrame:
    """Per note: dataset, note_id, published_at and one boolean per category of lexicon ``name``."""
    lex = lexicon.load_lexicon(name)
    return notes.lazy().select("dataset", "note_id", "published_at", *lexicon.flag_columns(note_text(), lex))


def category_shares(flags: pl.LazyFrame, categories: list[str], measure: str, note: str) -> pl.DataFrame:
    """Share of notes per category and data set (group ``<dataset>: <category>``), Wilson 95%."""
    counts = flags.group_by("dataset").agg(
        pl.len().cast(pl.Int64).alias("n"), *[pl.col(c).sum().cast(pl.Int64) for c in categories]
    ).unpivot(index=["dataset", "n"], variable_name="category", value_name="k").collect()
    lo, hi = stats.wilson_exprs(pl.col("k"), pl.col("n"))
    return counts.sort("dataset", "category").select(
        pl.lit(measure).alias("measure"),
        pl.concat_str([pl.col("dataset"), pl.col("category")], separator=": ").alias("group"),
        pl.when(pl.col("n") > 0).then(pl.col("k") / pl.col("n")).alias("estimate"),
        lo.alias("lo"), hi.alias("hi"), pl.col("n"), pl.lit("share").alias("unit"),
        pl.col("dataset").alias("source"), pl.lit(note + "; Wilson 95% interval").alias("note"),
    )


def _row(table: pl.DataFrame, group: str) -> dict:
    rows = table.filter(pl.col("group") == group)
    return rows.row(0, named=True) if rows.height else {"estimate": None, "lo": None, "hi": None, "n": 0}


# --- C2: welcome ------------------------------------------------------------------------------

#: Among posts that describe how the community treats them, "welcoming and kind" is
#: supported when positive posts are at least 2 in 3 (lower bound), partly when a majority.
WELCOMING_SUPPORTED = 2 / 3
WELCOMING_PARTLY = 0.5


def welcome_flags(notes: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """welcome lexicon flags plus ``positive`` (welcome, gratitude or kindness)."""
    return flag_notes(notes, "welcome").with_columns(pl.any_horizontal(*POSITIVE).alias("positive"))


def welcome_share(notes: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """Share of notes expressing welcome, gratitude, kindness, any of them (``positive``)
    and hostility, per data set (measure ``welcome_share``), Wilson 95%; plus, per data
    set, the positive share among notes expressing either (measure ``positive_of_expressed``)."""
    flags = welcome_flags(notes)
    shares = category_shares(flags, [*POSITIVE, "positive", "hostile"], "welcome_share",
                             "welcome lexicon on title, body and tags")
    expressed = flags.filter(pl.col("positive") | pl.col("hostile")).group_by("dataset").agg(
        pl.len().cast(pl.Int64).alias("n"), (pl.col("positive") & ~pl.col("hostile")).sum().cast(pl.Int64).alias("k")
    ).collect().sort("dataset")
    extra = [stats.proportion(k, n, measure="positive_of_expressed", group=ds, source=ds,
                              note="positive-only notes among notes expressing welcome/kindness or hostility")
             for ds, n, k in expressed.select("dataset", "n", "k").rows()]
    return pl.concat([shares, results_frame(extra)])


def welcome_verdict(table: pl.DataFrame, dataset: str) -> tuple[str, str]:
    """C2 rule: among newcomer posts that express how they are treated, the positive-only
    share's lower bound ≥ 2/3 → supported, > 1/2 → partly, else not supported."""
    r = _row(table.filter(pl.col("measure") == "positive_of_expressed"), dataset)
    low = verdict_min_n(r["n"])
    if low:
        return low
    shown = f"{r['estimate']:.0%} [{r['lo']:.0%}, {r['hi']:.0%}] of the {r['n']} posts expressing how newcomers are treated are positive"
    if r["lo"] >= WELCOMING_SUPPORTED:
        return SUPPORTED, f"supported: {shown}, lower bound ≥ 2/3"
    if r["lo"] > WELCOMING_PARTLY:
        return PARTLY, f"partly supported: {shown}, lower bound above 1/2 but below 2/3"
    return NOT_SUPPORTED, f"not supported: {shown}, lower bound not above 1/2"


@claim("C2")
def welcoming_community(bundle) -> Evidence:
    """C2: among newcomer posts that say how they were treated, the share that is positive.

    The row's estimate is the one the verdict rests on (positive among posts expressing
    welcome, kindness or hostility); how often posts express welcome at all is context.
    """
    notes, source = newcomer_notes(bundle)
    table = welcome_share(notes.with_columns(pl.lit(source).alias("dataset")))
    verdict, rule = welcome_verdict(table, source)
    r = _row(table.filter(pl.col("measure") == "positive_of_expressed"), source)
    positive = _row(table.filter(pl.col("measure") == "welcome_share"), f"{source}: positive")
    hostile = _row(table.filter(pl.col("measure") == "welcome_share"), f"{source}: hostile")
    context = (
        f"no published figure; context: {positive['estimate']:.1%} [{positive['lo']:.1%}, {positive['hi']:.1%}] of "
        f"all {positive['n']} posts express welcome, gratitude or kindness; {hostile['estimate']:.1%} describe hostility"
        if positive["estimate"] is not None and hostile["estimate"] is not None else "no published figure"
    )
    return Evidence(
        "C2", "share positive among #TikTokRefugee posts that say how newcomers were treated "
        "(welcome / gratitude / kindness vs hostility; welcome lexicon)",
        r["estimate"], r["lo"], r["hi"], r["n"], "share", context,
        verdict, rule, source, "culture-welcome",
        "" if verdict != NOT_TESTABLE else "more posts that say how newcomers were treated, or the comments they received",
    )


# --- C3: age cohorts --------------------------------------------------------------------------

COHORTS = ("gen_z", "millennial", "gen_x", "senior")
#: Pew 2023 TikTok use by age, the published comparison (data/reference/published_figures.csv).
PEW_AGE_IDS = {"18–29": "pew2023_tiktok_18_29", "30–49": "pew2023_tiktok_30_49",
               "50–64": "pew2023_tiktok_50_64", "65+": "pew2023_tiktok_65_plus"}


def age_mentions(notes: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """Share of notes per self-described age cohort and data set (measure ``age_mention_share``),
    and among age-stating notes the share in each cohort (measure ``cohort_of_stated``), Wilson 95%."""
    flags = flag_notes(notes, "age_cohorts").with_columns(pl.any_horizontal(*COHORTS).alias("any_age"))
    shares = category_shares(flags, [*COHORTS, "any_age"], "age_mention_share", "age_cohorts lexicon")
    # Denominator = age-stating notes; a data set with none still gets its rows (n = 0, no estimate).
    counts = flags.group_by("dataset").agg(
        pl.col("any_age").sum().cast(pl.Int64).alias("n"), *[pl.col(c).sum().cast(pl.Int64) for c in COHORTS]
    ).unpivot(index=["dataset", "n"], variable_name="category", value_name="k").collect()
    lo, hi = stats.wilson_exprs(pl.col("k"), pl.col("n"))
    of_stated = counts.sort("dataset", "category").select(
        pl.lit("cohort_of_stated").alias("measure"),
        pl.concat_str([pl.col("dataset"), pl.col("category")], separator=": ").alias("group"),
        pl.when(pl.col("n") > 0).then(pl.col("k") / pl.col("n")).alias("estimate"),
        lo.alias("lo"), hi.alias("hi"), pl.col("n"), pl.lit("share").alias("unit"), pl.col("dataset").alias("source"),
        pl.lit("among notes stating an age cohort (a note may state several); Wilson 95% interval").alias("note"),
    )
    return pl.concat([shares, of_stated])


def pew_tiktok_by_age() -> pl.DataFrame:
    """Pew's 2023 TikTok use by age band: band, share, and the cited figure's label."""
    refs = [reference.figure(i) for i in PEW_AGE_IDS.values()]
    return pl.DataFrame({"band": list(PEW_AGE_IDS), "share": [r.value for r in refs],
                         "source": [r.label() for r in refs]})


def age_verdict(table: pl.DataFrame, dataset: str) -> tuple[str, str]:
    """C3 rule on newcomer posts that state an age cohort: below the minimum n → not
    testable; supported if Gen Z's share of them has a lower bound > 1/2 and seniors
    appear (both halves of the claim); partly if only one half holds; else not supported."""
    gz = _row(table.filter(pl.col("measure") == "cohort_of_stated"), f"{dataset}: gen_z")
    sr = _row(table.filter(pl.col("measure") == "cohort_of_stated"), f"{dataset}: senior")
    low = verdict_min_n(gz["n"])
    if low:
        return NOT_TESTABLE, (f"not testable: only {gz['n']} posts state an age or generation (minimum "
                              f"{stats.MIN_N}); self-described age is too rare in posts to say who migrated")
    shown = f"Gen Z {gz['estimate']:.0%} [{gz['lo']:.0%}, {gz['hi']:.0%}], seniors {sr['estimate']:.0%} of {gz['n']} age-stating posts"
    halves = (gz["lo"] > 0.5) + (sr["estimate"] > 0)
    if halves == 2:
        return SUPPORTED, f"supported: {shown}; Gen Z a majority (lower bound > 50%) and seniors present"
    if halves == 1:
        return PARTLY, f"partly supported: {shown}; only one of 'Gen Z majority' and 'seniors present' holds"
    return NOT_SUPPORTED, f"not supported: {shown}"


@claim("C3")
def gen_z_and_seniors(bundle) -> Evidence:
    """C3: self-described age cohorts in newcomer posts, next to Pew's TikTok use by age."""
    notes, source = newcomer_notes(bundle)
    table = age_mentions(notes.with_columns(pl.lit(source).alias("dataset")))
    verdict, rule = age_verdict(table, source)
    gz = _row(table.filter(pl.col("measure") == "cohort_of_stated"), f"{source}: gen_z")
    pew = pew_tiktok_by_age()
    comparison = "Pew 2023, US adults using TikTok by age: " + ", ".join(
        f"{b} {s:.0%}" for b, s in pew.select("band", "share").rows()) + f" ({pew['source'][0].split('(', 1)[1][:-1]})"
    return Evidence(
        "C3", "share of age-stating #TikTokRefugee posts whose author is Gen Z (age_cohorts lexicon)",
        gz["estimate"], gz["lo"], gz["hi"], gz["n"], "share", comparison, verdict, rule, source, "culture-age-cohorts",
        "the age of the accounts that joined RedNote in January 2025 (platform sign-up data) or a survey of US "
        "RedNote users by age, like Pew's for TikTok",
    )


# --- C4: memes --------------------------------------------------------------------------------

MEMES = ("colonizing", "spy", "cat_tax")
#: A meme is "present" when at least this many posts carry it (one post is an anecdote).
MEME_PRESENT = 3


def meme_shares(notes: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """Share of notes carrying each meme, and any meme, per data set (measure ``meme_share``), Wilson 95%."""
    flags = flag_notes(notes, "memes").with_columns(pl.any_horizontal(*MEMES).alias("any_meme"))
    return category_shares(flags, [*MEMES, "any_meme"], "meme_share", "memes lexicon on title, body and tags")


def meme_frequency(notes: pl.DataFrame | pl.LazyFrame, every: str = "1w", tz: str = "America/New_York") -> pl.DataFrame:
    """Notes per period (``every``: ``1d`` or ``1w``, weeks start Monday) carrying each meme:
    period (date), meme, notes (with the meme), total (all notes in the period), share, lo, hi."""
    from analysis.themes import local_day

    flags = flag_notes(notes, "memes").with_columns(local_day(tz).alias("day"))
    period = pl.col("day").dt.truncate(every).alias("period")
    counts = (
        flags.group_by(period).agg(pl.len().cast(pl.Int64).alias("total"),
                                   *[pl.col(m).sum().cast(pl.Int64) for m in MEMES])
        .unpivot(index=["period", "total"], variable_name="meme", value_name="notes")
        .collect()
    )
    lo, hi = stats.wilson_exprs(pl.col("notes"), pl.col("total"))
    return counts.sort("period", "meme").select(
        "period", "meme", "notes", "total", (pl.col("notes") / pl.col("total")).alias("share"), lo.alias("lo"),
        hi.alias("hi"))


def meme_verdict(table: pl.DataFrame, dataset: str, n_notes: int) -> tuple[str, str]:
    """C4 rule: supported if every meme is carried by ≥ MEME_PRESENT posts, partly if at
    least one is, not supported if none is (below the minimum n: not testable)."""
    low = verdict_min_n(n_notes)
    if low:
        return low
    counts = {m: round((_row(table, f"{dataset}: {m}")["estimate"] or 0) * n_notes) for m in MEMES}
    shown = ", ".join(f"{m.replace('_', ' ')} {k}" for m, k in counts.items()) + f" of {n_notes} posts"
    present = [m for m, k in counts.items() if k >= MEME_PRESENT]
    if len(present) == len(MEMES):
        return SUPPORTED, f"supported: every meme is in at least {MEME_PRESENT} posts ({shown})"
    if present:
        return PARTLY, f"partly supported: {len(present)} of {len(MEMES)} memes are in at least {MEME_PRESENT} posts ({shown})"
    return NOT_SUPPORTED, f"not supported: no meme is in {MEME_PRESENT} or more posts ({shown})"


@claim("C4")
def memes(bundle) -> Evidence:
    """C4: how many newcomer posts carry the colonizing / spy / cat-tax memes."""
    notes, source = newcomer_notes(bundle)
    table = meme_shares(notes.with_columns(pl.lit(source).alias("dataset")))
    verdict, rule = meme_verdict(table, source, notes.height)
    r = _row(table, f"{source}: any_meme")
    return Evidence(
        "C4", "share of #TikTokRefugee posts carrying the colonizing, spy or cat-tax meme (memes lexicon)",
        r["estimate"], r["lo"], r["hi"], r["n"], "share", "no published figure", verdict, rule, source,
        "culture-memes",
        "" if verdict != NOT_TESTABLE else "more #TikTokRefugee posts (at least the minimum n)",
    )


# --- C5: cross-border topics ------------------------------------------------------------------

CROSS_BORDER = ("healthcare", "housing", "lgbtq")
#: "Cross-border talk" read as: at least 1 in 20 newcomer posts on one of the three topics
#: (supported), or at least 1 in 100 (partly).
TALK_SUPPORTED = 0.05
TALK_PARTLY = 0.01


def cross_border_topics(notes: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """Share of notes on healthcare, housing, LGBTQ and any of them, per data set (measure
    ``cross_border_share``), Wilson 95%."""
    flags = flag_notes(notes, "cross_border").with_columns(pl.any_horizontal(*CROSS_BORDER).alias("any_topic"))
    return category_shares(flags, [*CROSS_BORDER, "any_topic"], "cross_border_share",
                           "cross_border lexicon on title, body and tags")


@claim("C5")
def cross_border_talk(bundle) -> Evidence:
    """C5: share of newcomer posts on healthcare, housing or LGBTQ issues."""
    notes, source = newcomer_notes(bundle)
    table = cross_border_topics(notes.with_columns(pl.lit(source).alias("dataset")))
    r = _row(table, f"{source}: any_topic")
    verdict, rule = verdict_share_at_least(r["estimate"], r["lo"], r["hi"], r["n"], TALK_SUPPORTED,
                                           partly_threshold=TALK_PARTLY)
    per = ", ".join(f"{t} {_row(table, f'{source}: {t}')['estimate']:.1%}" for t in CROSS_BORDER
                    if _row(table, f"{source}: {t}")["estimate"] is not None)
    return Evidence(
        "C5", "share of #TikTokRefugee posts on healthcare, housing or LGBTQ issues (cross_border lexicon)",
        r["estimate"], r["lo"], r["hi"], r["n"], "share", f"no published figure; by topic: {per}",
        verdict, rule, source, "culture-cross-border",
        # Said even when a verdict is drawn: the posts are mostly introductions, and the
        # exchange the article describes largely happened in comments the data lack.
        "comments under #TikTokRefugee posts, where much of the cross-border exchange happened (Li et al. 2025 "
        "analysed 403,054 of them)",
    )



