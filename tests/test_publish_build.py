"""analysis.publish.build and .store: publishing atomically into dated folders, failures
and killed runs that keep the previous report, and reports that are byte-for-byte
reproducible."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from analysis import config
from analysis.config import Settings
from analysis.publish import build as publish
from analysis.publish import store
from analysis.publish.errors import NotebookFailed
from analysis.publish.exporter import Section
from analysis.publish.spec import fixture_spec, load_spec
from tests.publish_fixtures import FIXTURES, data_folder, spec_toml

NOTEBOOKS = FIXTURES / "notebooks"
GOOD = [Section("summary", "Summary", NOTEBOOKS / "summary.ipynb"), Section("tech", "Tech", NOTEBOOKS / "chart.ipynb")]
FAILING = [*GOOD, Section("broken", "Broken", NOTEBOOKS / "failing.ipynb")]


def _build(reports: Path, sections, **options):
    settings = Settings.create(reports_dir=reports, show_progress=False, **options)
    return publish.build(settings, fixture_spec(sections, title="Fixture"), say=lambda line: None)


# --- the reports folder -------------------------------------------------------------------

def test__swap_in__replaces_target_and_removes_the_old(tmp_path):
    (tmp_path / "latest").mkdir()
    (tmp_path / "latest" / "report.html").write_text("old")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "report.html").write_text("new")
    store.swap_in(tmp_path / "site", tmp_path / "latest")
    assert (tmp_path / "latest" / "report.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest"]


def _site(tmp_path: Path, text: str) -> Path:
    site = tmp_path / f"site-{text}"
    site.mkdir()
    (site / "report.html").write_text(text)
    return site


def test__publish__dated_folders_latest_points_at_the_newest_and_only_n_are_kept(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    for hour in range(4):
        store.publish(_site(tmp_path, f"r{hour}"), reports, datetime(2025, 3, 2, hour, tzinfo=UTC), keep=2)
    assert sorted(p.name for p in reports.iterdir()) == ["2025-03-02T020000Z", "2025-03-02T030000Z", "latest"]
    assert os.readlink(reports / "latest") == "2025-03-02T030000Z"  # relative: the folder can be moved
    assert (reports / "latest" / "report.html").read_text() == "r3"


def test__publish__two_builds_in_one_second_get_two_folders(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    when = datetime(2025, 3, 2, 6, tzinfo=UTC)
    store.publish(_site(tmp_path, "a"), reports, when, keep=5)
    store.publish(_site(tmp_path, "b"), reports, when, keep=5)
    assert [p.name for p in store.dated_folders(reports)] == ["2025-03-02T060000Z", "2025-03-02T060000Z-2"]
    assert (reports / "latest" / "report.html").read_text() == "b"


def test__publish__a_latest_folder_from_before_dated_folders_is_kept_as_one(tmp_path):
    reports = tmp_path / "reports"
    (reports / "latest").mkdir(parents=True)
    (reports / "latest" / "report.html").write_text("legacy")
    (reports / "latest" / "build.json").write_text(json.dumps({"built_at": "2025-01-20T10:00:00Z"}))
    store.publish(_site(tmp_path, "new"), reports, datetime(2025, 3, 2, tzinfo=UTC), keep=5)
    assert (reports / "2025-01-20T100000Z" / "report.html").read_text() == "legacy"
    assert (reports / "latest" / "report.html").read_text() == "new"


def test__clean_debris__removes_what_killed_builds_leave_and_nothing_else(tmp_path):
    for name in (".staging-abc", ".latest.tmp-1-2", ".failed.old-3-4", "2025-03-02T060000Z", ".cache"):
        (tmp_path / name).mkdir()
    (tmp_path / ".last-run.json.tmp-9").write_text("{")
    removed = store.clean_debris(tmp_path)
    assert sorted(removed) == [".failed.old-3-4", ".last-run.json.tmp-9", ".latest.tmp-1-2", ".staging-abc"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", "2025-03-02T060000Z"]


def test__load_spec__the_repository_report(tmp_path):
    spec = load_spec(config.ROOT / "report.toml")
    assert [s.id for s in spec.sections] == ["summary", "tech", "culture", "politics", "commerce", "explore", "methods"]
    assert all(s.notebook.is_file() for s in spec.sections)
    assert spec.build_record_section == "methods"
    assert callable(spec.hook("prepare")) and callable(spec.hook("collect")) and callable(spec.hook("inputs"))


@pytest.mark.parametrize(
    ("toml", "message"),
    [('[report]\ntitle = "x"\n', "lists no \\[\\[sections\\]\\]"),
     ('[[sections]]\nid = "a"\ntitle = "A"\n', "#1: lacks notebook"),
     ('[report]\nprepare = "nomodule"\n[[sections]]\nid = "a"\ntitle = "A"\nnotebook = "a.ipynb"\n',
      "prepare = 'nomodule'; write it as 'package.module:function'"),
     ('[[sections]]\nid = "a"\ntitle = "A"\nnotebook = "a.ipynb"\n[[sections]]\nid = "a"\ntitle = "B"\nnotebook = "b.ipynb"\n',
      "#2: id 'a' is used twice")],
)
def test__load_spec__names_the_file_and_the_problem(tmp_path, toml, message):
    path = tmp_path / "report.toml"
    path.write_text(toml)
    with pytest.raises(publish.BuildError, match=f"{re.escape(str(path))}.*{message}"):
        load_spec(path)


# --- whole builds of fixture reports -------------------------------------------------------

@pytest.mark.slow
def test__build__fixture_report_sections_in_order_without_code(tmp_path):
    result = _build(tmp_path, GOOD)
    html = result.report.read_text(encoding="utf-8")
    assert result.report == tmp_path / "latest" / "report.html"
    assert html.index('<section aria-label="Summary"') < html.index('<section aria-label="Tech"')
    assert "show_key_findings(ledger)" not in html  # code is hidden
    assert "In&nbsp;[" not in html and "Out[" not in html  # so are prompts
    assert html.count("window.vegaEmbed=") == 1  # the runtime is inlined once
    assert result.figures == 1
    record = json.loads((tmp_path / "latest" / "build.json").read_text())
    assert (record["outcome"], record["counts"]["figures"]) == ("ok", 1)
    assert sorted(p.name for p in (tmp_path / "latest" / "notebooks").iterdir()) == ["chart.ipynb", "summary.ipynb"]
    assert not list(tmp_path.glob(".staging-*"))


@pytest.mark.slow
def test__build__a_failing_notebook_names_the_cell_and_keeps_the_old_report(tmp_path):
    _build(tmp_path, GOOD)
    before = (tmp_path / "latest" / "report.html").read_bytes()
    with pytest.raises(NotebookFailed) as failure:
        _build(tmp_path, FAILING)
    assert str(failure.value).startswith(
        "failing.ipynb failed at cell 3 (id failin-02): RuntimeError: deliberate failure for the build test"
    )
    assert failure.value.executed_copy == str(tmp_path / "failed" / "failing.ipynb")
    assert (tmp_path / "latest" / "report.html").read_bytes() == before
    assert (tmp_path / "failed" / "failing.ipynb").exists()
    record = json.loads((tmp_path / "failed" / "build.json").read_text())
    assert (record["outcome"], record["exit_code"]) == ("failed", 1)
    assert record["error"].startswith("failing.ipynb failed at cell 3")
    assert json.loads((tmp_path / "last-run.json").read_text()) == record
    assert not list(tmp_path.glob(".staging-*"))


@pytest.mark.slow
def test__build__a_run_killed_mid_way_keeps_the_report_and_the_next_run_cleans_up(tmp_path):
    data_folder(tmp_path, a_txt="alpha")
    spec = spec_toml(tmp_path, ("a", "a.txt", 0))
    reports = tmp_path / "reports"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(config.ROOT), str(FIXTURES)])}
    cli = [sys.executable, "-m", "analysis.cli", "build", "--spec", str(spec), "--data", str(tmp_path / "data"),
           "--out", str(reports), "--no-progress"]
    subprocess.run(cli, env=env, check=True, capture_output=True, timeout=300)
    report = reports / "latest" / "report.html"
    before, target = report.read_bytes(), os.readlink(reports / "latest")

    slow = spec_toml(tmp_path, ("a", "a.txt", 30))  # same report, a notebook that takes 30 s
    victim = subprocess.Popen([*cli[:4], "--spec", str(slow), *cli[6:], "--force"], env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list((reports / ".cache" / "prepared").glob("*")) or not list(reports.glob(".staging-*/site/notebooks")):
        assert time.monotonic() < deadline and victim.poll() is None
        time.sleep(0.2)
    time.sleep(3)  # into the notebook
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait()

    assert report.read_bytes() == before and os.readlink(reports / "latest") == target
    assert list(reports.glob(".staging-*"))  # the debris the next run must clean
    nxt = subprocess.run(cli, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert nxt.returncode == 0, nxt.stderr
    assert re.search(r"^Removed what an interrupted build left behind: \.staging-", nxt.stderr, re.M)
    assert not list(reports.glob(".staging-*"))


def _unstamped(html: str, record: dict) -> str:
    """The report without its build stamp (when, and from which git revision)."""
    return html.replace(record["built_at"], "<built_at>").replace(record["git_rev"], "<git_rev>")


@pytest.mark.slow
def test__build__same_inputs_give_the_same_report_bytes(tmp_path):
    first = _build(tmp_path / "one", GOOD)
    second = _build(tmp_path / "two", GOOD)  # a second folder: nothing cached
    assert second.record["cache"]["misses"] == 2
    assert _unstamped(first.report.read_text(), first.record) == _unstamped(second.report.read_text(), second.record)
