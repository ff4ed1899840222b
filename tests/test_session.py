"""analysis.session: the ledger is computed once per build."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from analysis import session as cache
from analysis.claims.evidence import LEDGER_SCHEMA


def _fake_ledger(calls: list) -> pl.DataFrame:
    calls.append(1)
    row = {k: None for k in LEDGER_SCHEMA} | {"claim_id": "T3", "verdict": "supported", "n": 724}
    return pl.DataFrame([row], schema=LEDGER_SCHEMA)


def test__ledger__second_call_reads_the_cache(tmp_path, monkeypatch):
    calls: list = []
    monkeypatch.setattr("analysis.session.build_ledger", lambda bundle, engine: _fake_ledger(calls))
    first = cache.ledger(object(), str(tmp_path))
    second = cache.ledger(object(), str(tmp_path))
    assert len(calls) == 1
    assert_frame_equal(first, second)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".lock") == ["ledger.parquet"]


def test__ledger__without_a_cache_dir_always_computes(monkeypatch):
    calls: list = []
    monkeypatch.setattr("analysis.session.build_ledger", lambda bundle, engine: _fake_ledger(calls))
    cache.ledger(object())
    cache.ledger(object())
    assert len(calls) == 2


# --- No notebook cell fails on a missing table or column (issue 21) --------------------------

import re  # noqa: E402
from dataclasses import replace  # noqa: E402
from pathlib import Path  # noqa: E402

import nbformat  # noqa: E402
import pytest  # noqa: E402

from analysis.io import schema  # noqa: E402

NOTEBOOKS = sorted(Path(__file__).parent.parent.joinpath("notebooks").glob("*.ipynb"))


def _shapes(sample):
    empty = {t: schema.empty(t) for t in ("notes", "creators", "comments")}
    return {
        "reference sets only": replace(sample, **empty),
        "no creator profiles": replace(sample, creators=empty["creators"]),
        "twelve notes, no tags or text": replace(
            sample, notes=sample.notes.head(12).with_columns(pl.lit(None, pl.String).alias("text"),
                                                             pl.lit(None, pl.List(pl.String)).alias("tags"))),
        "creators without gender": replace(sample, creators=sample.creators.with_columns(pl.lit(None, pl.String).alias("gender"))),
    }


@pytest.mark.parametrize("shape", ["reference sets only", "no creator profiles", "twelve notes, no tags or text",
                                   "creators without gender"])
def test__notebooks__no_cell_fails_on_missing_tables_or_columns(shape, sample_bundle, monkeypatch):
    bundle = _shapes(sample_bundle)[shape]
    shown: list = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append(obj))
    monkeypatch.setattr("analysis.session.load_bundle", lambda *a, **k: bundle)
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        scope = {"data_mode": "sample", "start_date": "", "end_date": "", "user_data": "", "engine": "polars", "cache_dir": ""}
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
                exec(compile(cell.source, f"{path.name} cell {i}", "exec"), scope)
    notices = [o for o in shown if "application/vnd.rednote.notice+json" in o]
    assert notices, "a shape lacking data shows notices in the figures' places"
    assert not any(re.search(r"\bNone\b", o["text/plain"]) for o in shown)


def test__limits__say_what_this_builds_tables_cannot_show(sample_bundle):
    from dataclasses import replace

    from analysis.session import limits

    can, cannot = limits(sample_bundle)
    assert cannot[0].startswith("Support any verdict: this is the synthetic sample")
    no_comments = limits(replace(sample_bundle, comments=sample_bundle.comments.clear()))
    assert any("no comments in this build" in line for line in no_comments[1])
    assert not any("comments." in line for line in no_comments[0])
    if sample_bundle.comments.height:
        assert can == [f"Read how people replied: {sample_bundle.comments.height:,} comments."]


def test__limits__name_the_creators_count_from_the_data(real_bundle):
    from analysis.session import limits

    creators = real_bundle.notes.filter(pl.col("dataset") == "mediacrawler-creators")["account_id"].unique().len()
    _, cannot = limits(real_bundle)
    assert f"the creators are {creators} Chinese-American accounts" in " ".join(cannot)
    assert any(line.startswith("Describe RedNote users at large") for line in cannot)


# --- In a build, notebooks receive only small tables (issue 17) ----------------------------

def _run_notebooks(scope_extra: dict) -> list:
    shown: list = []
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        scope = {"data_mode": "sample", "start_date": "", "end_date": "", "user_data": "", "engine": "polars",
                 **scope_extra}
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
                exec(compile(cell.source, f"{path.name} cell {i}", "exec"), scope)
    return shown


def test__notebooks__in_a_build_read_the_prepared_tables_and_never_load_the_rows(sample_bundle, tmp_path, monkeypatch):
    cache.ledger(sample_bundle, str(tmp_path))
    cache.precompute(sample_bundle, str(tmp_path))

    def no_load(*a, **k):
        raise AssertionError("a notebook in a build loaded the bundle")

    monkeypatch.setattr("analysis.session.load_bundle", no_load)
    shown: list = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append(obj))
    _run_notebooks({"cache_dir": str(tmp_path)})
    figures = [o for o in shown if "application/vnd.rednote.figure+json" in o]
    assert len(figures) >= 20, "the sample draws most figures"


def test__precompute__every_saved_table_is_small(sample_bundle, tmp_path):
    seconds = cache.precompute(sample_bundle, str(tmp_path))
    assert set(seconds) == set(cache.SECTIONS)
    sizes = {p.relative_to(tmp_path).as_posix(): pl.read_parquet(p).height
             for p in (tmp_path / cache.SECTIONS_DIR).rglob("*.parquet")}
    assert sizes, "tables were saved"
    # The sample has 360 notes; a table as long as the notes would be rows, not a summary.
    assert max(sizes.values()) < sample_bundle.notes.height, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]


def test__section_tables__are_the_same_computed_in_a_kernel_or_read_from_a_build(sample_bundle, tmp_path):
    from polars.testing import assert_frame_equal

    cache.precompute(sample_bundle, str(tmp_path))
    here = cache.Session.of(sample_bundle, pl.DataFrame())
    for section in cache.SECTIONS:
        saved = cache.SectionTables.open(section, tmp_path / cache.SECTIONS_DIR / section)
        fresh = here.tables(section)
        assert sorted(saved) == sorted(fresh), section
        for name in fresh.frames:
            assert_frame_equal(saved[name], fresh[name], check_dtypes=False)
        assert saved.values == fresh.values


def test__section_tables__a_figure_the_data_cannot_draw_costs_nothing(sample_bundle):
    from dataclasses import replace

    from analysis.io import schema

    bundle = replace(sample_bundle, creators=schema.empty("creators"))
    tables = cache.Session.of(bundle, pl.DataFrame()).tables("culture")
    assert "female_comparison" not in tables  # culture-gender needs creator profiles
    with pytest.raises(KeyError, match="not computed because the data cannot draw"):
        tables["female_comparison"]
