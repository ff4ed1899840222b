"""Errors raised for inputs that cannot be used at all (a bad row is quarantined instead)."""

from __future__ import annotations

from pathlib import Path


class InputFileError(ValueError):
    """A whole file cannot be used: unknown format, truncated, empty, no usable columns.

    The message names the file and says what was expected, so a user can fix the input.
    """

    def __init__(self, path: Path | str, problem: str, expected: str = "") -> None:
        self.path = str(path)
        self.problem = problem
        self.expected = expected
        message = f"{self.path}: {problem}"
        if expected:
            message += f" (expected {expected})"
        super().__init__(message)


class ChecksumError(ValueError):
    """A fetched file does not match the sha256 declared in data/sources.toml."""

    def __init__(self, path: Path | str, expected: str, actual: str) -> None:
        self.path, self.expected, self.actual = str(path), expected, actual
        super().__init__(
            f"{path}: sha256 is {actual}, but data/sources.toml declares {expected}; "
            "the file differs from the pinned upstream version — delete it and run "
            "`rednote-report data fetch` again, or fix the mirror"
        )


class ManifestError(ValueError):
    """data/sources.toml is malformed or names an unknown data set."""
