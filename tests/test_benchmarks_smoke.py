"""CI smoke run of the benchmark: the smallest size on every engine, and the engines agree.

Timing targets live in benchmarks/README.md, never here; this only checks that each
engine runs every stage it has and gives the same tables as the project's polars measures.
Spark (an optional extra, a JVM) runs only under ``-m spark`` (``make test-spark``).
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analysis.claims.models import load_or_fit_model
from analysis.io import sample
from benchmarks import engines, generate, run
from benchmarks.engines import ENGINES, OPTIONAL, STAGES, common

#: Engines every install has; the optional ones (Spark) have their own marked test.
CORE = tuple(e for e in ENGINES if e not in OPTIONAL)


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench")
    data = generate.generate(generate.SIZES["1k"], root / "1k", jsonl=True, log=lambda _m: None)
    model = load_or_fit_model(sample.sample_bundle().headlines, root / "artefacts")
    model_path = next((root / "artefacts").glob("clickbait-en-*.joblib"))
    rows = {e: run.run_engine(e, data, model_path, root / "out" / e) for e in CORE}
    return root, data, model, rows, model_path


def test__generate__writes_raw_mediacrawler_rows_with_duplicates_and_ten_comments_per_note(smoke):
    _root, data, _model, _rows, _path = smoke
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
    _root, _data, _model, rows, _path = smoke
    for engine, got in rows.items():
        assert [r["stage"] for r in got] == ["prepare", *STAGES], engine
        assert all(r["notes"] == 1_000 for r in got)
        ran = [r for r in got if r["status"] == "ok"]
        assert all(r["seconds"] > 0 and r["peak_rss_gib"] > 0 for r in ran)
    assert all(r["status"] == "ok" for r in rows["polars"])
    assert all(r["status"] == "ok" for r in rows["duckdb"])


@pytest.mark.parametrize("engine", [e for e in CORE if e != "polars"])
@pytest.mark.parametrize("stage", STAGES)
def test__engines_agree_with_the_polars_measures(smoke, engine, stage):
    root, _data, _model, _rows, _path = smoke
    theirs = root / "out" / engine / f"{stage}.parquet"
    if not theirs.exists():
        pytest.skip(f"{stage} is not written for {engine}")
    ours = pl.read_parquet(root / "out" / "polars" / f"{stage}.parquet")
    assert ours.height > 0
    assert_frame_equal(pl.read_parquet(theirs), ours, rel_tol=1e-9, abs_tol=1e-9)


def test__polars_daily_stage_counts_each_distinct_note_once(smoke):
    root, data, _model, _rows, _path = smoke
    daily = pl.read_parquet(root / "out" / "polars" / "daily.parquet")
    assert daily["posts"].sum() == 1_000
    # Comments are counted on the days that have notes' span (first to last post day).
    day = pl.from_epoch("create_time", time_unit="ms").dt.replace_time_zone("UTC").dt.convert_time_zone(
        "America/New_York").dt.date().cast(pl.String)
    in_span = pl.read_parquet(data / "comments" / "*.parquet").filter(
        day.is_between(pl.lit(daily["key"].min()), pl.lit(daily["key"].max()))).height
    assert 9_000 < in_span <= 10_000
    assert daily["comments"].sum() == in_span


@pytest.mark.spark
def test__spark_engine__runs_every_stage_and_agrees_with_the_polars_measures(smoke):
    pytest.importorskip("pyspark")
    root, data, _model, _rows, model_path = smoke
    got = run.run_engine("spark", data, model_path, root / "out" / "spark")
    assert [r["stage"] for r in got] == ["prepare", *STAGES]
    assert all(r["status"] == "ok" for r in got)
    for stage in STAGES:
        ours = pl.read_parquet(root / "out" / "polars" / f"{stage}.parquet")
        assert_frame_equal(pl.read_parquet(root / "out" / "spark" / f"{stage}.parquet"), ours,
                           rel_tol=1e-9, abs_tol=1e-9)


def test__markdown__shows_stages_an_engine_lacks_as_na_and_names_disagreements():
    rows = [{"engine": e, "size": "1k", "notes": 1000, "stage": st, "seconds": sec, "rows_per_s": None,
             "peak_rss_gib": 0.1, "status": status, "load_1min": 1.0, "detail": None}
            for e, st, sec, status in [("polars", "prepare", 1.0, "ok"), ("polars", "ads", 2.0, "ok"),
                                       ("polars", "langid", 3.0, "ok"), ("spark", "prepare", 4.0, "ok"),
                                       ("spark", "ads", 4.0, "differs from polars: height"),
                                       ("spark", "langid", None, "n/a")]]
    md = run.markdown(pl.DataFrame(rows, schema=run.RESULT_SCHEMA), "note")
    assert "| 1k | langid | 3.00 | n/a |" in md
    assert "| 1k | ads | 2.00 | 4.00 ≠ | 2.00× |" in md
    assert "| 1k | all | 6.00 | 8.00* | 2.67× |" in md  # like for like: prepare + ads on both
    assert "- spark 1k ads: differs from polars: height" in md


def test__main__an_engine_without_its_extra_stops_with_the_install_line(monkeypatch, capsys):
    monkeypatch.setitem(engines.OPTIONAL, "spark", ("no_such_module_for_this_test", "pip install '.[spark]'"))
    assert "spark" not in engines.available()
    assert run.main(["--engines", "polars,spark", "--sizes", "1k"]) == 2
    assert capsys.readouterr().err.strip() == "the spark engine is not installed: pip install '.[spark]'"


def test__polars_daily_stage__copies_count_once_and_hash_collisions_change_nothing(smoke, tmp_path, monkeypatch):
    from benchmarks.engines import polars_stages

    _root, data, model, _rows, _path = smoke
    state = polars_stages.prepare(data, model)
    whole = polars_stages.daily_stage(state)
    comments = pl.read_parquet(data / "comments" / "*.parquet")
    # An independent count: distinct (dataset, comment_id) per day, in memory.
    expected = (comments.unique(["dataset", "comment_id"])
                .group_by(polars_stages._ms("create_time").dt.convert_time_zone(common.DAY_TZ).dt.date().alias("day"))
                .agg(pl.len().cast(pl.Int64).alias("expected")))
    counted = (whole.select(pl.col("key").str.to_date().alias("day"), "comments")
               .join(expected, on="day", how="left").with_columns(pl.col("expected").fill_null(0)))
    assert counted["comments"].sum() > 1_000
    assert counted["comments"].to_list() == counted["expected"].to_list()
    # Every comment crawled twice: each copy shares its hash and is counted once.
    (tmp_path / "comments").mkdir()
    pl.concat([comments, comments]).write_parquet(tmp_path / "comments" / "part-00000.parquet")
    (tmp_path / "notes").symlink_to(data / "notes")
    state.data_dir = tmp_path
    assert_frame_equal(polars_stages.daily_stage(state), whole)
    # A hash that collides for most different ids: the exact second pass sorts them out.
    monkeypatch.setattr(polars_stages, "_comment_key", lambda: pl.col("comment_id").str.len_bytes().cast(pl.UInt64) % 3)
    assert_frame_equal(polars_stages.daily_stage(state), whole)


def test__a_worker_killed_midway_keeps_the_stages_it_finished():
    out = "\n".join(run.ROW + json.dumps({"stage": s, "seconds": 1.0, "status": "ok"}) for s in ("prepare", "ads"))
    rows = run._stopped(out, "out of memory", "out of memory")
    assert [(r["stage"], r["status"]) for r in rows] == [
        ("prepare", "ok"), ("ads", "ok"),
        *[(s, "out of memory" if i == 0 else "not reached (out of memory)")
          for i, s in enumerate(s for s in STAGES if s != "ads")],
    ]


def test__generate__reuses_data_with_jsonl_for_a_parquet_only_request_but_not_the_reverse(tmp_path):
    lines = []
    generate.generate(200, tmp_path / "s", jsonl=True, log=lines.append)
    generate.generate(200, tmp_path / "s", jsonl=False, log=lines.append)
    assert len(lines) == 1  # the second call wrote nothing
    generate.generate(200, tmp_path / "p", jsonl=False, log=lines.append)
    generate.generate(200, tmp_path / "p", jsonl=True, log=lines.append)
    assert len(lines) == 3 and (tmp_path / "p" / "notes.jsonl").exists()


def test__pytest_benchmark_suite__times_every_stage_of_every_engine_side_by_side(smoke, tmp_path):
    root, _data, _model, _rows, _path = smoke
    out = tmp_path / "bench.json"
    repo = Path(generate.__file__).resolve().parents[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}  # not an xdist worker's run
    done = subprocess.run([sys.executable, "-m", "pytest", "benchmarks", "--bench-size", "1k", "--bench-data", str(root),
                           "--bench-engines", ",".join(CORE), "--benchmark-json", str(out), "-q", "-p",
                           "no:cacheprovider", "-p", "no:xdist"], cwd=repo, env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    timed = json.loads(out.read_text())["benchmarks"]
    expected = {(e, st) for e in CORE for st in STAGES
                if st in importlib.import_module(f"benchmarks.engines.{e}_stages").STAGE_FUNCTIONS}
    assert {(b["params"]["engine"], b["params"]["stage"]) for b in timed} == expected
    assert {b["group"] for b in timed} == {f"1k {st}" for _e, st in expected}  # engines side by side per stage
    assert all(b["stats"]["mean"] > 0 and b["extra_info"]["notes"] == 1_000 for b in timed)


def test__profile_stages__writes_a_call_tree_per_stage(smoke, tmp_path):
    from benchmarks import profile_stages

    _root, data, _model, _rows, _path = smoke
    profile_stages.main(["--data", str(data), "--out", str(tmp_path)])
    for stage in ("prepare", *STAGES):
        assert "Recorded:" in (tmp_path / f"{stage}.txt").read_text(), stage
    # A stage long enough to be sampled at 1k notes shows its own function in the tree.
    assert "clickbait_stage" in (tmp_path / "clickbait.txt").read_text()


def test__profile_stages__profiles_only_the_stages_asked_for(smoke, tmp_path):
    from benchmarks import profile_stages

    _root, data, _model, _rows, _path = smoke
    profile_stages.main(["--data", str(data), "--out", str(tmp_path), "--stages", "langid,daily"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["daily.txt", "langid.txt", "prepare.txt"]
    with pytest.raises(SystemExit):
        profile_stages.main(["--data", str(data), "--out", str(tmp_path), "--stages", "langid,nope"])
