"""analysis.publish.build: parameters, atomic publish, and failures that keep the old report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.publish import build as publish
from analysis.publish.errors import NotebookFailed
from analysis.publish.exporter import Section

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
GOOD = [Section("summary", "Summary", FIXTURES / "summary.ipynb"), Section("tech", "Tech", FIXTURES / "chart.ipynb")]
FAILING = [*GOOD, Section("broken", "Broken", FIXTURES / "failing.ipynb")]


def _build(reports: Path, sections):
    return publish.build(sections=sections, reports_dir=reports, load_data=False, show_progress=False,
                         say=lambda line: None)


def test__validate_parameters__accepts_iso_dates():
    assert publish.validate_parameters("sample", "2025-01-10", "2025-01-20", "") == {
        "data_mode": "sample", "start_date": "2025-01-10", "end_date": "2025-01-20", "user_data": ""}


@pytest.mark.parametrize(
    ("args", "message"),
    [(("nope", "", "", ""), "data mode 'nope' is not one of auto, real, sample"),
     (("auto", "2025-13-01", "", ""), "--start '2025-13-01' is not a date; write it as YYYY-MM-DD"),
     (("auto", "", "14/01/2025", ""), "--end '14/01/2025' is not a date"),
     (("auto", "2025-02-01", "2025-01-01", ""), "--start 2025-02-01 is after --end 2025-01-01"),
     (("auto", "", "", "/no/such/export.csv"), "--data /no/such/export.csv: no such file or folder")],
)
def test__validate_parameters__rejects_with_the_fix(args, message):
    with pytest.raises(ValueError, match=message):
        publish.validate_parameters(*args)


def test__swap_in__replaces_target_and_removes_the_old(tmp_path):
    (tmp_path / "latest").mkdir()
    (tmp_path / "latest" / "report.html").write_text("old")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "report.html").write_text("new")
    publish._swap_in(tmp_path / "site", tmp_path / "latest")
    assert (tmp_path / "latest" / "report.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest"]


@pytest.mark.slow
def test__build__fixture_report_sections_in_order_without_code(tmp_path):
    result = _build(tmp_path, GOOD)
    html = result.report.read_text(encoding="utf-8")
    assert result.report == tmp_path / "latest" / "report.html"
    assert html.index('<section aria-label="Summary"') < html.index('<section aria-label="Tech"')
    assert "show_key_findings(ledger)" not in html  # code is hidden
    assert "In&nbsp;[" not in html and "Out[" not in html  # so are prompts
    assert "jp-InputArea-editor" not in html
    assert html.count("window.vegaEmbed=") == 1  # the runtime is inlined once
    assert result.figures == 1
    record = json.loads((tmp_path / "latest" / "build.json").read_text())
    assert record["outcome"] == "ok"
    assert record["counts"]["figures"] == 1
    assert sorted(p.name for p in (tmp_path / "latest" / "notebooks").iterdir()) == ["chart.ipynb", "summary.ipynb"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest"]  # no staging left behind


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
    assert record["outcome"] == "failed"
    assert record["error"].startswith("failing.ipynb failed at cell 3")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["failed", "latest"]
