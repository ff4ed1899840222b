"""Errors of the build, each with a message a user can act on, and the exit code each
gives the command line (documented in the README; schedulers branch on them)."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1  # a notebook, the export or a hook failed; the previous report stays
EXIT_BAD_INPUT = 2  # an option value or input file the user can fix
EXIT_NO_DATA = 3  # --data-mode real and the real data cannot be had (retry later / fix the mirror)
EXIT_LOCKED = 75  # another build holds the lock (sysexits EX_TEMPFAIL: try again later)


class BuildError(RuntimeError):
    """The report could not be built; the message says why (and the previous report stays)."""


class BuildLocked(BuildError):
    """Another build of the same reports folder is running."""


class NotebookFailed(BuildError):
    """A notebook raised while executing: names the notebook, the cell and the error."""

    def __init__(self, notebook: str, cell: int, cell_id: str, error: str, executed_copy: str = "") -> None:
        self.notebook, self.cell, self.cell_id, self.error = notebook, cell, cell_id, error
        self.executed_copy = executed_copy
        where = f"cell {cell}" + (f" (id {cell_id})" if cell_id else "")
        message = f"{notebook} failed at {where}: {error}"
        if executed_copy:
            message += f" — the partly executed notebook is at {executed_copy}"
        super().__init__(message)


def exit_code(exc: BaseException) -> int:
    """The exit code a run ending in ``exc`` gives (EXIT_FAILED for anything unforeseen)."""
    from analysis.io.bundle import DataUnavailable

    if isinstance(exc, BuildLocked):
        return EXIT_LOCKED
    if isinstance(exc, DataUnavailable):
        return EXIT_NO_DATA
    if isinstance(exc, ValueError):
        return EXIT_BAD_INPUT
    return EXIT_FAILED
