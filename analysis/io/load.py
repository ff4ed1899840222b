"""Load what a build analyses: the public data sets, an analyst's own export, or the
synthetic sample, windowed once and cached as parquet so every notebook of one build
sees the same rows."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from analysis.io import datasets, sample, sources
from analysis.io.bundle import Bundle, DataUnavailable, apply_window


def load_bundle(
    data_mode: str = "auto",
    start_date: str = "",
    end_date: str = "",
    user_data: str = "",
    cache_dir: str = "",
    *,
    mirror=sources.DEFAULT,
    download: bool | None = None,
    source_cache: Path | None = None,
) -> Bundle:
    """Load the data every section analyses, within the date window.

    data_mode: ``auto`` (real if available, else the sample), ``real`` (fail with
        DataUnavailable if the data cannot be had) or ``sample``.
    start_date, end_date: ISO dates bounding note publication ("" = open).
    user_data: a file or folder of your own export (MediaCrawler CSV/JSON/JSONL/SQLite
        or a sheet); loaded in place of the public RedNote data sets.
    cache_dir: where the build keeps the loaded tables between notebooks ("" = none).
        The tables are saved there already windowed; a later call reads them back
        as they are, and refuses a different window rather than silently narrowing.
    mirror, download, source_cache: where public files come from (``sources.fetch_file``);
        left out, the environment's defaults.
    """
    if data_mode not in ("auto", "real", "sample"):
        raise ValueError(f"data_mode={data_mode!r}; use 'auto', 'real' or 'sample'")
    cache = Path(cache_dir) if cache_dir else None
    if cache is not None and (cache / "bundle.json").exists():
        bundle = Bundle.open(cache)
        if bundle.window != (start_date, end_date):
            raise ValueError(f"{cache} holds notes windowed to {bundle.window}, not ({start_date!r}, {end_date!r}); "
                             "pass the build's start_date and end_date, or an empty cache_dir")
        return bundle

    if data_mode == "sample":
        bundle = sample.sample_bundle()
    else:
        try:
            bundle = datasets.real_bundle(user_data=user_data, mirror=mirror, cache=source_cache, download=download)
        except DataUnavailable as exc:
            if data_mode == "real":
                raise
            bundle = replace(sample.sample_bundle(), fallback_reason=str(exc))
    bundle = apply_window(bundle, start_date, end_date)
    if cache is not None:
        bundle.save(cache)
    return bundle
