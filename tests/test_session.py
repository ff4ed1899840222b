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

    from analysis.session import Session

    can, cannot = Session(sample_bundle, pl.DataFrame()).limits()
    assert cannot[0].startswith("Support any verdict: this is the synthetic sample")
    no_comments = Session(replace(sample_bundle, comments=sample_bundle.comments.clear()), pl.DataFrame()).limits()
    assert any("no comments in this build" in line for line in no_comments[1])
    assert not any("comments." in line for line in no_comments[0])
    if sample_bundle.comments.height:
        assert can == [f"Read how people replied: {sample_bundle.comments.height:,} comments."]


def test__limits__name_the_creators_count_from_the_data(real_bundle):
    from analysis.session import Session

    creators = real_bundle.notes.filter(pl.col("dataset") == "mediacrawler-creators")["account_id"].unique().len()
    _, cannot = Session(real_bundle, pl.DataFrame()).limits()
    assert f"the creators are {creators} Chinese-American accounts" in " ".join(cannot)
    assert any(line.startswith("Describe RedNote users at large") for line in cannot)
