"""The command line: ``rednote-report build``, ``rednote-report data check|fetch``.

Options become one frozen ``config.Settings`` (environment variables only as defaults)
that is passed down; nothing here writes the environment. Exit codes (README "Exit
codes"): 0 built/ok; 1 the build or a data step failed; 2 bad input (an option value, a
missing file); 3 real data required but unavailable; 75 another build holds the lock.
Errors the user can fix never show a Python traceback: the project's own error classes
are caught here and printed as one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from analysis.config import Settings
from analysis.io.bundle import DataUnavailable
from analysis.publish.errors import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_LOCKED,
    EXIT_NO_DATA,
    BuildError,
    BuildLocked,
)

__all__ = ["EXIT_BAD_INPUT", "EXIT_FAILED", "EXIT_LOCKED", "EXIT_NO_DATA", "app", "main"]

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

MirrorOption = Annotated[
    Path | None, typer.Option(help="Folder holding a copy of the public data sets (default: REDNOTE_DATA_MIRROR, "
                                   "else ../shared/data if present).")
]


def _fail(message: str, code: int) -> typer.Exit:
    err.print(f"[bold red]error:[/] {escape(message)}", markup=True)  # a message's [brackets] are text
    return typer.Exit(code)


def _settings(**options) -> Settings:
    try:
        return Settings.create(**options)
    except ValueError as exc:
        raise _fail(str(exc), EXIT_BAD_INPUT) from None


@app.command()
def build(  # noqa: PLR0917 (typer passes options by keyword)
    data_mode: Annotated[
        str, typer.Option("--data-mode", help="auto: real data if available, else the illustrative sample; real; sample.")
    ] = "auto",
    mirror: MirrorOption = None,
    data: Annotated[
        Path | None, typer.Option(help="Your own export (MediaCrawler CSV/JSON/JSONL/SQLite or a sheet), file or folder.")
    ] = None,
    start: Annotated[str, typer.Option(help="First day of notes to include, YYYY-MM-DD (default: all).")] = "",
    end: Annotated[str, typer.Option(help="Last day of notes to include, YYYY-MM-DD (default: all).")] = "",
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Reports folder; the report lands in <out>/latest/report.html "
                                                "(default: reports/, or REDNOTE_REPORTS_DIR).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Re-execute every notebook, ignoring cached results.")] = False,
    jobs: Annotated[
        int | None, typer.Option(help="Notebooks executed at once (default: the CPU count, or REDNOTE_JOBS).")
    ] = None,
    keep: Annotated[
        int | None, typer.Option(help="Dated report folders kept (default: 10, or REDNOTE_KEEP_REPORTS).")
    ] = None,
    if_locked: Annotated[
        str | None, typer.Option("--if-locked", help="When another build is running: wait for it, or fail "
                                                     f"(exit {EXIT_LOCKED}). Default: wait, or REDNOTE_IF_LOCKED.")
    ] = None,
    lock_timeout: Annotated[
        float | None, typer.Option(help="Seconds to wait for a running build before giving up "
                                        f"(exit {EXIT_LOCKED}; default: for ever).")
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show per-notebook cell progress.")] = True,
    spec: Annotated[
        Path | None, typer.Option("--spec", help="The report's specification: title, sections, hooks "
                                                 "(default: report.toml at the repository root).")
    ] = None,
    engine: Annotated[
        str, typer.Option(help="Where the ledger's heavy measures count: polars, or spark (pip install '.[spark]'; "
                               "SPARK_REMOTE, spark-submit or spark-defaults.conf say where Spark runs).")
    ] = "polars",
) -> None:
    """Run the report's notebooks (only those whose inputs changed) and publish one self-contained HTML report."""
    settings = _settings(data_mode=data_mode, mirror=mirror, user_data=data or "", start_date=start, end_date=end,
                         reports_dir=out_dir, force=force, jobs=jobs, keep=keep, if_locked=if_locked,
                         lock_timeout=lock_timeout, show_progress=progress, report_config=spec, engine=engine)
    from analysis.engines import EngineUnavailable, module
    from analysis.publish.build import build as run_build

    try:
        module(settings.engine)  # a missing engine stops here, in one line, before any work
        result = run_build(settings, say=lambda line: err.print(line, markup=False))
    except EngineUnavailable as exc:
        raise _fail(str(exc), EXIT_BAD_INPUT) from None
    except DataUnavailable as exc:
        raise _fail(f"real data unavailable: {exc}", EXIT_NO_DATA) from None
    except BuildLocked as exc:
        raise _fail(str(exc), EXIT_LOCKED) from None
    except BuildError as exc:
        raise _fail(f"build failed, previous report left untouched: {exc}", EXIT_FAILED) from None
    except ValueError as exc:  # unusable input files (InputFileError, …)
        raise _fail(str(exc), EXIT_BAD_INPUT) from None
    except OSError as exc:  # a full disk, a folder we may not write
        raise _fail(f"build failed, previous report left untouched: {exc}", EXIT_FAILED) from None
    mode = {"real": "real data", "sample": "ILLUSTRATIVE synthetic sample"}.get(result.data_mode, result.data_mode)
    out.print(
        f"Report ({mode}): {result.report}  [{result.size_bytes / 1e6:.1f} MB, {result.figures} charts, "
        f"{len(result.executed)} of {len(result.notebooks)} notebooks executed, {result.seconds:.0f} s]",
        markup=False,
    )


@data_app.command("check")
def data_check(
    data: Annotated[Path | None, typer.Option(help="Your own export to check (default: the public data sets).")] = None,
    mirror: MirrorOption = None,
) -> None:
    """Load the data and report what was read, merged and set aside, per file."""
    settings = _settings(mirror=mirror, user_data=data or "")
    from analysis.io import check

    try:
        out.print(check.data_check(settings.user_data, mirror=settings.mirror, download=settings.allow_download,
                                   cache=settings.cache_dir), markup=False)
    except DataUnavailable as exc:
        raise _fail(str(exc), EXIT_NO_DATA) from None
    except ValueError as exc:
        raise _fail(str(exc), EXIT_BAD_INPUT) from None


@data_app.command("export")
def data_export(
    out_path: Annotated[Path, typer.Option("--out", help="A new folder for the canonical tables as Parquet, "
                                                         "partitioned by month (the hand-off to Spark).")],
    data: Annotated[Path | None, typer.Option(help="Your own export (default: the public data sets).")] = None,
    mirror: MirrorOption = None,
) -> None:
    """Write the canonical tables (notes, comments, creators by month; the rest whole) as Parquet."""
    settings = _settings(mirror=mirror, user_data=data or "")
    from analysis.io.export import export_bundle
    from analysis.io.load import load_bundle

    try:
        bundle = load_bundle(settings.data_mode, user_data=settings.user_data, mirror=settings.mirror,
                             download=settings.allow_download, source_cache=settings.cache_dir)
        rows = export_bundle(bundle, out_path)
    except DataUnavailable as exc:
        raise _fail(str(exc), EXIT_NO_DATA) from None
    except ValueError as exc:  # ExportError, unreadable input
        raise _fail(str(exc), EXIT_BAD_INPUT) from None
    out.print(f"Exported {rows.get('notes', 0):,} notes, {rows.get('comments', 0):,} comments and "
              f"{rows.get('creators', 0):,} creators to {out_path}", markup=False)


@data_app.command("fetch")
def data_fetch(
    mirror: Annotated[Path | None, typer.Option(help="Copy from this folder instead of the network.")] = None,
) -> None:
    """Download (or copy from the mirror) every public data set and verify its sha256."""
    settings = _settings(mirror=mirror)
    from analysis.io import sources

    try:
        paths = sources.fetch_all(download=settings.allow_download, mirror=settings.mirror, cache=settings.cache_dir)
    except (DataUnavailable, OSError) as exc:
        raise _fail(f"fetch failed: {exc}", EXIT_NO_DATA) from None
    except ValueError as exc:  # ChecksumError, ManifestError
        raise _fail(str(exc), EXIT_FAILED) from None
    out.print(f"{len(paths)} files present and verified", markup=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
