"""CI smoke run of the benchmark: the smallest size on every engine, and the engines agree.

Timing targets live in benchmarks/README.md, never here; this only checks that each
engine runs every stage it has and gives the same tables as the project's polars measures.
"""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analysis.claims.models import load_or_fit_model
from analysis.io import sample
from benchmarks import generate, run
from benchmarks.engines import ENGINES, STAGES


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench")
    data = generate.generate(generate.SIZES["1k"], root / "1k", jsonl=True, log=lambda _m: None)
    model = load_or_fit_model(sample.sample_bundle().headlines, root / "artefacts")
    model_path = next((root / "artefacts").glob("clickbait-en-*.joblib"))
    rows = {e: run.run_engine(e, data, model_path, root / "out" / e) for e in ENGINES}
    return root, data, model, rows


def test__generate__writes_raw_mediacrawler_rows_with_duplicates_and_ten_comments_per_note(smoke):
    _root, data, _model, _rows = smoke
    notes = pl.read_parquet(data / "notes" / "*.parquet")
    jsonl = pl.read_ndjson(data / "notes.jsonl")
    assert notes.height == jsonl.height
    distinct = notes.select("dataset", "note_id").unique().height
    assert distinct == 1_000
    assert notes.height - distinct == int(1_000 * generate.DUPLICATE_SHARE)
    assert pl.scan_parquet(data / "comments" / "*.parquet").select(pl.len()).collect().item() == 10_000
    assert notes["liked_count"].str.contains("万|千\\+").any()  # platform count strings, as exports have
    assert notes["desc"].str.contains(r"\[话题\]#").any()


def test__generate__is_seeded(tmp_path):
    a = generate.generate(500, tmp_path / "a", jsonl=False, log=lambda _m: None)
    b = generate.generate(500, tmp_path / "b", jsonl=False, log=lambda _m: None)
    assert_frame_equal(pl.read_parquet(a / "notes" / "*.parquet"), pl.read_parquet(b / "notes" / "*.parquet"))


def test__run_engine__every_engine_reports_each_stage(smoke):
    _root, _data, _model, rows = smoke
    for engine, got in rows.items():
        assert [r["stage"] for r in got] == ["prepare", *STAGES], engine
        assert all(r["notes"] == 1_000 for r in got)
        ran = [r for r in got if r["status"] == "ok"]
        assert all(r["seconds"] > 0 and r["peak_rss_gib"] > 0 for r in ran)
    assert all(r["status"] == "ok" for r in rows["polars"])
    assert all(r["status"] == "ok" for r in rows["duckdb"])


@pytest.mark.parametrize("engine", [e for e in ENGINES if e != "polars"])
@pytest.mark.parametrize("stage", STAGES)
def test__engines_agree_with_the_polars_measures(smoke, engine, stage):
    root, _data, _model, _rows = smoke
    theirs = root / "out" / engine / f"{stage}.parquet"
    if not theirs.exists():
        pytest.skip(f"{stage} is not written for {engine}")
    ours = pl.read_parquet(root / "out" / "polars" / f"{stage}.parquet")
    assert ours.height > 0
    assert_frame_equal(pl.read_parquet(theirs), ours, rel_tol=1e-9, abs_tol=1e-9)


def test__polars_daily_stage_counts_each_distinct_note_once(smoke):
    root, data, _model, _rows = smoke
    daily = pl.read_parquet(root / "out" / "polars" / "daily.parquet")
    assert daily["posts"].sum() == 1_000
    # Comments are counted on the days that have notes' span (first to last post day).
    day = pl.from_epoch("create_time", time_unit="ms").dt.replace_time_zone("UTC").dt.convert_time_zone(
        "America/New_York").dt.date().cast(pl.String)
    in_span = pl.read_parquet(data / "comments" / "*.parquet").filter(
        day.is_between(pl.lit(daily["key"].min()), pl.lit(daily["key"].max()))).height
    assert 9_000 < in_span <= 10_000
    assert daily["comments"].sum() == in_span
