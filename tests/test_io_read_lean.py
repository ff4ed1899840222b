"""Specification of reading large inputs lean (analysis/io/read.py).

Plain UTF-8 JSON Lines, JSON arrays and CSV go to polars from the file, never held as a
Python str; every other file is decoded whole as before. Either way the outcome (table,
encoding or error message) is the one decoding the whole file first gives.
"""

import gzip
import json
import shutil
import tracemalloc
from pathlib import Path

import pytest

from analysis.io import read
from analysis.io.errors import InputFileError
from analysis.io.read import read_raw

FIXTURES = Path(__file__).parent / "fixtures" / "io"


def _decoded_whole(path: Path):
    return read._read_decoded(path, path.read_bytes())


def _outcome(reader, path: Path):
    try:
        return [(t.fmt, t.encoding, t.part, t.frame.to_dict(as_series=False)) for t in reader(path)]
    except InputFileError as exc:
        return str(exc)


def _jsonl(rows) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()


COMMENTS = [
    {"comment_id": "c1", "content": "达拉斯奶茶 👋", "like_count": 3, "tags": ["a", "b"], "parent": None},
    {"comment_id": "c2", "content": "thank you", "like_count": "1万+", "user": {"id": "u2"}},
    {"comment_id": "c3", "content": "line\u2028separator", "like_count": 1.5},
]
GENERATED = {
    "comments.jsonl": _jsonl(COMMENTS),
    "crlf_blank_lines.jsonl": b'\r\n{"a": 1}\r\n\r\n{"a": "x"}\r\n',
    "export[1]*.jsonl": b'{"a": 1}\n{"a": 2}\n',  # glob characters in the name
    "gbk.jsonl": '{"title": "达拉斯"}\n{"title": "吃茶"}\n'.encode("gbk"),
    "malformed.jsonl": b'{"a": 1}\n{"a": 2}\n{"a": 3\n{"a": 4}\n',
    "malformed_gbk.jsonl": '{"t": "达拉斯"}\n{"t": "吃茶"\n'.encode("gbk"),
    "not_objects.jsonl": b'{"a": 1}\n[1, 2]\n',
    "wrapped.json": b'{"data": [{"note_id": "a1"}, {"note_id": "a2"}], "total": 2}',
    "wrapped_pretty.json": json.dumps({"data": [{"note_id": "a1"}], "total": 1}, indent=2).encode(),
    "two_arrays.json": b'{"x": [{"a": 1}], "y": [{"b": 2}]}',
    "array.json": '[{"a": 1}, {"a": "达拉斯"}]'.encode(),
    "array_gbk.json": '[{"a": "达拉斯"}]'.encode("gbk"),
    "excel_unicode.txt": "note_id\ttitle\r\na1\t标题一\r\n".encode("utf-16"),
    "semicolons.csv": "note_id;title\na1;标题一\n".encode(),
    "gbk_header.csv": "标题,note_id\n达拉斯,a1\n".encode("gbk"),
    "gbk_after_64k.csv": ("note_id,title\n" + "a0,plain\n" * 8000 + "a1,达拉斯\n").encode("gbk"),
    "ragged.csv": b"a,b\n1,2,3\n",
    "whitespace.csv": b" \n\t\n",
    "lines.gz": gzip.compress("头条一\n\nHeadline two\n".encode()),
    "binary_utf8.bin": b"abc\x00\x01\n",
}
FIXTURE_FILES = ["gbk_notes.csv", "bom_posts.csv", "duplicates.json", "truncated.json", "empty.csv", "unknown.bin"]


@pytest.mark.parametrize("name", FIXTURE_FILES + sorted(GENERATED))
def test__read_raw__same_outcome_as_decoding_the_whole_file(tmp_path, name):
    path = tmp_path / name
    if name in GENERATED:
        path.write_bytes(GENERATED[name])
    else:
        shutil.copy(FIXTURES / name, path)
    assert _outcome(read_raw, path) == _outcome(_decoded_whole, path)


@pytest.fixture
def no_decoding(monkeypatch):
    """Fail the test if the file is decoded whole (the path that held it as a str)."""
    def refuse(*_args):
        raise AssertionError("decoded the whole file")
    monkeypatch.setattr(read, "_read_decoded", refuse)
    monkeypatch.setattr(read, "decode", refuse)


@pytest.mark.usefixtures("no_decoding")
@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("c.jsonl", _jsonl(COMMENTS), ("jsonl", "like_count", ["3", "1万+", "1.5"])),
        ("c.jsonl", _jsonl(COMMENTS), ("jsonl", "tags", ["a,b", None, None])),
        ("a.json", '[{"t": "达拉斯"}, {"t": 7}]'.encode(), ("json", "t", ["达拉斯", "7"])),
        ("n.csv", "note_id,title\na1,标题一\na2,x\n".encode(), ("csv", "title", ["标题一", "x"])),
        ("n.tsv", b"note_id\ttitle\na1\tx\n", ("tsv", "note_id", ["a1"])),
    ],
    ids=["jsonl-counts", "jsonl-lists", "json-array", "csv", "tsv"],
)
def test__read_raw__plain_utf8_is_read_without_decoding_it(tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    [table] = read_raw(path)
    fmt, column, values = expected
    assert (table.fmt, table.encoding, table.frame[column].to_list()) == (fmt, "utf-8", values)


@pytest.mark.usefixtures("no_decoding")
def test__read_raw__malformed_utf8_jsonl_names_the_line_without_decoding_it(tmp_path):
    lines = [json.dumps({"n": i}) for i in range(1000)]
    lines[736] = lines[736][:-1]  # line 737 loses its closing brace
    path = tmp_path / "cut.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"cut\.jsonl: is truncated or malformed JSON \(line 737: "):
        read_raw(path)


def test__read_raw__gbk_beyond_the_sniffed_bytes_is_still_gb18030(tmp_path):
    path = tmp_path / "late.csv"
    path.write_bytes(GENERATED["gbk_after_64k.csv"])
    [table] = read_raw(path)
    assert (table.fmt, table.encoding, table.frame.height) == ("csv", "gb18030", 8001)
    assert table.frame["title"][-1] == "达拉斯"


@pytest.mark.parametrize(
    ("text", "fmt", "rows"),
    [
        ('{"a": 1}\n{"a": 2}\n', "jsonl", 2),
        ('{"a": 1}\n', "jsonl", 1),  # one object holding no array: one JSON Lines row
        ('{"data": [{"a": 1}, {"a": 2}, {"a": 3}]}', "json", 3),
        ('{\n  "data": [\n    {"a": 1},\n    {"a": 2}\n  ]\n}\n', "json", 2),
        ('{"x": [{"a": 1}], "y": [{"a": 2}]}', "jsonl", 1),  # two arrays: which one is ambiguous
    ],
)
def test__read_raw__json_lines_or_one_object_wrapping_an_array(tmp_path, text, fmt, rows):
    path = tmp_path / "export.json"
    path.write_text(text, encoding="utf-8")
    [table] = read_raw(path)
    assert (table.fmt, table.frame.height) == (fmt, rows)


def test__read_raw__jsonl_read_in_blocks_is_the_same_table(tmp_path, monkeypatch):
    rows = [{"id": i, "text": "达拉斯" * (i % 7), "n": i if i % 3 else i + 0.5, "tags": ["t"] * (i % 3),
             "user": {"id": f"u{i}"} if i % 5 else None} for i in range(400)]
    rows[350]["late_key"] = "only here"
    rows[10]["text"] = "x" * 2000  # a line longer than a block
    path = tmp_path / "blocks.jsonl"
    path.write_bytes(_jsonl(rows).replace(b"\n", b"\r\n", 5) + b"\n\n")
    expected = _outcome(_decoded_whole, path)
    monkeypatch.setattr(read, "NDJSON_BLOCK", 1024)
    assert _outcome(read_raw, path) == expected
    assert expected[0][3]["late_key"].count("only here") == 1 and len(expected[0][3]["id"]) == 400


def test__read_raw__malformed_jsonl_read_in_blocks_names_the_line(tmp_path, monkeypatch):
    lines = [json.dumps({"n": i, "pad": "x" * 50}) for i in range(300)]
    lines[211] = '{"n": 211, "pad": "unterminated}'
    path = tmp_path / "blocks.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(read, "NDJSON_BLOCK", 1024)
    with pytest.raises(InputFileError, match=r"is truncated or malformed JSON \(line 212: Unterminated string"):
        read_raw(path)


@pytest.mark.parametrize("block", [None, 2 * 1024 * 1024])
def test__read_raw__large_jsonl_holds_no_copy_of_the_file(tmp_path, monkeypatch, block):
    """Decoding whole held the bytes, a str and re-encoded bytes (over 5x the file in Python);
    read lean, Python holds at most a sniffed window or a few blocks."""
    if block:
        monkeypatch.setattr(read, "NDJSON_BLOCK", block)
    path = tmp_path / "comments.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(200_000):
            fh.write(json.dumps({"comment_id": f"c{i}", "note_id": f"n{i % 997}", "content": "达拉斯奶茶 tiktok",
                                 "like_count": i % 50}, ensure_ascii=False) + "\n")
    size = path.stat().st_size
    tracemalloc.start()
    try:
        [table] = read_raw(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (table.fmt, table.frame.height, table.frame["note_id"][-1]) == ("jsonl", 200_000, f"n{199_999 % 997}")
    assert peak < size / 4
