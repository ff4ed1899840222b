"""The heavy measures give the same tables on Apache Spark as on polars (issue 18).

One local Spark session (``local[2]``, or Spark Connect when SPARK_REMOTE is set) serves
the whole module. These tests never skip: without pyspark or Java they fail and say what
to install (``pip install '.[spark]'``, ``make java``).

Equality is exact (same rows, same numbers, same dtypes): both engines count the same
things; only intervals are computed afterwards, on this machine, from the counts.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pytest
from polars.testing import assert_frame_equal

from analysis.measures import ads, frames, migration
from analysis.text import lexicon as lex
from analysis.text.segment import _jieba

#: Needs pyspark (`pip install .[spark]`) and Java 17+: run with `make test-spark`.
pytestmark = pytest.mark.spark

DATA = Path(os.environ.get("REDNOTE_DATA_MIRROR", "../shared/data"))
SYNTHETIC_NOTES = 100_000
#: Lexicons matched in one pass for the topic-matching comparison: word, substring and
#: regex terms, English and Chinese.
TOPIC_LEXICONS = ("topics", "welcome", "brands", "age_cohorts", "privacy", "value_driven")


@pytest.fixture(scope="module")
def spark():
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        pytest.fail("pyspark is not installed: pip install '.[spark]'")
    if not os.environ.get("SPARK_REMOTE") and not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        pytest.fail("Spark needs Java 17 or later and none was found: make java (or set JAVA_HOME)")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers run this interpreter
    from analysis.engines import spark_engine

    started = time.perf_counter()
    builder = SparkSession.builder.appName("rednote-report-tests")
    if not os.environ.get("SPARK_REMOTE"):
        builder = (builder.master("local[2]").config("spark.ui.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false").config("spark.sql.shuffle.partitions", "4"))
    builder.getOrCreate()
    session = spark_engine.session()
    print(f"spark session up in {time.perf_counter() - started:.1f} s")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def real_notes(real_bundle) -> pl.DataFrame:
    return real_bundle.notes


@pytest.fixture(scope="module")
def real_sdf(spark, real_notes):
    return spark.createDataFrame(real_notes.to_arrow()).cache()


def synthetic_notes(n: int = SYNTHETIC_NOTES, seed: int = 20250113) -> pl.DataFrame:
    """Canonical notes at scale, seeded: repeat posters, a January spike, bilingual text
    with ad markers and lexicon terms (incl. ``在Costco经常``), ~2% re-crawled duplicates."""
    rng = np.random.default_rng(seed)
    words = np.array("the my today finally love cat coffee welcome rednote tiktok refugee costco trader joe's "
                     "#ad sponsored gifted 在Costco经常 今天 分享 美国 朋友 欢迎 好吃 推荐 小红书 猫咪 探店 "
                     "谢谢大家的欢迎 i'm 24 my code SAVE10 privacy data 数据 spy 间谍 没收过钱 广告 合作".split())
    text = [" ".join(rng.choice(words, size=k)) for k in rng.integers(0, 12, n)]
    title = [" ".join(rng.choice(words, size=k)) for k in rng.integers(0, 5, n)]
    tags = [list(rng.choice(["tiktokrefugee", "cattax", "猫税", "美食", "ad", "dallas"], size=k))
            for k in rng.integers(0, 3, n)]
    accounts = (rng.zipf(1.6, n) % (n // 8)).astype(str)
    spike = rng.random(n) < 0.4
    day = np.where(spike, rng.integers(12, 19, n), rng.integers(0, 120, n))
    published = [datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=int(d), seconds=int(s))
                 for d, s in zip(day, rng.integers(0, 86_400, n), strict=True)]
    likes = rng.negative_binomial(0.5, 0.01, n)
    notes = pl.DataFrame({
        "dataset": rng.choice(["tiktokrefugee-posts", "mediacrawler-creators"], n),
        "note_id": [f"n{i:07d}" for i in range(n)], "account_id": ["acct_" + a for a in accounts],
        "title": title, "text": text, "tags": tags, "published_at": published,
        "liked_count": np.where(rng.random(n) < 0.02, -1, likes),
        "crawled_at": [p + timedelta(days=60) for p in published], "source_file": "synthetic.jsonl",
        "source_row": np.arange(1, n + 1),
    }, schema_overrides={"published_at": pl.Datetime("us", "UTC"), "crawled_at": pl.Datetime("us", "UTC")}).with_columns(
        pl.when(pl.col("liked_count") >= 0).then(pl.col("liked_count")).cast(pl.Int64),  # 2% unknown
        pl.col("source_row").cast(pl.Int64))
    # A later re-crawl of 2% of the notes: same id, newer crawl, more likes.
    again = notes.sample(fraction=0.02, seed=seed).with_columns(
        pl.col("crawled_at") + pl.duration(days=3), pl.col("liked_count") + 1,
        pl.col("source_row") + n)
    return pl.concat([notes, again])


@pytest.fixture(scope="module")
def synthetic() -> pl.DataFrame:
    return synthetic_notes()


@pytest.fixture(scope="module")
def synthetic_sdf(spark, synthetic):
    return spark.createDataFrame(synthetic.to_arrow()).cache()


@pytest.fixture(scope="module")
def deduped(synthetic) -> pl.DataFrame:
    """The synthetic notes deduplicated the plain polars way (independent of frames.py)."""
    return synthetic.sort("crawled_at", "source_row").unique(["dataset", "note_id"], keep="last", maintain_order=True)


def _ads_lexicon() -> pl.DataFrame:
    return lex.load_lexicon("ads")


def _topic_lexicon() -> pl.DataFrame:
    return pl.concat([lex.load_lexicon(name).with_columns(pl.format("{}:{}", pl.lit(name), "category").alias("category"))
                      for name in TOPIC_LEXICONS])


# --- Per-engine functions, on hand-made rows ------------------------------------------


@pytest.fixture(params=["polars", "spark"])
def engine(request, spark):
    return request.param


def _on(engine: str, spark, frame: pl.DataFrame):
    return frame if engine == "polars" else spark.createDataFrame(frame.to_arrow())


def test__word_terms__use_ascii_boundaries_on_both_engines(engine, spark):
    lexicon = pl.DataFrame({"category": ["shop", "shop", "ad"], "term": ["costco", "trader joe's", "ad"],
                            "lang": ["en", "en", "en"], "match": ["word", "word", "word"]})
    texts = ["在Costco经常买", "costcoish", "I love Trader Joe's!", "bad day", "#ad 合作", "AD", None]
    notes = pl.DataFrame({"dataset": "d", "note_id": [str(i) for i in range(len(texts))], "title": texts,
                          "text": [None] * len(texts), "tags": [[]] * len(texts)},
                         schema_overrides={"tags": pl.List(pl.String), "text": pl.String})
    got = frames.small(frames.flag_lexicon(_on(engine, spark, notes), lexicon, keep=("note_id",))).sort("note_id")
    assert got["shop"].to_list() == [True, False, True, False, False, False, False]
    assert got["ad"].to_list() == [False, False, False, False, True, True, False]


def test__regex_terms__boundaries_are_ascii_on_both_engines(engine, spark):
    # "奶茶i'm 19岁": an ASCII boundary sits between 茶 and i, and between 9 and 岁; a Unicode
    # boundary does not (all are word characters), which is what Java's \b would say.
    lexicon = pl.DataFrame({"category": ["age"], "term": [r"\bi'?m \d{2}\b"], "lang": ["en"], "match": ["regex"]})
    texts = ["奶茶i'm 19岁", "im 19", "him 19", "i'm 190"]
    notes = pl.DataFrame({"dataset": "d", "note_id": [str(i) for i in range(len(texts))], "title": texts,
                          "text": [None] * len(texts), "tags": [[]] * len(texts)},
                         schema_overrides={"tags": pl.List(pl.String), "text": pl.String})
    got = frames.small(frames.flag_lexicon(_on(engine, spark, notes), lexicon, keep=("note_id",))).sort("note_id")
    assert got["age"].to_list() == [True, True, False, False]


def test__local_day__is_the_new_york_calendar_day_across_dst(engine, spark):
    times = [datetime(2025, 1, 14, 4, 59, tzinfo=UTC), datetime(2025, 1, 14, 5, 0, tzinfo=UTC),
             datetime(2025, 3, 9, 6, 30, tzinfo=UTC), datetime(2025, 3, 10, 3, 59, tzinfo=UTC)]
    notes = pl.DataFrame({"published_at": times}, schema={"published_at": pl.Datetime("us", "UTC")})
    got = frames.small(frames.with_local_day(_on(engine, spark, notes), out="day")).sort("published_at")
    assert got["day"].to_list() == [date(2025, 1, 13), date(2025, 1, 14), date(2025, 3, 9), date(2025, 3, 9)]
    assert got["day_n"].to_list() == [(d - date(1970, 1, 1)).days for d in got["day"].to_list()]


def test__counts__parse_platform_strings_on_both_engines(engine, spark):
    raw = ["3829", "1,234", "7.6万", "1.2w", "18k", "1千+", "10+", "", "n/a", "abc", "2.5", "3.5", " 42 "]
    got = frames.small(frames.parse_counts(_on(engine, spark, pl.DataFrame({"c": raw})), ["c"]))
    assert got["c"].to_list() == [3829, 1234, 76000, 12000, 18000, 1000, 10, None, None, None, 2, 4, 42]
    assert got["c_lower_bound"].to_list() == [False] * 5 + [True, True, None, None, None, False, False, False]
    assert got["c_bad"].to_list() == [False] * 9 + [True, False, False, False]


def test__times__read_naive_beijing_time_and_epochs_on_both_engines(engine, spark):
    raw = ["1/14/2025 9:05", "1/14/2025 9:05:30", "1736816700000", "1736816700", "2025-01-14 09:05:00", "2025-01-14",
           "2025-01-14T09:05:00+08:00", "not a time", ""]
    got = frames.small(frames.parse_times(_on(engine, spark, pl.DataFrame({"t": raw})), "t", "at", "Asia/Shanghai"))
    at = datetime(2025, 1, 14, 1, 5, tzinfo=UTC)
    assert got["at"].to_list() == [at, at + timedelta(seconds=30), at, at, at, datetime(2025, 1, 13, 16, 0, tzinfo=UTC),
                                   at, None, None]


def test__newest_per_key__keeps_the_latest_crawl_then_the_later_row(engine, spark):
    t0 = datetime(2025, 3, 11, tzinfo=UTC)
    rows = pl.DataFrame({
        "dataset": "d", "note_id": ["a", "a", "a", "b", "b", "c"],
        "crawled_at": [t0, t0 + timedelta(days=1), t0, None, None, None],
        "source_file": ["f1", "f1", "f2", "f1", "f2", "f1"], "source_row": [1, 2, 3, 4, 5, 6], "liked_count": [1, 2, 3, 4, 5, 6],
    }, schema_overrides={"crawled_at": pl.Datetime("us", "UTC")})
    got = frames.small(frames.newest_per_key(_on(engine, spark, rows))).sort("note_id")
    assert got["liked_count"].to_list() == [2, 5, 6]


def test__map_text__runs_one_python_call_per_batch_on_both_engines(engine, spark):
    import pyarrow.compute as pc

    got = frames.small(frames.map_text(_on(engine, spark, pl.DataFrame({"t": ["ab", None, "Ｃ"]})), "t", "u",
                                       lambda a: pc.utf8_upper(pc.utf8_normalize(a, "NFKC")), pa.string()))
    assert got["u"].to_list() == ["AB", None, "C"]


# --- The measures on the real data sets ------------------------------------------------


def test__real__ad_counts_equal(real_notes, real_sdf):
    args = (_ads_lexicon(), ads.SPONSORED_CATEGORIES, ads.NEGATION_CATEGORY)
    expected = frames.ad_counts(real_notes, *args)
    assert_frame_equal(frames.ad_counts(real_sdf, *args), expected)
    # The polars side is the project's own classifier, counted independently.
    classified = ads.classify_notes(real_notes)
    assert expected["is_sponsored"].to_list() == [
        classified.filter(pl.col("dataset") == ds)["is_sponsored"].sum() for ds in expected["dataset"]]


def test__real__creator_ad_counts_equal(real_notes, real_sdf):
    args = (_ads_lexicon(), ads.SPONSORED_CATEGORIES, ads.NEGATION_CATEGORY)
    assert_frame_equal(frames.creator_ad_counts(real_sdf, *args), frames.creator_ad_counts(real_notes, *args))


def test__real__topic_matching_on_normalised_text_equal(real_notes, real_sdf):
    lexicon = _topic_lexicon()
    expected = frames.category_counts(real_notes, lexicon)
    assert_frame_equal(frames.category_counts(real_sdf, lexicon), expected)
    # Independently: one regex per category over measures.common.note_text.
    from analysis.measures.common import note_text

    direct = real_notes.group_by("dataset").agg(pl.len().cast(pl.Int64).alias("n"), *(
        note_text().str.contains(p).sum().cast(pl.Int64).alias(c)
        for c, p in lex.category_patterns(lexicon).items())).sort("dataset")
    assert_frame_equal(expected, direct)


def test__real__daily_weekly_and_cohorts_equal(real_notes, real_sdf):
    assert_frame_equal(frames.daily_counts(real_sdf), frames.daily_counts(real_notes))
    assert_frame_equal(frames.weekly_counts(real_sdf), frames.weekly_counts(real_notes))
    assert_frame_equal(frames.cohort_counts(real_sdf), frames.cohort_counts(real_notes))
    assert frames.posted_again_counts(real_sdf) == frames.posted_again_counts(real_notes)


def test__real__parsing_raw_export_strings_equal(spark):
    posts = pl.read_csv(DATA / "tiktokrefugee-posts" / "posts.csv", infer_schema=False)
    counts = ["like_count", "collect_count", "comment_count", "share_count"]
    raw = posts.select(*counts, "create_time")
    spark_raw = spark.createDataFrame(raw.to_arrow())
    expected = frames.small(frames.parse_times(frames.parse_counts(raw, counts), "create_time", "at", "Asia/Shanghai"))
    got = frames.small(frames.parse_times(frames.parse_counts(spark_raw, counts), "create_time", "at", "Asia/Shanghai"))
    assert_frame_equal(got, expected)
    from analysis.io import parse

    value, _, _ = parse.count(pl.col("like_count"))
    assert expected["like_count"].to_list() == raw.select(value.alias("v"))["v"].to_list()
    assert expected["at"].null_count() == 0


def test__real__jieba_term_counts_equal(real_notes, real_sdf):
    def cut(texts: pa.Array) -> pa.Array:
        jb = _jieba()
        return pa.array([[w.strip().lower() for w in jb.lcut(t) if w.strip()] if t else [] for t in texts.to_pylist()],
                        pa.list_(pa.string()))

    expected = frames.term_counts(real_notes, "title", cut)
    assert_frame_equal(frames.term_counts(real_sdf, "title", cut), expected)
    assert expected.height > 1000


# --- Ledger-facing result tables (T3, M-creators, W1) from Spark counts -----------------


def test__real__ledger_result_tables_equal(real_notes, real_sdf):
    """The result tables the ledger's T3, creator and W1 rows read, built from Spark's
    counts, equal those the default (polars) engine builds."""
    classified = ads.classify_notes(real_notes)
    assert_frame_equal(ads.ad_shares_from_counts(ads.sponsored_counts(real_sdf)), ads.ad_shares(classified))
    args = (_ads_lexicon(), ads.SPONSORED_CATEGORIES, ads.NEGATION_CATEGORY)
    assert_frame_equal(ads.creator_shares_from_counts(frames.creator_ad_counts(real_sdf, *args)),
                       ads.creator_ad_shares(classified, dataset=None))
    for ds in real_notes["dataset"].unique().sort():
        mine_pl, mine_sp = real_notes.filter(pl.col("dataset") == ds), real_sdf.filter(f"dataset = '{ds}'")
        assert_frame_equal(migration.retention_summary(mine_sp), migration.retention_summary(mine_pl))
        assert_frame_equal(migration.daily_activity(mine_sp), migration.daily_activity(mine_pl))
        assert_frame_equal(migration.cohort_retention(mine_sp), migration.cohort_retention(mine_pl))


# --- The 100K synthetic notes -----------------------------------------------------------


def test__synthetic__dedupe_equal_and_right(synthetic, synthetic_sdf, deduped):
    polars_side = frames.small(frames.newest_per_key(synthetic)).sort("dataset", "note_id")
    assert_frame_equal(polars_side, deduped.sort("dataset", "note_id"))
    spark_side = frames.small(frames.newest_per_key(synthetic_sdf)).sort("dataset", "note_id")
    assert_frame_equal(spark_side, polars_side)
    assert spark_side.height == SYNTHETIC_NOTES


def test__synthetic__measures_equal(spark, deduped):
    sdf = spark.createDataFrame(deduped.to_arrow())
    args = (_ads_lexicon(), ads.SPONSORED_CATEGORIES, ads.NEGATION_CATEGORY)
    assert_frame_equal(frames.ad_counts(sdf, *args), frames.ad_counts(deduped, *args))
    assert_frame_equal(frames.creator_ad_counts(sdf, *args), frames.creator_ad_counts(deduped, *args))
    lexicon = _topic_lexicon()
    assert_frame_equal(frames.category_counts(sdf, lexicon), frames.category_counts(deduped, lexicon))
    assert_frame_equal(frames.daily_counts(sdf), frames.daily_counts(deduped))
    assert_frame_equal(frames.cohort_counts(sdf), frames.cohort_counts(deduped))
    assert frames.posted_again_counts(sdf) == frames.posted_again_counts(deduped)


# --- The Parquet hand-off ----------------------------------------------------------------


def test__exported_parquet_read_by_spark_gives_the_same_counts(spark, real_bundle, tmp_path_factory):
    from analysis.engines.spark_engine import read_table
    from analysis.io.export import export_bundle

    out = tmp_path_factory.mktemp("export") / "canonical"
    export_bundle(real_bundle, out)
    notes = read_table(spark, str(out), "notes")
    assert notes.count() == real_bundle.notes.height
    args = (_ads_lexicon(), ads.SPONSORED_CATEGORIES, ads.NEGATION_CATEGORY)
    assert_frame_equal(frames.ad_counts(notes, *args), frames.ad_counts(real_bundle.notes, *args))
    assert_frame_equal(frames.daily_counts(notes), frames.daily_counts(real_bundle.notes))


# --- The whole ledger and the build, on Spark ---------------------------------------------


def test__ledger__on_spark_equals_the_default_engine_on_the_real_data(spark, real_bundle, monkeypatch):
    from analysis import engines
    from analysis.claims.ledger import build_ledger

    expected = build_ledger(real_bundle)
    counted_on = []
    collect = frames.small

    def spy(frame):
        counted_on.append(engines.name_of(frame.to_native()))
        return collect(frame)

    monkeypatch.setattr(frames, "small", spy)
    assert_frame_equal(build_ledger(real_bundle, engine="spark"), expected)
    # The heavy counts ran on Spark: ad markers per data set (T3) and per creator (M3), topic
    # and culture lexicons (T2, C2–C5), daily counts (P1, W1), cohorts and posting again (W1).
    assert counted_on.count("spark") >= 12, counted_on


@pytest.mark.parametrize("shape", ["the synthetic sample", "no notes", "twelve notes"])
def test__ledger__on_spark_equals_the_default_engine_on_every_shape(spark, sample_bundle, shape):
    from dataclasses import replace

    from analysis.claims.ledger import build_ledger

    bundle = {"the synthetic sample": sample_bundle, "no notes": replace(sample_bundle, notes=sample_bundle.notes.clear()),
              "twelve notes": replace(sample_bundle, notes=sample_bundle.notes.head(12))}[shape]
    assert_frame_equal(build_ledger(bundle, engine="spark"), build_ledger(bundle))


def _one_section_spec(folder: Path) -> Path:
    """report.toml with only the summary section (it shows the whole ledger; collect writes ledger.csv)."""
    from analysis import config

    text = (config.ROOT / "report.toml").read_text(encoding="utf-8")
    head = (text[:text.index("[[sections]]")].replace('notebooks_dir = "notebooks"', f'notebooks_dir = "{config.NOTEBOOKS_DIR}"')
            .replace('build_record_section = "methods"', 'build_record_section = "summary"'))
    spec = folder / "report.toml"
    spec.write_text(head + '[[sections]]\nid = "summary"\ntitle = "Summary"\nnotebook = "00_summary.ipynb"\n'
                    'inputs = ["rednote", "media-kits", "headlines"]\n', encoding="utf-8")
    return spec


@pytest.mark.slow
def test__build__engine_spark_publishes_the_same_ledger_as_the_default_engine(spark, tmp_path):
    from typer.testing import CliRunner

    from analysis import cli

    spec = _one_section_spec(tmp_path)
    published = {}
    for engine in ("polars", "spark"):
        out = tmp_path / engine
        result = CliRunner().invoke(cli.app, ["build", "--data-mode", "real", "--engine", engine, "--spec", str(spec),
                                              "--out", str(out), "--no-progress"])
        assert result.exit_code == 0, result.output
        record = json.loads((out / "latest" / "build.json").read_text(encoding="utf-8"))
        assert (record["parameters"]["engine"], record["engine"]) == (engine, engine)
        published[engine] = pl.read_csv(out / "latest" / "ledger.csv", infer_schema=False)
    assert published["spark"].height == 19
    assert_frame_equal(published["spark"], published["polars"])
