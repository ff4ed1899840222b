"""pandas stages, written the way a pandas user would: whole-table reads, ``str`` accessors
on pyarrow-backed strings (RE2 regexes, so the project's patterns translate as for
DuckDB), groupby/merge. The clickbait model and lingua are Python, called once per
distinct text, as in the other engines."""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl

from analysis.io.parse import _COUNT_RE, NULL_SPELLINGS, RED_NOTE_FOUNDED
from analysis.measures import ads, clickbait
from analysis.text import langid, lexicon
from analysis.text.normalise import HASHTAG_PATTERN, MENTION_PATTERN, STICKER_PATTERN, URL_PATTERN
from benchmarks.engines import common

UNITS = {"万": 10_000, "w": 10_000, "千": 1_000, "k": 1_000, "亿": 100_000_000}
STR = pd.ArrowDtype(__import__("pyarrow").large_string())  # 64-bit offsets: 10M notes of text pass 2 GiB


@dataclass
class State:
    notes: pd.DataFrame
    data_dir: Path
    model: object


def re2(pattern: str) -> str:
    return pattern.replace("(?-u:\\b)", "\\b")


def _read(pattern: str, columns: list[str] | None = None) -> pd.DataFrame:
    return pd.concat([pd.read_parquet(p, columns=columns, dtype_backend="pyarrow") for p in sorted(glob.glob(pattern))],
                     ignore_index=True)


def _blank(s: pd.Series) -> pd.Series:
    s = s.astype(STR).str.strip()
    return s.mask(s.str.lower().isin(NULL_SPELLINGS))


def _count(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    s = _blank(s).str.replace(r"[,\s]", "", regex=True).str.lower()
    parts = s.str.extract(re2(_COUNT_RE))
    number = pd.to_numeric(parts[0], errors="coerce")
    mult = parts[1].map(UNITS).astype("float64").fillna(1.0)
    value = (number * mult).round(0).astype("Int64")
    lower = parts[2].notna().astype("boolean").mask(value.isna())
    return value, lower


def prepare(data_dir: Path, model) -> State:
    raw = _read(common.notes_glob(data_dir))
    raw = raw.sort_values("last_modify_ts").drop_duplicates(["dataset", "note_id"], keep="last")
    notes = pd.DataFrame({"dataset": raw["dataset"], "note_id": raw["note_id"], "account_id": raw["user_id"]})
    crawled = pd.to_datetime(raw["last_modify_ts"].astype("int64"), unit="ms", utc=True)
    hexsec = raw["user_id"].astype(STR).str.strip().str.extract(r"^([0-9a-fA-F]{8})[0-9a-fA-F]{16}$")[0]
    created = pd.to_datetime(hexsec.map(lambda h: int(h, 16), na_action="ignore"), unit="s", utc=True)
    ok = (created >= pd.Timestamp(RED_NOTE_FOUNDED)) & (created <= crawled)
    notes["account_created_on"] = created.where(ok).dt.date
    notes["title"], notes["text"] = raw["title"], raw["desc"]
    tags = _blank(raw["tag_list"]).str.replace(r"\[话题\]", "", regex=True).str.replace(r"[#，,]", ",", regex=True)
    notes["tags"] = tags.str.split(",").map(lambda t: [x.strip() for x in t if x.strip()], na_action="ignore")
    notes["published_at"] = pd.to_datetime(raw["time"].astype("int64"), unit="ms", utc=True)
    for c in common.COUNTS:
        notes[c], notes[f"{c}_lower_bound"] = _count(raw[c])
    notes["ip_location"] = _blank(raw["ip_location"])
    notes["crawled_at"] = crawled
    return State(notes=notes.reset_index(drop=True), data_dir=data_dir, model=model)


def note_count(s: State) -> int:
    return len(s.notes)


def _to_pl(frame: pd.DataFrame, schema: dict) -> pl.DataFrame:
    return common.finish(pl.from_pandas(frame.reset_index(drop=True)), schema)


def demographics_stage(s: State) -> pl.DataFrame:
    loc = s.notes["ip_location"].fillna("unknown").str.strip()
    counts = loc.value_counts().rename("k").reset_index()
    counts["key"] = "notes:" + counts["ip_location"].astype(str)
    counts["n"] = len(s.notes)
    return _to_pl(counts, common.COUNT_SCHEMA)


def _tags_text(notes: pd.DataFrame) -> pd.Series:
    return notes["tags"].map(" ".join, na_action="ignore").fillna("").astype(STR)


def _counts_by_dataset(flags: pd.DataFrame, dataset: pd.Series, prefix: str = "") -> pd.DataFrame:
    flags = flags.astype("int64").assign(dataset=dataset.values)
    grouped = flags.groupby("dataset")
    long = grouped.sum().join(grouped.size().rename("n")).reset_index().melt(
        id_vars=["dataset", "n"], var_name="flag", value_name="k")
    long["key"] = prefix + long["dataset"].astype(str) + ": " + long["flag"]
    return long


def ads_stage(s: State) -> pl.DataFrame:
    n = s.notes
    text = n["title"].fillna("").astype(STR) + "\n" + n["text"].fillna("").astype(STR) + "\n" + _tags_text(n)
    flags = pd.DataFrame({f"ad_{c}": text.str.contains(re2(p), regex=True).fillna(False).astype(bool)
                          for c, p in lexicon.category_patterns(lexicon.load_lexicon(ads.LEXICON)).items()})
    strong = [f"ad_{c}" for c in ads.SPONSORED_CATEGORIES if f"ad_{c}" in flags]
    negated = flags.get(f"ad_{ads.NEGATION_CATEGORY}", pd.Series(False, index=flags.index))
    flags["is_sponsored"] = flags[strong].any(axis=1) & ~negated
    return _to_pl(_counts_by_dataset(flags, n["dataset"]), common.COUNT_SCHEMA)


def lexicons_stage(s: State) -> pl.DataFrame:
    n = s.notes
    raw = n["title"].fillna("").astype(STR) + "\n" + n["text"].fillna("").astype(STR) + "\n" + _tags_text(n)
    text = (raw.str.normalize("NFKC").str.replace(re2(STICKER_PATTERN), " ", regex=True)
            .str.replace(r"\s+", " ", regex=True).str.strip().str.lower())
    parts = []
    for name in common.LEXICONS:
        flags = pd.DataFrame({c: text.str.contains(re2(p), regex=True).fillna(False).astype(bool)
                              for c, p in lexicon.category_patterns(lexicon.load_lexicon(name)).items()})
        parts.append(_counts_by_dataset(flags, n["dataset"], f"{name}: "))
    return _to_pl(pd.concat(parts), common.COUNT_SCHEMA)


def _normalise(s: pd.Series) -> pd.Series:
    """analysis.text.normalise.normalise on a string Series."""
    return (s.fillna("").astype(STR).str.normalize("NFKC").str.replace(re2(STICKER_PATTERN), " ", regex=True)
            .str.replace(r"\s+", " ", regex=True).str.strip())


def _strip_markup(s: pd.Series) -> pd.Series:
    """analysis.text.normalise.strip_markup: the author's running words only."""
    s = s.fillna("").astype(STR).str.normalize("NFKC")
    for pattern in (URL_PATTERN, HASHTAG_PATTERN, MENTION_PATTERN):
        s = s.str.replace(re2(pattern), " ", regex=True)
    return _normalise(s)


def _script(title: pd.Series, text: pd.Series) -> pd.DataFrame:
    """analysis.text.langid.script_features: letter counts of the author's own text and the
    script-only decision (None where lingua's tiers must decide)."""
    loan = lexicon.category_patterns(lexicon.load_lexicon("loanwords"))["loanword"]
    function_word = lexicon.category_patterns(lexicon.load_lexicon("function_words"))["function_word"]
    own = _strip_markup(title.fillna("").astype(STR) + "\n" + text.fillna("").astype(STR))
    f = pd.DataFrame({
        "own": own,
        "han": own.str.count(r"\p{Han}").astype("int64"),
        "latin": own.str.count(r"\p{Latin}").astype("int64"),
        "en_words": own.str.replace(re2(loan), " ", regex=True).str.count(r"\p{Latin}+").astype("int64"),
        "other": own.str.count(r"[^\P{L}\p{Han}\p{Latin}]").astype("int64"),
        "has_fw": own.str.contains(re2(function_word), regex=True).astype(bool),
    })
    zh_words = f["han"] / langid.HAN_PER_WORD
    share = f["en_words"] / (f["en_words"] + zh_words)
    minority = np.minimum(share, 1 - share)
    f["script_language"] = np.select(
        [f["han"] + f["latin"] + f["other"] == 0,
         f["other"] > np.maximum(f["han"], f["latin"]),
         (f["han"] >= langid.MIN_HAN_BILINGUAL) & (f["en_words"] >= langid.MIN_EN_WORDS_BILINGUAL)
         & (minority >= langid.MIN_MINORITY_SHARE) & f["has_fw"],
         (f["han"] >= langid.MIN_HAN_CHINESE) & (zh_words >= f["en_words"])],
        ["other", "other", "bilingual", "chinese"], default=None)
    return f


def clickbait_stage(s: State) -> pl.DataFrame:
    n = s.notes
    f = _script(n["title"], pd.Series(None, index=n.index, dtype=STR))
    lang = pd.Series(np.select(
        [f["script_language"] == "other", f["script_language"] == "bilingual",
         f["han"] >= langid.MIN_HAN_CHINESE, f["latin"] > 0],
        [None, "bilingual", "chinese", "english"], default=None), index=n.index, dtype=object)
    latin = f["own"].str.replace(r"\p{Han}+", " ", regex=True).str.replace(r"\s+", " ", regex=True).str.strip()
    wants_en = lang.isin(["english", "bilingual"])
    distinct = latin[wants_en].drop_duplicates()
    en_scores = pd.Series(clickbait._predict_en(s.model, distinct.to_numpy(dtype=object)), index=distinct.values)
    score_en = latin.map(en_scores).where(wants_en)
    # Chinese: noisy-OR of the lexicon's categories and the !/? density (clickbait.zh_score_expr).
    title = _normalise(n["title"])
    keep = pd.Series(1.0, index=n.index)
    for category, pattern in lexicon.category_patterns(lexicon.load_lexicon(clickbait.ZH_LEXICON)).items():
        hit = title.str.contains(re2(pattern), regex=True).astype("float64")
        keep = keep * (1 - clickbait.ZH_WEIGHTS[category] * hit)
    chars = title.str.len().astype("float64")
    density = (10 * title.str.count("[!?]").astype("float64") / chars).clip(upper=1.0).where(chars > 0, 0.0)
    score_zh = (1 - keep * (1 - clickbait.ZH_DENSITY_WEIGHT * density)).where(lang.isin(["chinese", "bilingual"]))
    score = pd.Series(np.select([lang == "english", lang == "chinese", lang == "bilingual"],
                                [score_en, score_zh, np.fmax(score_en, score_zh)], default=np.nan), index=n.index)
    out = pd.DataFrame({"key": lang.fillna("none"), "score": score, "hit": score >= clickbait.THRESHOLD})
    out = out.groupby("key").agg(k=("hit", "sum"), n=("score", "size"), score_sum=("score", "sum")).reset_index()
    return _to_pl(out, common.CLICKBAIT_SCHEMA)


def langid_stage(s: State) -> pl.DataFrame:
    n = s.notes
    f = _script(n["title"], n["text"])
    undecided = f["script_language"].isna()
    latin = f.loc[undecided, "own"].str.replace(r"\p{Han}", " ", regex=True).str.strip()
    words = latin.str.count(r"[^ ]+")
    markers = latin.str.count(re2(langid._EN_MARKER))
    by_rule = (words < langid.MIN_WORDS_OTHER) | (
        (markers >= langid.MIN_EN_MARKERS) & (markers >= langid.MIN_EN_MARKER_SHARE * words))
    asked = latin[~by_rule].drop_duplicates()
    detected = pd.Series(langid.detect_latin(asked.tolist()), index=asked.values, dtype=object)
    language = f["script_language"].astype(object)
    language[undecided] = latin.map(detected).where(~by_rule, "english")
    counts = pd.crosstab(n["dataset"], language).reindex(columns=list(langid.LANGUAGES), fill_value=0)
    long = counts.assign(n=counts.sum(axis=1)).reset_index().melt(id_vars=["dataset", "n"], var_name="language",
                                                                    value_name="k")
    long["key"] = long["dataset"].astype(str) + ": " + long["language"]
    return _to_pl(long, common.COUNT_SCHEMA)


def _days(ts: pd.Series) -> pd.Series:
    return ts.dt.tz_convert(common.DAY_TZ).dt.date


def cohorts_stage(s: State) -> pl.DataFrame:
    from analysis.measures.migration import MAX_WEEKS

    d = pd.DataFrame({"account_id": s.notes["account_id"], "day": pd.to_datetime(_days(s.notes["published_at"]))})
    end = d["day"].max()
    first = d.groupby("account_id")["day"].min().rename("first_day").reset_index()
    active = d.merge(first, on="account_id")
    active["week"] = (active["day"] - active["first_day"]).dt.days // 7
    active = active[["account_id", "week"]].drop_duplicates().assign(posted=True)
    obs = first.merge(pd.DataFrame({"week": np.arange(MAX_WEEKS + 1)}), how="cross")
    obs = obs[obs["first_day"] + pd.to_timedelta(7 * obs["week"] + 6, unit="D") <= end]
    obs["cohort"] = obs["first_day"] - pd.to_timedelta(obs["first_day"].dt.day_of_week, unit="D")
    obs = obs.merge(active, on=["account_id", "week"], how="left")
    out = obs.groupby(["cohort", "week"]).agg(n=("account_id", "size"), k=("posted", "count")).reset_index()
    out["key"] = out["cohort"].dt.strftime("%Y-%m-%d") + "|" + out["week"].astype(str)
    return _to_pl(out, common.COUNT_SCHEMA)


def daily_stage(s: State) -> pl.DataFrame:
    n = s.notes.assign(day=_days(s.notes["published_at"]))
    per = n.groupby("day").agg(posts=("note_id", "size"), accounts=("account_id", "nunique"),
                               likes_total=("liked_count", "sum"))
    per = per.reindex(pd.date_range(per.index.min(), per.index.max(), freq="D").date, fill_value=0)
    c = _read(common.comments_glob(s.data_dir), ["dataset", "comment_id", "create_time"]).drop_duplicates(["dataset", "comment_id"])
    comments = _days(pd.to_datetime(c["create_time"].astype("int64"), unit="ms", utc=True)).value_counts()
    per["comments"] = comments.reindex(per.index).fillna(0).astype("int64")
    per = per.reset_index(names="day")
    per["key"] = per["day"].astype(str)
    return _to_pl(per, common.DAILY_SCHEMA)


STAGE_FUNCTIONS = {
    "demographics": demographics_stage, "ads": ads_stage, "clickbait": clickbait_stage, "langid": langid_stage,
    "lexicons": lexicons_stage, "cohorts": cohorts_stage, "daily": daily_stage,
}
