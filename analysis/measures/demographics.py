"""Who is on RedNote, as far as the data can tell (claim C1: "~70% female, educated, wealthier").

Inputs: the canonical ``creators`` and ``media_kits`` tables (and ``notes`` for the
located-in mix). Outputs: small result tables.

What the sample is: profiles of Chinese-speaking lifestyle creators based in the US
(mostly the Dallas area), crawled in March 2025, and the platform's advertiser media kits
for about a hundred of them. Their *followers* are RedNote users, but followers of these
creators, not a sample of all users. What the data cannot show: education or wealth —
no table carries either, so that half of the claim is not testable here.
"""

from __future__ import annotations

import polars as pl

from analysis import reference
from analysis.io.schema import GENDERS
from analysis.results import Result, results_frame
from analysis.stats import bootstrap_median, bootstrap_ratio_of_sums, interval_method, proportion

SAMPLE_NOTE = (
    "US-based Chinese-speaking lifestyle creators (mostly Dallas) and their followers, March 2025 — "
    "not a sample of all RedNote users"
)
#: Published female shares of RedNote users, compared side by side.
FEMALE_FIGURES = ("xhs_female_share_nikkei_2024", "xhs_female_share_fortune_2024", "xhs_female_share_qiangua_2024")
AGE_BANDS = ("lt18", "18_24", "25_34", "35_44", "gt44")
AGE_LABELS = {"lt18": "<18", "18_24": "18–24", "25_34": "25–34", "35_44": "35–44", "gt44": ">44"}


def _source(frame: pl.DataFrame) -> str:
    return "+".join(sorted(frame["dataset"].unique().to_list())) or "none"


def gender_shares(table: pl.DataFrame, table_name: str) -> pl.DataFrame:
    """Result table: share of accounts per gender (``female``, ``male``, ``unknown``) out
    of all accounts, and ``female_share_known`` out of those with a stated gender.

    ``group`` is ``<table_name>`` so the creators table and the media kits stay apart.
    """
    counts = dict(
        table.select(pl.col("gender").fill_null("unknown")).group_by("gender").len().rows()
    )
    n = table.height
    src = _source(table) if n else "none"
    rows = [proportion(int(counts.get(g, 0)), n, measure=f"{g}_share", source=src, group=table_name,
                       note="share of accounts") for g in GENDERS]
    known = n - int(counts.get("unknown", 0))
    rows.append(proportion(int(counts.get("female", 0)), known, measure="female_share_known", source=src,
                           group=table_name, note="among accounts with a stated gender"))
    return results_frame(rows)


def _median_and_weighted(values: pl.Series, fans: pl.Series, measure: str, src: str, unit: str = "share") -> list[Result]:
    keep = values.is_not_null() & fans.is_not_null() & (fans > 0)
    v, f = values.filter(keep).to_numpy(), fans.filter(keep).to_numpy()
    med, mlo, mhi = bootstrap_median(v)
    wm, wlo, whi = bootstrap_ratio_of_sums(v * f, f)
    n = int(keep.sum())
    return [
        Result(measure, med, n, unit, src, mlo, mhi, group="median",
               note=f"median over media kits; {interval_method('median', n)}"),
        Result(measure, wm, n, unit, src, wlo, whi, group="follower_weighted",
               note=f"mean weighted by followers (share of all their followers); {interval_method('ratio', n)} over kits"),
    ]


def follower_female_share(media_kits: pl.DataFrame) -> pl.DataFrame:
    """Result table: share of a creator's followers who are women (粉丝女性比例) — the
    median over kits and the follower-weighted mean, each with a bootstrap interval."""
    return results_frame(_median_and_weighted(
        media_kits["follower_female_share"], media_kits["fans"], "follower_female_share", _source(media_kits)))


def follower_age_bands(media_kits: pl.DataFrame) -> pl.DataFrame:
    """Result table: per age band, the median and the follower-weighted share of
    followers; plus the share under 35 (<18, 18–24, 25–34 summed)."""
    src = _source(media_kits)
    under35 = pl.sum_horizontal(f"follower_age_{b}" for b in ("lt18", "18_24", "25_34"))
    has_all = pl.all_horizontal(pl.col(f"follower_age_{b}").is_not_null() for b in ("lt18", "18_24", "25_34"))
    mk = media_kits.with_columns(pl.when(has_all).then(under35).alias("follower_age_under35"))
    rows: list[Result] = []
    for band in (*AGE_BANDS, "under35"):
        for r in _median_and_weighted(mk[f"follower_age_{band}"], mk["fans"], f"follower_age_{band}", src):
            rows.append(r)
    return results_frame(rows)


def location_mix(table: pl.DataFrame, table_name: str) -> pl.DataFrame:
    """Result table: share of rows per platform-shown location (``ip_location``; missing
    shown as ``unknown``), Wilson intervals; ``group`` is ``<table_name>:<location>``."""
    counts = (
        table.select(pl.col("ip_location").fill_null("unknown").str.strip_chars())
        .group_by("ip_location").len().sort(["len", "ip_location"], descending=[True, False])
    )
    n = table.height
    src = _source(table) if n else "none"
    return results_frame([
        proportion(int(k), n, measure="location_share", source=src, group=f"{table_name}:{loc}",
                   note="platform-shown location, as given")
        for loc, k in counts.rows()
    ])


def published_female_shares() -> pl.DataFrame:
    """The published female shares of RedNote users, for the side-by-side view."""
    refs = [reference.figure(i) for i in FEMALE_FIGURES]
    return pl.DataFrame({
        "figure_id": [r.id for r in refs],
        "share": [r.value for r in refs],
        "source": [r.source for r in refs],
        "date": [r.date for r in refs],
        "confidence": [r.confidence for r in refs],
        "wording": [r.note.strip('"') for r in refs],
    })


def female_comparison(creators: pl.DataFrame, media_kits: pl.DataFrame) -> pl.DataFrame:
    """One small table for the chart: our female shares (creators, media-kit creators,
    their followers) with intervals, next to the published figures (no interval)."""
    ours = pl.concat([
        gender_shares(creators, "creators").filter(pl.col("measure") == "female_share_known")
        .with_columns(pl.lit("Creators (profiles)").alias("what")),
        gender_shares(media_kits, "media_kits").filter(pl.col("measure") == "female_share_known")
        .with_columns(pl.lit("Creators (media kits)").alias("what")),
        follower_female_share(media_kits).filter(pl.col("group") == "follower_weighted")
        .with_columns(pl.lit("Their followers (weighted)").alias("what")),
    ]).select("what", pl.col("estimate").alias("share"), "lo", "hi", "n", "source",
              pl.lit("this report").alias("kind"))
    pub = published_female_shares().select(
        pl.concat_str([pl.lit("Published: "), pl.col("source")]).alias("what"), "share",
        pl.lit(None, pl.Float64).alias("lo"), pl.lit(None, pl.Float64).alias("hi"), pl.lit(None, pl.Int64).alias("n"),
        pl.concat_str([pl.col("source"), pl.lit(" (confidence "), pl.col("confidence"), pl.lit(")")]).alias("source"),
        pl.lit("published").alias("kind"),
    )
    return pl.concat([ours, pub])


