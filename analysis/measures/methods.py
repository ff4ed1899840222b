"""Small tables for the Methods section: sources, row accounting, quarantine, classifier accuracy.

Pure functions over the Bundle's tables; the notebook only shows what they return.
"""

from __future__ import annotations

import polars as pl

from analysis.results import RESULT_SCHEMA, check_results


def sources_table(sources: pl.DataFrame) -> pl.DataFrame:
    """One row per data set used: what it is, its licence and citation, how many files."""
    return sources.select(
        pl.col("dataset").alias("data set"),
        "title",
        "licence",
        "citation",
        pl.col("url").alias("upstream (pinned commit)"),
        pl.col("files").list.len().alias("files"),
    )


def row_accounting(load_log: pl.DataFrame) -> pl.DataFrame:
    """Rows read, loaded, merged as duplicates and quarantined per data set and table,
    with a check column: every row read is accounted for (read = loaded + merged + quarantined)."""
    counts = ["rows_read", "loaded", "merged_duplicates", "quarantined"]
    return (
        load_log.group_by("dataset", "table", maintain_order=True)
        .agg(pl.len().alias("files"), *(pl.col(c).sum() for c in counts))
        .with_columns(
            accounted=(pl.col("loaded") + pl.col("merged_duplicates") + pl.col("quarantined")) == pl.col("rows_read")
        )
        .sort("dataset", "table")
    )


def quarantine_reasons(quarantine: pl.DataFrame, top: int = 20) -> pl.DataFrame:
    """Why rows were set aside: counts by data set, column and reason (most common first)."""
    return (
        quarantine.group_by("dataset", "column", "reason")
        .agg(pl.len().alias("rows"), pl.col("source_file").n_unique().alias("files"))
        .sort(["rows", "dataset", "reason"], descending=[True, False, False])
        .head(top)
    )


def accuracy_table(**named: pl.DataFrame) -> pl.DataFrame:
    """Stack classifier-evaluation result tables under one ``check`` column, keeping only
    shares (accuracy, precision, recall, F1, AUC): the methods section's accuracy summary."""
    frames = [
        check_results(frame).filter(pl.col("unit") != "count").select(pl.lit(name).alias("check"), *RESULT_SCHEMA)
        for name, frame in named.items()
    ]
    if not frames:
        return pl.DataFrame(schema={"check": pl.String(), **RESULT_SCHEMA})
    return pl.concat(frames, how="vertical")


def hand_label_checks(bundle) -> pl.DataFrame:
    """Accuracy of the classifiers behind verdicts against the committed hand labels.

    The labels name notes of the public data sets; a check whose labelled notes are not in
    ``bundle`` (the synthetic sample, your own export, a narrow date window) is left out
    rather than computed on nothing, so the table may be empty.
    """
    from analysis.measures import ads, language

    checks: dict[str, pl.DataFrame] = {}
    ad_labels, _ = ads.load_labels()
    if ads.labels_cover(bundle.notes, ad_labels):
        checks["sponsored_notes"] = ads.evaluate(ads.classify_notes(bundle.notes), ad_labels)
    langid = language.langid_accuracy(bundle).filter(pl.col("n") > 0)
    if langid.height:
        checks["language_id"] = langid
    return accuracy_table(**checks)


#: Tables of a build and the time column that dates their rows.
DATA_TABLES = {"notes": "published_at", "comments": "published_at", "creators": "crawled_at",
               "media_kits": None, "headlines": None}
#: Public reference sets joined to every build, an analyst's export included: their use is stated
#: per claim (analysis.claims.needs), never mixed into the analyst's own tables.
REFERENCE_TABLES = ("media_kits", "headlines")


def data_held(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """One row per table of the build: rows, data sets, first and last UTC day, and whether
    it is the build's own data or a public reference set."""
    rows = []
    for name, time_col in DATA_TABLES.items():
        df = tables[name]
        span = (df.select(pl.col(time_col).min().dt.date().alias("first"), pl.col(time_col).max().dt.date().alias("last"))
                .row(0) if time_col and df.height else (None, None))
        rows.append({
            "table": name,
            "rows": df.height,
            "data sets": ", ".join(sorted(df["dataset"].unique().drop_nulls().to_list())) if "dataset" in df.columns else "",
            "first day": span[0],
            "last day": span[1],
            "kind": "public reference set" if name in REFERENCE_TABLES else "the build's data",
        })
    return pl.DataFrame(rows, schema={"table": pl.String(), "rows": pl.Int64(), "data sets": pl.String(),
                                      "first day": pl.Date(), "last day": pl.Date(), "kind": pl.String()})
