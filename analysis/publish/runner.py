"""Execute notebooks with papermill: explicit kernel and timeout, progress per cell,
and a failure that names the notebook, the cell and the error.

papermill's own progress bar is per notebook (tqdm); cell-level progress across several
notebooks needs a hook (papermill #165, #734), so a small engine reports each finished
cell to a callback that drives a ``rich`` progress display.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
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


def run_notebook(section: Section, params: dict, out_path: Path, on_cell: CellCallback | None = None,
                 *, kernel_name: str = config.KERNEL_NAME, timeout: int = config.CELL_TIMEOUT_S) -> float:
    """Execute one notebook into ``out_path``; returns seconds taken.

    Raises NotebookFailed (notebook, cell, error) if any cell raises or times out.
    """
    for name, value in params.items():
        if not isinstance(value, str | int | float | bool | type(None)):
            raise BuildError(f"parameter {name}={value!r} is a {type(value).__name__}; papermill takes JSON types only")
    start = time.perf_counter()
    notebook, out_path = section.notebook.resolve(), Path(out_path).resolve()
    # Parameters are validated by the build and the parameters cells by tests/test_notebooks.py;
    # papermill's own warnings about them would only repeat, once per notebook.
    logging.getLogger("papermill").setLevel(logging.ERROR)
    try:
        pm.execute_notebook(
            str(notebook),
            str(out_path),
            parameters=params,
            kernel_name=kernel_name,
            execution_timeout=timeout,
            engine_name=_ENGINE,
            progress_bar=False,
            # The kernel starts in the notebook's folder. Not papermill's ``cwd``: it calls
            # os.chdir, which is process-wide and races between notebooks run in threads.
            resources={"metadata": {"path": str(section.notebook.resolve().parent)}},
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


@dataclass(frozen=True)
class Run:
    """One section's notebook in a build: executed now, or taken from the cache."""

    section: Section
    params: dict
    cached: Path | None = None  # the cached executed notebook, when the key matched


def run_all(runs: Sequence[Run], staging: Path, *, jobs: int = 1, show_progress: bool = True,
            kernel_name: str = config.KERNEL_NAME, timeout: int = config.CELL_TIMEOUT_S) -> dict[str, dict]:
    """Execute (or copy from the cache) every section's notebook into ``staging``.

    Up to ``jobs`` notebooks run at once (the sections are independent once the build has
    prepared the shared data). After the first failure no further notebook starts; the
    ones running finish, and the failure of the earliest section in report order is raised.
    Returns per section id: ``notebook``, ``cache`` ("hit"/"miss"), ``seconds``,
    ``started``/``ended`` (seconds since the epoch, for the build's timeline).
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    timings: dict[str, dict] = {}
    failures: dict[int, NotebookFailed] = {}
    stop = threading.Event()
    with Progress(
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[state]}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=not show_progress,
        transient=False,
    ) as progress:
        tasks = {}
        for run in runs:
            total = cell_count(run.section.notebook)
            tasks[run.section.id] = progress.add_task(run.section.notebook.name, total=total, start=False,
                                                      state="cached" if run.cached else "queued")

        def execute(index: int, run: Run) -> None:
            name, task = run.section.notebook.name, tasks[run.section.id]
            out = staging / name
            if run.cached is not None:
                shutil.copyfile(run.cached, out)
                progress.update(task, completed=progress.tasks[task].total)
                timings[run.section.id] = {"notebook": name, "cache": "hit", "seconds": 0.0}
                return
            if stop.is_set():
                return
            progress.start_task(task)
            progress.update(task, state="cells")
            done = {"n": 0}

            def on_cell(_index: int) -> None:
                done["n"] += 1
                progress.update(task, completed=done["n"])

            started = time.time()
            try:
                seconds = run_notebook(run.section, run.params, out, on_cell=on_cell,
                                       kernel_name=kernel_name, timeout=timeout)
            except NotebookFailed as exc:
                failures[index] = exc
                stop.set()
                progress.update(task, state="FAILED")
                return
            progress.update(task, completed=progress.tasks[task].total, state="cells")
            timings[run.section.id] = {"notebook": name, "cache": "miss", "seconds": round(seconds, 2),
                             "started": round(started, 3), "ended": round(time.time(), 3)}

        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            for future in [pool.submit(execute, i, run) for i, run in enumerate(runs)]:
                future.result()  # re-raises anything but a notebook failure (a bug, a full disk)
    if failures:
        raise failures[min(failures)]
    return {run.section.id: timings[run.section.id] for run in runs}
