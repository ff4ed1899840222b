"""Seeded synthetic RedNote crawls at benchmark scale (10K … 10M notes), written in chunks.

Writes what MediaCrawler exports (one JSON object per line; counts as platform strings
such as ``7.6万`` or ``1千+``, epoch-millisecond times, comma-joined tags, 24-hex user
ids whose first 8 hex digits are the account's creation second) and the same rows as
Parquet, so the benchmark's "load → parse" stage does the work a real build does.

Shapes follow the real data: a spike of posts on 13–19 Jan 2025 over a four-month
baseline, repeat posters (Zipf-like accounts), long-tailed engagement, English /
Chinese / bilingual / Spanish notes with hashtags, sticker codes and emoji, lexicon
terms at realistic rates, about 2% re-crawled duplicates, and about 10 comments per note.

    python -m benchmarks.generate --sizes 10k,100k --out benchmarks/data

Layout: ``<out>/<size>/notes/part-00000.parquet …``, ``<out>/<size>/comments/…``,
``<out>/<size>/notes.jsonl``, ``<out>/<size>/comments.jsonl``. A size already complete
(its ``_SUCCESS`` file present, same seed) is skipped.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl

from analysis import config

SEED = 20250113
CHUNK = 250_000  # notes per chunk: ~0.5 GiB peak with its comments
COMMENTS_PER_NOTE = 10
DUPLICATE_SHARE = 0.02
DATASETS = ("tiktokrefugee-posts", "mediacrawler-creators")
START = datetime(2025, 1, 1, tzinfo=UTC)
DAYS = 120
SPIKE = (12, 19)  # day offsets of 13–19 Jan
DEFAULT_OUT = Path(__file__).resolve().parent / "data"
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}

_EN = ("the a my is are to and of in for you this it so just with from on i we was not how what day new "
       "first love really today finally here our your friends app people life food cat coffee city "
       "trying learning chinese english america china rednote tiktok video post watch look share").split()
_ES = "el la de que y en los se del las un por con una para es muy hola amigos gracias nuevo día".split()
_ZH = ("今天 我的 分享 美国 朋友 真的 一下 生活 日常 喜欢 好吃 推荐 达拉斯 中国 大家 欢迎 终于 第一次 "
       "记录 探店 穿搭 学习 英语 中文 可爱 猫咪 工作 周末 旅行 超市 咖啡 奶茶 好看 小红书 这个 还是").split()
_TAGS = ("tiktokrefugee", "tiktok", "抖音难民", "cattax", "猫税", "dallas", "达拉斯探店", "美食", "穿搭",
         "learnchinese", "学中文", "travel", "旅游", "ootd", "vlog", "日常", "fyp", "rednote", "小红书")
_STICKERS = ("[笑哭R]", "[赞R]", "[doge]", "[哭惹R]", "[派对R]")
_EMOJI = ("😂", "❤️", "🥰", "👋", "🐱", "✨", "🇺🇸", "🇨🇳", "🙏", "")
_LOCATIONS = ("美国", "U.S.", "美国", "广东", "上海", "加拿大", "")
_COMMENT_EN = ("welcome", "welcome to rednote", "so cute", "lol", "hello from china", "you are so kind",
               "cat tax please", "i am your spy", "love this", "thank you", "omg", "same here")
_COMMENT_ZH = ("欢迎欢迎", "太可爱了", "哈哈哈哈", "你好", "欢迎来到小红书", "好美", "抖音难民又来了",
               "中文说得真好", "求猫税", "太好笑了", "支持", "美国人好多")


def _lexicon_terms() -> tuple[list[str], list[str]]:
    """Plain (non-regex) lexicon terms, English and Chinese, so matches occur at real rates."""
    frames = [pl.read_csv(p, comment_prefix="#", schema_overrides={c: pl.String for c in ("category", "term", "lang", "match")})
              for p in sorted(config.LEXICON_DIR.glob("*.csv"))]
    terms = pl.concat([f.select("term", "lang", "match") for f in frames]).filter(pl.col("match") != "regex").unique()
    ascii_term = pl.col("term").str.contains(r"^[\x00-\x7f]+$")
    return (terms.filter(ascii_term)["term"].sort().to_list(), terms.filter(~ascii_term)["term"].sort().to_list())


def _pick(rng: np.random.Generator, pool: tuple[str, ...] | list[str], n: int) -> pl.Series:
    return pl.Series(np.asarray(pool, dtype=object)[rng.integers(0, len(pool), size=n)], dtype=pl.String)


def _phrase(rng: np.random.Generator, pool, n: int, lo: int, hi: int, *, sep: str) -> pl.Series:
    """n phrases of lo…hi words drawn from pool, joined by sep (vectorised: a fixed number of
    word columns, nulled past each phrase's length)."""
    length = rng.integers(lo, hi + 1, size=n)
    cols = [pl.when(pl.lit(pl.Series(length)) > i).then(pl.lit(_pick(rng, pool, n))) for i in range(hi)]
    return pl.select(pl.concat_str(cols, separator=sep, ignore_nulls=True)).to_series()


def _platform_count(value: pl.Expr, u: pl.Expr) -> pl.Expr:
    """An integer written the way the app shows it: 3829, 1.2万, 1千+, 10+, or empty."""
    wan = (value / 1000).round(0) / 10
    return (
        pl.when(u < 0.02).then(pl.lit(""))
        .when(value >= 10_000).then(pl.format("{}万", wan))
        .when((value >= 1_000) & (u < 0.1)).then(pl.format("{}千+", value // 1000))
        .when((value < 10) & (u < 0.15)).then(pl.lit("10+"))
        .otherwise(value.cast(pl.String))
    )


def _to_hex(values: pl.Expr, width: int) -> pl.Expr:
    """Zero-padded lower-case hex of a non-negative Int64."""
    digits = [((values // (16 ** k)) % 16) for k in range(width - 1, -1, -1)]
    return pl.concat_str([pl.lit("0123456789abcdef").str.slice(d, 1) for d in digits])


def _notes_chunk(rng: np.random.Generator, first: int, n: int, n_accounts: int, terms: tuple[list[str], list[str]]) -> pl.DataFrame:
    en_terms, zh_terms = terms
    idx = np.arange(first, first + n)
    spike = rng.random(n) < 0.35
    day = np.where(spike, rng.integers(*SPIKE, size=n), rng.integers(0, DAYS, size=n))
    seconds = int(START.timestamp()) + day * 86_400 + rng.integers(0, 86_400, size=n)
    # Repeat posters: a Zipf-like draw over the accounts, so a few post a lot.
    author = np.minimum(rng.zipf(1.6, size=n) - 1 + rng.integers(0, n_accounts, size=n) * (rng.random(n) < 0.6),
                        n_accounts - 1)
    lang = rng.choice(np.array(["en", "zh", "bi", "es"]), size=n, p=[0.45, 0.33, 0.17, 0.05])
    en_pool = _EN * 20 + en_terms  # lexicon terms appear but do not dominate
    zh_pool = _ZH * 10 + zh_terms
    en_title, zh_title = _phrase(rng, en_pool, n, 2, 8, sep=" "), _phrase(rng, zh_pool, n, 1, 4, sep="")
    es_title = _phrase(rng, _ES, n, 3, 7, sep=" ")
    en_body, zh_body = _phrase(rng, en_pool, n, 5, 25, sep=" "), _phrase(rng, zh_pool, n, 3, 14, sep="")
    tags = pl.select(pl.concat_str([pl.lit(_pick(rng, _TAGS, n)), pl.lit(_pick(rng, _TAGS, n)),
                                    pl.lit(_pick(rng, _TAGS, n))], separator=",")).to_series()
    marks = rng.random((n, 4))
    frame = pl.DataFrame({
        "i": idx, "lang": lang, "seconds": seconds, "author": author,
        "en_title": en_title, "zh_title": zh_title, "es_title": es_title, "en_body": en_body, "zh_body": zh_body,
        "tags": tags, "emoji": _pick(rng, _EMOJI, n), "sticker": _pick(rng, _STICKERS, n),
        "m0": marks[:, 0], "m1": marks[:, 1], "m2": marks[:, 2], "m3": marks[:, 3],
        "liked": np.floor(rng.pareto(1.1, size=n) * 20).astype(np.int64),
        "collected": np.floor(rng.pareto(1.2, size=n) * 8).astype(np.int64),
        "comments": np.floor(rng.pareto(1.3, size=n) * 5).astype(np.int64),
        "shares": np.floor(rng.pareto(1.4, size=n) * 2).astype(np.int64),
        "u": rng.random(n), "video": rng.random(n) < 0.4, "loc": _pick(rng, _LOCATIONS, n),
        "dataset": np.where(rng.random(n) < 0.7, DATASETS[0], DATASETS[1]),
    })
    lang_c = pl.col("lang")
    title = (pl.when(lang_c == "en").then(pl.col("en_title"))
             .when(lang_c == "zh").then(pl.col("zh_title"))
             .when(lang_c == "bi").then(pl.format("{} | {}", "en_title", "zh_title"))
             .otherwise(pl.col("es_title")))
    body = (pl.when(lang_c == "en").then(pl.col("en_body"))
            .when(lang_c == "zh").then(pl.col("zh_body"))
            .when(lang_c == "bi").then(pl.format("{}\n{}", "en_body", "zh_body"))
            .otherwise(pl.col("es_title")))
    hashtags = pl.col("tags").str.split(",").list.eval(pl.format("#{}[话题]#", pl.element())).list.join(" ")
    desc = pl.concat_str([
        body,
        pl.when(pl.col("m0") < 0.3).then(pl.col("sticker")),
        pl.col("emoji"),
        pl.when(pl.col("m1") < 0.04).then(pl.lit("#ad")).when(pl.col("m1") < 0.07).then(pl.lit("合作")),
        pl.when(pl.col("m2") < 0.05).then(pl.lit("https://example.com/x")),
        pl.when(pl.col("m3") < 0.7).then(hashtags),
    ], separator=" ", ignore_nulls=True)
    created = _account_created(pl.col("author"))
    liked = pl.col("liked")
    return frame.select(
        note_id=_to_hex(pl.col("seconds"), 8) + _to_hex(pl.col("i"), 16),
        type=pl.when(pl.col("video")).then(pl.lit("video")).otherwise(pl.lit("normal")),
        title=pl.when(pl.col("m3") > 0.995).then(pl.lit("")).otherwise(title),
        desc=desc,
        time=pl.col("seconds") * 1000,
        user_id=_to_hex(created, 8) + _to_hex(pl.col("author"), 16),
        liked_count=_platform_count(liked, pl.col("u")),
        collected_count=_platform_count(pl.col("collected"), pl.col("m0")),
        comment_count=_platform_count(pl.col("comments"), pl.col("m1")),
        share_count=_platform_count(pl.col("shares"), pl.col("m2")),
        ip_location=pl.col("loc"),
        tag_list=pl.when(pl.col("m3") < 0.7).then(pl.col("tags")).otherwise(pl.lit("")),
        last_modify_ts=pl.lit(int(datetime(2025, 5, 1, tzinfo=UTC).timestamp() * 1000)) + pl.col("i"),
        dataset=pl.col("dataset"),
    )


def _account_created(author: pl.Expr) -> pl.Expr:
    """Creation second of an account: two in three in the ban's week, the rest 2016–2024."""
    newcomer = int(datetime(2025, 1, 10, tzinfo=UTC).timestamp()) + (author * 7919) % (7 * 86_400)
    old = int(datetime(2016, 1, 1, tzinfo=UTC).timestamp()) + (author * 104_729) % (9 * 365 * 86_400)
    return pl.when(author % 3 != 0).then(newcomer).otherwise(old)


def _duplicates(rng: np.random.Generator, notes: pl.DataFrame) -> pl.DataFrame:
    """Re-crawls of some notes: the same note seen again a day later (dedupe keeps the later)."""
    k = max(1, int(notes.height * DUPLICATE_SHARE))
    again = notes[np.sort(rng.choice(notes.height, size=k, replace=False))]
    return again.with_columns(pl.col("last_modify_ts") + 86_400_000)


def _comments_chunk(rng: np.random.Generator, notes: pl.DataFrame, first: int, n_accounts: int) -> pl.DataFrame:
    n = notes.height * COMMENTS_PER_NOTE
    # Popular notes draw more comments: a Zipf-like pick over the chunk's notes.
    target = np.minimum(rng.zipf(1.3, size=n) - 1 + rng.integers(0, notes.height, size=n) * (rng.random(n) < 0.8),
                        notes.height - 1)
    base = notes.select("note_id", "time", "dataset")[target]
    zh = rng.random(n) < 0.5
    text = pl.Series(np.where(zh, np.asarray(_COMMENT_ZH, dtype=object)[rng.integers(0, len(_COMMENT_ZH), n)],
                              np.asarray(_COMMENT_EN, dtype=object)[rng.integers(0, len(_COMMENT_EN), n)]), dtype=pl.String)
    commenter = rng.integers(0, n_accounts * 3, size=n)
    delay = np.floor(rng.exponential(2 * 86_400_000, size=n)).astype(np.int64)
    return base.with_columns(
        content=pl.concat_str([pl.lit(text), pl.lit(_pick(rng, _EMOJI, n))], separator=" "),
        create_time=pl.col("time") + pl.lit(pl.Series(delay)),
        user_id=_to_hex(_account_created(pl.lit(pl.Series(commenter))), 8) + _to_hex(pl.lit(pl.Series(commenter)), 16),
        like_count=_platform_count(pl.lit(pl.Series(np.floor(rng.pareto(1.5, size=n)).astype(np.int64))),
                                   pl.lit(pl.Series(rng.random(n)))),
        sub_comment_count=pl.lit(pl.Series(rng.poisson(0.3, size=n).astype(str))),
        ip_location=pl.lit(_pick(rng, _LOCATIONS, n)),
        parent_comment_id=pl.lit(None, dtype=pl.String),
    ).with_columns(
        comment_id=_to_hex(pl.col("create_time") // 1000, 8) + _to_hex(pl.lit(pl.Series(np.arange(first, first + n))), 16),
    ).select("comment_id", "note_id", "content", "create_time", "user_id", "like_count", "sub_comment_count",
             "ip_location", "parent_comment_id", "dataset")


def generate(n_notes: int, out: Path, *, seed: int = SEED, chunk: int = CHUNK,
             jsonl: bool = True, log=print) -> Path:
    """Write ``n_notes`` distinct notes (plus duplicates and comments) under ``out``; returns ``out``."""
    done = out / "_SUCCESS"
    stamp = json.dumps({"notes": n_notes, "seed": seed, "jsonl": jsonl})
    if done.exists():
        have = json.loads(done.read_text())
        # Data with JSONL serves a Parquet-only request too (the Parquet is the same).
        if (have["notes"], have["seed"]) == (n_notes, seed) and (have["jsonl"] or not jsonl):
            return out
    if out.exists():
        shutil.rmtree(out)
    (out / "notes").mkdir(parents=True)
    (out / "comments").mkdir()
    terms = _lexicon_terms()
    n_accounts = max(10, n_notes // 4)
    t0 = time.perf_counter()
    with (open(out / "notes.jsonl", "wb") if jsonl else _Null()) as nj, \
         (open(out / "comments.jsonl", "wb") if jsonl else _Null()) as cj:
        for part, first in enumerate(range(0, n_notes, chunk)):
            rng = np.random.default_rng([seed, part])  # chunk-wise streams: any chunk size gives the same rows per chunk
            n = min(chunk, n_notes - first)
            notes = _notes_chunk(rng, first, n, n_accounts, terms)
            comments = _comments_chunk(rng, notes, first * COMMENTS_PER_NOTE, n_accounts)
            notes = pl.concat([notes, _duplicates(rng, notes)])
            notes.write_parquet(out / "notes" / f"part-{part:05d}.parquet")
            comments.write_parquet(out / "comments" / f"part-{part:05d}.parquet")
            if jsonl:
                notes.write_ndjson(nj)
                comments.write_ndjson(cj)
            log(f"  {out.name}: {first + n:,} / {n_notes:,} notes ({time.perf_counter() - t0:.0f} s)")
    done.write_text(stamp)
    return out


class _Null:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def parse_sizes(text: str) -> dict[str, int]:
    """``10k,1m`` → {"10k": 10000, "1m": 1000000}; a size not in SIZES is an error naming them."""
    out = {}
    for s in (t.strip().lower() for t in text.split(",") if t.strip()):
        if s not in SIZES:
            raise SystemExit(f"unknown size {s!r}; choose from {', '.join(SIZES)}")
        out[s] = SIZES[s]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10k", help=f"comma-separated, of {', '.join(SIZES)}")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--no-jsonl", action="store_true", help="write Parquet only")
    args = ap.parse_args(argv)
    for name, n in parse_sizes(args.sizes).items():
        generate(n, args.out / name, seed=args.seed, jsonl=not args.no_jsonl)
    return 0


if __name__ == "__main__":
    sys.exit(main())
