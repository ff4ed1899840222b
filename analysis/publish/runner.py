"""Execute notebooks with papermill: explicit kernel and timeout, progress per cell,
and a failure that names the notebook, the cell and the error.

papermill's own progress bar is per notebook (tqdm); cell-level progress across several
notebooks needs a hook (papermill #165, #734), so a small engine reports each finished
cell to a callback that drives a ``rich`` progress display.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import nbformat
import papermill as pm
from papermill.engines import NBClientEngine, papermill_engines
from papermill.exceptions import PapermillExecutionError
from papermill.execute import ERROR_MARKER_TAG

from analysis import config
from analysis.publish.errors import BuildError, NotebookFailed
from analysis.publish.exporter import Section

CellCallback = Callable[[int], None]
_ENGINE = "rednote"


class _ProgressEngine(NBClientEngine):
    """NBClientEngine that calls ``on_cell(index)`` after each cell completes."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, on_cell: CellCallback | None = None, **kwargs):
        if on_cell is not None:
            complete = nb_man.cell_complete

            def cell_complete(cell, cell_index=None, **kw):
                complete(cell, cell_index=cell_index, **kw)
                on_cell(cell_index or 0)

            nb_man.cell_complete = cell_complete
        return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)


papermill_engines.register(_ENGINE, _ProgressEngine)


def _where(executed: Path, exc: PapermillExecutionError) -> tuple[int, str]:
    """1-based cell number in the *source* notebook (papermill's injected cell not
    counted, so it matches what the analyst sees in JupyterLab) and the cell id."""
    # exc.cell_index counts cells before papermill added its two error-marker cells.
    cells = [c for c in nbformat.read(executed, as_version=4).cells if ERROR_MARKER_TAG not in c.metadata.get("tags", [])]
    index = exc.cell_index
    if not 0 <= index < len(cells):
        return index + 1, ""
    before = sum(1 for c in cells[:index] if "injected-parameters" in c.metadata.get("tags", []))
    return index - before + 1, cells[index].get("id", "")


def cell_count(notebook: Path) -> int:
    """Cells papermill will step through: the notebook's own plus its injected parameters."""
    return len(nbformat.read(notebook, as_version=4).cells) + 1


def run_notebook(section: Section, params: dict, out_path: Path, on_cell: CellCallback | None = None) -> float:
    """Execute one notebook into ``out_path``; returns seconds taken.

    Raises NotebookFailed (notebook, cell, error) if any cell raises or times out.
    """
    for name, value in params.items():
        if not isinstance(value, str | int | float | bool | type(None)):
            raise BuildError(f"parameter {name}={value!r} is a {type(value).__name__}; papermill takes JSON types only")
    start = time.perf_counter()
    # Parameters are validated by the build and the parameters cells by tests/test_notebooks.py;
    # papermill's own warnings about them would only repeat, once per notebook.
    logging.getLogger("papermill").setLevel(logging.ERROR)
    try:
        pm.execute_notebook(
            str(section.notebook),
            str(out_path),
            parameters=params,
            kernel_name=config.KERNEL_NAME,
            execution_timeout=config.CELL_TIMEOUT_S,
            engine_name=_ENGINE,
            progress_bar=False,
            cwd=str(section.notebook.parent),
            on_cell=on_cell,
            # ipykernel warns on every start that its loopback TCP is unencrypted; noise here.
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
    except PapermillExecutionError as exc:
        cell, cell_id = _where(out_path, exc)
        raise NotebookFailed(section.notebook.name, cell, cell_id, f"{exc.ename}: {exc.evalue}", str(out_path)) from None
    except (RuntimeError, TimeoutError) as exc:
        # nbclient raises CellTimeoutError / DeadKernelError (RuntimeError subclasses) for a
        # hung or crashed kernel; papermill #476, #478.
        raise NotebookFailed(section.notebook.name, 0, "", f"{type(exc).__name__}: {exc}", str(out_path)) from None
    return time.perf_counter() - start


def run_all(sections: Sequence[Section], params: dict, staging: Path, show_progress: bool = True) -> dict[str, float]:
    """Execute every section's notebook, in order, into ``staging``; stop at the first failure.

    Returns seconds per notebook.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    timings: dict[str, float] = {}
    totals = {s.id: cell_count(s.notebook) for s in sections}
    with Progress(
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("cells"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=not show_progress,
        transient=False,
    ) as progress:
        for section in sections:
            task = progress.add_task(section.notebook.name, total=totals[section.id])
            done = {"n": 0}

            def on_cell(_index: int, task=task, done=done) -> None:
                done["n"] += 1
                progress.update(task, completed=done["n"])

            out = staging / section.notebook.name
            timings[section.notebook.name] = run_notebook(section, params, out, on_cell=on_cell)
            progress.update(task, completed=totals[section.id])
    return timings
