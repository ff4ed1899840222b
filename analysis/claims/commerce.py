"""Commerce claims M1–M3: brand exposure, the showcase of Chinese travel and culture, and KOLs.

One function per claim id, in report order; ``analysis.claims.ledger`` maps ids to them.
"""

from __future__ import annotations

import polars as pl

from analysis import reference
from analysis.claims.data import engine_notes, newcomer_notes, newcomers_and_creators
from analysis.claims.evidence import Evidence
from analysis.claims.rules import (
    CONTEXT,
    DIRECT,
    EXISTENCE,
    NOT_SUPPORTED,
    NOT_TESTABLE,
    PARTLY,
    PROXY,
    SHARE,
    apply_fit,
    combine_verdicts,
    threshold,
    verdict_min_n,
    verdict_share_at_least,
)
from analysis.measures.ads import (
    creator_shares,
    creator_summary,
    kol_economics,
    kol_prices,
)
from analysis.measures.commerce import (
    BRAND_GROUPS,
    brand_engagement,
    showcase_accuracy,
    travel_culture_shares,
)
from analysis.measures.common import CREATORS, REFUGEE
from analysis.measures.quality import floor_summary
from analysis.results import Estimate, pick
from analysis.stats import proportion


def free_exposure(bundle) -> Evidence:
    """M1: Chinese brand mentions in #TikTokRefugee posts and their engagement."""
    notes, source = newcomer_notes(bundle)
    engagement = brand_engagement(notes.with_columns(pl.lit(source).alias("dataset")))
    rows = engagement.filter(
        (pl.col("measure") == "share_of_notes") & (pl.col("group") == f"{source}: {BRAND_GROUPS[0]}")
    )
    share = rows.row(0, named=True) if rows.height else {"estimate": None, "lo": None, "hi": None, "n": 0}
    # Exposure is what brands got (impressions, followers, sales), not what newcomers' intro
    # posts named; and whether Luckin's post was mocked needs its comments. Both are context.
    named = (f"{share['estimate']:.1%} [{share['lo']:.1%}, {share['hi']:.1%}] of {share['n']} newcomer posts name a "
             "Chinese brand" if share["estimate"] is not None else "no newcomer posts")
    verdict, rule = apply_fit(combine_verdicts([
        (NOT_SUPPORTED if not share["estimate"] else PARTLY, f"brand exposure: {named}"),
        (NOT_TESTABLE, "whether Luckin's post was mocked needs the comments under it, which no data set holds"),
    ]), CONTEXT, "the exposure Chinese brands got")
    luckin = reference.timeline().filter(pl.col("id") == "luckin_us_first_stores").row(0, named=True)
    return Evidence(
        "M1", "share of #TikTokRefugee posts naming a Chinese brand (brands lexicon)", share["estimate"], share["lo"],
        share["hi"], share["n"], "share",
        f"no published figure; {luckin['event']} on {luckin['date']:%d %b %Y}",
        verdict, rule, source, "commerce-brands",
        "for the Luckin part: the comments under Luckin Coffee's #TikTokRefugee post (e.g. a MediaCrawler comments "
        "export), with a mockery/praise label; for exposure: Chinese brands' follower, impression or sales counts "
        "for January 2025",
        target="the exposure Chinese brands got from the migration, and the reaction to Luckin Coffee's post",
        fit=CONTEXT, kind=EXISTENCE,
    )


def showcase_tables(bundle) -> tuple[pl.DataFrame, pl.DataFrame | None, str]:
    """What the M2 figure and ledger row read: the travel/culture shares of the newcomers
    and the creators, the hand-label accuracy (None without the refugee data set, whose
    posts the labels are for), and the newcomers' data set id."""
    both, source = newcomers_and_creators(bundle)
    accuracy = showcase_accuracy(both.filter(pl.col("dataset") == source), source=source) if source == REFUGEE else None
    return travel_culture_shares(both), accuracy, source


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
                        "#TikTokRefugee posts (at least the minimum n)",
                        target="what RedNote showed newcomers about Chinese travel and culture", fit=PROXY, kind=SHARE)
    lexicon_row = rows.row(0, named=True)
    row, what = showcase_estimate(shares, accuracy, source)
    # Posts say what newcomers wrote, not what RedNote showed them: a proxy of the campaign.
    verdict, rule = apply_fit(verdict_share_at_least(
        Estimate.of(row), threshold("showcase"),
        partly_threshold=threshold("showcase_partly")), PROXY, "what RedNote showed newcomers")
    rule = f"{rule} ({what})"
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
        "" if verdict != NOT_TESTABLE else "the feeds newcomers were shown (a sample of recommended notes per "
        "new account), classified for travel and culture",
        target="what RedNote showed newcomers about Chinese travel and culture", fit=PROXY, kind=SHARE,
    )


def m3_evidence(bundle) -> Evidence:
    """M3: the share of creators whose media kit lists a sponsored-post price (direct: the
    kit is the offer of paid endorsement); the price–followers elasticity is context, fitted
    without the price floor."""
    kits = bundle.media_kits
    listed = int((kits["price_image_rmb"].fill_null(0) > 0).sum())
    share = proportion(listed, kits.height, measure="kits_with_price", source=_kit_source(kits))
    verdict, rule = verdict_share_at_least(Estimate.of(share), threshold("most"))
    priced = kol_prices(kits)
    floor = floor_summary(priced["price_image_rmb"]).row(0, named=True)
    above = kits.filter(pl.col("price_image_rmb") > floor["floor"]) if floor["is_floor"] else kits
    slope = pick(kol_economics(above), "price_fans_elasticity")
    fit_text = (f"price–followers elasticity {slope['estimate']:.2f} [{slope['lo']:.2f}, {slope['hi']:.2f}] "
                f"(n={slope['n']})" if slope["estimate"] is not None else "no elasticity (too few priced kits)")
    floor_text = (f"{floor['at_floor']} of {floor['n']} prices sit at the ¥{floor['floor']:.0f} floor ("
                  f"{floor['below_floor']} below it); prices at or below it are a platform minimum, not a negotiated "
                  "price, and are left out of the fit" if floor["is_floor"] else "no price floor")
    summary = creator_summary(creator_shares(engine_notes(bundle)))
    anyad = pick(summary, "creators_with_sponsored_note")
    return Evidence(
        claim_id="M3",
        measure="share of creators' media kits that list a price for a sponsored post",
        estimate=share.estimate, lo=share.lo, hi=share.hi, n=share.n, unit="share",
        comparison=f"no published figure; context: {fit_text}; {floor_text}; creators with a disclosed sponsored "
                   "note: " + (f"{anyad['estimate']:.0%} [{anyad['lo']:.0%}, {anyad['hi']:.0%}] of {anyad['n']}"
                               if anyad["estimate"] is not None else "none"),
        verdict=verdict, rule=rule, dataset=share.source, evidence="commerce-kol-price",
        what_would_test="platform records of paid brand deals (蒲公英) per creator",
        target="whether RedNote's influencers carry brand endorsements", fit=DIRECT, kind=SHARE,
    )


def _kit_source(kits: pl.DataFrame) -> str:
    return "+".join(sorted(kits["dataset"].unique().to_list())) if kits.height else "none"
