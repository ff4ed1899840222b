"""The reports folder: dated report folders, ``latest`` pointing at the newest good one,
the last N kept, and the debris of killed builds cleaned at the next start.

    reports/
      2025-03-02T061500Z/   report.html, build.json, notebooks/, … (one per good build)
      latest -> 2025-03-02T061500Z   (a relative symlink, swapped atomically)
      failed/               the last failed build's partly executed notebooks and build.json
      last-run.json         the manifest of the most recent run, whatever its outcome
      .staging-*            a build in progress (removed at the next start if it was killed)
      .cache/               per-notebook results (see analysis.publish.cache)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from datetime import datetime
from pathlib import Path

LATEST = "latest"
FAILED = "failed"
LAST_RUN = "last-run.json"
STAMP = "%Y-%m-%dT%H%M%SZ"
DATED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{6}Z(-\d+)?$")
_DEBRIS = (".staging-*", f".{LATEST}.*", f".{FAILED}.old-*", ".*.tmp-*")


def clean_debris(reports: Path) -> list[str]:
    """Remove what killed builds left behind; call only while holding the build lock."""
    removed = []
    for pattern in _DEBRIS:
        for path in sorted(reports.glob(pattern)):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path.name)
    return removed


def new_staging(reports: Path) -> Path:
    # Same file system as the report folders, so publishing is a rename.
    return Path(tempfile.mkdtemp(prefix=".staging-", dir=reports))


def swap_in(site: Path, target: Path) -> None:
    """Replace the folder ``target`` by ``site`` with two renames on one file system; the
    old one is removed only after the new one is in place."""
    old = None
    if target.exists() or target.is_symlink():
        old = target.with_name(f".{target.name}.old-{os.getpid()}-{time.time_ns()}")
        target.rename(old)
    try:
        site.rename(target)
    except OSError:
        if old is not None:
            old.rename(target)
        raise
    if old is not None:
        if old.is_symlink():
            old.unlink()
        else:
            shutil.rmtree(old, ignore_errors=True)


def dated_folders(reports: Path) -> list[Path]:
    """Report folders, oldest first (their names sort by time)."""
    return sorted(p for p in reports.iterdir() if DATED.match(p.name) and p.is_dir() and not p.is_symlink())


def _free_name(reports: Path, started: datetime) -> str:
    base = started.strftime(STAMP)
    name, n = base, 1
    while (reports / name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def _adopt_legacy_latest(reports: Path) -> None:
    """A ``latest`` that is a real folder (the layout before dated folders) becomes a dated one."""
    latest = reports / LATEST
    if latest.is_dir() and not latest.is_symlink():
        try:
            built = json.loads((latest / "build.json").read_text(encoding="utf-8"))["built_at"]
            started = datetime.fromisoformat(built.replace("Z", "+00:00"))
        except (OSError, ValueError, KeyError):
            started = datetime.fromtimestamp(latest.stat().st_mtime)
        latest.rename(reports / _free_name(reports, started))


def point_latest(reports: Path, name: str) -> None:
    """Make ``reports/latest`` show ``reports/<name>`` in one atomic step."""
    _adopt_legacy_latest(reports)
    tmp = reports / f".latest.tmp-{os.getpid()}-{time.time_ns()}"
    try:
        os.symlink(name, tmp, target_is_directory=True)
    except OSError:  # no symlinks here (some Windows / network file systems): a copy, swapped in
        shutil.copytree(reports / name, tmp)
        swap_in(tmp, reports / LATEST)
        return
    os.replace(tmp, reports / LATEST)


def latest_target(reports: Path) -> Path | None:
    latest = reports / LATEST
    if latest.is_symlink():
        return (reports / os.readlink(latest)).resolve()
    return latest if latest.is_dir() else None


def publish(site: Path, reports: Path, started: datetime, keep: int) -> Path:
    """Move a finished ``site`` to a dated folder, point ``latest`` at it, keep the newest
    ``keep`` folders. Returns the dated folder."""
    name = _free_name(reports, started)
    site.rename(reports / name)
    point_latest(reports, name)
    prune(reports, keep)
    return reports / name


def prune(reports: Path, keep: int) -> list[str]:
    """Delete all but the newest ``keep`` dated folders (never the one ``latest`` shows)."""
    current = latest_target(reports)
    folders = dated_folders(reports)
    doomed = [p for p in folders[:-keep] if p.resolve() != current]
    for path in doomed:
        shutil.rmtree(path, ignore_errors=True)
    return [p.name for p in doomed]


def write_json(path: Path, record: dict) -> None:
    """Write atomically: a scheduler reading the file never sees half of it."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
