"""The whole build: load the data once, run the notebooks, export one HTML report,
write the build record, and swap the result into ``reports/latest/``.

Everything is written into a staging folder first; ``reports/latest`` changes only
when every notebook ran and the report exported, so a failed build never replaces a
good report. A failed run's partly executed notebooks go to ``reports/failed/``.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from importlib import metadata
from pathlib import Path

from analysis import config
from analysis.io.sources import sha256_of
from analysis.publish.errors import BuildError, NotebookFailed
from analysis.publish.exporter import Section, export_report
from analysis.publish.runner import run_all

TITLE = "The Great Digital Migration, tested"
SUBTITLE = "TikTok refugees on RedNote (Xiaohongshu): an article's claims checked against public data"
DATA_MODES = ("auto", "real", "sample")
#: Report order = the article's order.
SECTIONS = (
    ("summary", "Summary", "00_summary.ipynb"),
    ("tech", "Tech", "01_tech.ipynb"),
    ("culture", "Culture", "02_culture.ipynb"),
    ("politics", "Politics", "03_politics.ipynb"),
    ("commerce", "Commerce", "04_commerce.ipynb"),
    ("explore", "Explore", "06_explore.ipynb"),
    ("methods", "Methods", "05_methods.ipynb"),
)
_PACKAGES = ("rednote-report", "polars", "altair", "vl-convert-python", "nbconvert", "papermill", "jupyter-client")


def default_sections() -> list[Section]:
    return [Section(sid, title, config.NOTEBOOKS_DIR / name) for sid, title, name in SECTIONS]


@dataclass(frozen=True)
class BuildResult:
    report: Path
    data_mode: str  # "real", "sample" or "" (not loaded)
    fallback_reason: str
    seconds: float
    notebook_seconds: dict[str, float]
    size_bytes: int
    figures: int
    record: dict = field(repr=False)


def validate_parameters(data_mode: str, start_date: str, end_date: str, user_data: str) -> dict:
    """The notebooks' parameters, checked here so a bad value fails before anything runs."""
    if data_mode not in DATA_MODES:
        raise ValueError(f"data mode {data_mode!r} is not one of {', '.join(DATA_MODES)}")
    days = {}
    for name, value in (("start", start_date), ("end", end_date)):
        if value:
            try:
                days[name] = date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"--{name} {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-01-13") from None
    if "start" in days and "end" in days and days["start"] > days["end"]:
        raise ValueError(f"--start {start_date} is after --end {end_date}")
    if user_data and not Path(user_data).expanduser().exists():
        raise ValueError(f"--data {user_data}: no such file or folder")
    user = str(Path(user_data).expanduser().resolve()) if user_data else ""
    return {"data_mode": data_mode, "start_date": start_date, "end_date": end_date, "user_data": user}


def git_revision() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=config.ROOT,
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=config.ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return rev + ("-dirty" if dirty else "")


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _source_rows(bundle) -> list[dict]:
    if bundle is None or bundle.sources.height == 0:
        return []
    from analysis.display.show import source_id

    return [{**{k: ("" if v is None else v) for k, v in row.items()}, "id": source_id(row)}
            for row in bundle.sources.to_dicts()]


def _inputs(bundle, sections: list[Section]) -> list[dict]:
    """Checksums of everything the report was computed from: data files, notebooks."""
    inputs = []
    for row in _source_rows(bundle):
        files, sums = _as_list(row.get("files")), _as_list(row.get("sha256"))
        if len(files) != len(sums):
            files = [f"{row.get('id', '')} ({i + 1})" for i in range(len(sums))]
        inputs += [{"path": f"{row.get('id', '')}/{f}", "sha256": s} for f, s in zip(files, sums, strict=True)]
    inputs += [{"path": f"notebooks/{s.notebook.name}", "sha256": sha256_of(s.notebook)} for s in sections]
    return inputs


def _counts(bundle) -> dict[str, int]:
    if bundle is None:
        return {}
    return {name: getattr(bundle, name).height for name in ("notes", "creators", "media_kits", "comments", "headlines", "quarantine")}


def _swap_in(site: Path, target: Path) -> None:
    """Replace ``target`` by ``site`` with two renames on one file system; the old one
    is removed only after the new one is in place."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}-{time.time_ns()}")
        target.rename(old)
    try:
        site.rename(target)
    except OSError:
        if old is not None:
            old.rename(target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def build(
    *,
    data_mode: str = "auto",
    start_date: str = "",
    end_date: str = "",
    user_data: str = "",
    reports_dir: Path | None = None,
    sections: list[Section] | None = None,
    load_data: bool = True,
    show_progress: bool = True,
    say=print,
) -> BuildResult:
    """Build the report into ``<reports_dir>/latest/`` and return what happened.

    load_data: load the bundle once before the notebooks run (they then read it from
        the build's cache). Off only for fixture notebooks that load nothing.
    say: where one-line status messages go (the CLI passes rich's console).
    Raises ValueError for bad parameters, DataUnavailable when real data were required
    but cannot be had, NotebookFailed / BuildError when the build fails.
    """
    t0 = time.perf_counter()
    params = validate_parameters(data_mode, start_date, end_date, user_data)
    sections = list(sections or default_sections())
    missing = [str(s.notebook) for s in sections if not s.notebook.exists()]
    if missing:
        raise BuildError(f"notebook(s) not found: {', '.join(missing)}")
    reports = Path(reports_dir) if reports_dir else config.reports_dir()
    reports.mkdir(parents=True, exist_ok=True)
    built_at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")

    # Same file system as reports/latest, so publishing is a rename.
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=reports))
    try:
        cache, site = staging / "cache", staging / "site"
        (site / "notebooks").mkdir(parents=True)
        bundle = None
        if load_data:
            from analysis.io.load import load_bundle

            bundle = load_bundle(params["data_mode"], start_date, end_date, params["user_data"], str(cache))
            if bundle.fallback_reason:
                say(f"Real data unavailable: {bundle.fallback_reason}")
                say("Building the ILLUSTRATIVE report from the synthetic sample instead.")
            say(f"Data mode: {bundle.mode} ({bundle.notes.height:,} notes, {bundle.creators.height:,} creators)")
        nb_params = {**params, "cache_dir": str(cache) if load_data else ""}
        try:
            timings = run_all(sections, nb_params, site / "notebooks", show_progress=show_progress)
        except NotebookFailed as exc:
            failed = reports / "failed"
            record = {"outcome": "failed", "built_at": built_at, "git_rev": git_revision(), "error": str(exc),
                      "parameters": params, "versions": _versions()}
            (site / "notebooks" / "build.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
            _swap_in(site / "notebooks", failed)
            raise NotebookFailed(exc.notebook, exc.cell, exc.cell_id, exc.error,
                                 str(failed / Path(exc.executed_copy).name)) from None

        mode = bundle.mode if bundle is not None else ""
        illustrative = bool(bundle is not None and bundle.illustrative)
        sources = _source_rows(bundle)
        record = {
            "outcome": "ok",
            "built_at": built_at,
            "git_rev": git_revision(),
            "data_mode": mode or "not loaded",
            "fallback_reason": bundle.fallback_reason if bundle is not None else "",
            "parameters": {k: v for k, v in nb_params.items() if k != "cache_dir"},
            "versions": _versions(),
            "inputs": _inputs(bundle, sections),
            "counts": _counts(bundle),
            "sources": [{k: str(s.get(k, "")) for k in ("id", "title", "licence", "citation", "url")} for s in sources],
            "notebook_seconds": {k: round(v, 2) for k, v in timings.items()},
        }
        facts = {
            "title": TITLE,
            "subtitle": SUBTITLE,
            "built_at": built_at,
            "git_rev": record["git_rev"],
            "version": record["versions"]["rednote-report"],
            "mode_label": {"real": "real public data", "sample": "synthetic sample (illustrative)"}.get(mode, "not loaded"),
            "illustrative": illustrative,
            "fallback_reason": record["fallback_reason"],
            "sources": record["sources"],
        }
        executed = [(s, site / "notebooks" / s.notebook.name) for s in sections]
        html, toc = export_report(executed, facts, record)
        report = site / "report.html"
        report.write_text(html, encoding="utf-8")
        record["counts"]["figures"] = sum(len(s["figures"]) for s in toc)
        record["report_bytes"] = report.stat().st_size
        record["seconds"] = round(time.perf_counter() - t0, 2)
        if bundle is not None and bundle.quarantine.height:
            from analysis.display.show import flat_for_csv

            flat_for_csv(bundle.quarantine).write_csv(site / "quarantine.csv")
        (site / "build.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        _swap_in(site, reports / "latest")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(
        report=reports / "latest" / "report.html",
        data_mode=mode,
        fallback_reason=record["fallback_reason"],
        seconds=record["seconds"],
        notebook_seconds=timings,
        size_bytes=record["report_bytes"],
        figures=record["counts"]["figures"],
        record=record,
    )
