"""A small synthetic data set in the canonical schema, for demos and fast tests only.

Everything here is made up (dataset ``sample``); the report labels it illustrative
wherever it shows. It is deterministic: the same call gives the same frames, so tests
can assert exact values. Shapes mimic the real data (a Jan 13 spike of #TikTokRefugee
posts, English / Chinese / bilingual notes, some sponsored markers and memes, mostly
female creators, KOL media-kit rows, clickbait and news headlines) so every section of
the report has something to draw.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import polars as pl

from analysis.io import schema
from analysis.io.bundle import Bundle

SEED = 20250113
N_NOTES = 360
N_CREATORS = 60
N_MEDIA_KITS = 30
N_HEADLINES = 200
DATASET = "sample"
START = datetime(2025, 1, 1, tzinfo=UTC)
DAYS = 90  # Jan–Mar 2025

_TITLES = {
    "en": ["Hello from a TikTok refugee", "My cat tax as promised", "I am your spy, reporting for duty",
           "Best coffee spot in Dallas, honest review", "How do I use this app? translate help",
           "Americans colonizing your app, sorry not sorry", "Healthcare costs in the US vs China",
           "Travel tips for visiting Shanghai", "Learning Chinese day 3"],
    "zh": ["欢迎美国朋友", "达拉斯探店｜奶茶测评", "今日穿搭分享", "我的猫税来了", "上海旅游攻略",
           "好物推荐 合作", "房价真的太高了", "抖音难民你们好", "美食vlog"],
    "bi": ["Hello 你好 new friends | 新朋友你好", "Cat tax 猫税 | 我的猫", "Thank you for the welcome | 谢谢欢迎",
           "Coffee review 咖啡测评 | 广告", "Learning Chinese 学中文 | day 5"],
}
_TAGS = [["tiktokrefugee", "tiktok"], ["tiktokrefugee", "cattax"], ["抖音难民", "美国人"], ["达拉斯探店", "达拉斯美食"],
         ["travel", "旅游"], ["ad", "合作"], ["fashion", "穿搭"], ["learnchinese", "学中文"], []]
_SPONSOR_TEXT = [" #ad", " 合作", " 广告", " 赞助"]
_CLICKBAIT = ["You Won't Believe What This {} Did Next", "{} Things Only Real Fans Will Understand",
              "This {} Trick Will Change Your Life", "Which {} Are You? Take The Quiz"]
_NEWS = ["{} Officials Announce New Budget Plan", "Court Rules on {} Trade Dispute",
         "{} Markets Close Lower After Rate Decision", "Storm Hits {} Coast, Thousands Without Power"]
_WORDS = ["Cat", "Dog", "Celebrity", "Teacher", "Chef", "Texas", "Ohio", "Europe", "Asia", "City"]


def _acct(i: np.ndarray) -> pl.Series:
    return pl.select(pl.format("acct_sample{}", pl.lit(pl.Series(i)).cast(pl.String).str.zfill(6))).to_series()


def _notes(rng: np.random.Generator) -> pl.DataFrame:
    # A spike on 13–19 Jan (the ban news) over a low baseline, as in the real posts.
    spike = rng.integers(12, 19, size=N_NOTES // 2)
    base = rng.integers(0, DAYS, size=N_NOTES - N_NOTES // 2)
    day = np.sort(np.concatenate([spike, base]))
    seconds = day * 86_400 + rng.integers(0, 86_400, size=N_NOTES)
    lang = rng.choice(["en", "zh", "bi"], size=N_NOTES, p=[0.5, 0.3, 0.2])
    title_idx = rng.integers(0, 100, size=N_NOTES)
    sponsored = rng.random(N_NOTES) < 0.08
    frame = pl.DataFrame({
        "i": np.arange(N_NOTES), "lang": lang, "title_idx": title_idx, "sponsored": sponsored,
        "seconds": seconds, "author": rng.integers(0, N_CREATORS, size=N_NOTES),
        "tag_idx": rng.integers(0, len(_TAGS), size=N_NOTES),
        "liked": rng.geometric(0.01, size=N_NOTES), "collected": rng.geometric(0.03, size=N_NOTES),
        "comments": rng.geometric(0.05, size=N_NOTES), "shares": rng.geometric(0.1, size=N_NOTES),
        "video": rng.random(N_NOTES) < 0.45,
    })
    titles = pl.DataFrame({"lang": [k for k, v in _TITLES.items() for _ in v],
                           "title": [t for v in _TITLES.values() for t in v],
                           "k": [j for v in _TITLES.values() for j in range(len(v))],
                           "n": [len(v) for v in _TITLES.values() for _ in v]})
    sizes = {k: len(v) for k, v in _TITLES.items()}
    frame = frame.with_columns(k=pl.col("title_idx") % pl.col("lang").replace_strict(sizes, return_dtype=pl.Int64))
    frame = frame.join(titles.drop("n"), on=["lang", "k"], how="left").sort("i")
    sponsor = pl.lit(pl.Series(_SPONSOR_TEXT)).get(pl.col("i") % len(_SPONSOR_TEXT))
    tags = pl.lit(pl.Series(_TAGS, dtype=pl.List(pl.String))).get(pl.col("tag_idx"))
    return frame.select(
        note_id=pl.format("sample{}", pl.col("i").cast(pl.String).str.zfill(18)),
        account_id=pl.format("acct_sample{}", pl.col("author").cast(pl.String).str.zfill(6)),
        account_created_on=_created_on(pl.col("author")),
        title=pl.col("title"),
        text=pl.col("title") + pl.when(pl.col("sponsored")).then(sponsor).otherwise(pl.lit("")),
        tags=tags,
        note_type=pl.when(pl.col("video")).then(pl.lit("video")).otherwise(pl.lit("normal")),
        published_at=pl.lit(START) + pl.duration(seconds=pl.col("seconds")),
        liked_count=pl.col("liked"), liked_count_lower_bound=pl.lit(False),
        collected_count=pl.col("collected"), collected_count_lower_bound=pl.lit(False),
        comment_count=pl.col("comments"), comment_count_lower_bound=pl.lit(False),
        share_count=pl.col("shares"), share_count_lower_bound=pl.lit(False),
        ip_location=pl.when(pl.col("lang") == "zh").then(pl.lit("美国")).otherwise(pl.lit("U.S.")),
        crawled_at=pl.lit(datetime(2025, 3, 31, tzinfo=UTC)),
        dataset=pl.lit(DATASET), source_file=pl.lit("synthetic"), source_row=pl.col("i") + 1,
    ).cast(dict(schema.polars_schema("notes")))


def _created_on(author: pl.Expr) -> pl.Expr:
    """Two in three synthetic accounts open in the ban's week (newcomers), the rest years before."""
    newcomer = pl.lit(date(2025, 1, 10)) + pl.duration(days=author % 7)
    old = pl.lit(date(2019, 1, 1)) + pl.duration(days=author * 30)
    return pl.when(author % 3 != 0).then(newcomer).otherwise(old).cast(pl.Date)


def _creators(rng: np.random.Generator) -> pl.DataFrame:
    i = np.arange(N_CREATORS)
    return pl.DataFrame({
        "account_id": _acct(i),
        "gender": rng.choice(list(schema.GENDERS), size=N_CREATORS, p=[0.7, 0.25, 0.05]),
        "ip_location": rng.choice(["美国", "U.S.", ""], size=N_CREATORS),
        "follows": rng.integers(10, 2000, size=N_CREATORS), "follows_lower_bound": False,
        "fans": rng.geometric(0.001, size=N_CREATORS), "fans_lower_bound": False,
        "interaction": rng.geometric(0.0001, size=N_CREATORS), "interaction_lower_bound": False,
        "profession": rng.choice(["探店博主", "", "美食博主"], size=N_CREATORS),
        "crawled_at": datetime(2025, 3, 31, tzinfo=UTC),
        "dataset": DATASET, "source_file": "synthetic", "source_row": i + 1,
    }).with_columns(pl.col("ip_location", "profession").replace("", None),
                    account_created_on=_created_on(pl.lit(pl.Series(i)))).select(
        schema.polars_schema("creators").names()).cast(dict(schema.polars_schema("creators")))


def _media_kits(rng: np.random.Generator) -> pl.DataFrame:
    n = N_MEDIA_KITS
    ages = rng.dirichlet([1, 3, 4, 2, 1], size=n).round(4)
    fans = rng.geometric(0.0005, size=n)
    interests = [["美食", "时尚", "美妆"], ["影视", "娱乐", "素材"], ["出行", "美食", "生活记录"]]
    regions = [["广东", "江苏", "山东"], ["海外", "上海", "北京"], ["浙江", "河南", "四川"]]
    pick = rng.integers(0, 3, size=n)
    return pl.DataFrame({
        "account_id": _acct(np.arange(n)),
        "collected_by": rng.choice(["analyst A", "analyst B"], size=n),
        "gender": rng.choice(["female", "male"], size=n, p=[0.85, 0.15]),
        "follows": rng.integers(10, 2000, size=n), "follows_lower_bound": False,
        "fans": fans, "fans_lower_bound": False,
        "liked_collected": fans * rng.integers(3, 30, size=n), "liked_collected_lower_bound": False,
        "ip_location": None,
        "price_image_rmb": (10 + fans * rng.uniform(0.01, 0.1, size=n)).round(0),
        "price_verified": rng.random(n) < 0.2,
        "health_level": None, "platform_level": rng.choice(["泡泡薯", "困困薯", "金冠薯"], size=n),
        "active_fan_share": rng.uniform(0.3, 0.8, size=n).round(4),
        "follower_female_share": rng.uniform(0.55, 0.95, size=n).round(4),
        "follower_age_lt18": ages[:, 0], "follower_age_18_24": ages[:, 1], "follower_age_25_34": ages[:, 2],
        "follower_age_35_44": ages[:, 3], "follower_age_gt44": ages[:, 4],
        "follower_interests": [interests[k] for k in pick], "follower_regions": [regions[k] for k in pick],
        "dataset": DATASET, "source_file": "synthetic", "source_row": np.arange(n) + 1,
    }).with_columns(account_created_on=_created_on(pl.lit(pl.Series(np.arange(n))))).select(
        schema.polars_schema("media_kits").names()).cast(dict(schema.polars_schema("media_kits")))


def _headlines(rng: np.random.Generator) -> pl.DataFrame:
    half = N_HEADLINES // 2
    words = rng.choice(_WORDS, size=N_HEADLINES)
    pattern = rng.integers(0, 4, size=N_HEADLINES)
    templates = [(_CLICKBAIT if i < half else _NEWS)[p] for i, p in enumerate(pattern)]
    return pl.DataFrame({
        "headline": [t.format(w) for t, w in zip(templates, words, strict=True)],
        "is_clickbait": np.arange(N_HEADLINES) < half,
        "dataset": DATASET, "source_file": "synthetic", "source_row": np.arange(N_HEADLINES) + 1,
    }).cast(dict(schema.polars_schema("headlines")))


def sample_bundle() -> Bundle:
    """The synthetic data set as a Bundle (mode ``sample``)."""
    rng = np.random.default_rng(SEED)
    tables = {"notes": _notes(rng), "creators": _creators(rng), "media_kits": _media_kits(rng),
              "headlines": _headlines(rng)}
    log = pl.DataFrame(
        [{"dataset": DATASET, "source_file": "synthetic", "table": t, "format": "synthetic", "encoding": "",
          "rows_read": f.height, "loaded": f.height, "merged_duplicates": 0, "quarantined": 0}
         for t, f in tables.items()],
        schema={"dataset": pl.String, "source_file": pl.String, "table": pl.String, "format": pl.String,
                "encoding": pl.String, "rows_read": pl.Int64, "loaded": pl.Int64, "merged_duplicates": pl.Int64,
                "quarantined": pl.Int64},
    )
    from analysis.io.sources import SOURCES_SCHEMA

    sources = pl.DataFrame([{
        "dataset": DATASET, "title": "Synthetic sample (illustrative only)", "licence": "MIT",
        "citation": "generated by analysis/sample.py", "url": "", "commit": "", "files": [], "sha256": [],
        "retrieved_from": [],
    }], schema=SOURCES_SCHEMA)
    return Bundle(mode="sample", comments=schema.empty("comments"), quarantine=schema.empty("quarantine"),
                  load_log=log, sources=sources, **tables)
