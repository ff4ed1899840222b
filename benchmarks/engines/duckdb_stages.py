"""DuckDB stages: the same load → parse → dedupe and measures written in SQL.

Regexes are the project's lexicon patterns, translated to RE2 (DuckDB's engine): RE2's
``\\b`` is already the ASCII word boundary the project asks Rust for with ``(?-u:\\b)``.
DuckDB has no NFKC, so that one step is a vectorised Arrow UDF (``pyarrow.compute``);
the clickbait model and lingua are Python, called once per distinct text, as in polars.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from analysis.io.parse import _COUNT_RE, NULL_SPELLINGS, RED_NOTE_FOUNDED
from analysis.measures import ads, clickbait
from analysis.text import langid, lexicon
from analysis.text.normalise import HASHTAG_PATTERN, MENTION_PATTERN, STICKER_PATTERN, URL_PATTERN
from benchmarks.engines import common

_UNITS = "CASE {u} WHEN '万' THEN 10000 WHEN 'w' THEN 10000 WHEN '千' THEN 1000 WHEN 'k' THEN 1000 WHEN '亿' THEN 100000000 ELSE 1 END"


@dataclass
class State:
    con: duckdb.DuckDBPyConnection
    data_dir: Path
    model: clickbait.ClickbaitModel


def re2(pattern: str) -> str:
    """A project (Rust) regex for RE2, escaped as a SQL string literal."""
    return "'" + pattern.replace("(?-u:\\b)", "\\b").replace("'", "''") + "'"


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _blank(col: str) -> str:
    nulls = ", ".join(_lit(s) for s in NULL_SPELLINGS)
    return f"(CASE WHEN lower(trim({col})) IN ({nulls}) THEN NULL ELSE trim({col}) END)"


def _count(col: str) -> tuple[str, str]:
    s = f"lower(regexp_replace({_blank(col)}, '[,\\s]', '', 'g'))"
    number = f"TRY_CAST(NULLIF(regexp_extract({s}, {re2(_COUNT_RE)}, 1), '') AS DOUBLE)"
    unit = _UNITS.format(u=f"regexp_extract({s}, {re2(_COUNT_RE)}, 2)")
    value = f"CAST(round_even({number} * {unit}, 0) AS BIGINT)"
    lower = f"CASE WHEN {value} IS NULL THEN NULL ELSE regexp_extract({s}, {re2(_COUNT_RE)}, 3) <> '' END"
    return value, lower


def _normalise(expr: str) -> str:
    """analysis.text.normalise.normalise in SQL (NFKC through the UDF)."""
    return (f"trim(regexp_replace(regexp_replace(nfkc(coalesce({expr}, '')), {re2(STICKER_PATTERN)}, ' ', 'g'), "
            f"'\\s+', ' ', 'g'))")


def _strip_markup(expr: str) -> str:
    inner = f"nfkc(coalesce({expr}, ''))"
    for p in (URL_PATTERN, HASHTAG_PATTERN, MENTION_PATTERN):
        inner = f"regexp_replace({inner}, {re2(p)}, ' ', 'g')"
    return _normalise(inner)


def _nfkc(texts: pa.Array) -> pa.Array:
    return pc.utf8_normalize(texts, "NFKC")


def prepare(data_dir: Path, model) -> State:
    con = duckdb.connect()
    con.create_function("nfkc", _nfkc, [duckdb.sqltype("VARCHAR")], duckdb.sqltype("VARCHAR"), type="arrow")
    counts = ",\n".join(f"{v} AS {c}, {lb} AS {c}_lower_bound" for c in common.COUNTS for v, lb in [_count(c)])
    seconds = "TRY_CAST('0x' || regexp_extract(trim(user_id), '^([0-9a-fA-F]{8})[0-9a-fA-F]{16}$', 1) AS BIGINT)"
    crawled = "make_timestamptz(last_modify_ts * 1000)"
    tags = (f"list_filter(list_transform(string_split(regexp_replace(regexp_replace({_blank('tag_list')}, "
            f"'\\[话题\\]', '', 'g'), '[#，,]', ',', 'g'), ','), lambda x: trim(x)), lambda x: x <> '')")
    con.sql("SET TimeZone = 'UTC'")
    con.sql(f"""
        CREATE TABLE notes AS
        SELECT dataset, note_id, user_id AS account_id,
               CASE WHEN make_timestamptz({seconds} * 1000000) BETWEEN TIMESTAMPTZ '{RED_NOTE_FOUNDED.isoformat()}'
                         AND {crawled}
                    THEN CAST(make_timestamptz({seconds} * 1000000) AS DATE) END AS account_created_on,
               title, "desc" AS text, {tags} AS tags,
               CASE lower(trim(type)) WHEN 'normal' THEN 'normal' WHEN 'video' THEN 'video' END AS note_type,
               make_timestamptz(time * 1000) AS published_at,
               {counts},
               {_blank('ip_location')} AS ip_location,
               {crawled} AS crawled_at
        FROM read_parquet('{common.notes_glob(data_dir)}')
        QUALIFY row_number() OVER (PARTITION BY dataset, note_id ORDER BY last_modify_ts DESC) = 1
    """)
    return State(con=con, data_dir=data_dir, model=model)


def note_count(s: State) -> int:
    return s.con.sql("SELECT count(*) FROM notes").fetchall()[0][0]


def _pl(s: State, sql: str) -> pl.DataFrame:
    return pl.from_arrow(s.con.sql(sql).to_arrow_table())


def demographics_stage(s: State) -> pl.DataFrame:
    return common.finish(_pl(s, """
        SELECT 'notes:' || trim(coalesce(ip_location, 'unknown')) AS key, count(*) AS k,
               (SELECT count(*) FROM notes) AS n
        FROM notes GROUP BY 1"""), common.COUNT_SCHEMA)


def _flag_sql(text: str, lex: pl.DataFrame, prefix: str = "") -> list[tuple[str, str]]:
    return [(f"{prefix}{c}", f"regexp_matches({text}, {re2(p)})") for c, p in lexicon.category_patterns(lex).items()]


def _unpivot_counts(s: State, flags: list[tuple[str, str]], text_sql: str, extra: str = "", prefix: str = "") -> pl.DataFrame:
    cols = ", ".join(f"{sql} AS \"{name}\"" for name, sql in flags)
    sums = ", ".join(f"count_if(\"{name}\") AS \"{name}\"" for name, _ in flags)
    return _pl(s, f"""
        WITH t AS (SELECT dataset, {text_sql} AS txt FROM notes),
             f AS (SELECT dataset, {cols.replace('__TEXT__', 'txt')} {extra} FROM t),
             a AS (SELECT dataset, count(*) AS n, {sums}{', count_if(is_sponsored) AS is_sponsored' if extra else ''}
                   FROM f GROUP BY dataset)
        SELECT {_lit(prefix)} || dataset || ': ' || flag AS key, k, n
        FROM a UNPIVOT (k FOR flag IN (COLUMNS(* EXCLUDE (dataset, n))))""")


def ads_stage(s: State) -> pl.DataFrame:
    lex = lexicon.load_lexicon(ads.LEXICON)
    flags = _flag_sql("__TEXT__", lex, "ad_")
    names = {n for n, _ in flags}
    strong = [f'"ad_{c}"' for c in ads.SPONSORED_CATEGORIES if f"ad_{c}" in names]
    neg = f'"ad_{ads.NEGATION_CATEGORY}"' if f"ad_{ads.NEGATION_CATEGORY}" in names else "false"
    cols = ", ".join(f"{sql.replace('__TEXT__', 'txt')} AS \"{name}\"" for name, sql in flags)
    sums = ", ".join(f"count_if(\"{name}\") AS \"{name}\"" for name, _ in flags)
    sponsored = f"({' OR '.join(strong) or 'false'}) AND NOT {neg}"
    text = "coalesce(title, '') || chr(10) || coalesce(text, '') || chr(10) || coalesce(array_to_string(tags, ' '), '')"
    return common.finish(_pl(s, f"""
        WITH f AS (SELECT dataset, {cols} FROM (SELECT dataset, {text} AS txt FROM notes)),
             a AS (SELECT dataset, count(*) AS n, {sums}, count_if({sponsored}) AS is_sponsored FROM f GROUP BY dataset)
        SELECT dataset || ': ' || flag AS key, k, n
        FROM a UNPIVOT (k FOR flag IN (COLUMNS(* EXCLUDE (dataset, n))))"""), common.COUNT_SCHEMA)


def _script_sql(own: str) -> str:
    """SELECT list of the script features over the column ``own`` (see analysis.text.langid)."""
    loan = lexicon.category_patterns(lexicon.load_lexicon("loanwords"))["loanword"]
    fw = lexicon.category_patterns(lexicon.load_lexicon("function_words"))["function_word"]
    return f"""
        len(regexp_extract_all({own}, '\\p{{Han}}')) AS han_chars,
        len(regexp_extract_all({own}, '\\p{{Latin}}')) AS latin_letters,
        len(regexp_extract_all(regexp_replace({own}, {re2(loan)}, ' ', 'g'), '\\p{{Latin}}+')) AS en_words,
        len(regexp_extract_all({own}, '[^\\P{{L}}\\p{{Han}}\\p{{Latin}}]')) AS other_letters,
        regexp_matches({own}, {re2(fw)}) AS has_fw"""


def _decided() -> str:
    zh = f"(han_chars / {langid.HAN_PER_WORD})"
    share = f"(en_words / (en_words + {zh}))"
    minority = f"least({share}, 1 - {share})"
    return f"""CASE
        WHEN han_chars + latin_letters + other_letters = 0 THEN 'other'
        WHEN other_letters > greatest(han_chars, latin_letters) THEN 'other'
        WHEN han_chars >= {langid.MIN_HAN_BILINGUAL} AND en_words >= {langid.MIN_EN_WORDS_BILINGUAL}
             AND {minority} >= {langid.MIN_MINORITY_SHARE} AND has_fw THEN 'bilingual'
        WHEN han_chars >= {langid.MIN_HAN_CHINESE} AND {zh} >= en_words THEN 'chinese'
        END"""


def _python_column(s: State, table: str, column: str, fn, *, name: str, dtype) -> None:
    """Apply a Python batch function to the distinct values of ``table.column`` → table ``name``(value, result)."""
    values = s.con.sql(f"SELECT DISTINCT {column} AS v FROM {table}").to_arrow_table().column("v").to_numpy(
        zero_copy_only=False)
    result = pa.table({"v": pa.array(values, pa.string()), "r": pa.array(fn(values), dtype)})
    s.con.register(f"{name}_arrow", result)
    s.con.sql(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
    s.con.unregister(f"{name}_arrow")


def clickbait_stage(s: State) -> pl.DataFrame:
    weights = clickbait.ZH_WEIGHTS
    patterns = lexicon.category_patterns(lexicon.load_lexicon(clickbait.ZH_LEXICON))
    keep = " * ".join(f"(1 - {weights[c]} * CAST(regexp_matches(nt, {re2(p)}) AS DOUBLE))" for c, p in patterns.items())
    s.con.sql(f"""
        CREATE OR REPLACE TEMP TABLE cb AS
        WITH o AS (SELECT note_id, title, {_strip_markup("coalesce(title, '') || chr(10) || ''")} AS own FROM notes),
             f AS (SELECT *, {_script_sql('own')} FROM o),
             d AS (SELECT *, {_decided()} AS script_language FROM f)
        SELECT note_id, title,
               CASE WHEN script_language = 'other' THEN NULL
                    WHEN script_language = 'bilingual' THEN 'bilingual'
                    WHEN han_chars >= {langid.MIN_HAN_CHINESE} THEN 'chinese'
                    WHEN latin_letters > 0 THEN 'english' END AS lang,
               trim(regexp_replace(regexp_replace(own, '\\p{{Han}}+', ' ', 'g'), '\\s+', ' ', 'g')) AS latin
        FROM d""")
    s.con.sql("CREATE OR REPLACE TEMP TABLE cb_en_in AS SELECT latin FROM cb WHERE lang IN ('english', 'bilingual')")
    _python_column(s, "cb_en_in", "latin", lambda v: clickbait._predict_en(s.model, v.astype(object)), name="cb_en", dtype=pa.float64())
    return common.finish(_pl(s, f"""
        WITH z AS (SELECT cb.*, e.r AS score_en, {_normalise('title')} AS nt FROM cb
                   LEFT JOIN cb_en e ON lang IN ('english', 'bilingual') AND e.v = cb.latin),
             zz AS (SELECT *, CASE WHEN lang IN ('chinese', 'bilingual') THEN
                        1 - ({keep}) * (1 - {clickbait.ZH_DENSITY_WEIGHT} *
                            CASE WHEN length(nt) > 0 THEN least(1.0, 10 * len(regexp_extract_all(nt, '[!?]')) / length(nt))
                                 ELSE 0.0 END) END AS score_zh FROM z),
             sc AS (SELECT *, CASE lang WHEN 'english' THEN score_en WHEN 'chinese' THEN score_zh
                                        WHEN 'bilingual' THEN greatest(score_en, score_zh) END AS score FROM zz)
        SELECT coalesce(lang, 'none') AS key, count(*) FILTER (WHERE score >= {clickbait.THRESHOLD}) AS k, count(*) AS n,
               coalesce(sum(score), 0) AS score_sum
        FROM sc GROUP BY 1"""), common.CLICKBAIT_SCHEMA)


def langid_stage(s: State) -> pl.DataFrame:
    s.con.sql(f"""
        CREATE OR REPLACE TEMP TABLE lid AS
        WITH o AS (SELECT dataset, note_id, {_strip_markup("coalesce(title, '') || chr(10) || coalesce(text, '')")} AS own
                   FROM notes),
             f AS (SELECT *, {_script_sql('own')} FROM o)
        SELECT dataset, note_id, {_decided()} AS script_language,
               trim(regexp_replace(own, '\\p{{Han}}', ' ', 'g')) AS latin
        FROM f""")
    marker = re2(langid._EN_MARKER)
    s.con.sql(f"""
        CREATE OR REPLACE TEMP TABLE lid_ask AS
        SELECT latin FROM (
            SELECT latin, len(list_filter(string_split(latin, ' '), lambda w: w <> '')) AS words,
                   len(regexp_extract_all(latin, {marker})) AS markers
            FROM lid WHERE script_language IS NULL)
        WHERE NOT (words < {langid.MIN_WORDS_OTHER}
                   OR (markers >= {langid.MIN_EN_MARKERS} AND markers >= {langid.MIN_EN_MARKER_SHARE} * words))""")
    _python_column(s, "lid_ask", "latin", lambda v: np.asarray(langid.detect_latin(list(v)), dtype=object),
                   name="lid_lingua", dtype=pa.string())
    return common.finish(_pl(s, """
        WITH l AS (SELECT dataset, coalesce(script_language, x.r, 'english') AS language
                   FROM lid LEFT JOIN lid_lingua x ON lid.script_language IS NULL AND x.v = lid.latin),
             n AS (SELECT dataset, count(*) AS n FROM l GROUP BY dataset),
             langs AS (SELECT unnest(['english', 'chinese', 'bilingual', 'other']) AS language)
        SELECT n.dataset || ': ' || langs.language AS key, count(l.language) AS k, any_value(n.n) AS n
        FROM n CROSS JOIN langs LEFT JOIN l ON l.dataset = n.dataset AND l.language = langs.language
        GROUP BY n.dataset, langs.language"""), common.COUNT_SCHEMA)


def lexicons_stage(s: State) -> pl.DataFrame:
    text = ("lower(" + _normalise("coalesce(title, '') || chr(10) || coalesce(text, '') || chr(10) || "
                                  "coalesce(array_to_string(tags, ' '), '')") + ")")
    s.con.sql(f"CREATE OR REPLACE TEMP TABLE lx AS SELECT dataset, {text} AS txt FROM notes")
    parts = []
    for name in common.LEXICONS:
        flags = _flag_sql("txt", lexicon.load_lexicon(name))
        sums = ", ".join(f"count_if({sql}) AS \"{c}\"" for c, sql in flags)
        parts.append(_pl(s, f"""
            WITH a AS (SELECT dataset, count(*) AS n, {sums} FROM lx GROUP BY dataset)
            SELECT {_lit(name + ': ')} || dataset || ': ' || flag AS key, k, n
            FROM a UNPIVOT (k FOR flag IN (COLUMNS(* EXCLUDE (dataset, n))))"""))
    return common.finish(pl.concat(parts), common.COUNT_SCHEMA)


def _day(col: str) -> str:
    return f"CAST(timezone('{common.DAY_TZ}', {col}) AS DATE)"


def cohorts_stage(s: State) -> pl.DataFrame:
    from analysis.measures.migration import MAX_WEEKS

    return common.finish(_pl(s, f"""
        WITH d AS (SELECT account_id, {_day('published_at')} AS day FROM notes),
             e AS (SELECT max(day) AS end_day FROM d),
             f AS (SELECT account_id, min(day) AS first_day FROM d GROUP BY account_id),
             w AS (SELECT DISTINCT d.account_id, (datediff('day', f.first_day, d.day) // 7) AS week
                   FROM d JOIN f USING (account_id)),
             obs AS (SELECT f.account_id, f.first_day, wk.week, date_trunc('week', f.first_day) AS cohort
                     FROM f, range(0, {MAX_WEEKS + 1}) wk(week), e
                     WHERE f.first_day + to_days(CAST(7 * wk.week + 6 AS INTEGER)) <= e.end_day)
        SELECT strftime(CAST(cohort AS DATE), '%Y-%m-%d') || '|' || obs.week AS key,
               count(w.week) AS k, count(*) AS n
        FROM obs LEFT JOIN w ON w.account_id = obs.account_id AND w.week = obs.week
        GROUP BY cohort, obs.week"""), common.COUNT_SCHEMA)


def daily_stage(s: State) -> pl.DataFrame:
    return common.finish(_pl(s, f"""
        WITH p AS (SELECT {_day('published_at')} AS day, count(*) AS posts, count(DISTINCT account_id) AS accounts,
                          sum(liked_count) AS likes_total FROM notes GROUP BY 1),
             span AS (SELECT CAST(unnest(generate_series(min(day), max(day), INTERVAL 1 DAY)) AS DATE) AS day FROM p),
             c AS (SELECT {_day('make_timestamptz(create_time * 1000)')} AS day, count(*) AS comments
                   FROM (SELECT DISTINCT dataset, comment_id, create_time
                         FROM read_parquet('{common.comments_glob(s.data_dir)}')) GROUP BY 1)
        SELECT strftime(span.day, '%Y-%m-%d') AS key, coalesce(posts, 0) AS posts, coalesce(accounts, 0) AS accounts,
               coalesce(likes_total, 0) AS likes_total, coalesce(comments, 0) AS comments
        FROM span LEFT JOIN p USING (day) LEFT JOIN c USING (day)"""), common.DAILY_SCHEMA)


STAGE_FUNCTIONS = {
    "demographics": demographics_stage, "ads": ads_stage, "clickbait": clickbait_stage, "langid": langid_stage,
    "lexicons": lexicons_stage, "cohorts": cohorts_stage, "daily": daily_stage,
}
