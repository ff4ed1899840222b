"""One build at a time per reports folder: an OS file lock (filelock), so a lock held by
a process that died — killed, crashed, machine rebooted — is released by the kernel and
the next build takes it over; the holder's pid, kept beside the lock, names who holds it."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from analysis.publish.errors import BuildLocked

LOCK_NAME = ".build.lock"
HOLDER_NAME = ".build.lock.json"


def _holder(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _describe(holder: dict) -> str:
    if not holder:
        return "another build"
    return f"build pid {holder.get('pid')} on {holder.get('host')}, started {holder.get('started')}"


@contextmanager
def build_lock(reports: Path, if_locked: str = "wait", timeout: float = -1,
               say: Callable[[str], None] = print) -> Iterator[dict]:
    """Hold the reports folder's build lock for the ``with`` block.

    if_locked: ``wait`` for the running build (up to ``timeout`` seconds; < 0 for ever) or
        ``fail`` at once. Either way a build that cannot get the lock raises BuildLocked.
    Yields the previous holder's record when it died holding the lock ({} otherwise).
    """
    reports.mkdir(parents=True, exist_ok=True)
    lock = FileLock(reports / LOCK_NAME, thread_local=False)
    info = reports / HOLDER_NAME
    try:
        lock.acquire(timeout=0)
    except Timeout:
        holder = _describe(_holder(info))
        if if_locked == "fail":
            raise BuildLocked(f"{holder} is building {reports}; not starting a second one "
                              "(use --if-locked wait to queue behind it)") from None
        say(f"Waiting for {holder} to finish…")
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise BuildLocked(f"{holder} still holds {reports / LOCK_NAME} after {timeout:g} s; giving up") from None
    try:
        # Still there while we hold the lock: its writer died without releasing it.
        stale = _holder(info) if info.exists() else {}
        if stale:
            say(f"Took over the build lock from {_describe(stale)}, which ended without releasing it.")
        now = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        info.write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "started": now}), encoding="utf-8")
        yield stale
    finally:
        info.unlink(missing_ok=True)
        lock.release()
