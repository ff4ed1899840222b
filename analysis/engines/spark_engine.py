"""The per-engine functions of analysis/engines for Apache Spark (PySpark or Spark Connect).

Regexes: the project writes Rust regexes (polars); Spark runs Java's. Two differences
matter and are translated here rather than hoped away:

* Rust's ``\\b``, ``\\d``, ``\\s``, ``\\w`` and ``(?i)`` are Unicode-aware; Java's are ASCII
  unless the pattern starts with ``(?U)`` (UNICODE_CHARACTER_CLASS, which also turns on
  Unicode case folding). Every pattern sent to Spark starts with ``(?U)``.
* The lexicons' ``word`` terms use ``(?-u:\\b)``, an ASCII word boundary ("在Costco经常"
  mentions costco) that Java cannot spell; it becomes the equivalent look-around on
  ``[0-9A-Za-z_]``.

NFKC has no Spark SQL function: it runs as an Arrow UDF (``pyarrow.compute.utf8_normalize``,
one call per batch). Day and time conversions need the session time zone to be UTC;
``session()`` sets it, and ``local_day`` refuses a session that is not.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Callable

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StringType

from analysis.engines import EngineUnavailable
from analysis.io.parse import NULL_SPELLINGS
from analysis.text.normalise import STICKER_PATTERN

_ASCII_WORD = "[0-9A-Za-z_]"
_WORD_CHAR = re.compile(r"[0-9A-Za-z_]")
#: An unescaped \b, and the ASCII word boundary Java spells with look-arounds.
_REGEX_BOUNDARY = re.compile(r"(?<!\\)\\b")
_ASCII_BOUNDARY = f"(?:(?<={_ASCII_WORD})(?!{_ASCII_WORD})|(?<!{_ASCII_WORD})(?={_ASCII_WORD}))"


class SparkSetupError(EngineUnavailable):
    """The Spark session is not usable for the measures; the message says how to fix it."""


def session(app_name: str = "rednote-report") -> SparkSession:
    """The active Spark session, or a new one from Spark's own configuration.

    ``SPARK_REMOTE`` (Spark Connect), ``spark.master`` from spark-submit or
    spark-defaults.conf decide where it runs; with none of them pyspark starts a local
    session on every core. The session time zone is set to UTC (the canonical tables'
    zone). SparkSetupError, saying the fix, when a local session has no Java to run on.
    """
    active = SparkSession.getActiveSession()
    remote = bool(os.environ.get("SPARK_REMOTE"))
    if active is None and not remote and not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        raise SparkSetupError("Spark needs Java 17 or later and none was found: run `make java` (Debian's "
                              "openjdk-17-jre-headless), set JAVA_HOME, or set SPARK_REMOTE to a Spark Connect server")
    builder = SparkSession.builder.appName(app_name)
    if not remote:
        builder = builder.config("spark.ui.showConsoleProgress", "false")  # no progress bars in build logs
        if not os.environ.get("PYSPARK_PYTHON"):
            builder = builder.config("spark.pyspark.python", sys.executable)  # UDF workers run this interpreter
    try:
        spark = active or builder.getOrCreate()
    except Exception as exc:  # Py4J and JVM start-up errors have no common base class
        raise SparkSetupError(f"Spark could not start a session: {(str(exc).strip().splitlines() or [type(exc).__name__])[0]} — check Java 17+ "
                              "(`make java`, JAVA_HOME) and Spark's configuration (SPARK_REMOTE, spark-defaults.conf)") from exc
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    if not remote:
        spark.sparkContext.setLogLevel("WARN")
    return spark


def from_polars(frame: pl.DataFrame) -> DataFrame:
    """A polars table as a Spark DataFrame (through Arrow; null-typed columns as strings,
    which Arrow-to-Spark cannot type)."""
    nulls = [c for c, t in frame.schema.items() if t == pl.Null]
    return session().createDataFrame(frame.with_columns(pl.col(nulls).cast(pl.String)).to_arrow())


def _tags() -> Column:
    return F.coalesce(F.array_join(F.col("tags"), " "), F.lit(""))


def _u(pattern: str) -> str:
    return "(?U)" + pattern


def _nfkc_batch(texts: pa.Array) -> pa.Array:
    return pc.utf8_normalize(texts, "NFKC")


_nfkc = F.arrow_udf(_nfkc_batch, StringType())


def note_text(frame: DataFrame, out: str, normalised: bool) -> DataFrame:
    """As polars_engine.note_text, in Spark SQL functions (NFKC through an Arrow UDF)."""
    title, text = F.coalesce(F.col("title"), F.lit("")), F.coalesce(F.col("text"), F.lit(""))
    joined = F.concat_ws("\n", title, text, _tags())
    if not normalised:
        return frame.withColumn(out, joined)
    s = F.regexp_replace(_nfkc(joined), _u(STICKER_PATTERN), " ")
    s = F.trim(F.regexp_replace(s, _u(r"\s+"), " "))
    return frame.withColumn(out, F.lower(s))


def _java_fragment(term: str, match: str) -> str:
    if match == "regex":
        # A regex term's \b is the ASCII boundary polars matches ((?-u:\b), analysis.text.lexicon).
        return "(?:" + _REGEX_BOUNDARY.sub(lambda _: _ASCII_BOUNDARY, term) + ")"
    escaped = re.escape(term)
    if match != "word":
        return escaped

    # (?-u:\b) on each side: a boundary iff the neighbours differ in being ASCII word characters.
    def side(char: str, ahead: bool) -> str:
        word = bool(_WORD_CHAR.fullmatch(char))
        if ahead:
            return f"(?!{_ASCII_WORD})" if word else f"(?={_ASCII_WORD})"
        return f"(?<!{_ASCII_WORD})" if word else f"(?<={_ASCII_WORD})"

    return side(term[0], ahead=False) + escaped + side(term[-1], ahead=True)


def _rust_length(term: str, match: str) -> int:
    """Length of the Rust fragment analysis.text.lexicon builds: the polars side sorts
    alternatives by it (longest first), and this side keeps the same order."""
    if match == "regex":
        return len(term) + 4  # (?:…)
    return len(re.escape(term)) + (16 if match == "word" else 0)  # (?-u:\b) twice


def lexicon_patterns(lexicon: pl.DataFrame) -> dict[str, str]:
    """One Java regex per category, matching what analysis.text.lexicon.category_patterns
    matches in Rust (same alternatives, same order)."""
    patterns: dict[str, list[tuple[int, str]]] = {}
    for category, term, match in lexicon.select("category", "term", "match").rows():
        patterns.setdefault(category, []).append((_rust_length(term, match), _java_fragment(term, match)))
    return {c: "(?iU)" + "|".join(f for _, f in sorted(p, key=lambda x: x[0], reverse=True))
            for c, p in patterns.items()}


def lexicon_flags(frame: DataFrame, column: str, lexicon: pl.DataFrame, prefix: str) -> DataFrame:
    """A Boolean ``<prefix><category>`` per lexicon category of text ``column`` (null text:
    false), one ``rlike`` per category (``lexicon_patterns``)."""
    return frame.withColumns({f"{prefix}{c}": F.coalesce(F.col(column).rlike(p), F.lit(False))
                              for c, p in lexicon_patterns(lexicon).items()})


def _check_utc(frame: DataFrame) -> None:
    zone = frame.sparkSession.conf.get("spark.sql.session.timeZone")
    if zone not in ("UTC", "Etc/UTC", "GMT", "Z", "+00:00"):
        raise SparkSetupError(f"the Spark session time zone is {zone!r}; the measures need UTC: "
                              "spark.conf.set('spark.sql.session.timeZone', 'UTC') or use analysis.engines.spark_engine.session()")


def local_day(frame: DataFrame, column: str, out: str, tz: str) -> DataFrame:
    """``out``: the Date of ``column`` in ``tz``; ``out + '_n'``: days since 1970-01-01 (Int64)."""
    _check_utc(frame)
    day = F.to_date(F.from_utc_timestamp(F.col(column), tz))
    return frame.withColumn(out, day).withColumn(f"{out}_n", F.unix_date(F.col(out)).cast("bigint"))


_NAIVE_FORMATS = ("M/d/yyyy H:mm[:ss]", "yyyy-M-d H:mm[:ss][.SSSSSS]", "yyyy-M-d'T'H:mm[:ss][.SSSSSS]",
                  "yyyy/M/d H:mm[:ss]")
_ZONED_FORMATS = ("yyyy-M-d'T'H:mm[:ss][.SSSSSS]XXX", "yyyy-M-d H:mm[:ss][.SSSSSS]XXX")


def parse_time(frame: DataFrame, column: str, out: str, naive_timezone: str) -> DataFrame:
    """As analysis.io.parse.timestamp: epoch ms (12–14 digits) or s (9–11), ISO 8601 with a
    zone, and naive ``M/D/YYYY H:MM[:SS]``, ``YYYY-MM-DD HH:MM[:SS[.f]]``, ``YYYY/MM/DD
    HH:MM[:SS]`` or bare dates read as wall time in ``naive_timezone``; unreadable → null.

    Differs from polars only for wall times that do not exist in the zone (the
    spring-forward hour): polars gives null, Spark the shifted instant.
    """
    _check_utc(frame)
    s = F.trim(F.col(column).cast("string"))
    s = F.when(F.lower(s).isin(*NULL_SPELLINGS), None).otherwise(s)
    s = F.regexp_replace(s, r"\.0+$", "")
    bare = s.rlike(r"^[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2}$|^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$")
    s = F.when(bare, F.concat(s, F.lit(" 00:00"))).otherwise(s)
    digits, n = s.rlike("^[0-9]+$"), F.length(s)
    number = s.try_cast("bigint")
    epoch = (F.when(digits & n.between(12, 14), F.timestamp_millis(number))
             .when(digits & n.between(9, 11), F.timestamp_seconds(number)))
    iso = F.regexp_replace(s, "Z$", "+00:00")
    zoned = [F.try_to_timestamp(iso, F.lit(f)) for f in _ZONED_FORMATS]
    naive = [F.to_utc_timestamp(F.try_to_timestamp(s, F.lit(f)), naive_timezone) for f in _NAIVE_FORMATS]
    return frame.withColumn(out, F.coalesce(epoch, *zoned, *naive))


def map_text_batches(frame: DataFrame, column: str, out: str, fn: Callable[[pa.Array], pa.Array],
                     dtype: pa.DataType) -> DataFrame:
    """``out = fn(column)`` once per Arrow batch on the executors (Spark ``arrow_udf``)."""
    from pyspark.sql.pandas.types import from_arrow_type

    udf = F.arrow_udf(fn, from_arrow_type(dtype))
    return frame.withColumn(out, udf(F.col(column)))


def read_table(spark: SparkSession, path: str, table: str = "notes") -> DataFrame:
    """A canonical table exported by ``rednote-report data export`` (analysis/io/export.py),
    from a local path or an object-store URL (``s3a://…``, ``gs://…``, ``abfss://…``: the
    cluster's Hadoop connectors and credentials apply), without the ``month`` partition column."""
    base = path.rstrip("/")
    return spark.read.parquet(f"{base}/{table}").drop("month")
