"""Culture claims C1–C5: who the users are, the welcome, the newcomers' generation, the memes and
the cross-border talk.

One function per claim id, in report order; ``analysis.claims.ledger`` maps ids to them.
"""

from __future__ import annotations

import polars as pl

from analysis import reference, stats
from analysis.claims.data import newcomer_notes
from analysis.claims.evidence import Evidence
from analysis.claims.rules import (
    NOT_SUPPORTED,
    NOT_TESTABLE,
    PARTLY,
    SUPPORTED,
    combine_verdicts,
    verdict_min_n,
    verdict_share_at_least,
    verdict_share_vs_reference,
)
from analysis.measures.culture import (
    CROSS_BORDER,
    MEMES,
    _row,
    age_mentions,
    cross_border_topics,
    meme_shares,
    pew_tiktok_by_age,
    welcome_share,
)
from analysis.measures.demographics import FEMALE_FIGURES, SAMPLE_NOTE, follower_female_share, gender_shares

CANNOT_SHOW = "education and wealth: no data set records either"


#: Among posts that describe how the community treats them, "welcoming and kind" is
#: supported when positive posts are at least 2 in 3 (lower bound), partly when a majority.
WELCOMING_SUPPORTED = 2 / 3


WELCOMING_PARTLY = 0.5


#: A meme is "present" when at least this many posts carry it (one post is an anecdote).
MEME_PRESENT = 3


#: "Cross-border talk" read as: at least 1 in 20 newcomer posts on one of the three topics
#: (supported), or at least 1 in 100 (partly).
TALK_SUPPORTED = 0.05


TALK_PARTLY = 0.01


def c1_evidence(bundle) -> Evidence:
    """Follower female share (follower-weighted) against the article's ~70%."""
    followers = follower_female_share(bundle.media_kits)
    w = followers.filter(pl.col("group") == "follower_weighted").row(0, named=True)
    creators = gender_shares(bundle.creators, "creators")
    cf = creators.filter(pl.col("measure") == "female_share_known").row(0, named=True)
    ref = reference.figure(FEMALE_FIGURES[0])
    part_female = verdict_share_vs_reference(w["estimate"], w["lo"], w["hi"], w["n"], ref.value,
                                             tolerance=0.05, direction_threshold=0.5)
    part_status = (NOT_TESTABLE, f"educated, wealthier: not testable ({CANNOT_SHOW})")
    verdict, rule = combine_verdicts([part_female, part_status])
    others = "; ".join(reference.figure(i).label() for i in FEMALE_FIGURES[1:])
    creator_text = (f"creators themselves {cf['estimate']:.0%} female [{cf['lo']:.0%}, {cf['hi']:.0%}], "
                    f"n={cf['n']}" if cf["estimate"] is not None else "no creator genders")
    return Evidence(
        claim_id="C1",
        measure="share of creators' followers who are women (media kits, weighted by followers)",
        estimate=w["estimate"], lo=w["lo"], hi=w["hi"], n=w["n"], unit="share",
        comparison=f"article ~70%, as {ref.label()}; also {others}; {creator_text}. Sample: {SAMPLE_NOTE}",
        verdict=verdict, rule=rule, dataset=w["source"], evidence="culture-gender",
        what_would_test="a representative survey of RedNote users with gender, education and income",
    )


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
