"""The benchmark's stages written three ways: polars (the project's own measures), pandas, DuckDB SQL.

Every engine module exposes ``prepare(data_dir, artefacts) -> state`` (load → parse →
dedupe into canonical notes) and one function per name in ``STAGES`` taking that state
and returning a small polars table in the shape ``common.py`` describes, so the runner
can time them and the smoke test can assert the engines agree.
"""

STAGES = ("demographics", "ads", "clickbait", "langid", "lexicons", "cohorts", "daily")
ENGINES = ("polars", "pandas", "duckdb")
