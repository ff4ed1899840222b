"""Is RedNote content value-driven rather than clickbait? (claim T4)

Input: the canonical ``notes`` and ``headlines`` tables, the clickbait scorer of
``analysis.measures.clickbait`` and the hand-labelled titles of data/labels/clickbait_rednote.csv.
Output: small result tables (``analysis.results`` shape) and the T4 ledger row.

Three measures:

* **Clickbait.** Every titled note is scored (0–1); the share at or above the threshold
  is compared with the benchmark's clickbait and news headlines (their held-out 20%,
  never the rows the model was trained on). Because a headline-trained model transfers
  imperfectly to social-media titles, the verdict uses the **label-calibrated share**:
  the hand-labelled clickbait rate in each stratum (data set × title language × score
  band), weighted by how many titles of the data set fall in that stratum.
* **Value-driven share.** Notes whose title, body or tags carry a marker of
  data/lexicons/value_driven.csv (review, tutorial, advice, recommendation), with Wilson
  intervals per data set.
* **Saves-to-likes.** collected_count / liked_count as a usefulness signal: saving a
  note means wanting it again. Pooled per data set as a ratio of sums (bootstrap
  interval) and as the per-note median; also for value-driven vs other notes, which
  checks that the lexicon picks notes people keep.
"""

from __future__ import annotations

import math

import polars as pl

from analysis.measures import clickbait as cb
from analysis.memo import remembered
from analysis.results import Result, results_frame
from analysis.stats import bootstrap_median, bootstrap_ratio_of_sums, interval_method, wilson_exprs, z_value
from analysis.text import labels as label_files
from analysis.text.lexicon import flag_names, load_lexicon, with_flags
from analysis.text.normalise import post_text

VALUE_LEXICON = "value_driven"
LABEL_FILE = "clickbait_rednote"
LABELS = ("clickbait", "not_clickbait")
#: ``stratified``: drawn by data set × title language × score band (the first 238);
#: ``random``: a simple random sample drawn after the scorer was frozen (a clean check).
SPLITS = ("stratified", "random")
#: Score bands the labelled sample was stratified by (and is re-weighted by).
BAND_EDGES = (0.2, cb.THRESHOLD)
BENCHMARK = "clickbait-en"
#: T4 rule thresholds, fixed before the real numbers were seen (see ``t4_evidence``).
#: Bootstrap resamples here: 1,000 (the floor Efron & Tibshirani give for percentile
#: intervals) because the index matrix for ~15,000 notes at the stats default of 4,000
#: would take ~0.5 GB.
N_BOOT = 1000


class ContentInputError(ValueError):
    """A table given to the content analysis lacks what it needs; the message says what."""


def _need(frame: pl.DataFrame | pl.LazyFrame, columns: tuple[str, ...], what: str) -> None:
    have = frame.collect_schema().names()
    missing = [c for c in columns if c not in have]
    if missing:
        raise ContentInputError(f"{what} lacks column(s) {missing}; pass the canonical table (has {have})")


# --- Value-driven notes -------------------------------------------------------------------

def value_flags(notes: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame | pl.LazyFrame:
    """``notes`` plus ``value_<category>`` flags and ``value_driven`` (any category).

    Matched on title + body + tags, since a tutorial often says so only in a tag (#教程).
    """
    _need(notes, ("title", "text", "tags"), "notes")
    lex = load_lexicon(VALUE_LEXICON)
    text = pl.concat_str([post_text("title", "text"), pl.col("tags").list.join(" ").fill_null("")], separator="\n")
    names = flag_names(lex, prefix="value_")
    return with_flags(notes, text, lex, prefix="value_").with_columns(pl.any_horizontal(names).alias("value_driven"))


def shares_by(
    frame: pl.DataFrame | pl.LazyFrame, flag: str, *, by: str, measure: str, source: str | None = None,
    note: str = "",
) -> pl.DataFrame:
    """Share of rows with ``flag`` true per ``by`` group, Wilson 95% interval, as results.

    Null flags are left out of both numerator and denominator. ``source`` defaults to
    the group value (a data set id).
    """
    lo, hi = wilson_exprs(pl.col("k"), pl.col("n"))
    return (
        frame.lazy()
        .filter(pl.col(flag).is_not_null())
        .group_by(by)
        .agg(pl.col(flag).sum().cast(pl.Int64).alias("k"), pl.len().cast(pl.Int64).alias("n"))
        .select(
            pl.lit(measure).alias("measure"),
            pl.col(by).cast(pl.String).alias("group"),
            (pl.col("k") / pl.col("n")).alias("estimate"),
            lo.alias("lo"), hi.alias("hi"), "n",
            pl.lit("share").alias("unit"),
            (pl.lit(source) if source is not None else pl.col(by).cast(pl.String)).alias("source"),
            pl.lit(note or "Wilson 95% interval").alias("note"),
        )
        .sort("group")
        .collect()
    )


# --- Saves-to-likes -----------------------------------------------------------------------

def saves_to_likes(notes: pl.DataFrame, *, by: tuple[str, ...] = ("dataset",)) -> pl.DataFrame:
    """Saves per like per group: pooled ratio of sums and per-note median, bootstrap 95%.

    Notes need both counts; the pooled ratio uses notes with likes or saves > 0, the
    median notes with ≥ 1 like (a ratio over 0 likes is undefined). Counts the source
    rounded (7.6万) or gave as "at least" (10+) are used as given.
    """
    _need(notes, (*by, "liked_count", "collected_count"), "notes")
    usable = notes.filter(pl.col("liked_count").is_not_null() & pl.col("collected_count").is_not_null())
    rows: list[Result] = []
    # One bootstrap per group: the loop is over a handful of groups, never over notes.
    for key, grp in usable.partition_by(list(by), as_dict=True, maintain_order=True).items():
        group = "|".join(str(k) for k in key)
        source = str(grp["dataset"][0]) if "dataset" in grp.columns else ""
        pooled = grp.filter((pl.col("liked_count") + pl.col("collected_count")) > 0)
        est, lo, hi = bootstrap_ratio_of_sums(pooled["collected_count"].to_numpy(), pooled["liked_count"].to_numpy(),
                                              n_boot=N_BOOT)
        rows.append(Result("saves_per_like_pooled", est, pooled.height, "ratio", source, lo, hi, group,
                           f"sum of saves / sum of likes; {interval_method('ratio', pooled.height, n_boot=N_BOOT)} over notes"))
        per_note = grp.filter(pl.col("liked_count") > 0).select(pl.col("collected_count") / pl.col("liked_count"))
        est, lo, hi = bootstrap_median(per_note.to_series().to_numpy(), n_boot=N_BOOT)
        rows.append(Result("saves_per_like_median", est, per_note.height, "ratio", source, lo, hi, group,
                           f"median over notes with ≥1 like; {interval_method('median', per_note.height)}"))
    return results_frame(rows)


# --- Clickbait scores ---------------------------------------------------------------------

def score_notes(notes: pl.DataFrame, model: cb.ClickbaitModel) -> pl.DataFrame:
    """One row per note: dataset, note_id, title_language, scores, is_clickbait, score band."""
    _need(notes, ("dataset", "note_id", "title"), "notes")
    scored = cb.score_titles(notes.select("dataset", "note_id", "title"), model)
    return scored.select(
        "dataset", "note_id", *cb.SCORE_SCHEMA,
        score_band(pl.col("clickbait_score")).alias("band"),
    )


def score_band(score: pl.Expr) -> pl.Expr:
    """``low`` (< 0.2), ``mid`` (0.2–0.5) or ``high`` (≥ 0.5); null for an unscored title."""
    lo_edge, hi_edge = BAND_EDGES
    return (
        pl.when(score.is_null()).then(pl.lit(None, dtype=pl.String))
        .when(score < lo_edge).then(pl.lit("low"))
        .when(score < hi_edge).then(pl.lit("mid"))
        .otherwise(pl.lit("high"))
    )


def benchmark_scores(model: cb.ClickbaitModel) -> pl.DataFrame:
    """Held-out benchmark headlines as ``group`` (benchmark clickbait / news) and ``score``."""
    return model.held_out_scores.select(
        pl.when(pl.col("is_clickbait")).then(pl.lit("benchmark clickbait")).otherwise(pl.lit("benchmark news"))
        .alias("group"),
        pl.col("score"),
    )


def clickbait_shares(scored: pl.DataFrame, model: cb.ClickbaitModel) -> pl.DataFrame:
    """Share of titles scored as clickbait, and median score, per RedNote data set and
    title language and for the held-out benchmark clickbait and news headlines."""
    rednote = scored.filter(pl.col("clickbait_score").is_not_null()).select(
        pl.col("dataset").alias("group"), pl.col("clickbait_score").alias("score"))
    by_lang = scored.filter(pl.col("clickbait_score").is_not_null()).select(
        pl.concat_str(["dataset", "title_language"], separator="|").alias("group"),
        pl.col("clickbait_score").alias("score"))
    bench = benchmark_scores(model)
    frame = pl.concat([rednote, by_lang, bench]).with_columns(
        (pl.col("score") >= cb.THRESHOLD).alias("flag"),
        pl.when(pl.col("group").str.starts_with("benchmark")).then(pl.lit(BENCHMARK))
        .otherwise(pl.col("group").str.split("|").list.first()).alias("source"),
    )
    shares = shares_by(frame, "flag", by="group", measure="clickbait_scored_share", source=None,
                       note=f"score ≥ {cb.THRESHOLD}; Wilson 95% interval; benchmark rows: held-out split")
    shares = shares.drop("source").join(frame.select("group", "source").unique(), on="group", validate="1:1")
    medians = []
    for (group,), grp in frame.partition_by("group", as_dict=True, maintain_order=True).items():
        est, lo, hi = bootstrap_median(grp["score"].to_numpy(), n_boot=N_BOOT)
        medians.append(Result("clickbait_score_median", est, grp.height, "score", grp["source"][0], lo, hi, group,
                              f"median clickbait score; {interval_method('median', grp.height)}"))
    return pl.concat([shares.select(results_frame().columns), results_frame(medians)]).sort("measure", "group")


def score_histogram(scored: pl.DataFrame, model: cb.ClickbaitModel, bins: int = 20) -> pl.DataFrame:
    """Share of titles per score bin (width 1/bins) for each RedNote data set and the
    held-out benchmark clickbait / news headlines: group, bin_lo, bin_hi, count, share."""
    rednote = scored.filter(pl.col("clickbait_score").is_not_null()).select(
        pl.col("dataset").alias("group"), pl.col("clickbait_score").alias("score"))
    frame = pl.concat([rednote, benchmark_scores(model)])
    b = (pl.col("score") * bins).floor().clip(0, bins - 1).cast(pl.Int64)
    return (
        frame.group_by("group", b.alias("bin")).agg(pl.len().cast(pl.Int64).alias("count"))
        .with_columns((pl.col("count") / pl.col("count").sum().over("group")).alias("share"),
                      (pl.col("bin") / bins).alias("bin_lo"), ((pl.col("bin") + 1) / bins).alias("bin_hi"))
        .select("group", "bin_lo", "bin_hi", "count", "share")
        .sort("group", "bin_lo")
    )


# --- Hand labels: transfer metrics and the calibrated share -------------------------------

def read_clickbait_labels(folder=None) -> pl.DataFrame:
    """data/labels/clickbait_rednote.csv: dataset, note_id, label (clickbait / not_clickbait),
    split (stratified / random; see the file's README)."""
    return label_files.read_labels(
        LABEL_FILE, {"dataset": pl.String(), "note_id": pl.String(), "label": pl.String(), "split": pl.String()},
        {"label": LABELS, "split": SPLITS}, folder=folder,
    )


def _labelled(scored: pl.DataFrame, labels: pl.DataFrame) -> pl.DataFrame:
    return (
        labels.select("dataset", "note_id", (pl.col("label") == "clickbait").alias("label"),
                      *(["split"] if "split" in labels.columns else []))
        .join(scored, on=["dataset", "note_id"], how="inner", validate="1:1")
        .filter(pl.col("clickbait_score").is_not_null())
    )


def transfer_metrics(scored: pl.DataFrame, labels: pl.DataFrame, model: cb.ClickbaitModel | None = None
                     ) -> pl.DataFrame:
    """Scorer vs hand labels overall, per title language and per label split (when the
    labels have a ``split`` column), and the benchmark held-out row when ``model`` is
    given: group, n, n_clickbait, accuracy, f1, roc_auc.

    ROC AUC is null where a group has only one class.
    """
    from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

    data = _labelled(scored, labels)
    rows = []
    groups = [("rednote, all", data), *((f"rednote, {k[0]}", g) for k, g in
                                        data.partition_by("title_language", as_dict=True).items())]
    if "split" in data.columns:
        groups += [(f"rednote, {k[0]} sample", g) for k, g in data.partition_by("split", as_dict=True).items()]
    for name, g in groups:
        y, p = g["label"].to_numpy(), g["clickbait_score"].to_numpy()
        both = 0 < y.sum() < len(y)
        rows.append({"group": name, "n": len(y), "n_clickbait": int(y.sum()),
                     "accuracy": float(accuracy_score(y, p >= cb.THRESHOLD)) if len(y) else None,
                     "f1": float(f1_score(y, p >= cb.THRESHOLD, zero_division=0)) if len(y) else None,
                     "roc_auc": float(roc_auc_score(y, p)) if both else None})
    if model is not None:
        h = model.held_out
        rows.append({"group": "benchmark held-out", "n": h.n_test,
                     "n_clickbait": int(model.held_out_scores["is_clickbait"].sum()),
                     "accuracy": h.accuracy, "f1": h.f1, "roc_auc": h.roc_auc})
    schema = {"group": pl.String(), "n": pl.Int64(), "n_clickbait": pl.Int64(), "accuracy": pl.Float64(),
              "f1": pl.Float64(), "roc_auc": pl.Float64()}
    return pl.DataFrame(rows, schema=schema).sort("group")


def calibrated_clickbait_share(scored: pl.DataFrame, labels: pl.DataFrame, *, by: str = "dataset") -> pl.DataFrame:
    """Hand-label-calibrated clickbait share per ``by`` group (and ``all``), as results.

    Post-stratification: strata are (data set, title language, score band). A stratum's
    weight is its share of the group's scored titles; its rate is the labelled clickbait
    share among its labelled titles. A stratum without labels borrows the rate of the
    same (language, band) pooled over data sets, then of the band alone. Interval: normal
    approximation with variance Σ w² p̃(1−p̃)/n per stratum, where p̃ = (k+1)/(n+2) keeps
    an all-0 or all-1 stratum from claiming zero variance; clipped to [0, 1]. ``n`` is the
    number of labelled titles behind the estimate.
    """
    strata = ["dataset", "title_language", "band"]
    pop = (scored.filter(pl.col("clickbait_score").is_not_null())
           .group_by(strata).agg(pl.len().cast(pl.Int64).alias("N")))
    lab = _labelled(scored, labels)

    def rates(keys: list[str], suffix: str) -> pl.DataFrame:
        return lab.group_by(keys).agg(pl.col("label").sum().cast(pl.Int64).alias(f"k{suffix}"),
                                      pl.len().cast(pl.Int64).alias(f"n{suffix}"))

    table = (
        pop.join(rates(strata, "0"), on=strata, how="left", validate="1:1")
        .join(rates(["title_language", "band"], "1"), on=["title_language", "band"], how="left", validate="m:1")
        .join(rates(["band"], "2"), on=["band"], how="left", validate="m:1")
        .with_columns(
            pl.coalesce(pl.when(pl.col("n0") > 0).then(pl.col("k0")), pl.when(pl.col("n1") > 0).then(pl.col("k1")),
                        pl.col("k2")).alias("k"),
            pl.coalesce(pl.when(pl.col("n0") > 0).then(pl.col("n0")), pl.when(pl.col("n1") > 0).then(pl.col("n1")),
                        pl.col("n2")).alias("n"),
            pl.when(pl.col("n0") > 0).then(pl.lit(0)).when(pl.col("n1") > 0).then(pl.lit(1))
            .otherwise(pl.lit(2)).alias("fallback"),
        )
    )
    groups = table.with_columns(pl.col(by).cast(pl.String).alias("_group"))
    if by != "all":
        groups = pl.concat([groups, table.with_columns(pl.lit("all").alias("_group"))])
    z = z_value()
    rows: list[Result] = []
    summary = (
        groups.with_columns((pl.col("N") / pl.col("N").sum().over("_group")).alias("w"),
                            ((pl.col("k") + 1) / (pl.col("n") + 2)).alias("pt"))
        .group_by("_group")
        .agg(
            (pl.col("w") * pl.col("k") / pl.col("n")).sum().alias("estimate"),
            (pl.col("w") ** 2 * pl.col("pt") * (1 - pl.col("pt")) / pl.col("n")).sum().alias("var"),
            pl.col("n").filter(pl.col("fallback") == 0).sum().alias("n_lab"),
            pl.col("w").filter(pl.col("fallback") > 0).sum().alias("w_borrowed"),
            pl.col("n").is_null().any().alias("unlabelled"),
            pl.col("dataset").unique().sort().str.join("+").alias("source"),
        )
        .sort("_group")
    )
    for group, est, var, n_lab, borrowed, unlabelled, source in summary.rows():
        if unlabelled or est is None:
            rows.append(Result("clickbait_calibrated_share", None, int(n_lab or 0), "share", source,
                               group=group, note="no hand-labelled titles to calibrate with"))
            continue
        half = z * math.sqrt(var)
        rows.append(Result(
            "clickbait_calibrated_share", float(est), int(n_lab), "share", source,
            max(0.0, est - half), min(1.0, est + half), group,
            f"hand labels post-stratified by data set × title language × score band; "
            f"{borrowed:.0%} of weight in strata borrowing a pooled rate; normal 95% interval",
        ))
    return results_frame(rows)


def random_sample_share(labels: pl.DataFrame) -> pl.DataFrame:
    """Hand-labelled clickbait share of the simple random label sample per data set (Wilson
    95%): a check on the calibrated share that needs neither the scorer nor re-weighting."""
    if "split" not in labels.columns:
        return results_frame()
    sample = labels.filter(pl.col("split") == "random").with_columns((pl.col("label") == "clickbait").alias("cb"))
    return shares_by(sample, "cb", by="dataset", measure="clickbait_random_sample_share",
                     note="hand labels of a simple random sample of titled notes; Wilson 95% interval")


# --- Everything, and the claim ------------------------------------------------------------

@remembered(2)  # three Tech figures and the ledger read the same table
def content_results(notes: pl.DataFrame, model: cb.ClickbaitModel, labels: pl.DataFrame) -> pl.DataFrame:
    """All content measures as one results table (see the module docstring)."""
    scored = score_notes(notes, model)
    flagged = value_flags(notes)
    value = shares_by(flagged, "value_driven", by="dataset", measure="value_driven_share",
                      note="title, body or tags carry a value_driven.csv marker; Wilson 95% interval")
    value_all = shares_by(flagged.with_columns(pl.lit("all").alias("pooled")), "value_driven", by="pooled",
                          measure="value_driven_share", source="+".join(sorted(notes["dataset"].unique())))
    categories = [c for c in flagged.collect_schema().names() if c.startswith("value_") and c != "value_driven"]
    by_category = pl.concat([
        shares_by(flagged, c, by="dataset", measure=f"{c}_share",
                  note=f"notes with a '{c.removeprefix('value_')}' marker; Wilson 95% interval")
        for c in categories
    ])
    saves = saves_to_likes(flagged)
    saves_by_value = saves_to_likes(
        flagged.with_columns(pl.when(pl.col("value_driven")).then(pl.lit("value-driven"))
                             .otherwise(pl.lit("other")).alias("kind")), by=("dataset", "kind"))
    return pl.concat([
        clickbait_shares(scored, model),
        calibrated_clickbait_share(scored, labels),
        random_sample_share(labels),
        value, value_all, by_category, saves, saves_by_value,
    ])


def pct(r: dict) -> str:
    """A result row's estimate as a whole percentage, or ``n/a``."""
    return "n/a" if r["estimate"] is None else f"{r['estimate']:.0%}"


def _row(frame: pl.DataFrame, measure: str, group: str) -> dict:
    rows = frame.filter((pl.col("measure") == measure) & (pl.col("group") == group))
    return rows.row(0, named=True) if rows.height else {"estimate": None, "lo": None, "hi": None, "n": 0, "source": ""}


__all__ = [
    "benchmark_scores", "calibrated_clickbait_share", "clickbait_shares", "content_results",
    "random_sample_share", "read_clickbait_labels", "saves_to_likes", "score_band", "score_histogram", "score_notes", "shares_by",
    "transfer_metrics", "value_flags",
]
