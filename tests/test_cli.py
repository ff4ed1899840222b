"""analysis.cli: help, exit codes, one-line reasons, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analysis import cli

runner = CliRunner()


def test__build__help_lists_every_option():
    result = runner.invoke(cli.app, ["build", "--help"])
    assert result.exit_code == 0
    for option in ("--data-mode", "--mirror", "--data", "--start", "--end", "--out", "--force", "--jobs", "--keep",
                   "--if-locked", "--lock-timeout", "--spec", "--engine"):
        assert option in result.output


@pytest.mark.parametrize(
    ("args", "reason"),
    [(["--start", "2025-13-01"], "--start '2025-13-01' is not a date; write it as YYYY-MM-DD, e.g. 2025-01-13"),
     (["--start", "2025-02-01", "--end", "2025-01-01"], "--start 2025-02-01 is after --end 2025-01-01"),
     (["--data-mode", "cloud"], "data mode 'cloud' is not one of auto, real, sample"),
     (["--data", "/no/such/export.csv"], "--data /no/such/export.csv: no such file or folder"),
     (["--mirror", "/no/such/mirror"], "--mirror /no/such/mirror: no such folder (point it at a copy of the public data sets)"),
     (["--if-locked", "skip"], "--if-locked 'skip' is not one of wait, fail"),
     (["--keep", "0"], "--keep 0: keep at least the newest report"),
     (["--spec", "/no/report.toml"], "--spec /no/report.toml: no such file (a report.toml listing the sections)"),
     (["--engine", "dask"], "--engine 'dask' is not one of polars, spark")],
)
def test__build__bad_input_exits_2_with_one_line(args, reason, tmp_path):
    result = runner.invoke(cli.app, ["build", "--out", str(tmp_path), *args])
    assert result.exit_code == cli.EXIT_BAD_INPUT
    assert result.output.strip() == f"error: {reason}"
    assert list(tmp_path.iterdir()) == []  # nothing was built


def test__build__real_mode_without_data_exits_3(tmp_path, monkeypatch):
    from analysis.io.bundle import DataUnavailable

    def unavailable(settings, **_):
        raise DataUnavailable("no mirror at /x; set --mirror")

    monkeypatch.setattr("analysis.publish.build.build", unavailable)
    result = runner.invoke(cli.app, ["build", "--data-mode", "real", "--out", str(tmp_path)])
    assert result.exit_code == cli.EXIT_NO_DATA == 3
    assert result.output.strip() == "error: real data unavailable: no mirror at /x; set --mirror"


def test__build__locked_exits_75_with_the_reason(tmp_path, monkeypatch):
    from analysis.publish.errors import BuildLocked

    def locked(settings, **_):
        raise BuildLocked("build pid 7 on host, started 2025-03-02T06:00:00Z is building /r; not starting a second one")

    monkeypatch.setattr("analysis.publish.build.build", locked)
    result = runner.invoke(cli.app, ["build", "--if-locked", "fail", "--out", str(tmp_path)])
    assert result.exit_code == cli.EXIT_LOCKED == 75
    assert result.output.strip() == ("error: build pid 7 on host, started 2025-03-02T06:00:00Z is building /r; "
                                     "not starting a second one")


def test__build__options_reach_the_build_as_settings_and_the_environment_is_untouched(tmp_path, monkeypatch):
    seen = {}

    def capture(settings, **_):
        seen["settings"] = settings
        raise ValueError("stop here")

    monkeypatch.delenv("REDNOTE_DATA_MIRROR", raising=False)
    monkeypatch.setenv("REDNOTE_JOBS", "3")  # an environment default …
    monkeypatch.setattr("analysis.publish.build.build", capture)
    environ = dict(os.environ)
    runner.invoke(cli.app, ["build", "--mirror", str(tmp_path), "--start", "2025-01-09", "--keep", "4", "--force",
                            "--if-locked", "fail", "--out", str(tmp_path / "r")])
    assert dict(os.environ) == environ  # nothing written into the environment
    s = seen["settings"]
    assert (s.mirror, s.start_date, s.keep, s.force, s.if_locked, s.jobs) == (tmp_path, "2025-01-09", 4, True, "fail", 3)
    assert s.reports_dir == tmp_path / "r"
    runner.invoke(cli.app, ["build", "--jobs", "1", "--out", str(tmp_path / "r")])
    assert seen["settings"].jobs == 1  # … that an option overrides


def test__build__engine_spark_without_pyspark_exits_2_with_the_install_command(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # as if the [spark] extra were not installed
    result = runner.invoke(cli.app, ["build", "--engine", "spark", "--out", str(tmp_path)])
    assert result.exit_code == cli.EXIT_BAD_INPUT
    assert result.output.strip() == ("error: --engine spark needs pyspark, which is not installed: "
                                     "pip install '.[spark]'")
    assert list(tmp_path.iterdir()) == []  # stopped before any work


def test__build__engine_reaches_the_settings_and_every_notebook(tmp_path, monkeypatch):
    seen = {}

    def capture(settings, **_):
        seen["settings"] = settings
        raise ValueError("stop here")

    monkeypatch.setattr("analysis.publish.build.build", capture)
    monkeypatch.setattr("analysis.engines.module", lambda engine: None)  # pyspark need not be here
    runner.invoke(cli.app, ["build", "--engine", "spark", "--out", str(tmp_path / "r")])
    assert seen["settings"].engine == "spark"
    assert seen["settings"].notebook_parameters()["engine"] == "spark"
    runner.invoke(cli.app, ["build", "--out", str(tmp_path / "r")])
    assert seen["settings"].engine == "polars"  # the default


def test__entry_point__bad_date_prints_no_traceback():
    exe = Path(sys.executable).with_name("rednote-report")
    proc = subprocess.run([str(exe), "build", "--end", "yesterday"], check=False, capture_output=True, text=True, timeout=60)
    assert proc.returncode == cli.EXIT_BAD_INPUT
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stderr.strip().splitlines() == ["error: --end 'yesterday' is not a date; write it as YYYY-MM-DD, e.g. 2025-01-13"]


@pytest.mark.slow
def test__entry_point__auto_without_real_data_builds_the_illustrative_report(tmp_path):
    empty_mirror = tmp_path / "mirror"
    empty_mirror.mkdir()
    env = {**os.environ, "REDNOTE_CACHE_DIR": str(tmp_path / "cache"), "REDNOTE_REPORTS_DIR": str(tmp_path / "reports")}
    exe = Path(sys.executable).with_name("rednote-report")
    proc = subprocess.run([str(exe), "build", "--mirror", str(empty_mirror), "--no-progress"], env=env,
                          check=False, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-2000:]
    said = proc.stderr.splitlines()
    assert said[0].startswith("Real data unavailable: ") and "REDNOTE_DATA_MIRROR" in said[0]
    assert said[1] == "Building the ILLUSTRATIVE report from the synthetic sample instead."
    assert "Report (ILLUSTRATIVE synthetic sample):" in proc.stdout
    html = (tmp_path / "reports" / "latest" / "report.html").read_text(encoding="utf-8")
    assert "ILLUSTRATIVE — synthetic sample, not evidence" in html


def test__data_export__writes_month_partitions_and_refuses_a_full_folder(tmp_path):
    export = Path(__file__).parent / "fixtures" / "exports" / "notes_and_comments"
    done = runner.invoke(cli.app, ["data", "export", "--out", str(tmp_path / "out"), "--data", str(export)])
    assert done.exit_code == 0, done.output
    # 15 notes and 69 comments (tests/fixtures/exports/README.md), all posted in January 2025
    assert "15 notes, 69 comments" in done.output
    assert sorted(p.name for p in (tmp_path / "out" / "notes").iterdir()) == ["month=2025-01"]
    again = runner.invoke(cli.app, ["data", "export", "--out", str(tmp_path / "out"), "--data", str(export)])
    assert again.exit_code == 2 and "not an empty folder" in again.output
