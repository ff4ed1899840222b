"""The benchmark's stages written four ways: polars (the project's own measures), pandas,
DuckDB SQL and Spark (the narwhals measures of analysis/measures/frames.py).

Every engine module exposes ``prepare(data_dir, artefacts) -> state`` (load → parse →
dedupe into canonical notes) and one function per name in ``STAGES`` taking that state
and returning a small polars table in the shape ``common.py`` describes, so the runner
can time them and the smoke test can assert the engines agree. A stage an engine does
not have is reported as ``n/a``.
"""

import importlib.util

STAGES = ("demographics", "ads", "clickbait", "langid", "lexicons", "cohorts", "daily")
ENGINES = ("polars", "pandas", "duckdb", "spark")
#: Engines that need an optional extra, and the one line that installs it.
OPTIONAL = {"spark": ("pyspark", "pip install '.[spark]'")}


def missing_extra(engine: str) -> str | None:
    """The install line for ``engine`` when its optional package is absent, else None."""
    module, hint = OPTIONAL.get(engine, (None, None))
    return hint if module and importlib.util.find_spec(module) is None else None


def available() -> tuple[str, ...]:
    """The engines that can run here (Spark only with pyspark installed)."""
    return tuple(e for e in ENGINES if missing_extra(e) is None)
