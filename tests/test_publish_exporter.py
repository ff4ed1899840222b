"""analysis.publish.exporter: merging notebooks and keeping the report offline."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis.display import render
from analysis.publish import exporter
from analysis.publish.errors import BuildError
from analysis.publish.exporter import Section


def _nb(path, cells):
    nb = new_notebook()
    nb.cells = cells
    nbformat.write(nb, path)
    return path


def _figure_output(fid: str):
    return new_output("display_data", data={render.MIME_FIGURE: {"id": fid, "title": f"title {fid}"},
                                            "text/html": "<div>lab</div>", "text/plain": fid})


def test__clean_output__drops_stderr_keeps_stdout():
    assert exporter._clean_output(new_output("stream", name="stderr", text="warning")) is None
    out = new_output("stream", name="stdout", text="hello")
    assert exporter._clean_output(out) == out


def test__clean_output__keeps_only_our_mimetype():
    cleaned = exporter._clean_output(_figure_output("a"))
    assert list(cleaned["data"]) == [render.MIME_FIGURE]


def test__clean_output__replaces_scripted_html_with_a_notice():
    out = new_output("display_data", data={"text/html": '<script src="https://cdn.example/vega.js"></script>'})
    assert exporter._clean_output(out)["data"] == {"text/plain": exporter._DROPPED_NOTICE}


def test__clean_output__keeps_static_html():
    out = new_output("execute_result", data={"text/html": "<table><tr><td>1</td></tr></table>"}, execution_count=1)
    assert exporter._clean_output(out) == out


def test__merge__sections_figures_and_hidden_parameter_cells(tmp_path):
    params = new_code_cell("x = 1")
    params.metadata["tags"] = ["parameters"]
    fig_cell = new_code_cell("show(fig)")
    fig_cell.outputs = [_figure_output("one")]
    a = _nb(tmp_path / "a.ipynb", [new_markdown_cell("# A"), params, fig_cell])
    b = _nb(tmp_path / "b.ipynb", [new_markdown_cell("# B")])
    merged, toc = exporter.merge([(Section("a", "A", a), a), (Section("methods", "Methods", b), b)],
                                 build_record_section="methods")
    assert toc == [{"id": "a", "title": "A", "figures": [{"id": "one", "title": "title one"}]},
                   {"id": "methods", "title": "Methods", "figures": []}]
    assert [c.source for c in merged.cells] == ["# A", "show(fig)", "# B"]
    assert merged.cells[0].metadata["rednote"] == {"section_start": {"id": "a", "title": "A", "folded": ""}}
    assert merged.cells[1].metadata["rednote"] == {"section_end": True, "section_folded": False}
    assert merged.cells[2].metadata["rednote"] == {"section_start": {"id": "methods", "title": "Methods", "folded": ""},
                                                   "section_end": True, "section_folded": False, "build_record": True}


def test__export__a_folded_section_opens_folded_with_its_charts_inside(tmp_path):
    fig_cell = new_code_cell("show(fig)")
    fig_cell.outputs = [new_output("display_data", data={render.MIME_FIGURE: {
        "id": "deep", "title": "t", "spec": {"mark": "bar"}, "csv": "a\n1\n", "rows": 1}})]
    a = _nb(tmp_path / "a.ipynb", [new_markdown_cell("# A")])
    b = _nb(tmp_path / "b.ipynb", [new_markdown_cell("# Explore"), fig_cell])
    html, _ = exporter.export_report([(Section("a", "A", a), a),
                                      (Section("explore", "Explore", b, folded="for analysts"), b)],
                                     {"title": "T"}, {})
    fold = html.index('<details class="rn-section-fold">')
    assert html.index('id="a"') < fold < html.index('data-target="chart-deep"') < html.index("</details>", fold)
    assert "Explore</span> — for analysts</summary>" in html


def test__merge__a_figure_id_used_twice_fails(tmp_path):
    cell = new_code_cell("show(fig)")
    cell.outputs = [_figure_output("dup")]
    a = _nb(tmp_path / "a.ipynb", [cell])
    b = _nb(tmp_path / "b.ipynb", [cell])
    with pytest.raises(BuildError, match="figure id 'dup' is used twice"):
        exporter.merge([(Section("a", "A", a), a), (Section("b", "B", b), b)])


def test__build_record_html__escapes_values():
    html = exporter.build_record_html({"built_at": "2025-01-01T00:00:00Z", "git_rev": "<b>",
                                       "parameters": {"start_date": "", "user_data": "<x>"},
                                       "inputs": [{"path": "a/b.csv", "sha256": "ab12"}]})
    assert "<b>" not in html and "<x>" not in html
    assert "start_date = (default), user_data = &lt;x&gt;" in html
    assert "<code>a/b.csv</code> sha256 <code>ab12</code>" in html


def test__vega_runtime__is_one_inlinable_script():
    js = exporter.vega_runtime()
    assert "window.vegaEmbed=" in js
    assert "</script" not in js.lower()
