"""Load what a build analyses: the public data sets, an analyst's own export, or the
synthetic sample, cached as parquet so every notebook of one build sees the same rows."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from analysis.io import datasets, sample
from analysis.io.bundle import Bundle, DataUnavailable, apply_window


def load_bundle(
    data_mode: str = "auto",
    start_date: str = "",
    end_date: str = "",
    user_data: str = "",
    cache_dir: str = "",
) -> Bundle:
    """Load the data every section analyses.

    data_mode: ``auto`` (real if available, else the sample), ``real`` (fail with
        DataUnavailable if the data cannot be had) or ``sample``.
    start_date, end_date: ISO dates bounding note publication ("" = open).
    user_data: a file or folder of your own export (MediaCrawler CSV/JSON/JSONL/SQLite
        or a sheet); loaded in place of the public RedNote data sets.
    cache_dir: where the build keeps the loaded tables between notebooks ("" = none).
    """
    if data_mode not in ("auto", "real", "sample"):
        raise ValueError(f"data_mode={data_mode!r}; use 'auto', 'real' or 'sample'")
    cache = Path(cache_dir) if cache_dir else None
    if cache is not None and (cache / "bundle.json").exists():
        return apply_window(Bundle.open(cache), start_date, end_date)

    if data_mode == "sample":
        bundle = sample.sample_bundle()
    else:
        try:
            bundle = datasets.real_bundle(user_data=user_data)
        except DataUnavailable as exc:
            if data_mode == "real":
                raise
            bundle = replace(sample.sample_bundle(), fallback_reason=str(exc))
    if cache is not None:
        bundle.save(cache)
    return apply_window(bundle, start_date, end_date)
