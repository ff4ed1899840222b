"""Specification: every claim and figure checks the data it needs before it runs; missing data
and too few rows each get their own message, never an exception or a None in a sentence."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import polars as pl
import pytest

from analysis.claims.ledger import build_ledger
from analysis.claims.needs import CLAIM_NEEDS, FIGURE_NEEDS, coverage, not_testable, shortfalls
from analysis.claims.rules import NOT_TESTABLE
from analysis.display import render
from analysis.figures.base import FigureInputError, Notice
from analysis.io import schema
from analysis.measures.methods import DATA_TABLES, data_held
from analysis.session import Session
from analysis.stats import MIN_N


@pytest.fixture(scope="module")
def no_creators(sample_bundle):
    """A search crawl's shape: notes (and comments) but no creator profiles."""
    return replace(sample_bundle, creators=schema.empty("creators"))


@pytest.fixture(scope="module")
def comments_only(sample_bundle):
    return replace(sample_bundle, notes=schema.empty("notes"), creators=schema.empty("creators"))


def _row(ledger: pl.DataFrame, cid: str) -> dict:
    return ledger.filter(pl.col("claim_id") == cid).row(0, named=True)


def test__ledger__without_creator_profiles_the_creator_claims_say_what_they_need(no_creators):
    ledger = build_ledger(no_creators)
    for cid in ("C1", "M3"):
        row = _row(ledger, cid)
        assert row["verdict"] == NOT_TESTABLE
        assert row["estimate"] is None and row["lo"] is None and row["hi"] is None
        assert "needs creator profiles" in row["what_would_test"]
        assert "MediaCrawler creator mode" in row["what_would_test"]
        assert row["rule"].startswith("not testable with this data")


def test__ledger__the_sample_meets_every_need_so_no_row_is_gated(sample_bundle):
    # The sample has 360 notes and 60 creators: far above every declared minimum.
    assert coverage(sample_bundle)["status"].unique().to_list() == ["measured"]
    ledger = build_ledger(sample_bundle)
    assert not ledger["rule"].str.contains("not testable with this data|too few rows").any()


def test__needs__too_few_rows_has_its_own_message(sample_bundle):
    twelve = replace(sample_bundle, notes=sample_bundle.notes.head(12))
    ev = not_testable("T3", twelve)
    assert ev is not None and ev.verdict == NOT_TESTABLE
    assert ev.rule.startswith("too few rows")
    assert f"too few notes: 12 in this data, at least {MIN_N} needed" in ev.what_would_test
    assert "needs" not in ev.what_would_test.split(":")[0]
    assert ev.n == 12


def test__needs__an_empty_column_is_missing_data_and_says_which(sample_bundle):
    genderless = replace(sample_bundle, creators=sample_bundle.creators.with_columns(pl.lit(None, pl.String).alias("gender")))
    [short] = [s for s in shortfalls(genderless, CLAIM_NEEDS["C1"]) if s.need.table == "creators"]
    assert short.kind == "missing"
    assert "its gender column is empty" in short.message()


def test__needs__an_empty_table_does_not_blame_a_column(no_creators):
    [short] = [s for s in shortfalls(no_creators, CLAIM_NEEDS["C1"]) if s.need.table == "creators"]
    assert "column" not in short.message()


def test__needs__empty_hashtag_lists_do_not_count(sample_bundle):
    untagged = replace(sample_bundle, notes=sample_bundle.notes.with_columns(pl.lit([], pl.List(pl.String)).alias("tags")))
    [short] = shortfalls(untagged, CLAIM_NEEDS["T6"])
    assert short.kind == "missing" and "tag_list" in short.message()


def test__coverage__comments_only_limits_every_claim_that_reads_notes_or_creators(comments_only):
    cov = coverage(comments_only)
    measured = set(cov.filter(status="measured")["claim_id"])
    # T1 and P3 rest on published figures; C3's own rule names the data it lacks.
    assert measured == {"T1", "C3", "P3"}
    t4 = cov.filter(claim_id="T4").row(0, named=True)
    assert t4["from_public_reference"] == "clickbait benchmark headlines"
    assert "needs note titles or text" in t4["limited_by"]


def test__every_claim_and_every_figure_of_the_notebooks_declares_its_needs():
    import re
    from pathlib import Path

    from analysis.claims.evidence import CLAIMS

    assert set(CLAIM_NEEDS) == set(CLAIMS)
    used = set()
    for nb in Path("notebooks").glob("*.ipynb"):
        used |= set(re.findall(r's\.(?:figure|table)\(\\?"([a-z0-9-]+)', nb.read_text(encoding="utf-8")))
    assert used, "the notebooks call s.figure/s.table"
    assert used <= set(FIGURE_NEEDS)


def _session(bundle) -> Session:
    return Session.of(bundle, pl.DataFrame())


def test__figure__missing_data_gives_a_notice_without_building(no_creators):
    def build():
        raise AssertionError("a figure must not be computed on data it lacks")

    notice = _session(no_creators).figure("culture-gender", build)
    assert isinstance(notice, Notice) and notice.kind == "missing"
    assert notice.message.startswith("Needs creator profiles")


def test__figure__too_few_rows_gives_its_own_notice(sample_bundle):
    five = replace(sample_bundle, notes=sample_bundle.notes.head(5))
    notice = _session(five).figure("tech-ad-share", lambda: None)
    assert notice.kind == "too few" and "5 in this data" in notice.message


def test__figure__only_the_figure_layers_input_error_becomes_a_notice(sample_bundle):
    def lacking():
        raise FigureInputError("no rows of measure 'x'")

    assert _session(sample_bundle).figure("tech-ad-share", lacking).kind == "missing"

    def broken():
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        _session(sample_bundle).figure("tech-ad-share", broken)


def test__notice__renders_as_an_escaped_note_anchored_like_the_figure():
    html = render.render_block({"id": "culture-gender", "kind": "missing", "message": "needs <creators>"},
                               render.MIME_NOTICE)
    assert 'id="fig-culture-gender"' in html and "&lt;creators&gt;" in html and "<creators>" not in html
    assert "rn-notice--missing" in html


def test__data_held__counts_rows_and_dates_each_table():
    notes = schema.empty("notes").vstack(pl.DataFrame({
        "note_id": ["a", "b", "c"], "account_id": ["u", "u", "v"],
        "published_at": [datetime(2025, 1, 14, 23, tzinfo=UTC), datetime(2025, 1, 13, 1, tzinfo=UTC),
                         datetime(2025, 1, 16, 12, tzinfo=UTC)],
        "dataset": ["user"] * 3,
    }).select(pl.col(c) if c in ("note_id", "account_id", "published_at", "dataset") else pl.lit(None).alias(c)
              for c in schema.empty("notes").columns).cast(schema.polars_schema("notes")))
    tables = {t: schema.empty(t) for t in DATA_TABLES} | {"notes": notes}
    held = data_held(tables)
    row = held.filter(table="notes").row(0, named=True)
    assert (row["rows"], str(row["first day"]), str(row["last day"]), row["data sets"]) == (3, "2025-01-13", "2025-01-16", "user")
    assert held.filter(table="headlines")["kind"].item() == "public reference set"
    assert held.filter(table="comments")["rows"].item() == 0


def test__needs__the_decay_fit_counts_days_in_the_surge_fortnight(sample_bundle):
    from analysis.claims.needs import SURGE_DAYS, usable_rows

    # Noon UTC is the same calendar day in New York; 12 Jan and 27 Jan fall outside 13–26 Jan.
    days = [12, 13, 13, 20, 26, 27]
    notes = sample_bundle.notes.head(len(days)).with_columns(
        pl.Series("published_at", [datetime(2025, 1, d, 12, tzinfo=UTC) for d in days]))
    assert usable_rows(replace(sample_bundle, notes=notes), SURGE_DAYS) == 3  # 13, 20, 26
