"""Errors of the build, each with a message a user can act on."""

from __future__ import annotations


class BuildError(RuntimeError):
    """The report could not be built; the message says why (and the previous report stays)."""


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
