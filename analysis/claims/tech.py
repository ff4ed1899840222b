"""Tech claims T1–T7: the firewall dates, the multi-purpose app, ads and KOLs, content quality,
translation, hashtags and complaints about the influx.

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
    verdict_ratio,
)
from analysis.measures import clickbait as cb
from analysis.measures.ads import (
    PLATFORM_FIGURES,
    ad_shares,
    classify_notes,
    compare_platforms,
    labelled_share_for,
)
from analysis.measures.common import CREATORS
from analysis.measures.content import _row, content_results, pct, read_clickbait_labels
from analysis.measures.language import (
    CLAIMED_USES,
    TOP_K,
    USE_VISIBLE,
    comment_complaints,
    complaint_flags,
    hashtag_concentration,
    topic_mix,
    translation_mentions,
)
from analysis.measures.lexicon_checks import MIN_PRECISION, lexicon_precision, precision_of
from analysis.measures.politics import firewall_agreement, load_article_dates
from analysis.results import Result, pick

CLICKBAIT_SUPPORTED_MAX = 0.25


CLICKBAIT_PARTLY_MAX = 0.5


VALUE_SUPPORTED_MIN = 1 / 3


VALUE_PARTLY_MIN = 0.15


#: T5 proxy threshold: translation is "visibly part of posting" when at least 1 in 20
#: newcomer posts is bilingual or mentions translating (Wilson lower bound).
TRANSLATION_VISIBLE = 0.05


#: Below this top-10 share of (non-selection) tag uses there is no shared tag set a
#: suggestion feature would have produced.
LOW_CONCENTRATION = 0.20


#: T7 rule on Chinese-language comments: complaints are common when their share's lower
#: bound is ≥ 10% (supported), present when ≥ 2% (partly), absent when the upper bound < 2%.
COMPLAINTS_COMMON = 0.10


COMPLAINTS_PRESENT = 0.02


def firewall_verdict(agreement: pl.DataFrame) -> tuple[str, str]:
    """supported if every date agrees; partly supported if at least half do; else not
    supported. The minimum-n rule does not apply: the rows are the article's complete
    list of dates, not a sample."""
    k, n = int(agreement["agrees"].sum()), agreement.height
    if n == 0:
        return NOT_TESTABLE, "no article dates to check"
    off = agreement.filter(~pl.col("agrees"))["event_id"].to_list()
    shown = f"{k} of {n} dates agree with the reference timeline" + (f" (off: {', '.join(off)})" if off else "")
    if k == n:
        return SUPPORTED, f"supported: {shown}; rule: all agree"
    if 2 * k >= n:
        return PARTLY, f"partly supported: {shown}; rule: at least half agree"
    return NOT_SUPPORTED, f"not supported: {shown}; rule: fewer than half agree"


def firewall_dates(bundle) -> Evidence:
    """T1: the article's exit dates of US platforms from China vs the reference timeline."""
    agreement = firewall_agreement(load_article_dates(), reference.timeline())
    verdict, rule = firewall_verdict(agreement)
    k, n = int(agreement["agrees"].sum()), agreement.height
    refs = "; ".join(
        f"{e} {d:%d %b %Y}" + (f"–{h:%d %b}" if h else "") + f" ({c})"
        for e, d, h, c in agreement.select("event", "reference_date", "reference_date_hi", "confidence").rows()
    )
    return Evidence(
        "T1", "share of the article's exit dates that fall in the period the article names", k / n if n else None,
        None, None, n, "share", refs, verdict, rule, "reference timeline", "politics-firewall-timeline",
    )


def topic_verdict(mix: pl.DataFrame, dataset: str = CREATORS,
                  precision: dict[str, float | None] | None = None) -> tuple[str, str]:
    """T2 rule on the established users' notes. A claimed use counts as *measured* when
    its lexicon precision on the labelled checks is ≥ MIN_PRECISION (or was not checked),
    and as *visible* when its share's Wilson lower bound times that precision is ≥
    USE_VISIBLE. Supported if every claimed use is visible; partly if at least two are;
    not supported if fewer than two measured uses are visible and all were measurable;
    otherwise partly when any is visible, else not testable."""
    precision = precision or {}
    rows = mix.filter(pl.col("group").is_in([f"{dataset}: {u}" for u in CLAIMED_USES]))
    if rows.height < len(CLAIMED_USES):
        return NOT_TESTABLE, f"no {dataset} notes to measure"
    low = verdict_min_n(int(rows["n"].min()))
    if low:
        return low
    visible, unmeasured, parts = [], [], []
    for group, est, lo, hi in rows.select("group", "estimate", "lo", "hi").rows():
        use = group.split(": ")[1]
        prec = precision.get(use)
        shown = f"{use} {est:.0%} [{lo:.0%}, {hi:.0%}]" + (f" (lexicon precision {prec:.0%})" if prec is not None else "")
        parts.append(shown)
        if prec is not None and prec < MIN_PRECISION:
            unmeasured.append(use)
        elif lo * (1.0 if prec is None else prec) >= USE_VISIBLE:
            visible.append(use)
    what = "; ".join(parts) + f" (n={rows['n'][0]})"
    gap = (f"; {', '.join(unmeasured)} not reliably measured (lexicon precision below {MIN_PRECISION:.0%})"
           if unmeasured else "")
    if len(visible) == len(CLAIMED_USES):
        return SUPPORTED, f"supported: every claimed use reaches {USE_VISIBLE:.0%} after precision: {what}"
    if len(visible) >= 2:
        return PARTLY, f"partly supported: {', '.join(visible)} reach {USE_VISIBLE:.0%} after precision{gap}: {what}"
    if not unmeasured:
        return NOT_SUPPORTED, f"not supported: fewer than two claimed uses reach {USE_VISIBLE:.0%}: {what}"
    if visible:
        return PARTLY, f"partly supported: only {', '.join(visible)} reach {USE_VISIBLE:.0%}{gap}: {what}"
    return NOT_TESTABLE, f"not testable: no claimed use measurably reaches {USE_VISIBLE:.0%}{gap}: {what}"


def multi_purpose(bundle) -> Evidence:
    """T2: topic mix of the established creators' notes (the newcomers' posts are mostly intros)."""
    creators = bundle.notes.filter(pl.col("dataset") == CREATORS)
    if creators.height == 0:
        creators, source = newcomer_notes(bundle)
        creators = creators.with_columns(pl.lit(source).alias("dataset"))
    else:
        source = CREATORS
    mix = topic_mix(creators)
    checks = lexicon_precision(bundle.notes)
    precision = {u: precision_of(checks, "topics", u) for u in CLAIMED_USES}
    verdict, rule = topic_verdict(mix, source, precision)
    review = mix.filter(pl.col("group") == f"{source}: review")
    r = review.row(0, named=True) if review.height else {"estimate": None, "lo": None, "hi": None, "n": 0}
    return Evidence(
        "T2", "share of notes that are product reviews / recommendations (topics lexicon; shopping, travel, "
        "social and more in the rule)", r["estimate"], r["lo"], r["hi"], r["n"], "share",
        "no published figure", verdict, rule, source, "tech-topic-mix",
        "" if verdict != NOT_TESTABLE else "a random sample of RedNote notes (at least the minimum n)",
    )


def t3_evidence(bundle) -> Evidence:
    """Sponsored-note share vs Instagram's feed ad load, plus the published RedNote ad load.

    With the real data the share is the hand-label estimate (it counts what the markers
    miss); otherwise (the synthetic sample) the marker share stands in.
    """
    classified = classify_notes(bundle.notes)
    labelled = labelled_share_for(bundle.notes)
    if labelled is not None:
        shares, measure = labelled, "ad_share_labelled"
    else:
        shares, measure = ad_shares(classified), "ad_share"
    ratios = compare_platforms(shares, measure=measure)
    ig = pick(ratios, "ad_share_ratio", "Instagram")
    ours = pick(shares, measure)
    markers = pick(ad_shares(classified), "ad_share")
    part_notes = verdict_ratio(ig["estimate"], ig["lo"], ig["hi"], ig["n"], claim="lower", strong=0.5)
    # Part 2: platform-inserted feed ads are invisible in creator notes; the only RedNote
    # ad-load figures are unsourced (confidence L), so that part cannot be decided.
    part_feed = (NOT_TESTABLE, "feed ad load of RedNote: not in the data; published 5–20% figures are confidence L")
    verdict, rule = combine_verdicts([part_notes, part_feed])
    ref = reference.figure(PLATFORM_FIGURES["Instagram"])
    return Evidence(
        claim_id="T3",
        measure="share of creators' notes that are sponsored, brand endorsements or self-promotion "
                "÷ Instagram's share of feed posts that are ads",
        estimate=ig["estimate"], lo=ig["lo"], hi=ig["hi"], n=ig["n"], unit="ratio",
        comparison=f"Instagram {ref.label()}; " + (
            f"our sponsored share {ours['estimate']:.1%} [{ours['lo']:.1%}, {ours['hi']:.1%}] ({measure}, "
            f"n={ours['n']}); disclosed-marker share {markers['estimate']:.2%} of {markers['n']:,} notes; "
            "a share of notes vs a share of feed posts" if ours["estimate"] is not None and markers["estimate"] is not None
            else "no sponsored share: this data has no notes"),
        verdict=verdict, rule=rule, dataset=ours["source"], evidence="tech-ad-share",
        what_would_test="a sample of RedNote feeds as seen by users, counting platform-inserted ads",
    )


def verdict_value_share(est, lo, hi, n) -> tuple[str, str]:
    """The "value-driven" part of T4: supported if the value-driven share's lower bound is
    ≥ 1/3, partly supported if it straddles 1/3 or its lower bound is ≥ 15%, not supported
    otherwise (a lexicon misses value-driven notes without marker words, so the bar is a
    third, not a majority)."""
    low_n = verdict_min_n(n)
    if low_n:
        return low_n
    if est is None or lo is None or hi is None:
        return NOT_TESTABLE, "no value-driven share could be computed"
    shown = f"value-driven share {est:.1%} [{lo:.1%}, {hi:.1%}] (n={n})"
    if lo >= VALUE_SUPPORTED_MIN:
        return SUPPORTED, f"supported: {shown} has its lower bound at or above a third"
    if hi >= VALUE_SUPPORTED_MIN or lo >= VALUE_PARTLY_MIN:
        return PARTLY, f"partly supported: {shown} reaches a third or has its lower bound at or above {VALUE_PARTLY_MIN:.0%}"
    return NOT_SUPPORTED, f"not supported: {shown} stays below a third with its lower bound under {VALUE_PARTLY_MIN:.0%}"


def verdict_clickbait_share(est, lo, hi, n) -> tuple[str, str]:
    """The "not clickbait" part of T4: supported if the calibrated clickbait share's upper
    bound is ≤ 25% (at most one title in four), partly supported if the estimate is below
    50% (a minority), not supported otherwise; not testable below MIN_N labelled titles."""
    low_n = verdict_min_n(n)
    if low_n:
        return low_n
    if est is None or lo is None or hi is None:
        return NOT_TESTABLE, "no calibrated clickbait share could be computed"
    shown = f"clickbait share {est:.1%} [{lo:.1%}, {hi:.1%}] (n={n} labelled)"
    if hi <= CLICKBAIT_SUPPORTED_MAX:
        return SUPPORTED, f"supported: {shown} has its upper bound at or below {CLICKBAIT_SUPPORTED_MAX:.0%}"
    if est < CLICKBAIT_PARTLY_MAX:
        return PARTLY, f"partly supported: {shown} is a minority but its upper bound exceeds {CLICKBAIT_SUPPORTED_MAX:.0%}"
    return NOT_SUPPORTED, f"not supported: {shown} is {CLICKBAIT_PARTLY_MAX:.0%} or more"


def t4_evidence(bundle) -> Evidence:
    """Calibrated clickbait share (all RedNote titles) and value-driven share (all notes)."""
    model = cb.fit_clickbait_model(bundle.headlines)
    labels = read_clickbait_labels()
    res = content_results(bundle.notes, model, labels)
    click = _row(res, "clickbait_calibrated_share", "all")
    value = _row(res, "value_driven_share", "all")
    verdict, rule = combine_verdicts([
        verdict_clickbait_share(click["estimate"], click["lo"], click["hi"], click["n"]),
        verdict_value_share(value["estimate"], value["lo"], value["hi"], value["n"]),
    ])
    bench_cb = _row(res, "clickbait_scored_share", "benchmark clickbait")
    bench_news = _row(res, "clickbait_scored_share", "benchmark news")
    per_dataset = "; ".join(
        f"{ds}: calibrated clickbait {pct(_row(res, 'clickbait_calibrated_share', ds))}, "
        f"scorer-flagged {pct(_row(res, 'clickbait_scored_share', ds))}, "
        f"value-driven {pct(_row(res, 'value_driven_share', ds))}"
        for ds in sorted(bundle.notes["dataset"].unique())
    )
    return Evidence(
        claim_id="T4",
        measure="share of RedNote titles that are clickbait (scorer calibrated on hand labels); "
                "value-driven share of notes (review / tutorial / advice / recommendation markers)",
        estimate=click["estimate"], lo=click["lo"], hi=click["hi"], n=click["n"], unit="share",
        comparison=f"benchmark headlines (Chakraborty et al. 2016, held-out): scorer flags {pct(bench_cb)} of "
                   f"clickbait and {pct(bench_news)} of news headlines; value-driven share {pct(value)} of "
                   f"{value['n']} notes; no published RedNote figure. {per_dataset}",
        verdict=verdict, rule=rule, dataset=click["source"] or "", evidence="tech-clickbait-scores",
        what_would_test="a labelled sample of titles as users' feeds show them, and a Chinese clickbait corpus",
    )


def translation_verdict(share: dict) -> tuple[str, str]:
    """T5 rule on the share of newcomer posts showing translation use.

    The claim's number (3–5 apps per user) is not observable in posts, so the best a
    post-level proxy can give is ``partly supported``: translation is visibly part of
    posting when the share's lower bound is ≥ TRANSLATION_VISIBLE; ``not supported``
    when its upper bound is below it; ``not testable`` otherwise or below the minimum n.
    """
    low = verdict_min_n(share["n"])
    if low:
        return low
    shown = f"share {share['estimate']:.1%} [{share['lo']:.1%}, {share['hi']:.1%}] (n={share['n']})"
    if share["lo"] >= TRANSLATION_VISIBLE:
        return PARTLY, (f"partly supported: {shown} of posts are bilingual or mention translating, lower bound ≥ "
                        f"{TRANSLATION_VISIBLE:.0%}, so translation is part of newcomers' posting; how many apps "
                        "each user juggles is not observable in posts, so never 'supported'")
    if share["hi"] < TRANSLATION_VISIBLE:
        return NOT_SUPPORTED, f"not supported: {shown} stays below {TRANSLATION_VISIBLE:.0%}"
    return NOT_TESTABLE, f"not testable: {shown} straddles {TRANSLATION_VISIBLE:.0%}"


def juggling_translation_apps(bundle) -> Evidence:
    """T5: newcomers' posts that are bilingual or mention translation (a proxy for app use)."""
    notes, source = newcomer_notes(bundle)
    shares = translation_mentions(notes)
    row = shares.filter(pl.col("group") == f"{source}: translation_use")
    share = row.row(0, named=True) if row.height else {"estimate": None, "lo": None, "hi": None, "n": 0}
    verdict, rule = translation_verdict(share)
    return Evidence(
        "T5", "share of #TikTokRefugee posts that are bilingual English–Chinese or mention translating / "
        "translation tools (proxy: the number of apps per user is not in the data)",
        share["estimate"], share["lo"], share["hi"], share["n"], "share",
        "no published figure for apps per user", verdict, rule, source, "tech-language-mix",
        "a survey of new US RedNote users asking which translation tools they used, or app co-usage panels "
        "(e.g. Sensor Tower/data.ai) showing translation apps opened alongside RedNote in Jan 2025",
    )


def hashtag_verdict(conc: pl.DataFrame) -> tuple[str, str]:
    """T6 rule. Concentration cannot show *who* chose the tags, so high concentration is
    ``not testable`` (consistent with suggestions, equally with users copying a meme);
    ``not supported`` only when the top-k non-selection tags carry < LOW_CONCENTRATION of
    uses (upper bound), i.e. no shared tag set a suggestion feature would create."""
    rows = conc.filter((pl.col("measure") == f"top{TOP_K}_share_of_tag_uses")
                       & (pl.col("group") == "without #tiktokrefugee family"))
    if rows.height == 0:
        return NOT_TESTABLE, "no tagged notes to measure"
    r = rows.row(0, named=True)
    low = verdict_min_n(r["n"])
    if low:
        return low
    shown = f"top-{TOP_K} tags (without the #tiktokrefugee family) carry {r['estimate']:.0%} [{r['lo']:.0%}, {r['hi']:.0%}] of tag uses (n={r['n']} notes)"
    if r["hi"] < LOW_CONCENTRATION:
        return NOT_SUPPORTED, f"not supported: {shown}, below {LOW_CONCENTRATION:.0%}: no shared tag set"
    return NOT_TESTABLE, (f"not testable: {shown}; concentration is consistent with tag suggestions but equally with "
                          "newcomers copying each other's tags, and posts do not record where a tag came from")


def recommended_hashtags(bundle) -> Evidence:
    """T6: how concentrated newcomers' hashtags are (a necessary, not sufficient, sign of suggestions)."""
    notes, source = newcomer_notes(bundle)
    conc = hashtag_concentration(notes)
    verdict, rule = hashtag_verdict(conc)
    rows = conc.filter((pl.col("measure") == f"top{TOP_K}_share_of_tag_uses")
                       & (pl.col("group") == "without #tiktokrefugee family"))
    r = rows.row(0, named=True) if rows.height else {"estimate": None, "lo": None, "hi": None, "n": 0}
    zh = conc.filter(pl.col("measure") == "english_notes_with_chinese_tag").row(0, named=True)
    return Evidence(
        "T6", f"share of tag uses carried by the top {TOP_K} tags of #TikTokRefugee posts, without the "
        "#tiktokrefugee tag family", r["estimate"], r["lo"], r["hi"], r["n"], "share",
        f"no published figure; context: {zh['estimate']:.0%} [{zh['lo']:.0%}, {zh['hi']:.0%}] of English-language "
        f"posts (n={zh['n']}) carry a Chinese-script tag" if zh["estimate"] is not None else "no published figure",
        verdict, rule, source, "tech-hashtags",
        "the app's tag-suggestion logs or impression logs (which tags were offered to which accounts), or an audit: "
        "new English-language test accounts recording the tags the composer suggests",
    )


def complaint_verdict(comments_share: Result | None) -> tuple[str, str]:
    """T7 rule. Without comments the claim is not testable: posts by newcomers and
    Chinese-American creators are not Chinese users reacting. With Chinese-language comments:
    supported if the complaint share's lower bound ≥ COMPLAINTS_COMMON, partly if ≥
    COMPLAINTS_PRESENT, not supported if its upper bound < COMPLAINTS_PRESENT."""
    if comments_share is None or comments_share.n == 0:
        return NOT_TESTABLE, ("not testable: the data sets hold no comments (where Chinese users reply to "
                              "newcomers) and no notes by mainland users from January 2025")
    low = verdict_min_n(comments_share.n)
    if low:
        return low
    shown = (f"{comments_share.estimate:.1%} [{comments_share.lo:.1%}, {comments_share.hi:.1%}] of "
             f"Chinese-language comments (n={comments_share.n})")
    if comments_share.lo >= COMPLAINTS_COMMON:
        return SUPPORTED, f"supported: {shown} carry a complaint marker, lower bound ≥ {COMPLAINTS_COMMON:.0%}"
    if comments_share.lo >= COMPLAINTS_PRESENT:
        return PARTLY, f"partly supported: {shown} carry a complaint marker, lower bound ≥ {COMPLAINTS_PRESENT:.0%}"
    if comments_share.hi < COMPLAINTS_PRESENT:
        return NOT_SUPPORTED, f"not supported: {shown} carry a complaint marker, upper bound < {COMPLAINTS_PRESENT:.0%}"
    return NOT_TESTABLE, f"not testable: {shown} carry a complaint marker; the interval straddles {COMPLAINTS_PRESENT:.0%}"


def chinese_complaints(bundle) -> Evidence:
    """T7: complaint markers in Chinese-language comments; not testable without comments."""
    source = "+".join(sorted(bundle.notes["dataset"].unique().to_list()))
    if bundle.comments.height:
        share = comment_complaints(bundle.comments)
        measure = "share of Chinese-language comments carrying a complaint marker (complaints lexicon)"
    else:
        flags = complaint_flags(bundle.notes).filter(pl.col("influx"))
        share = stats.proportion(int(flags["complaint"].sum()), flags.height, measure="complaint_share", source=source)
        measure = ("share of Chinese-language notes about the newcomers that carry a complaint marker (context only: "
                   "these notes are by newcomers and Chinese-American creators)")
    verdict, rule = complaint_verdict(share if bundle.comments.height else None)
    return Evidence(
        "T7", measure, share.estimate, share.lo, share.hi, share.n, "share", "no published figure", verdict, rule,
        share.source or source, "",
        "comments under #TikTokRefugee posts (e.g. the 403,054 comments of Li et al. 2025, or a MediaCrawler comments "
        "export) and mainland users' notes from 13–20 Jan 2025, read for complaint markers",
    )
