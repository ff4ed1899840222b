"""Sponsored notes and KOL prices (claims T3 and M3).

Input: the canonical ``notes`` and ``media_kits`` tables. Output: small result tables.

A note counts as **sponsored** (a brand endorsement or advertisement) when its title,
text or tags carry a marker from one of ``SPONSORED_CATEGORIES`` of
data/lexicons/ads.csv — an explicit disclosure, an invitation or gift from a brand or
venue, a personal discount/referral code or shop link, or the author selling their own
service — and no explicit "not an ad" statement. Weak signals (brand tags, store visits,
tagging the brand-deal platform) are counted separately and never decide the label.

What this cannot see: ads the platform inserts into the feed (they are not in a
creator's notes) and sponsorship that is not disclosed in the text. The share is a share
of *notes*; the published figures for Facebook and Instagram are shares of *feed posts*
that are ads. The hand-labelled sample (data/labels/ads.csv) measures how much the
markers miss (recall) and over-call (precision).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from analysis import config, reference
from analysis.measures import frames
from analysis.measures.common import CREATORS
from analysis.results import Result, pick, results_frame
from analysis.stats import (
    bootstrap_median,
    interval_method,
    loglog_slope,
    proportion,
    ratio_to_fixed,
    stratified_share,
    wilson_exprs,
)
from analysis.text.lexicon import flag_names, load_lexicon, select_flags

LEXICON = "ads"
SPONSORED_CATEGORIES = ("disclosure", "invited_gifted", "affiliate", "self_promotion")
NEGATION_CATEGORY = "no_ad_claim"
WEAK_CATEGORIES = ("brand_tag", "store_visit", "collab_platform")
LABELS = ("sponsored", "organic")
#: Feed ad loads compared with, WhistleOut 2020 (figure ids in data/reference).
PLATFORM_FIGURES = {
    "Facebook": "adload_facebook_2020",
    "Instagram": "adload_instagram_2020",
    "TikTok": "adload_tiktok_2020",
}
_PREFIX = "ad_"


class LabelError(ValueError):
    """The hand-labelled sample is malformed; the message names the row and the fix."""


def note_text() -> pl.Expr:
    """Title, text and tags of a note joined into one searchable string."""
    return pl.concat_str(
        [pl.col("title").fill_null(""), pl.col("text").fill_null(""), pl.col("tags").list.join(" ").fill_null("")],
        separator="\n",
    )


def classify_notes(notes: pl.DataFrame | pl.LazyFrame, lexicon: pl.DataFrame | None = None):
    """One row per note: ``dataset, note_id, account_id``, a boolean ``ad_<category>`` per
    lexicon category, ``is_sponsored`` and ``label`` (``sponsored`` / ``organic``).

    Works on a DataFrame or a LazyFrame (and returns the same kind).
    """
    lex = load_lexicon(LEXICON) if lexicon is None else lexicon
    present = set(flag_names(lex, prefix=_PREFIX))
    strong = [pl.col(f"{_PREFIX}{c}") for c in SPONSORED_CATEGORIES if f"{_PREFIX}{c}" in present]
    negated = pl.col(f"{_PREFIX}{NEGATION_CATEGORY}") if f"{_PREFIX}{NEGATION_CATEGORY}" in present else pl.lit(False)
    is_sponsored = (pl.any_horizontal(strong) if strong else pl.lit(False)) & ~negated
    return (
        select_flags(notes, note_text(), lex, keep=("dataset", "note_id", "account_id"), prefix=_PREFIX)
        .with_columns(is_sponsored.alias("is_sponsored"))
        .with_columns(pl.when(pl.col("is_sponsored")).then(pl.lit("sponsored")).otherwise(pl.lit("organic")).alias("label"))
    )


def _source(datasets: list[str]) -> str:
    return "+".join(sorted(datasets))


def ad_shares(classified: pl.DataFrame) -> pl.DataFrame:
    """Result table: ``ad_share`` overall and per dataset, Wilson intervals; plus the
    share of notes with each weak signal overall (context, not ads)."""
    flags = ["is_sponsored", *(c for c in classified.columns if c.startswith(_PREFIX))]
    counts = classified.group_by("dataset").agg(pl.len().cast(pl.Int64).alias("n"),
                                                *(pl.col(c).sum().cast(pl.Int64) for c in flags))
    return ad_shares_from_counts(counts)


def sponsored_counts(notes, lexicon: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per dataset: ``n`` notes, ``is_sponsored`` and ``ad_<category>`` counts, computed on
    the notes' own engine (polars, or Spark through analysis.measures.frames)."""
    lex = load_lexicon(LEXICON) if lexicon is None else lexicon
    return frames.ad_counts(notes, lex, SPONSORED_CATEGORIES, NEGATION_CATEGORY, _PREFIX)


def sponsored_shares(notes, lexicon: pl.DataFrame | None = None) -> pl.DataFrame:
    """``ad_shares(classify_notes(notes))``, counted on the notes' own engine (polars, or
    Spark through analysis.measures.frames): the same table, from per-dataset counts."""
    return ad_shares_from_counts(sponsored_counts(notes, lexicon))


def ad_shares_from_counts(counts: pl.DataFrame) -> pl.DataFrame:
    """``ad_shares`` from per-dataset counts (``sponsored_counts`` or its polars twin)."""
    per = counts.rename({"is_sponsored": "k"}).sort("dataset")
    rows = [
        proportion(k, n, measure="ad_share", source=ds, group=ds, note="sponsored markers in title/text/tags")
        for ds, k, n in per.select("dataset", "k", "n").rows()
    ]
    total_k, total_n = int(per["k"].sum()), int(per["n"].sum())
    src = _source(per["dataset"].to_list())
    rows.insert(0, proportion(total_k, total_n, measure="ad_share", source=src, note="all notes pooled"))
    for cat in WEAK_CATEGORIES:
        col = f"{_PREFIX}{cat}"
        if col in per.columns:
            rows.append(proportion(int(per[col].sum()), total_n, measure=f"weak_{cat}_share", source=src,
                                   note="weak signal, not counted as sponsored"))
    return results_frame(rows)


def creator_ad_shares(classified: pl.DataFrame, dataset: str | None = CREATORS) -> pl.DataFrame:
    """Per creator (of ``dataset``; ``None`` = every data set): notes, sponsored notes,
    share and Wilson bounds. One row per pseudonymized account, for the distribution —
    not for display by id. The default is the creators' data set, where every account's
    notes were crawled in full; the #TikTokRefugee posts hold one or two per account.
    """
    rows = classified if dataset is None else classified.filter(pl.col("dataset") == dataset)
    counts = rows.group_by("dataset", "account_id").agg(
        pl.len().alias("n_notes"), pl.col("is_sponsored").sum().cast(pl.Int64).alias("n_sponsored"))
    return creator_shares_from_counts(counts)


def creator_shares_from_counts(counts: pl.DataFrame) -> pl.DataFrame:
    """``creator_ad_shares`` from per-creator ``n_notes``/``n_sponsored`` counts (e.g.
    analysis.measures.frames.creator_ad_counts on any engine)."""
    lo, hi = wilson_exprs(pl.col("n_sponsored"), pl.col("n_notes"))
    return (
        counts.with_columns(pl.col("n_notes", "n_sponsored").cast(pl.Int64))
        .with_columns((pl.col("n_sponsored") / pl.col("n_notes")).alias("share"), lo.alias("lo"), hi.alias("hi"))
        .sort("dataset", "account_id")
    )


def creator_shares(notes, lexicon: pl.DataFrame | None = None) -> pl.DataFrame:
    """``creator_ad_shares`` of the crawled-creators data set, or of every data set when it
    is absent (e.g. the synthetic sample or a user's own export), counted on the notes' own
    engine (polars, or Spark through analysis.measures.frames)."""
    lex = load_lexicon(LEXICON) if lexicon is None else lexicon
    counts = frames.creator_ad_counts(notes, lex, SPONSORED_CATEGORIES, NEGATION_CATEGORY, _PREFIX)
    crawled = counts.filter(pl.col("dataset") == CREATORS)
    return creator_shares_from_counts(counts if crawled.is_empty() else crawled)


def creator_summary(per_creator: pl.DataFrame) -> pl.DataFrame:
    """Result table: share of creators with at least one sponsored note (Wilson) and the
    median per-creator ad share (bootstrap interval)."""
    n = per_creator.height
    src = _source(per_creator["dataset"].unique().to_list()) or "none"
    with_any = int((per_creator["n_sponsored"] > 0).sum())
    med, mlo, mhi = bootstrap_median(per_creator["share"].to_numpy())
    return results_frame([
        proportion(with_any, n, measure="creators_with_sponsored_note", source=src,
                   note="creators with ≥1 sponsored note among their crawled notes"),
        Result("creator_ad_share_median", med, n, "share", src, mlo, mhi,
               note=f"median over creators of their sponsored-note share; {interval_method('median', n)}"),
    ])


def compare_platforms(shares: pl.DataFrame, group: str = "all", measure: str = "ad_share") -> pl.DataFrame:
    """Ratio of our ad share (the ``measure``/``group`` row of ``ad_shares`` or
    ``labelled_ad_share``) to each platform's feed ad load, the interval propagated from
    ours (the published figure treated as exact).

    Caveat carried in ``note``: ours is a share of creator notes, theirs a share of feed
    posts; platform-inserted feed ads are not in our data.
    """
    row = pick(shares, measure, group)
    rows = []
    for platform, fig_id in PLATFORM_FIGURES.items():
        ref = reference.figure(fig_id)
        est, lo, hi = ratio_to_fixed(row["estimate"], row["lo"], row["hi"], ref.value)
        rows.append(Result(
            "ad_share_ratio", est, row["n"], "ratio", f"{row['source']} vs {ref.source}", lo, hi, group=platform,
            note=f"note share ÷ feed-post share {ref.formatted()} ({fig_id}); reference treated as exact",
        ))
    return results_frame(rows)


def read_labels(frame: pl.DataFrame, where: str = "data/labels/ads.csv") -> pl.DataFrame:
    """Check a labelled sample (dataset, note_id, label); errors name the row."""
    missing = [c for c in ("dataset", "note_id", "label") if c not in frame.columns]
    if missing:
        raise LabelError(f"{where}: missing column(s) {missing}; expected dataset,note_id,label")
    rows = frame.with_row_index("row", offset=2)
    bad = rows.filter(~pl.col("label").is_in(LABELS) | pl.col("label").is_null())
    if bad.height:
        raise LabelError(f"{where}, row {bad['row'][0]}, column label: {bad['label'][0]!r}; use one of {LABELS}")
    dup = rows.filter(pl.struct("dataset", "note_id").is_duplicated())
    if dup.height:
        raise LabelError(f"{where}, row {dup['row'][0]}: note {dup['note_id'][0]} is labelled twice")
    return frame.select("dataset", "note_id", "label")


def evaluate(classified: pl.DataFrame, labels: pl.DataFrame) -> pl.DataFrame:
    """Result table: precision and recall of the rule set on the labelled notes, with
    Wilson intervals, and the confusion counts. Labels whose note is not in
    ``classified`` raise (a label for a note we cannot see is a broken fixture)."""
    labels = read_labels(labels)
    joined = labels.join(classified.select("dataset", "note_id", "is_sponsored"), on=["dataset", "note_id"],
                         how="left", validate="1:1")
    lost = joined.filter(pl.col("is_sponsored").is_null())
    if lost.height:
        raise LabelError(f"{lost.height} labelled note(s) not in the notes table, e.g. {lost['note_id'][0]}; "
                         "relabel from the current data or drop them")
    truth = pl.col("label") == "sponsored"
    c = joined.select(
        (truth & pl.col("is_sponsored")).sum().alias("tp"), (~truth & pl.col("is_sponsored")).sum().alias("fp"),
        (truth & ~pl.col("is_sponsored")).sum().alias("fn"), (~truth & ~pl.col("is_sponsored")).sum().alias("tn"),
    ).row(0, named=True)
    src = _source(joined["dataset"].unique().to_list())
    rows = [
        proportion(c["tp"], c["tp"] + c["fp"], measure="precision", source=src, note="labelled sample"),
        proportion(c["tp"], c["tp"] + c["fn"], measure="recall", source=src, note="labelled sample (enriched)"),
        *(Result(k, float(v), joined.height, "count", src, note="confusion count") for k, v in c.items()),
    ]
    return results_frame(rows)


def load_labels(folder: Path | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The hand-labelled sample and its sampling design (data/labels/ads.csv and
    ads_strata.csv), checked. See data/labels/ads.md for how they were made."""
    folder = folder or config.LABELS_DIR
    paths = (folder / "ads.csv", folder / "ads_strata.csv")
    for path in paths:
        if not path.exists():
            raise LabelError(f"{path}: missing; the labelled sample of sponsored notes lives there")
    labels = pl.read_csv(paths[0], schema_overrides={"note_id": pl.String()})
    checked = read_labels(labels, str(paths[0]))
    if "stratum" not in labels.columns:
        raise LabelError(f"{paths[0]}: missing column stratum (one of the strata in {paths[1].name})")
    strata = pl.read_csv(paths[1])
    missing = [c for c in ("stratum", "dataset", "population") if c not in strata.columns]
    if missing:
        raise LabelError(f"{paths[1]}: missing column(s) {missing}")
    unknown = labels.join(strata, on=["stratum", "dataset"], how="anti")
    if unknown.height:
        raise LabelError(f"{paths[0]}: stratum {unknown['stratum'][0]!r} of {unknown['dataset'][0]} is not in {paths[1].name}")
    return checked.with_columns(labels["stratum"]), strata


def labelled_ad_share(labels: pl.DataFrame, strata: pl.DataFrame) -> pl.DataFrame:
    """Result table: the share of notes that are sponsored, estimated from the hand labels
    (not the markers), overall and per dataset, weighted by the sampling design.

    Each stratum's labelled share is scaled to its population (``ads_strata.csv``); the
    interval comes from ``stats.stratified_share``. This counts what the markers miss
    (undisclosed endorsements, creators selling their own services), so it is the
    estimate to compare with other platforms' ad load.
    """
    per = (
        labels.group_by("dataset", "stratum")
        .agg((pl.col("label") == "sponsored").sum().alias("k"), pl.len().alias("n"))
        .join(strata.select("dataset", "stratum", "population"), on=["dataset", "stratum"], how="left",
              validate="1:1")
        .sort("dataset", "stratum")
    )
    rows = []
    for group, part in [("all", per), *((ds, per.filter(pl.col("dataset") == ds)) for ds in per["dataset"].unique().sort())]:
        est, lo, hi = stratified_share(part["k"].to_numpy(), part["n"].to_numpy(), part["population"].to_numpy())
        src = _source(part["dataset"].unique().to_list())
        rows.append(Result("ad_share_labelled", est, int(part["n"].sum()), "share", src, lo, hi, group=group,
                           note=f"hand labels scaled to {int(part['population'].sum()):,} notes by stratum; "
                                "Jeffreys intervals"))
    return results_frame(rows)


# --- KOL economics (M3) ---------------------------------------------------------------


def kol_prices(media_kits: pl.DataFrame) -> pl.DataFrame:
    """Creators with a stated sponsored image-post price (> 0) and their reach:
    ``fans``, ``liked_collected``, ``price_image_rmb``, price per 1,000 followers and per
    1,000 likes+saves. A price of 0 means the kit states none, so it is left out."""
    return (
        media_kits.filter((pl.col("price_image_rmb") > 0) & (pl.col("fans") > 0))
        .select(
            "dataset", "account_id", "fans", "liked_collected", "price_image_rmb", "price_verified",
            (pl.col("price_image_rmb") / pl.col("fans") * 1000).alias("price_per_1k_fans"),
            (pl.col("price_image_rmb") / pl.col("liked_collected") * 1000).alias("price_per_1k_engagements"),
        )
        .sort("fans")
    )


def kol_economics(media_kits: pl.DataFrame) -> pl.DataFrame:
    """Result table: median price, median price per 1,000 followers (bootstrap), and the
    log-log slope (elasticity) of price on followers and on likes+saves (t interval)."""
    priced = kol_prices(media_kits)
    src = _source(priced["dataset"].unique().to_list()) or "none"
    n_all, n = media_kits.height, priced.height
    rows = [Result("kits_with_price", float(n), n_all, "count", src, note="media kits stating a price > 0")]
    for measure, col, unit in (("price_image_median", "price_image_rmb", "RMB"),
                               ("price_per_1k_fans_median", "price_per_1k_fans", "RMB per 1,000 followers"),
                               ("price_per_1k_engagements_median", "price_per_1k_engagements",
                                "RMB per 1,000 likes+saves received")):
        est, lo, hi = bootstrap_median(priced[col].to_numpy())
        rows.append(Result(measure, est, n, unit, src, lo, hi, note=f"median; {interval_method('median', n)}"))
    for measure, col in (("price_fans_elasticity", "fans"), ("price_engagement_elasticity", "liked_collected")):
        fit = loglog_slope(priced[col].to_numpy(), priced["price_image_rmb"].to_numpy())
        if fit is None:
            rows.append(Result(measure, None, n, "slope", src, note="too few priced kits for a fit"))
        else:
            rows.append(Result(measure, fit.slope, fit.n, "slope", src, fit.lo, fit.hi,
                               note=f"OLS log10(price) on log10({col}); R²={fit.r2:.2f}; 1 = proportional"))
    return results_frame(rows)


# --- Claims ---------------------------------------------------------------------------


def labels_cover(notes: pl.DataFrame, labels: pl.DataFrame) -> bool:
    """True when every labelled note is in ``notes`` (the real data sets are loaded)."""
    return labels.join(notes.select("dataset", "note_id"), on=["dataset", "note_id"], how="anti").height == 0


def labelled_share_for(notes: pl.DataFrame) -> pl.DataFrame | None:
    """``labelled_ad_share`` when ``notes`` are the data sets the labels were drawn from;
    ``None`` otherwise (synthetic sample, a user's own export, a date window that drops
    labelled notes), so callers fall back to the marker share."""
    labels, strata = load_labels()
    return labelled_ad_share(labels, strata) if labels_cover(notes, labels) else None


__all__ = [
    "SPONSORED_CATEGORIES", "WEAK_CATEGORIES", "ad_shares", "ad_shares_from_counts", "classify_notes", "compare_platforms",
    "creator_ad_shares", "creator_shares", "creator_shares_from_counts", "creator_summary", "evaluate", "kol_economics", "kol_prices", "labelled_ad_share",
    "labelled_share_for", "load_labels", "read_labels", "sponsored_counts", "sponsored_shares",
]
