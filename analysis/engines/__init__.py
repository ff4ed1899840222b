"""Engines the heavy measures run on: polars (the default) and Apache Spark.

The measures themselves are written once against narwhals (analysis/measures/frames.py).
What narwhals cannot express the same way on both engines lives here as one small
function per engine, with the same name and signature in ``polars_engine`` and
``spark_engine``:

    note_text(frame, out, normalised)      title + text + tags as one string column
    lexicon_flags(frame, column, lexicon, prefix)
                                           a Boolean per lexicon category of a text column
    local_day(frame, column, out, tz)      calendar day in ``tz`` (Date) and its day number
    parse_time(frame, column, out, tz)     raw times (epoch, M/D/YYYY H:MM, ISO) → UTC
    map_text_batches(frame, column, out, fn, dtype)
                                           a Python step on Arrow batches of one column
    from_polars(frame)                     a polars table as the engine's frame

Each takes and returns the engine's native frame. ``for_frame`` picks the module for a
frame; pyspark is imported only when a Spark frame (or session) is asked for.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import narwhals as nw

ENGINES = ("polars", "spark")
INSTALL_HINT = "pip install '.[spark]'"


class EngineUnavailable(RuntimeError):
    """The engine asked for cannot run here; the message says what to install."""


def require_pyspark() -> ModuleType:
    """pyspark, or EngineUnavailable with the one-line install command."""
    try:
        import pyspark
    except ImportError:
        raise EngineUnavailable(f"--engine spark needs pyspark, which is not installed: {INSTALL_HINT}") from None
    return pyspark


def module(engine: str) -> ModuleType:
    """The per-engine module for ``engine`` (``polars`` or ``spark``)."""
    if engine == "polars":
        from analysis.engines import polars_engine

        return polars_engine
    if engine == "spark":
        require_pyspark()
        from analysis.engines import spark_engine

        return spark_engine
    raise ValueError(f"engine={engine!r}; use one of {ENGINES}")


def name_of(frame: Any) -> str:
    """``polars`` or ``spark`` for a native or narwhals frame; ValueError for anything else."""
    impl = nw.from_native(frame).implementation if not isinstance(frame, nw.DataFrame | nw.LazyFrame) \
        else frame.implementation
    if impl.is_polars():
        return "polars"
    if impl.is_pyspark() or impl.is_pyspark_connect():
        return "spark"
    raise ValueError(f"frames of {impl} are not supported; pass a polars or PySpark DataFrame")


def for_frame(frame: Any) -> ModuleType:
    """The per-engine module that handles ``frame``."""
    return module(name_of(frame))


def to_engine(frame: Any, engine: str) -> Any:
    """A polars DataFrame as ``engine``'s native frame (polars: itself; Spark: a DataFrame in
    the session Spark's own configuration gives). EngineUnavailable when pyspark is missing."""
    return module(engine).from_polars(frame)
