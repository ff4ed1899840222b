"""Overlapping builds: one lock per reports folder; the second waits or exits 75; a lock
left by a killed build is taken over."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis import config
from analysis.publish import store
from analysis.publish.errors import EXIT_LOCKED, BuildLocked
from analysis.publish.lock import HOLDER_NAME, build_lock
from tests.publish_fixtures import FIXTURES, data_folder, spec_toml


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(config.ROOT), str(FIXTURES)])}


def _cli(tmp_path: Path, spec: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "analysis.cli", "build", "--spec", str(spec), "--data", str(tmp_path / "data"),
         "--out", str(tmp_path / "reports"), "--no-progress", *args],
        env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting")
        time.sleep(0.1)


def test__lock__fail_policy_raises_naming_the_holder(tmp_path):
    with build_lock(tmp_path, say=lambda _: None):
        with pytest.raises(BuildLocked, match=rf"build pid {os.getpid()} on .* is building {tmp_path}"):
            with build_lock(tmp_path, if_locked="fail", say=lambda _: None):
                pytest.fail("a second holder got the lock")


def test__lock__wait_policy_gives_up_after_the_timeout(tmp_path):
    said = []
    with build_lock(tmp_path, say=lambda _: None):
        t0 = time.monotonic()
        with pytest.raises(BuildLocked, match=r"after 0\.5 s; giving up"):
            with build_lock(tmp_path, if_locked="wait", timeout=0.5, say=said.append):
                pytest.fail("a second holder got the lock")
        assert time.monotonic() - t0 >= 0.5
    assert len(said) == 1 and said[0].startswith(f"Waiting for build pid {os.getpid()} on {os.uname().nodename}, ")


def test__lock__left_by_a_killed_process_is_taken_over(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from analysis.publish.lock import build_lock\n"
         "with build_lock(Path(sys.argv[1]), say=print):\n    print('held', flush=True); time.sleep(600)", str(tmp_path)],
        env=_env(), stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    said = []
    t0 = time.monotonic()
    with build_lock(tmp_path, if_locked="fail", say=said.append) as stale:
        assert stale["pid"] == holder.pid
    assert time.monotonic() - t0 < 5
    assert said[0].startswith(f"Took over the build lock from build pid {holder.pid} ")
    assert not (tmp_path / HOLDER_NAME).exists()  # released cleanly this time


@pytest.mark.slow
def test__a_second_build_while_one_runs__exits_75_and_builds_nothing(tmp_path):
    data_folder(tmp_path, a_txt="alpha")
    spec = spec_toml(tmp_path, ("a", "a.txt", 6))
    first = _cli(tmp_path, spec)
    _wait_for((tmp_path / "reports" / HOLDER_NAME).exists)
    second = _cli(tmp_path, spec, "--if-locked", "fail")
    _, err = second.communicate(timeout=60)
    assert second.returncode == EXIT_LOCKED
    assert err.strip().splitlines() == [
        f"error: build pid {first.pid} on {os.uname().nodename}, started "
        f"{json.loads((tmp_path / 'reports' / HOLDER_NAME).read_text())['started']} is building "
        f"{tmp_path / 'reports'}; not starting a second one (use --if-locked wait to queue behind it)"]
    assert first.wait(timeout=300) == 0
    assert len(store.dated_folders(tmp_path / "reports")) == 1


@pytest.mark.slow
def test__two_concurrent_builds_that_wait__never_build_at_the_same_time(tmp_path):
    data_folder(tmp_path, a_txt="alpha")
    spec = spec_toml(tmp_path, ("a", "a.txt", 3))
    runs = [_cli(tmp_path, spec, "--force", "--if-locked", "wait") for _ in range(2)]
    assert [p.wait(timeout=300) for p in runs] == [0, 0]
    folders = store.dated_folders(tmp_path / "reports")
    assert len(folders) == 2
    spans = sorted((n["started"], n["ended"]) for f in folders
                   for n in json.loads((f / "build.json").read_text())["notebooks"].values())
    assert len(spans) == 2 and spans[0][1] <= spans[1][0]  # the second notebook started after the first ended
