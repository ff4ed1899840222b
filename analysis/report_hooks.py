"""The rednote report's data-specific build steps, named in report.toml and called by the
generic ``analysis.publish`` through importlib.

``inputs``  cheap checksums of everything the sections read, by input name (no loading):
            the build's cache keys and its record of input files.
``prepare`` once per distinct set of inputs: load the data, apply the date window, save the
            bundle, the claims ledger and every section's small tables into the folder
            every notebook is given as ``cache_dir`` (the notebooks read only those).
``collect`` files published beside report.html: ledger.csv and quarantine.csv.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import polars as pl

from analysis import config, session
from analysis.claims.ledger import with_lexicon_text
from analysis.config import Settings
from analysis.io import datasets, sources
from analysis.io.bundle import Bundle, DataUnavailable
from analysis.io.load import load_bundle

SAMPLE_ROOT = "built-in synthetic sample"
#: Which report.toml input a manifest file feeds, by its role.
ROLE_INPUT = {"notes": "rednote", "creators": "rednote", "comments": "rednote", "media_kits": "media-kits",
              "headlines_clickbait": "headlines", "headlines_news": "headlines"}
INPUT_NAMES = ("rednote", "media-kits", "headlines")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _public_files(settings: Settings, skip_rednote: bool) -> tuple[dict[str, list[str]], list[dict], set[Path]]:
    """Verified public files grouped by input name: (digest lines, file records, roots used)."""
    lines: dict[str, list[str]] = {}
    files, roots = [], set()
    for ds in sources.manifest().values():
        # Titles, licences and citations reach the report (credits), so they are part of the input.
        meta = f"{ds.id}|{ds.title}|{ds.licence}|{ds.citation}|{ds.url}|{ds.commit}|{ds.naive_timezone}"
        for f in ds.files:
            name = ROLE_INPUT.get(f.role)
            if name is None or (skip_rednote and name == "rednote"):
                continue
            path = sources.fetch_file(f, mirror=settings.mirror, download=settings.allow_download,
                                      cache=settings.cache_dir)  # verifies the sha256
            roots.add(path.parents[len(Path(f.path).parts)])
            lines.setdefault(name, []).append(f"{meta}|{f.path}|{f.role}|{f.sha256}")
            files.append({"path": f"{ds.id}/{f.path}", "sha256": f.sha256})
    return lines, files, roots


def _user_files(settings: Settings) -> tuple[list[str], list[dict]]:
    lines, files = [], []
    for path, rel, _role in datasets.user_files(settings.user_data):
        sha = sources.sha256_of(path)
        lines.append(f"{rel}|{sha}")
        files.append({"path": f"{datasets.USER_DATASET}/{rel}", "sha256": sha})
    return lines, files


def inputs(settings: Settings) -> dict:
    """Checksums of the inputs by name, the data root used and the input files.

    Nothing is loaded: public files are verified against the manifest (fetched first if
    downloads are allowed), an export's files are hashed. In ``auto`` mode without real
    data the inputs are the built-in sample's (its code is part of every cache key).
    """
    salt = {"pseudonym-salt": _sha(config.pseudonym_salt())}
    sample = {**{name: _sha("sample") for name in INPUT_NAMES}, **salt}
    if settings.data_mode == "sample":
        return {"checksums": sample, "data_root": SAMPLE_ROOT, "files": []}
    try:
        lines, files, roots = _public_files(settings, skip_rednote=bool(settings.user_data))
    except DataUnavailable as exc:
        if settings.data_mode == "real":
            raise
        return {"checksums": sample, "data_root": f"{SAMPLE_ROOT} (real data unavailable: {exc})", "files": []}
    if settings.user_data:
        lines["rednote"], user = _user_files(settings)
        files = user + files
        roots.add(Path(settings.user_data))
    checksums = {name: _sha("\n".join(sorted(lines.get(name, [])))) for name in INPUT_NAMES}
    return {"checksums": {**checksums, **salt}, "data_root": ", ".join(sorted(map(str, roots))), "files": files}


def _counts(bundle: Bundle) -> dict[str, int]:
    return {name: getattr(bundle, name).height
            for name in ("notes", "creators", "media_kits", "comments", "headlines", "quarantine")}


def prepare(settings: Settings, cache_dir: Path) -> dict:
    """Load the data once (windowed once) into ``cache_dir`` and compute the shared results.

    Returns what the build shows and records: ``messages`` (one line each), ``facts`` for
    the report page and ``record`` entries for build.json.
    """
    from analysis.display.show import source_id

    t0 = time.perf_counter()
    bundle = load_bundle(settings.data_mode, settings.start_date, settings.end_date, settings.user_data,
                         str(cache_dir), mirror=settings.mirror, download=settings.allow_download,
                         source_cache=settings.cache_dir)
    t1 = time.perf_counter()
    if settings.engine == "polars":  # the note text normalised and matched once, for the ledger and sections
        bundle = with_lexicon_text(bundle)
    session.ledger(bundle, str(cache_dir), settings.engine)
    t2 = time.perf_counter()
    sections = session.precompute(bundle, str(cache_dir))  # the facts and every section's tables
    # Where a build's time goes, for build.json: load, ledger, each section's tables.
    timing = {"load": round(t1 - t0, 2), "ledger": round(t2 - t1, 2), "sections": sections}
    messages = []
    if bundle.fallback_reason:
        messages += [f"Real data unavailable: {bundle.fallback_reason}",
                     "Building the ILLUSTRATIVE report from the synthetic sample instead."]
    messages.append(f"Data mode: {bundle.mode} ({bundle.notes.height:,} notes, {bundle.creators.height:,} creators)")
    credits = [{"id": source_id(row), **{k: str(row.get(k) or "") for k in ("title", "licence", "citation", "url")}}
               for row in bundle.sources.to_dicts()]
    facts = {
        "mode_label": {"real": "real public data", "sample": "synthetic sample (illustrative)"}[bundle.mode],
        "illustrative": bundle.illustrative,
        "fallback_reason": bundle.fallback_reason,
        "sources": credits,
    }
    record = {"data_mode": bundle.mode, "fallback_reason": bundle.fallback_reason, "counts": _counts(bundle),
              "sources": credits, "engine": settings.engine, "prepare_timing": timing}
    return {"messages": messages, "facts": facts, "record": record}


#: Significant digits of the numbers written to ledger.csv.
SIG_FIGS = 12


def collect(settings: Settings, cache_dir: Path, site: Path) -> dict:
    """Write ledger.csv and quarantine.csv beside report.html (nested values flattened)."""
    from analysis.display.show import flat_for_csv

    written = []
    for table, name in (("ledger", "ledger.csv"), ("quarantine", "quarantine.csv")):
        path = Path(cache_dir) / f"{table}.parquet"
        if path.exists():
            table_ = pl.read_parquet(path)
            # 12 significant digits: beyond them parallel sums differ run to run (1e-17), and a
            # rebuild of the same inputs must give the same bytes.
            table_ = table_.with_columns(pl.col(pl.Float64, pl.Float32).round_sig_figs(SIG_FIGS))
            flat_for_csv(table_).write_csv(site / name)
            written.append(name)
    return {"files": written}
