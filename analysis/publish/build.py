"""The whole build, generic: it runs the sections report.toml lists and knows nothing of
the data beyond what the spec's hooks return.

    lock → clean debris → inputs hook (checksums) → prepare hook (once per set of inputs,
    kept) → notebooks (executed when their key changed, else reused; in parallel) →
    export → collect hook → build.json → dated folder, ``latest`` → prune

Everything is written into a staging folder first; ``latest`` changes only when every
notebook ran and the report exported, so a failed build never replaces a good report.
A failed run's partly executed notebooks and its build.json go to ``reports/failed/``;
every run's manifest is also written to ``reports/last-run.json`` for schedulers.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from analysis import config
from analysis.config import Settings
from analysis.publish import store
from analysis.publish.cache import ResultCache, code_digest, digest, file_digest
from analysis.publish.errors import BuildError, NotebookFailed, exit_code
from analysis.publish.exporter import Section, export_report
from analysis.publish.lock import build_lock
from analysis.publish.runner import Run, run_all
from analysis.publish.spec import ReportSpec, load_spec

_PACKAGES = ("rednote-report", "polars", "altair", "vl-convert-python", "nbconvert", "papermill", "jupyter-client")


@dataclass(frozen=True)
class BuildResult:
    report: Path  # <reports>/latest/report.html
    folder: Path  # the dated folder latest points at
    data_mode: str  # as the prepare hook recorded it ("" without hooks)
    fallback_reason: str
    seconds: float
    notebooks: dict[str, dict]  # per section id: notebook, cache hit/miss, seconds
    size_bytes: int
    figures: int
    record: dict = field(repr=False)

    @property
    def executed(self) -> list[str]:
        """Section ids whose notebook was executed (not reused from the cache)."""
        return [sid for sid, info in self.notebooks.items() if info["cache"] == "miss"]


def git_revision() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=config.ROOT,
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=config.ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return rev + ("-dirty" if dirty else "")


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def _utc(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _section_params(section: Section, settings: Settings) -> dict:
    return {**settings.notebook_parameters(), **dict(section.parameters)}


def _keys(spec: ReportSpec, settings: Settings, checksums: dict[str, str], code: str, libs: dict) -> tuple[str, dict]:
    """The prepared data's key (all inputs) and each section's key (what it declares)."""
    common = {"code": code, "versions": libs, "kernel": settings.kernel_name}
    prepare_key = digest({**common, "inputs": checksums, "parameters": settings.notebook_parameters()})
    keys = {}
    for s in spec.sections:
        reads = (*spec.common_inputs, *s.inputs)
        unknown = sorted(set(reads) - set(checksums))
        if unknown:
            raise BuildError(f"{spec.path}: section {s.id!r} reads {', '.join(map(repr, unknown))}, which the inputs "
                             f"hook does not know (it knows {', '.join(sorted(checksums)) or 'none'})")
        keys[s.id] = digest({**common, "notebook": file_digest(s.notebook), "parameters": _section_params(s, settings),
                             "inputs": {name: checksums[name] for name in reads}})
    return prepare_key, keys


def _prepare(spec: ReportSpec, settings: Settings, cache: ResultCache, key: str) -> tuple[Path, dict]:
    """The prepared folder for ``key``: reused when an earlier build made it, else made now."""
    folder = cache.prepared(key)
    manifest = folder / "prepared.json"
    if manifest.exists() and not settings.force:
        return folder, json.loads(manifest.read_text(encoding="utf-8"))
    hook = spec.hook("prepare")
    tmp = folder.with_name(f".{folder.name}.tmp-{time.time_ns()}")
    tmp.mkdir(parents=True)
    try:
        prepared = hook(settings, tmp) if hook else {}
        store.write_json(tmp / "prepared.json", prepared or {})
        if folder.exists():
            shutil.rmtree(folder)
        tmp.rename(folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder, prepared or {}


def _kept_cache_entries(reports: Path) -> tuple[set[str], set[str]]:
    """Cache entries the kept report folders were built from (by file / folder name)."""
    notebooks, prepared = set(), set()
    for folder in store.dated_folders(reports):
        try:
            record = json.loads((folder / "build.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        prepared.add(record.get("cache", {}).get("prepared", ""))
        notebooks.update(info.get("cache_entry", "") for info in record.get("notebooks", {}).values())
    return notebooks, prepared


def build(settings: Settings, spec: ReportSpec | None = None, say: Callable[[str], None] = print) -> BuildResult:
    """Build the report into a dated folder of ``settings.reports_dir`` and point ``latest`` at it.

    spec: the report's specification (default: ``settings.report_config``, i.e. report.toml).
    say: where one-line status messages go (the CLI passes rich's console).
    Raises ValueError for bad input, DataUnavailable when real data were required but cannot
    be had, BuildLocked when another build holds the lock, NotebookFailed / BuildError when
    the build fails. Each run's manifest is in ``reports/last-run.json`` whatever happens.
    """
    spec = spec or load_spec(settings.report_config)
    missing = [str(s.notebook) for s in spec.sections if not s.notebook.exists()]
    if missing:
        raise BuildError(f"notebook(s) not found: {', '.join(missing)}")
    reports = settings.reports_dir
    with build_lock(reports, settings.if_locked, settings.lock_timeout, say):
        removed = store.clean_debris(reports)
        if removed:
            say(f"Removed what an interrupted build left behind: {', '.join(removed)}")
        started = time.time()
        record = {"outcome": "running", "started_at": _utc(started), "git_rev": git_revision(),
                  "parameters": settings.notebook_parameters(), "force": settings.force, "jobs": settings.jobs}
        store.write_json(reports / store.LAST_RUN, {**record, "pid": os.getpid()})  # "running" until it ends
        staging = store.new_staging(reports)
        try:
            return _build_locked(settings, spec, say, staging, record=record, started=started)
        except NotebookFailed as exc:
            _record_failure(reports, staging, record, started, exc)
            where = str(reports / store.FAILED / Path(exc.executed_copy).name) if exc.executed_copy else ""
            raise NotebookFailed(exc.notebook, exc.cell, exc.cell_id, exc.error, where) from None
        except BaseException as exc:
            _record_failure(reports, staging, record, started, exc)
            raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _record_failure(reports: Path, staging: Path, record: dict, started: float, exc: BaseException) -> None:
    """reports/failed/: the partly executed notebooks and build.json; last-run.json too."""
    ended = time.time()
    record.update(outcome="failed", ended_at=_utc(ended), seconds=round(ended - started, 2),
                  exit_code=exit_code(exc), error=str(exc) or type(exc).__name__)
    site = staging / "site" / "notebooks"
    site.mkdir(parents=True, exist_ok=True)
    store.write_json(site / "build.json", record)
    store.swap_in(site, reports / store.FAILED)
    store.write_json(reports / store.LAST_RUN, record)


def _build_locked(settings: Settings, spec: ReportSpec, say, staging: Path, *, record: dict, started: float) -> BuildResult:
    reports = settings.reports_dir
    cache = ResultCache(reports)
    site = staging / "site"
    (site / "notebooks").mkdir(parents=True)

    inputs_hook = spec.hook("inputs")
    found = inputs_hook(settings) if inputs_hook else {}
    checksums = found.get("checksums", {})
    record["data_root"] = found.get("data_root", "")
    libs = versions()
    prepare_key, keys = _keys(spec, settings, checksums, code_digest(), libs)

    t0 = time.time()
    prepared_dir, prepared = _prepare(spec, settings, cache, prepare_key)
    record["prepare_seconds"] = round(time.time() - t0, 2)  # ~0 when reused
    for line in prepared.get("messages", []):
        say(line)
    runs = []
    for s in spec.sections:
        hit = None if settings.force or not cache.has_notebook(s.id, keys[s.id]) else cache.notebook(s.id, keys[s.id])
        runs.append(Run(s, {**_section_params(s, settings), "cache_dir": str(prepared_dir)}, cached=hit))
    notebooks = run_all(runs, site / "notebooks", jobs=settings.jobs, show_progress=settings.show_progress,
                        kernel_name=settings.kernel_name, timeout=settings.cell_timeout)
    for run in runs:
        sid = run.section.id
        if run.cached is None:
            cache.put_notebook(sid, keys[sid], site / "notebooks" / run.section.notebook.name)
        notebooks[sid]["cache_entry"] = cache.notebook(sid, keys[sid]).name

    built_at = _utc(started)
    record.update(prepared.get("record", {}))
    record.update(built_at=built_at, versions=libs, notebooks=notebooks,
                  inputs=found.get("files", []) + [{"path": f"notebooks/{s.notebook.name}", "sha256":
                                                    file_digest(s.notebook)} for s in spec.sections],
                  cache={"prepared": prepared_dir.name,
                         "hits": sum(1 for n in notebooks.values() if n["cache"] == "hit"),
                         "misses": sum(1 for n in notebooks.values() if n["cache"] == "miss")})
    facts = {**spec.page, **prepared.get("facts", {}), "built_at": built_at, "git_rev": record["git_rev"],
             "version": libs["rednote-report"]}
    facts.setdefault("mode_label", "not loaded")
    executed = [(s, site / "notebooks" / s.notebook.name) for s in spec.sections]
    html, toc = export_report(executed, facts, record, spec.build_record_section)
    report = site / "report.html"
    report.write_text(html, encoding="utf-8")
    collect = spec.hook("collect")
    if collect is not None:
        record["published_files"] = ["report.html", *collect(settings, prepared_dir, site).get("files", [])]
    record.setdefault("counts", {})["figures"] = sum(len(s["figures"]) for s in toc)
    record["report_bytes"] = report.stat().st_size
    ended = time.time()
    record.update(outcome="ok", exit_code=0, ended_at=_utc(ended), seconds=round(ended - started, 2))
    store.write_json(site / "build.json", record)
    folder = store.publish(site, reports, datetime.fromtimestamp(started, UTC), settings.keep)
    store.write_json(reports / store.LAST_RUN, record)
    cache.prune(*_kept_cache_entries(reports))
    _say_timings(say, notebooks, record["seconds"])
    return BuildResult(
        report=reports / store.LATEST / "report.html",
        folder=folder,
        data_mode=record.get("data_mode", ""),
        fallback_reason=record.get("fallback_reason", ""),
        seconds=record["seconds"],
        notebooks=notebooks,
        size_bytes=record["report_bytes"],
        figures=record["counts"]["figures"],
        record=record,
    )


def _say_timings(say, notebooks: dict[str, dict], total: float) -> None:
    width = max((len(info["notebook"]) for info in notebooks.values()), default=0)
    ran = [n for n, info in notebooks.items() if info["cache"] == "miss"]
    say(f"Notebooks: {len(ran)} executed, {len(notebooks) - len(ran)} reused from the cache; build {total:.1f} s")
    for info in notebooks.values():
        name = info["notebook"]
        state = f"{info['seconds']:6.1f} s" if info["cache"] == "miss" else "  cached"
        say(f"  {name:<{width}}  {state}")

