"""Specification: the export shapes analysts bring (tests/fixtures/exports) load completely.

Expected counts are the hand counts of tests/fixtures/exports/README.md; raw row counts
and raw account ids are read here from the files with the standard library, independently
of the loaders.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from analysis import cli
from analysis.io.datasets import load_user, real_bundle
from analysis.io.errors import InputFileError

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
SALT = "export-shapes-salt"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
TABLES = ("notes", "comments", "creators")

# fixture -> (--data path under EXPORTS, {table: (rows read, loaded, merged duplicates, quarantined)})
EXPECTED = {
    "notes_only": ("notes_only", {"notes": (14, 12, 2, 0)}),
    "notes_and_comments": ("notes_and_comments", {"notes": (18, 15, 3, 0), "comments": (83, 69, 11, 3)}),
    "comments_only": ("comments_only", {"comments": (10, 10, 0, 0)}),
    "creators_only": ("creators_only", {"creators": (6, 4, 2, 0)}),
    "notes_and_creators": ("notes_and_creators", {"notes": (13, 9, 3, 1), "creators": (4, 3, 1, 0)}),
    "sqlite": ("sqlite", {"notes": (5, 4, 1, 0), "comments": (8, 7, 0, 1), "creators": (2, 2, 0, 0)}),
    "tiny_sheet": ("tiny_sheet", {"notes": (5, 5, 0, 0)}),
    "single_file": ("single_file/creator_contents_2025-01-22.json", {"notes": (4, 4, 0, 0)}),
    "refugee_sheet": ("refugee_sheet", {"notes": (8, 6, 1, 1)}),
}
CONVERSATION = "notes_and_comments"


def _load(fixture: str):
    return load_user(str(EXPORTS / EXPECTED[fixture][0]), salt=SALT, now=NOW)


@pytest.fixture(scope="module")
def loaded() -> dict:
    return {name: _load(name) for name in EXPECTED}


def _comments(loaded) -> pl.DataFrame:
    return loaded[CONVERSATION].frame("comments")


def _by_text(comments: pl.DataFrame, text: str) -> dict:
    rows = comments.filter(pl.col("text") == text).to_dicts()
    assert len(rows) == 1, f"{len(rows)} comments say {text!r}"
    return rows[0]


# ---------------------------------------------------------------- independent reading of the files
def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("fixture is neither UTF-8 nor GBK")


def _raw_records(path: Path) -> dict[str, list[dict]]:
    """Every data record of one input file, by source name (SQLite: one per table)."""
    if path.suffix == ".db":
        with sqlite3.connect(path) as conn:
            conn.row_factory = sqlite3.Row
            names = [r[0] for r in conn.execute("select name from sqlite_master where type='table' and name like 'xhs%'")]
            return {f"#{n}": [dict(r) for r in conn.execute(f'select * from "{n}"')] for n in names}
    if path.suffix == ".jsonl":
        return {"": [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]}
    if path.suffix == ".json":
        return {"": json.loads(path.read_text(encoding="utf-8"))}
    return {"": list(csv.DictReader(io.StringIO(_decode(path.read_bytes()))))}


def _data_files(fixture: str) -> list[tuple[str, Path]]:
    """(name as the load log gives it, path) of every data file a fixture holds."""
    root = EXPORTS / EXPECTED[fixture][0]
    if root.is_file():
        return [(root.name, root)]
    return [(p.relative_to(root).as_posix(), p) for p in sorted(root.rglob("*")) if p.suffix != ".md" and p.is_file()]


def _raw_user_ids(fixture: str) -> set[str]:
    ids = set()
    for _, path in _data_files(fixture):
        for records in _raw_records(path).values():
            ids |= {str(r["user_id"]) for r in records if r.get("user_id")}
    return ids


# ---------------------------------------------------------------- counts
@pytest.mark.parametrize("fixture", EXPECTED)
def test__export__each_table_loads_the_hand_counted_rows(fixture, loaded):
    result = loaded[fixture]
    log = result.log_frame()
    for table in TABLES:
        read, kept, merged, quarantined = EXPECTED[fixture][1].get(table, (0, 0, 0, 0))
        part = log.filter(pl.col("table") == table)
        assert (part["rows_read"].sum(), part["loaded"].sum(), part["merged_duplicates"].sum(),
                part["quarantined"].sum()) == (read, kept, merged, quarantined), table
        assert result.frame(table).height == kept, table
    assert result.quarantine_frame().height == sum(t[3] for t in EXPECTED[fixture][1].values())
    assert set(log["table"]) == set(EXPECTED[fixture][1])


@pytest.mark.parametrize("fixture", EXPECTED)
def test__export__every_row_read_is_loaded_merged_or_quarantined(fixture, loaded):
    log = loaded[fixture].log_frame()
    assert (log["rows_read"] == log["loaded"] + log["merged_duplicates"] + log["quarantined"]).all()
    counted = {f"{name}{part}": len(records) for name, path in _data_files(fixture)
               for part, records in _raw_records(path).items()}
    assert dict(zip(log["source_file"], log["rows_read"], strict=True)) == counted


@pytest.mark.parametrize("fixture", EXPECTED)
def test__export__no_pseudonym_equals_a_raw_account_id(fixture, loaded):
    raw = _raw_user_ids(fixture)
    assert raw, "every fixture names its accounts"
    for table in TABLES:
        frame = loaded[fixture].frame(table)
        assert frame["account_id"].str.contains(r"^acct_[0-9a-f]{12}$").all(), table
        assert not set(frame["account_id"]) & raw, table
        cells = frame.select(pl.col(pl.String)).unpivot()["value"].drop_nulls()
        assert not cells.str.contains("|".join(sorted(raw))).any(), f"a raw id survives in {table}"


def test__readme__states_the_counts_this_specification_checks():
    text = (EXPORTS / "README.md").read_text(encoding="utf-8")
    table = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 8 and cells[0] in EXPECTED:
            table[cells[0]] = (cells[1].strip("`"), *map(int, cells[2:]))
    expected = {}
    for fixture, (path, tables) in EXPECTED.items():
        loaded_counts = tuple(tables.get(t, (0, 0, 0, 0))[1] for t in TABLES)
        totals = tuple(sum(t[i] for t in tables.values()) for i in (0, 2, 3))
        expected[fixture] = (path, *loaded_counts, *totals)
    assert table == expected


# ---------------------------------------------------------------- the comment crawl (issue 20)
def test__comments__a_reply_thread_can_be_followed_to_its_top_level_comment(loaded):
    comments = _comments(loaded)
    reply = _by_text(comments, "间谍也要交猫税哦")
    middle = comments.filter(pl.col("comment_id") == reply["parent_comment_id"]).row(0, named=True)
    top = comments.filter(pl.col("comment_id") == middle["parent_comment_id"]).row(0, named=True)
    assert middle["text"] == "my spy!! finally 😂"
    assert top["text"] == "I'm your Chinese spy, I will teach you Chinese 🕵️"
    assert reply["note_id"] == middle["note_id"] == top["note_id"]
    assert top["sub_comment_count"] == 2


@pytest.mark.parametrize(("fixture", "replies"), [(CONVERSATION, 27), ("comments_only", 4), ("sqlite", 4)])
def test__comments__every_reply_keeps_a_parent_that_was_loaded(fixture, replies, loaded):
    comments = loaded[fixture].frame("comments")
    reply_rows = comments.filter(pl.col("parent_comment_id").is_not_null())
    assert reply_rows.height == replies
    assert reply_rows["parent_comment_id"].is_in(comments["comment_id"].implode()).all()


def test__comments__top_level_comments_have_no_parent(loaded):
    comments = _comments(loaded)
    assert comments["parent_comment_id"].null_count() == 69 - 27


def test__comments__hostile_rows_are_quarantined_with_file_row_and_reason(loaded):
    rows = loaded[CONVERSATION].quarantine_frame().select("source_file", "source_row", "column", "reason").rows()
    assert rows == [
        ("data/xhs/1_search_comments_2025-01-14.csv", 25, "comment_id", "comment_id is empty"),
        ("data/xhs/1_search_comments_2025-01-14.csv", 26, "create_time",
         "publication time is not a timestamp (epoch ms, M/D/YYYY H:MM or ISO)"),
        ("data/xhs/jsonl/search_comments_2025-01-15.jsonl", 11, "user_id", "account id is empty"),
    ]
    markup = "<b>spy</b> reporting for duty <script>alert('hi')</script>"
    assert _by_text(_comments(loaded), markup)["text"] == markup  # kept verbatim; escaping happens on output
    assert not _comments(loaded)["text"].str.contains("onerror").any()


def test__comments__a_comment_crawled_on_three_days_keeps_the_newest_copy(loaded):
    row = _by_text(_comments(loaded), "一样，首页全是外国人，推荐算法都乱了")
    assert (row["like_count"], row["source_file"]) == (50, "data/xhs/jsonl/search_comments_2025-01-16.jsonl")


def test__comments__span_four_days_in_beijing_time(loaded):
    days = _comments(loaded).group_by(
        pl.col("published_at").dt.convert_time_zone("Asia/Shanghai").dt.date().alias("day")).len().sort("day")
    assert days.rows() == [(date(2025, 1, 13), 4), (date(2025, 1, 14), 29), (date(2025, 1, 15), 25),
                           (date(2025, 1, 16), 11)]


def test__comments__tell_established_commenters_on_newcomers_notes(loaded):
    newcomer = pl.col("account_created_on") >= date(2025, 1, 1)
    notes = loaded[CONVERSATION].frame("notes").select("note_id", newcomer.alias("note_by_newcomer"))
    comments = _comments(loaded).join(notes, on="note_id", how="left", validate="m:1")
    assert comments["note_by_newcomer"].null_count() == 0  # every comment's note was crawled
    assert notes["note_by_newcomer"].sum() == 9
    assert comments.filter(newcomer).height == 26
    assert comments.filter(pl.col("note_by_newcomer")).height == 41
    assert comments.filter(pl.col("note_by_newcomer") & ~newcomer).height == 26


def test__comment_labels__name_loaded_comments_and_their_threads(loaded):
    labels = pl.read_csv(EXPORTS / "comment_labels.csv", infer_schema=False)
    comments = _comments(loaded)
    assert sorted(labels["comment_id"]) == sorted(comments["comment_id"])
    replies = comments.filter(pl.col("parent_comment_id") != "0").select("comment_id", "parent_comment_id")
    labelled = labels.filter(pl.col("parent_comment_id").is_not_null()).select("comment_id", "parent_comment_id")
    assert sorted(replies.rows()) == sorted(labelled.rows())


# ---------------------------------------------------------------- other shapes
def test__tiny_sheet__gbk_excel_dates_are_beijing_time(loaded):
    result = loaded["tiny_sheet"]
    assert result.log_frame()["encoding"].to_list() == ["gb18030"]
    notes = result.frame("notes")
    assert notes.select("published_at", "liked_count", "liked_count_lower_bound").row(0) == (
        datetime(2025, 1, 13, 15, 30, tzinfo=UTC), 34000, False)
    assert notes.filter(pl.col("liked_count_lower_bound"))["liked_count"].to_list() == [100000]


def test__refugee_sheet__reads_the_public_csv_columns(loaded):
    notes = loaded["refugee_sheet"].frame("notes")
    assert set(notes["ip_location"]) == {"U.S."}
    assert notes.filter(pl.col("liked_count") == 12000)["tags"].to_list() == [["tiktokrefugee", "cattax", "猫税"]]


def test__empty_folder__stops_with_one_error_naming_the_folder():
    folder = EXPORTS / "empty_folder"
    with pytest.raises(InputFileError, match=rf"^{re.escape(str(folder))}: holds no data files \(expected files"):
        load_user(str(folder), salt=SALT, now=NOW)


def test__empty_folder__data_check_prints_one_line_and_exits_2():
    folder = EXPORTS / "empty_folder"
    result = CliRunner().invoke(cli.app, ["data", "check", "--data", str(folder)])
    assert result.exit_code == cli.EXIT_BAD_INPUT
    assert result.output.strip().splitlines() == [result.output.strip()]
    assert result.output.startswith(f"error: {folder}: holds no data files")


def test__real_bundle__loads_the_comment_crawl_as_the_cli_does():
    bundle = real_bundle(user_data=str(EXPORTS / CONVERSATION))
    user = pl.col("dataset") == "user"
    assert (bundle.notes.height, bundle.comments.height, bundle.creators.height) == (15, 69, 0)
    assert bundle.quarantine.filter(user).height == 3
    assert bundle.media_kits["dataset"].unique().to_list() == ["mediacrawler-creators"]


# ---------------------------------------------------------------- the generator
def _sqlite_dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


def test__make_fixtures__rewrites_the_committed_files_exactly(tmp_path):
    spec = importlib.util.spec_from_file_location("make_fixtures", EXPORTS / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(EXPORTS) for p in EXPORTS.rglob("*")
                       if p.is_file() and "__pycache__" not in p.parts
                       and (p.parent != EXPORTS or p.name == "comment_labels.csv"))
    assert made == committed
    for rel in made:
        if rel.suffix == ".db":
            assert _sqlite_dump(tmp_path / rel) == _sqlite_dump(EXPORTS / rel), rel
        else:
            assert (tmp_path / rel).read_bytes() == (EXPORTS / rel).read_bytes(), rel
    sizes = {rel: (EXPORTS / rel).stat().st_size for rel in made}
    assert max(sizes.values()) < 64_000, "fixtures stay small"
