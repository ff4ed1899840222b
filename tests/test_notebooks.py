"""The notebooks in notebooks/: committed clean, parameterized, and runnable as they are.

One test per notebook (the file name is the test id), so adding a notebook adds tests.
"""

from __future__ import annotations

import nbformat
import papermill as pm
import pytest

from analysis import config
from analysis.config import Settings
from analysis.publish.exporter import Section
from analysis.publish.runner import run_notebook
from analysis.publish.spec import load_spec

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
#: What the build injects into every notebook (Settings.notebook_parameters, plus its cache folder).
PARAMETERS = {"data_mode", "start_date", "end_date", "user_data", "engine", "cache_dir"}
ids = [p.name for p in NOTEBOOKS]


def test__notebooks__are_the_sections_of_the_report_in_order():
    assert [p.name for p in NOTEBOOKS] == [s.notebook.name for s in load_spec(config.ROOT / "report.toml").sections]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test__notebook__committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [i + 1 for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert dirty == [], f"{path.name}: cells {dirty} carry outputs or execution counts; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test__notebook__has_one_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [i + 1 for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: {len(tagged)} cells tagged 'parameters' (cells {tagged}); need exactly one"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test__notebook__papermill_reads_every_parameter(path):
    # papermill parses the parameters cell line by line; a second '=' on a line (even in a
    # comment) makes it skip that parameter and warn "Passed unknown parameter" at build time.
    found = {name for name in pm.inspect_notebook(str(path))}
    assert found == PARAMETERS, f"{path.name}: papermill sees parameters {sorted(found)}, expected {sorted(PARAMETERS)}"


def test__notebook__parameters_are_what_the_build_sends():
    assert set(Settings().notebook_parameters()) | {"cache_dir"} == PARAMETERS


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test__notebook__runs_top_to_bottom_with_default_parameters(path, tmp_path):
    # An analyst's "Run All": no injected values, so each notebook loads the data itself.
    seconds = run_notebook(Section(path.stem, path.stem, path), {}, tmp_path / path.name)
    executed = nbformat.read(tmp_path / path.name, as_version=4)
    assert seconds > 0
    assert all(c.execution_count for c in executed.cells if c.cell_type == "code" and c.source.strip())
