"""Specification of format and encoding detection (analysis/io/read.py)."""

import gzip
import sqlite3
from pathlib import Path

import polars as pl
import pytest

from analysis.io.errors import InputFileError
from analysis.io.read import decode, read_raw

FIXTURES = Path(__file__).parent / "fixtures" / "io"


def test__decode__utf8_with_and_without_bom_and_gbk():
    assert decode(Path("x"), "达拉斯".encode()) == ("达拉斯", "utf-8")
    assert decode(Path("x"), b"\xef\xbb\xbf" + "达拉斯".encode()) == ("达拉斯", "utf-8-sig")
    assert decode(Path("x"), "达拉斯".encode("gbk")) == ("达拉斯", "gb18030")


def test__read_raw__gbk_csv_is_detected_and_decoded():
    [table] = read_raw(FIXTURES / "gbk_notes.csv")
    assert (table.fmt, table.encoding) == ("csv", "gb18030")
    assert table.frame["title"].to_list() == ["达拉斯奶茶测评", "吃茶三千"]


def test__read_raw__bom_is_stripped_from_the_first_header():
    [table] = read_raw(FIXTURES / "bom_posts.csv")
    assert table.encoding == "utf-8-sig"
    assert table.frame.columns[0] == "title"
    assert table.frame["content"].to_list() == ["hello | 你好\n    ", None]


def test__read_raw__json_array_mixed_types_become_strings():
    [table] = read_raw(FIXTURES / "duplicates.json")
    assert table.fmt == "json"
    assert table.frame.schema["time"] == pl.String
    assert table.frame["last_modify_ts"].to_list() == ["1741740000000", "1741900000000", "1741740908175", "1741800000000"]


def test__read_raw__jsonl(tmp_path):
    path = tmp_path / "1_search_contents_2025-01-14.jsonl"
    path.write_text('{"note_id": "n1", "liked_count": 3}\n{"note_id": "n2", "liked_count": "1万+"}\n', encoding="utf-8")
    [table] = read_raw(path)
    assert table.fmt == "jsonl"
    assert table.frame.to_dict(as_series=False) == {"note_id": ["n1", "n2"], "liked_count": ["3", "1万+"]}


def test__read_raw__sqlite_reads_the_mediacrawler_tables_only(tmp_path):
    path = tmp_path / "sqlite_tables.db"
    with sqlite3.connect(path) as conn:
        conn.execute("create table xhs_note (note_id text, liked_count text, time integer)")
        conn.execute("insert into xhs_note values ('n1', '7.6万', 1741739525000)")
        conn.execute("create table other (x int)")
    tables = read_raw(path)
    assert [(t.part, t.fmt) for t in tables] == [("xhs_note", "sqlite")]
    assert tables[0].frame.row(0) == ("n1", "7.6万", "1741739525000")


def test__read_raw__gzip_lines(tmp_path):
    path = tmp_path / "lines.gz"
    path.write_bytes(gzip.compress(b"A headline\n\nAnother one\n"))
    [table] = read_raw(path)
    assert (table.fmt, table.frame["line"].to_list()) == ("lines", ["A headline", "", "Another one"])


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("truncated.json", "truncated.json: is truncated or malformed JSON"),
        ("empty.csv", "empty.csv: is empty"),
        ("unknown.bin", "unknown.bin: is a binary file of unknown format"),
    ],
)
def test__read_raw__unusable_files_raise_naming_the_file(name, message):
    with pytest.raises(InputFileError, match=message.replace(".", r"\.")):
        read_raw(FIXTURES / name)


def test__read_raw__sqlite_without_mediacrawler_tables(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("create table t (x int)")
    with pytest.raises(InputFileError, match="without MediaCrawler tables"):
        read_raw(path)


def test__read_raw__excel_workbook_asks_for_csv(tmp_path):
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 20)
    with pytest.raises(InputFileError, match=r"sheet\.xlsx: is a zip archive or Excel workbook; save the sheet as CSV"):
        read_raw(path)


HEADER = ["note_id", "title", "liked_count"]
ROWS = [["a1", "标题一", "1.2w"], ["a2", "Title two", "10+"]]


def _delimited(sep: str) -> str:
    return "\r\n".join(sep.join(r) for r in [HEADER, *ROWS]) + "\r\n"


def test__read_raw__excel_unicode_text_is_utf16_tab_separated(tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes(_delimited("\t").encode("utf-16"))  # Excel "Unicode text": BOM + UTF-16LE, tabs
    (raw,) = read_raw(path)
    assert (raw.fmt, raw.encoding, raw.frame.columns) == ("tsv", "utf-16", HEADER)
    assert raw.frame.rows() == [tuple(r) for r in ROWS]


@pytest.mark.parametrize("sep", [";", "|", "\t", ","])
def test__read_raw__separator_is_sniffed_from_the_header(tmp_path, sep):
    path = tmp_path / "export.csv"
    path.write_text(_delimited(sep), encoding="utf-8")
    (raw,) = read_raw(path)
    assert raw.frame.columns == HEADER and raw.frame["title"].to_list() == ["标题一", "Title two"]


def test__read_raw__json_object_wrapping_an_array_is_unwrapped(tmp_path):
    path = tmp_path / "export.json"
    path.write_text('{"data": [{"note_id": "a1", "title": "x"}, {"note_id": "a2", "title": "y"}], "total": 2}',
                    encoding="utf-8")
    (raw,) = read_raw(path)
    assert (raw.fmt, raw.frame["note_id"].to_list()) == ("json", ["a1", "a2"])


def test__read_raw__jsonl_error_names_the_bad_line(tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_text('{"note_id": "a1"}\n{"note_id": "a2"\n{"note_id": "a3"}\n', encoding="utf-8")
    with pytest.raises(InputFileError, match=r"export\.jsonl: is truncated or malformed JSON \(line 2: "):
        read_raw(path)
