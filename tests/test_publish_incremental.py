"""Incremental builds: a section's notebook re-executes only when something it reads changed."""

from __future__ import annotations

import json

import pytest

from analysis.publish import build as publish
from analysis.publish import cache
from tests.publish_fixtures import data_folder, echo_section, echo_spec, settings

pytestmark = pytest.mark.slow  # each build starts Jupyter kernels


def _spec(tmp_path, b_seconds: float = 0):
    nbs = tmp_path / "notebooks"
    return echo_spec(echo_section(nbs, "a", "a.txt"), echo_section(nbs, "b", "b.txt", b_seconds))


def _build(tmp_path, data, spec=None, **options):
    return publish.build(settings(tmp_path, data, **options), spec or _spec(tmp_path), say=lambda _: None)


def _states(result) -> dict[str, str]:
    return {sid: info["cache"] for sid, info in result.notebooks.items()}


def test__no_change_rebuild__executes_zero_notebooks(tmp_path):
    data = data_folder(tmp_path, a_txt="alpha", b_txt="beta")
    first = _build(tmp_path, data)
    second = _build(tmp_path, data)
    assert _states(first) == {"a": "miss", "b": "miss"}
    assert _states(second) == {"a": "hit", "b": "hit"}
    assert second.executed == []
    assert (second.record["cache"]["hits"], second.record["cache"]["misses"]) == (2, 0)
    html = second.report.read_text(encoding="utf-8")
    assert "a.txt: alpha" in html and "b.txt: beta" in html


def test__changing_one_input__re_executes_only_the_section_reading_it(tmp_path):
    data = data_folder(tmp_path, a_txt="alpha", b_txt="beta")
    _build(tmp_path, data)
    (data / "b.txt").write_text("BETA, revised", encoding="utf-8")
    result = _build(tmp_path, data)
    assert _states(result) == {"a": "hit", "b": "miss"}
    html = result.report.read_text(encoding="utf-8")
    assert "a.txt: alpha" in html and "b.txt: BETA, revised" in html and "b.txt: beta" not in html


def test__force__re_executes_every_notebook(tmp_path):
    data = data_folder(tmp_path, a_txt="alpha", b_txt="beta")
    _build(tmp_path, data)
    assert _states(_build(tmp_path, data, force=True)) == {"a": "miss", "b": "miss"}


def test__changed_code_notebook_or_parameters__re_execute_what_they_touch(tmp_path, monkeypatch):
    data = data_folder(tmp_path, a_txt="alpha", b_txt="beta")
    code = tmp_path / "code"
    code.mkdir()
    (code / "measure.py").write_text("X = 1\n")
    monkeypatch.setattr(cache, "CODE_DIRS", (code,))
    _build(tmp_path, data)
    (code / "measure.py").write_text("X = 2\n")
    assert _states(_build(tmp_path, data)) == {"a": "miss", "b": "miss"}  # the analysis code changed
    assert _states(_build(tmp_path, data, _spec(tmp_path, b_seconds=0.1))) == {"a": "hit", "b": "miss"}
    notebook = tmp_path / "notebooks" / "echo_a.ipynb"
    notebook.write_text(notebook.read_text().replace("(no input)", "(none)"))
    assert _states(_build(tmp_path, data, _spec(tmp_path, b_seconds=0.1))) == {"a": "miss", "b": "hit"}


def test__the_window__is_a_parameter_of_every_section(tmp_path):
    data = data_folder(tmp_path, a_txt="alpha", b_txt="beta")
    _build(tmp_path, data)
    assert _states(_build(tmp_path, data, start_date="2025-01-13")) == {"a": "miss", "b": "miss"}


def test__build_json__is_the_schedulers_manifest(tmp_path):
    data = data_folder(tmp_path, a_txt="alpha", b_txt="beta")
    result = _build(tmp_path, data)
    reports = tmp_path / "reports"
    record = json.loads((reports / "latest" / "build.json").read_text(encoding="utf-8"))
    assert record == json.loads((reports / "last-run.json").read_text(encoding="utf-8"))
    assert (record["outcome"], record["exit_code"]) == ("ok", 0)
    assert record["started_at"] <= record["ended_at"]
    assert record["data_root"] == str(data)
    assert {f["path"] for f in record["inputs"]} == {"a.txt", "b.txt", "notebooks/echo_a.ipynb", "notebooks/echo_b.ipynb"}
    assert {sid: (n["notebook"], n["cache"]) for sid, n in record["notebooks"].items()} == {
        "a": ("echo_a.ipynb", "miss"), "b": ("echo_b.ipynb", "miss")}
    assert (reports / "latest").is_symlink() and (reports / "latest").resolve() == result.folder
