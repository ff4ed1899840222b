"""The Methods section's tables."""

import polars as pl
from polars.testing import assert_frame_equal

from analysis.measures.methods import (
    accuracy_table,
    hand_label_checks,
    quarantine_reasons,
    row_accounting,
    sources_table,
)
from analysis.results import Result, results_frame

LOG = pl.DataFrame(
    {
        "dataset": ["a", "a", "b"],
        "source_file": ["x.json", "y.json", "z.csv"],
        "table": ["notes", "notes", "media_kits"],
        "rows_read": [10, 5, 3],
        "loaded": [9, 3, 3],
        "merged_duplicates": [0, 2, 0],
        "quarantined": [1, 0, 0],
    }
)


def test__row_accounting__sums_files_and_checks_every_row_is_accounted_for():
    out = row_accounting(LOG)
    expected = pl.DataFrame(
        {
            "dataset": ["a", "b"], "table": ["notes", "media_kits"], "files": [2, 1],
            "rows_read": [15, 3], "loaded": [12, 3], "merged_duplicates": [2, 0], "quarantined": [1, 0],
            "accounted": [True, True],
        },
        schema_overrides={"files": pl.UInt32},
    )
    assert_frame_equal(out, expected)


def test__row_accounting__flags_a_file_that_loses_rows():
    broken = LOG.with_columns(pl.when(pl.col("source_file") == "z.csv").then(2).otherwise(pl.col("loaded")).alias("loaded"))
    assert row_accounting(broken).filter(pl.col("dataset") == "b")["accounted"].to_list() == [False]


def test__quarantine_reasons__most_common_first():
    q = pl.DataFrame(
        {
            "dataset": ["a", "a", "a"], "source_file": ["x", "y", "x"], "source_row": [1, 2, 3],
            "column": ["time", "time", "note_id"], "raw_value": ["1", "2", ""],
            "reason": ["future", "future", "missing id"],
        }
    )
    out = quarantine_reasons(q)
    assert out.select("reason", "rows", "files").rows() == [("future", 2, 2), ("missing id", 1, 1)]


def test__sources_table__counts_files():
    src = pl.DataFrame(
        {"dataset": ["d"], "title": ["T"], "licence": ["MIT"], "citation": ["C"], "url": ["u"], "files": [["a", "b"]]}
    )
    assert sources_table(src)["files"].to_list() == [2]


def test__accuracy_table__keeps_shares_and_labels_each_check():
    ev = results_frame([Result("precision", 0.9, 31, "share", "s"), Result("tp", 28.0, 31, "count", "s")])
    out = accuracy_table(ads=ev)
    assert out.select("check", "measure", "estimate").rows() == [("ads", "precision", 0.9)]


def test__hand_label_checks__real_data_has_both_checks(real_bundle):
    out = hand_label_checks(real_bundle)
    precision = out.filter((pl.col("check") == "sponsored_notes") & (pl.col("measure") == "precision")).row(0, named=True)
    assert (round(precision["estimate"], 4), precision["n"]) == (round(29 / 31, 4), 31)
    assert out.filter(pl.col("check") == "language_id").height > 0


def test__hand_label_checks__sample_has_no_labelled_notes_so_is_empty(sample_bundle):
    assert hand_label_checks(sample_bundle).height == 0
