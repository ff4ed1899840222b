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
    monkeypatch.setattr("analysis.session.build_ledger", lambda bundle: _fake_ledger(calls))
    first = cache.ledger(object(), str(tmp_path))
    second = cache.ledger(object(), str(tmp_path))
    assert len(calls) == 1
    assert_frame_equal(first, second)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".lock") == ["ledger.parquet"]


def test__ledger__without_a_cache_dir_always_computes(monkeypatch):
    calls: list = []
    monkeypatch.setattr("analysis.session.build_ledger", lambda bundle: _fake_ledger(calls))
    cache.ledger(object())
    cache.ledger(object())
    assert len(calls) == 2
