"""Results shared by the notebooks of one build.

Each notebook runs in its own kernel, so a value every section needs — the claims
ledger takes most of a minute on the real data — would be computed six times. The build
passes every notebook the same ``cache_dir``; the first notebook to ask computes and
stores, the others read. Outside a build (``cache_dir`` empty) nothing is cached.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl


def ledger(bundle, cache_dir: str = "") -> pl.DataFrame:
    """``analysis.claims.build_ledger(bundle)``, computed once per build."""
    from analysis.claims import LEDGER_SCHEMA, build_ledger

    path = Path(cache_dir) / "ledger.parquet" if cache_dir else None
    if path is not None and path.exists():
        return pl.read_parquet(path).cast(LEDGER_SCHEMA)
    table = build_ledger(bundle)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        table.write_parquet(tmp)
        tmp.replace(path)  # a reader never sees half a file
    return table
