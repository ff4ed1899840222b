"""The command line: ``rednote-report build``, ``rednote-report data check|fetch``.

Exit codes: 0 built/ok; 1 the build or a data step failed (reason on one line);
2 bad input (an option value, a missing file). Errors the user can fix never show a
Python traceback: the project's own error classes (ValueError subclasses for inputs,
DataUnavailable, BuildError) are caught here and printed as one line.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from analysis.io.bundle import DataUnavailable
from analysis.publish.errors import BuildError

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2

app = typer.Typer(
    help="Build the rednote report (an article's claims tested against public data) and manage its data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
data_app = typer.Typer(help="Check or fetch the input data.", no_args_is_help=True)
app.add_typer(data_app, name="data")
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def _fail(message: str, code: int) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", markup=True)
    return typer.Exit(code)


def _set_mirror(mirror: Path | None) -> None:
    if mirror is None:
        return
    if not mirror.is_dir():
        raise _fail(f"--mirror {mirror}: no such folder (point it at a copy of the public data sets)", EXIT_BAD_INPUT)
    os.environ["REDNOTE_DATA_MIRROR"] = str(mirror.resolve())


@app.command()
def build(  # noqa: PLR0917 (typer passes options by keyword)
    data_mode: Annotated[
        str, typer.Option("--data-mode", help="auto: real data if available, else the illustrative sample; real; sample.")
    ] = "auto",
    mirror: Annotated[
        Path | None, typer.Option(help="Folder holding a copy of the public data sets (sets REDNOTE_DATA_MIRROR).")
    ] = None,
    data: Annotated[
        Path | None, typer.Option(help="Your own export (MediaCrawler CSV/JSON/JSONL/SQLite or a sheet), file or folder.")
    ] = None,
    start: Annotated[str, typer.Option(help="First day of notes to include, YYYY-MM-DD (default: all).")] = "",
    end: Annotated[str, typer.Option(help="Last day of notes to include, YYYY-MM-DD (default: all).")] = "",
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Reports folder; the report lands in <out>/latest/report.html "
                                                "(default: reports/, or REDNOTE_REPORTS_DIR).")
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show per-notebook cell progress.")] = True,
) -> None:
    """Run the six notebooks and publish one self-contained HTML report."""
    from analysis.publish.build import build as run_build

    _set_mirror(mirror)
    try:
        result = run_build(
            data_mode=data_mode, start_date=start, end_date=end, user_data=str(data) if data else "",
            reports_dir=out_dir, show_progress=progress, say=lambda line: err.print(line, markup=False),
        )
    except DataUnavailable as exc:
        raise _fail(f"real data unavailable: {exc}", EXIT_FAILED) from None
    except BuildError as exc:
        raise _fail(f"build failed, previous report left untouched: {exc}", EXIT_FAILED) from None
    except ValueError as exc:  # bad parameters and unusable input files (InputFileError, …)
        raise _fail(str(exc), EXIT_BAD_INPUT) from None
    mode = {"real": "real data", "sample": "ILLUSTRATIVE synthetic sample"}.get(result.data_mode, result.data_mode)
    out.print(
        f"Report ({mode}): {result.report}  [{result.size_bytes / 1e6:.1f} MB, {result.figures} charts, "
        f"{result.seconds:.0f} s]",
        markup=False,
    )


@data_app.command("check")
def data_check(
    data: Annotated[Path | None, typer.Option(help="Your own export to check (default: the public data sets).")] = None,
    mirror: Annotated[Path | None, typer.Option(help="Folder holding a copy of the public data sets.")] = None,
) -> None:
    """Load the data and report what was read, merged and set aside, per file."""
    _set_mirror(mirror)
    try:
        from analysis.io import check
    except ImportError as exc:
        raise _fail(f"data check is not available in this version ({exc})", EXIT_FAILED) from None
    try:
        out.print(check.data_check(str(data) if data else ""), markup=False)
    except DataUnavailable as exc:
        raise _fail(str(exc), EXIT_FAILED) from None
    except ValueError as exc:
        raise _fail(str(exc), EXIT_BAD_INPUT) from None


@data_app.command("fetch")
def data_fetch(
    mirror: Annotated[Path | None, typer.Option(help="Copy from this folder instead of the network.")] = None,
) -> None:
    """Download (or copy from the mirror) every public data set and verify its sha256."""
    _set_mirror(mirror)
    try:
        from analysis.io import sources
    except ImportError as exc:
        raise _fail(f"data fetch is not available in this version ({exc})", EXIT_FAILED) from None
    try:
        result = sources.fetch_all()
    except (DataUnavailable, OSError) as exc:
        raise _fail(f"fetch failed: {exc}", EXIT_FAILED) from None
    except ValueError as exc:  # ChecksumError, ManifestError
        raise _fail(str(exc), EXIT_FAILED) from None
    if result is not None:
        out.print(result, markup=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
