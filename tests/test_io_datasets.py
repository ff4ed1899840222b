"""Specification of loading exports into canonical tables (analysis/io/datasets.py, tables.py).

Every adversarial fixture in tests/fixtures/io has one test stating its exact outcome.
"""

import hashlib
import json
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analysis.io import schema
from analysis.io.datasets import load_user, real_bundle
from analysis.io.errors import InputFileError

FIXTURES = Path(__file__).parent / "fixtures" / "io"
SALT = "test-salt"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _load(path):
    return load_user(str(path), salt=SALT, now=NOW)


def _acct(user_id: str) -> str:
    return "acct_" + hashlib.sha256((SALT + user_id).encode()).hexdigest()[:12]


def _log(loaded) -> list[tuple]:
    return loaded.log_frame().select("source_file", "table", "rows_read", "loaded", "merged_duplicates", "quarantined").rows()


def _quarantine(loaded) -> list[tuple]:
    return loaded.quarantine_frame().select("source_row", "column", "raw_value", "reason").rows()


def test__load_user__gbk_csv_loads_with_chinese_text_and_wan_counts():
    loaded = _load(FIXTURES / "gbk_notes.csv")
    notes = loaded.frame("notes")
    assert loaded.log_frame()["encoding"].to_list() == ["gb18030"]
    assert notes.select("title", "liked_count", "collected_count", "collected_count_lower_bound",
                        "comment_count_lower_bound", "share_count").rows() == [
        ("达拉斯奶茶测评", 5, 2, False, False, 3),
        ("吃茶三千", 12000, 1000, True, True, None),
    ]
    assert notes["account_id"].to_list() == [_acct("576d3bde82ec3952ff40c5e1")] * 2


def test__load_user__bom_posts_csv_uses_aliases_and_beijing_time():
    loaded = _load(FIXTURES / "bom_posts.csv")
    notes = loaded.frame("notes")
    assert notes.select("note_id", "tags", "note_type", "published_at", "liked_count", "liked_count_lower_bound",
                        "ip_location").rows() == [
        ("6785e35000000000200254ab", ["Tiktok", "indie", "tiktokrefugee"], "video",
         datetime(2025, 1, 14, 4, 8, tzinfo=UTC), 76000, False, "U.S."),
        ("677fc9e5000000000b0212aa", ["cattax"], "normal", datetime(2025, 1, 9, 12, 11, tzinfo=UTC), 10, True, "U.S."),
    ]


def test__load_user__truncated_json_stops_with_the_file_named():
    with pytest.raises(InputFileError, match=r"truncated\.json: is truncated or malformed JSON .*expected a JSON array"):
        _load(FIXTURES / "truncated.json")


def test__load_user__missing_required_column_names_it():
    with pytest.raises(InputFileError, match=r"missing_column\.csv: is missing required column\(s\) for notes .*note_id"):
        _load(FIXTURES / "missing_column.csv")


def test__load_user__no_recognisable_columns():
    with pytest.raises(InputFileError, match=r"no_columns\.csv: has no recognisable columns \(found \['foo', 'bar'\]\)"):
        _load(FIXTURES / "no_columns.csv")


@pytest.mark.parametrize(("name", "problem"), [("empty.csv", "is empty"), ("header_only.csv", "has a header but no data rows")])
def test__load_user__empty_files_stop_the_load(name, problem):
    with pytest.raises(InputFileError, match=f"{name.replace('.', '[.]')}: {problem}"):
        _load(FIXTURES / name)


def test__load_user__wrong_types_are_quarantined_with_reasons():
    loaded = _load(FIXTURES / "wrong_types.json")
    assert loaded.frame("notes")["note_id"].to_list() == ["a5"]
    assert _quarantine(loaded) == [
        (1, "liked_count", "lots", "liked_count is not a count (expected e.g. 3829, 7.6万, 1千+)"),
        (2, "time", "yesterday", "publication time is not a timestamp (epoch ms, M/D/YYYY H:MM or ISO)"),
        (3, "type", "reel", "note type is not normal/video (图文/视频)"),
        (4, "user_id", "", "account id is empty"),
    ]
    assert _log(loaded) == [("wrong_types.json", "notes", 5, 1, 0, 4)]


def test__load_user__duplicates_keep_the_newest_crawl_and_count_merges():
    loaded = _load(FIXTURES / "duplicates.json")
    notes = loaded.frame("notes")
    assert notes.select("note_id", "liked_count", "source_row").rows() == [("d1", 7, 2), ("d2", 5, 3)]
    assert _log(loaded) == [("duplicates.json", "notes", 4, 2, 2, 0)]


def test__load_user__html_and_script_load_verbatim():
    notes = _load(FIXTURES / "html_script.json").frame("notes")
    assert notes.select("title", "text").row(0) == (
        "<script>alert('x')</script>", '<img src=x onerror="alert(1)"> & <b>bold</b>'
    )


def test__load_user__pre_2009_and_future_dates_are_quarantined():
    loaded = _load(FIXTURES / "bad_dates.csv")
    assert loaded.frame("notes").select("note_id", "published_at").rows() == [
        ("b1", datetime(2009, 1, 1, tzinfo=UTC)),
    ]
    after = "published after the crawl time (last_modify_ts) or in the future"
    assert _quarantine(loaded) == [
        (2, "time", "1/1/2008 10:00", "published before 2009-01-01, earlier than any RedNote note"),
        (3, "time", "2099-01-01T00:00:00Z", after),
        (4, "time", "1741900000000", after),
    ]


def test__load_user__private_fields_are_dropped_and_ids_pseudonymized():
    notes = _load(FIXTURES / "html_script.json").frame("notes")
    assert notes.schema == schema.polars_schema("notes")
    text = " ".join(str(v) for v in notes.row(0))
    for private in ("576d3bde82ec3952ff40c5e1", "nick", "xhscdn", "xsec", "xiaohongshu.com"):
        assert private not in text


def _mediacrawler_note(note_id: str, modified: int, liked: str) -> dict:
    return {"note_id": note_id, "type": "video", "title": "t", "desc": "d", "time": 1741739525000,
            "user_id": "u1", "liked_count": liked, "collected_count": "0", "comment_count": "0",
            "share_count": "0", "ip_location": "美国", "tag_list": "a,b", "last_modify_ts": modified}


def test__load_user__old_layout_folder_of_daily_files_is_one_table(tmp_path):
    xhs = tmp_path / "data" / "xhs"
    xhs.mkdir(parents=True)
    (xhs / "1_creator_contents_2025-03-11.json").write_text(json.dumps([_mediacrawler_note("n1", 1741740000000, "1")]))
    (xhs / "1_creator_contents_2025-03-12.json").write_text(json.dumps(
        [_mediacrawler_note("n1", 1741800000000, "2"), _mediacrawler_note("n2", 1741800000000, "3")]))
    (xhs / "1_creator_creator_2025-03-12.json").write_text(json.dumps(
        [{"user_id": "u1", "gender": "女", "fans": "1.2万", "follows": "10", "interaction": "1万+",
          "tag_list": '{"profession": "探店博主"}', "last_modify_ts": 1741800000000}]))
    (xhs / "1_creator_comments_2025-03-12.csv").write_bytes(
        "comment_id,create_time,note_id,content,sub_comment_count,parent_comment_id,like_count,user_id,ip_location\n"
        "c1,1741800000000,n1,欢迎！,0,,1千+,u2,美国\n".encode("utf-8-sig"))
    (xhs / "README.md").write_text("not data")
    loaded = _load(tmp_path)
    assert loaded.frame("notes").select("note_id", "liked_count").rows() == [("n1", 2), ("n2", 3)]
    assert loaded.frame("creators").select("gender", "fans", "interaction", "interaction_lower_bound",
                                           "profession").rows() == [("female", 12000, 10000, True, "探店博主")]
    assert loaded.frame("comments").select("comment_id", "note_id", "account_id", "text", "like_count",
                                           "like_count_lower_bound").rows() == [("c1", "n1", _acct("u2"), "欢迎！", 1000, True)]
    assert _log(loaded) == [
        ("data/xhs/1_creator_comments_2025-03-12.csv", "comments", 1, 1, 0, 0),
        ("data/xhs/1_creator_contents_2025-03-11.json", "notes", 1, 0, 1, 0),
        ("data/xhs/1_creator_contents_2025-03-12.json", "notes", 2, 2, 0, 0),
        ("data/xhs/1_creator_creator_2025-03-12.json", "creators", 1, 1, 0, 0),
    ]


def test__load_user__new_layout_csv_json_jsonl_subfolders(tmp_path):
    for sub in ("csv", "json", "jsonl"):
        (tmp_path / "xhs" / sub).mkdir(parents=True)
    pl.DataFrame([_mediacrawler_note("n1", 1741740000000, "1")]).write_csv(tmp_path / "xhs" / "csv" / "search_contents_2025-03-11.csv")
    (tmp_path / "xhs" / "json" / "search_contents_2025-03-12.json").write_text(json.dumps([_mediacrawler_note("n2", 1741740000000, "5")]))
    (tmp_path / "xhs" / "jsonl" / "search_contents_2025-03-13.jsonl").write_text(
        json.dumps(_mediacrawler_note("n1", 1741900000000, "9")) + "\n")
    loaded = _load(tmp_path)
    assert loaded.frame("notes").select("note_id", "liked_count", "tags").rows() == [("n2", 5, ["a", "b"]), ("n1", 9, ["a", "b"])]
    assert loaded.log_frame().select("format", "merged_duplicates").rows() == [("csv", 1), ("json", 0), ("jsonl", 0)]


def test__load_user__sqlite_database_feeds_notes_comments_creators(tmp_path):
    path = tmp_path / "sqlite_tables.db"
    with sqlite3.connect(path) as conn:
        conn.execute("create table xhs_note (note_id, user_id, title, desc, type, time, liked_count, last_modify_ts)")
        conn.execute("insert into xhs_note values ('n1', 'u1', 't', 'd', 'normal', 1741739525000, '7.6万', 1741740000000)")
        conn.execute("insert into xhs_note values ('n1', 'u1', 't', 'd', 'normal', 1741739525000, '7.7万', 1741750000000)")
        conn.execute("create table xhs_note_comment (comment_id, create_time, note_id, content, user_id)")
        conn.execute("insert into xhs_note_comment values ('c1', 1741739999000, 'n1', 'hi', 'u2')")
        conn.execute("create table xhs_creator (user_id, gender, fans)")
        conn.execute("insert into xhs_creator values ('u1', '男', '1000')")
    loaded = _load(path)
    assert loaded.frame("notes").select("note_id", "liked_count").rows() == [("n1", 77000)]
    assert loaded.frame("comments")["comment_id"].to_list() == ["c1"]
    assert loaded.frame("creators").select("gender", "fans").rows() == [("male", 1000)]
    assert _log(loaded) == [
        ("sqlite_tables.db#xhs_note", "notes", 2, 1, 1, 0),
        ("sqlite_tables.db#xhs_note_comment", "comments", 1, 1, 0, 0),
        ("sqlite_tables.db#xhs_creator", "creators", 1, 1, 0, 0),
    ]


def test__real_bundle__user_data_replaces_the_rednote_sets_only(tmp_path):
    shutil.copy(FIXTURES / "bom_posts.csv", tmp_path / "posts.csv")
    bundle = real_bundle(user_data=str(tmp_path))
    assert bundle.notes["dataset"].unique().to_list() == ["user"]
    assert bundle.notes.height == 2
    assert bundle.media_kits.height == 107
    assert bundle.headlines.height == 32000
    assert bundle.sources["dataset"].to_list() == ["mediacrawler-creators", "clickbait-en"]


def test__canonical_tables__types_match_schema_for_every_fixture_that_loads():
    for name in ("gbk_notes.csv", "bom_posts.csv", "wrong_types.json", "duplicates.json", "bad_dates.csv"):
        loaded = _load(FIXTURES / name)
        assert_frame_equal(loaded.frame("notes").clear(), schema.empty("notes"))
        log = loaded.log_frame()
        assert (log["rows_read"] == log["loaded"] + log["merged_duplicates"] + log["quarantined"]).all(), name
