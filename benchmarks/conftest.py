"""Options of the pytest-benchmark suite (``python -m pytest benchmarks``; not in the
default test run, whose testpaths are ``tests``)."""

from __future__ import annotations

from pathlib import Path

from benchmarks import generate


def pytest_addoption(parser):
    group = parser.getgroup("rednote benchmarks")
    group.addoption("--bench-size", default="10k", choices=list(generate.SIZES),
                    help="notes to benchmark on (generated once under --bench-data if missing)")
    group.addoption("--bench-data", type=Path, default=generate.DEFAULT_OUT,
                    help="folder holding <size>/ data sets (default benchmarks/data, git-ignored)")
    group.addoption("--bench-engines", default=None,
                    help="comma-separated engines (default: every engine installed here)")
    group.addoption("--bench-warmup", type=int, default=None,
                    help="untimed rounds before the timed one (default: 1 up to 100k notes, else 0), so "
                         "one-off costs (a detector's model load) fall on no engine")
