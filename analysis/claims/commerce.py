"""Commerce claims M1–M3: brand exposure, the showcase of Chinese travel and culture, and KOLs.

One function per claim id, in report order; ``analysis.claims.ledger`` maps ids to them.
"""

from __future__ import annotations

import polars as pl

from analysis import reference
from analysis.claims.data import newcomer_notes, newcomers_and_creators
from analysis.claims.evidence import Evidence
from analysis.claims.rules import (
    NOT_SUPPORTED,
    NOT_TESTABLE,
    PARTLY,
    SUPPORTED,
    combine_verdicts,
    verdict_min_n,
    verdict_positive_association,
    verdict_share_at_least,
)
from analysis.measures.ads import classify_notes, creator_summary, kol_economics, per_creator_shares
from analysis.measures.commerce import (
    BRAND_GROUPS,
    brand_engagement,
    showcase_accuracy,
    travel_culture_shares,
)
from analysis.measures.common import CREATORS, REFUGEE
from analysis.results import pick

#: Share of refugee posts naming a Chinese brand at which the exposure is notable (1 in 100).
NOTABLE_EXPOSURE = 0.01


#: "A PR campaign" read as: at least a quarter of the newcomers' posts showcase China
#: (supported), or at least one in twenty (partly supported).
PR_CAMPAIGN_SHARE = 0.25


PR_PARTLY_SHARE = 0.05


def exposure_verdict(engagement: pl.DataFrame, dataset: str = REFUGEE) -> tuple[str, str]:
    """M1's rule, in two parts combined by ``combine_verdicts``:

    1. Chinese brands got exposure from the newcomers: supported if the share of
       refugee posts naming a Chinese brand has its lower bound ≥ 1% and those posts'
       median likes interval reaches at least the lower bound of no-brand posts'
       (they are not ignored); partly supported if some posts name one but fewer or
       less liked; not supported if none does; not testable below the minimum n.
    2. Luckin's #TikTokRefugee post was mocked: not testable without comments.
    """
    def row(measure: str, group: str) -> dict:
        rows = engagement.filter((pl.col("measure") == measure) & (pl.col("group") == f"{dataset}: {group}"))
        return rows.row(0, named=True) if rows.height else {"estimate": None, "lo": None, "hi": None, "n": 0}

    part2 = (NOT_TESTABLE, "whether Luckin's post was mocked needs the comments under it, which no data set holds")
    share = row("share_of_notes", BRAND_GROUPS[0])
    cn_likes, none_likes = row("median_likes", BRAND_GROUPS[0]), row("median_likes", BRAND_GROUPS[2])
    low_n = verdict_min_n(share["n"])
    if low_n:
        return combine_verdicts([low_n, part2])
    shown = (f"refugee posts naming a Chinese brand {share['estimate']:.1%} [{share['lo']:.1%}, {share['hi']:.1%}] "
             f"(n={share['n']})")
    if cn_likes["n"] == 0:
        part1 = (NOT_SUPPORTED, f"no exposure: {shown}; no post names a Chinese brand")
    else:
        liked = cn_likes["hi"] is not None and none_likes["lo"] is not None and cn_likes["hi"] >= none_likes["lo"]
        without = "n/a" if none_likes["estimate"] is None else f"{none_likes['estimate']:.0f}"
        shown += f"; their median likes {cn_likes['estimate']:.0f} vs {without} without a brand"
        if share["lo"] >= NOTABLE_EXPOSURE and liked:
            part1 = (SUPPORTED, f"exposure: {shown}; lower bound ≥ {NOTABLE_EXPOSURE:.0%} and not less liked")
        else:
            part1 = (PARTLY, f"some exposure: {shown}; rare (lower bound < {NOTABLE_EXPOSURE:.0%}) or less liked")
    return combine_verdicts([part1, part2])


def free_exposure(bundle) -> Evidence:
    """M1: Chinese brand mentions in #TikTokRefugee posts and their engagement."""
    notes, source = newcomer_notes(bundle)
    engagement = brand_engagement(notes.with_columns(pl.lit(source).alias("dataset")))
    verdict, rule = exposure_verdict(engagement, dataset=source)
    rows = engagement.filter(
        (pl.col("measure") == "share_of_notes") & (pl.col("group") == f"{source}: {BRAND_GROUPS[0]}")
    )
    share = rows.row(0, named=True) if rows.height else {"estimate": None, "lo": None, "hi": None, "n": 0}
    luckin = reference.timeline().filter(pl.col("id") == "luckin_us_first_stores").row(0, named=True)
    return Evidence(
        "M1", "share of #TikTokRefugee posts naming a Chinese brand (brands lexicon)", share["estimate"], share["lo"],
        share["hi"], share["n"], "share",
        f"no published figure; {luckin['event']} on {luckin['date']:%d %b %Y}",
        verdict, rule, source, "commerce-brands",
        "for the Luckin part: the comments under Luckin Coffee's #TikTokRefugee post (e.g. a MediaCrawler comments "
        "export), with a mockery/praise label",
    )


def showcase_tables(bundle) -> tuple[pl.DataFrame, pl.DataFrame | None, str]:
    """What the M2 figure and ledger row read: the travel/culture shares of the newcomers
    and the creators, the hand-label accuracy (None without the refugee data set, whose
    posts the labels are for), and the newcomers' data set id."""
    both, source = newcomers_and_creators(bundle)
    accuracy = showcase_accuracy(both.filter(pl.col("dataset") == source), source=source) if source == REFUGEE else None
    return travel_culture_shares(both), accuracy, source


def showcase_verdict(estimate: dict, what: str = "") -> tuple[str, str]:
    """M2's rule (``verdict_share_at_least``): supported if the lower bound of the share of
    the newcomers' posts that showcase China (travel to China, Chinese culture, language
    learning) is ≥ 25%; partly supported if the interval reaches 25% or the lower bound is
    ≥ 5%; not supported below; not testable below the minimum n."""
    verdict, rule = verdict_share_at_least(estimate["estimate"], estimate["lo"], estimate["hi"], estimate["n"],
                                           PR_CAMPAIGN_SHARE, partly_threshold=PR_PARTLY_SHARE)
    return verdict, f"{rule} ({what})" if what else rule


def showcase_estimate(shares: pl.DataFrame, accuracy: pl.DataFrame | None, dataset: str = REFUGEE) -> tuple[dict, str]:
    """The share M2 is judged on, and what it is.

    The hand-labelled random sample (``showcase_accuracy``'s ``showcase_share_labelled``)
    when it holds at least the minimum n: it does not depend on the lexicon, whose recall
    is measured there. Otherwise the lexicon share over all the newcomers' notes.
    """
    lexicon_row = shares.filter(pl.col("group") == f"{dataset}: china_showcase").row(0, named=True)
    if accuracy is not None:
        labelled = accuracy.filter(pl.col("measure") == "showcase_share_labelled")
        if labelled.height and verdict_min_n(labelled["n"][0]) is None:
            return labelled.row(0, named=True), "hand-labelled random sample"
    return lexicon_row, "lexicon on all notes"


def china_showcase(bundle) -> Evidence:
    """M2: share of #TikTokRefugee posts about China travel, Chinese culture or learning the language."""
    shares, accuracy, source = showcase_tables(bundle)
    rows = shares.filter(pl.col("group") == f"{source}: china_showcase")
    if rows.height == 0:
        return Evidence("M2", "share of #TikTokRefugee posts showcasing China", None, None, None, 0, "share", "",
                        NOT_TESTABLE, "no notes to measure", source, "commerce-travel-culture",
                        "#TikTokRefugee posts (at least the minimum n)")
    lexicon_row = rows.row(0, named=True)
    row, what = showcase_estimate(shares, accuracy, source)
    verdict, rule = showcase_verdict(row, what)
    if accuracy is not None:
        acc = {m: accuracy.filter(pl.col("measure") == m).row(0, named=True)
               for m in ("showcase_precision", "showcase_recall")}
        rule += (
            f"; the lexicon on all {lexicon_row['n']} posts finds {lexicon_row['estimate']:.1%} (precision "
            f"{acc['showcase_precision']['estimate']:.0%}, recall {acc['showcase_recall']['estimate']:.0%} on the labels)"
        )
    other = shares.filter(pl.col("group") == f"{CREATORS}: china_showcase")
    contrast = (
        f"Chinese-American creators' notes: {other['estimate'][0]:.1%} [{other['lo'][0]:.1%}, {other['hi'][0]:.1%}] "
        f"(n={other['n'][0]})" if other.height and other["estimate"][0] is not None else "no creator notes"
    )
    return Evidence(
        "M2", f"share of #TikTokRefugee posts about travel to China, Chinese culture or learning Chinese ({what})",
        row["estimate"], row["lo"], row["hi"], row["n"], "share", f"no published figure; contrast: {contrast}",
        verdict, rule, source, "commerce-travel-culture",
        "" if verdict != NOT_TESTABLE else "more #TikTokRefugee posts (at least the minimum n)",
    )


def m3_evidence(bundle) -> Evidence:
    """KOL prices rise with reach, and most creators carry some brand endorsement."""
    econ = kol_economics(bundle.media_kits)
    slope = pick(econ, "price_fans_elasticity")
    summary = creator_summary(per_creator_shares(classify_notes(bundle.notes)))
    anyad = pick(summary, "creators_with_sponsored_note")
    part_price = verdict_positive_association(slope["estimate"], slope["lo"], slope["hi"], slope["n"],
                                              what="price–followers elasticity")
    part_share = verdict_share_at_least(anyad["estimate"], anyad["lo"], anyad["hi"], anyad["n"], 0.5,
                                        partly_threshold=0.2)
    verdict, rule = combine_verdicts([part_price, part_share])
    return Evidence(
        claim_id="M3",
        measure="elasticity of a KOL's sponsored image-post price on followers (log-log OLS); "
                "share of creators with ≥1 sponsored note",
        estimate=slope["estimate"], lo=slope["lo"], hi=slope["hi"], n=slope["n"], unit="slope",
        comparison="no published figure; creators with a disclosed sponsored note: " + (
            f"{anyad['estimate']:.0%} [{anyad['lo']:.0%}, {anyad['hi']:.0%}] of {anyad['n']} (a floor: markers "
            "miss undisclosed deals)" if anyad["estimate"] is not None else "no creators"),
        verdict=verdict, rule=rule, dataset=slope["source"], evidence="commerce-kol-price",
        what_would_test="platform records of paid brand deals (蒲公英) per creator",
    )
