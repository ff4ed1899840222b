"""Specification of the value parsers (analysis/io/parse.py): exact outputs per input."""

from datetime import UTC, datetime

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analysis.io import parse


def _run(values, fn):
    value, bad = fn(pl.col("raw"))
    return pl.DataFrame({"raw": values}, schema={"raw": pl.String}).select(value=value, bad=bad)


def test__count__mediacrawler_and_sheet_spellings():
    raw = ["3829", "7.6万", "1.2w", "1千+", "10+", "1万+", "1,234", "18k", "", None, "null", "lots", "1.5亿"]
    got = pl.DataFrame({"raw": raw}).select(
        value=parse.count(pl.col("raw"))[0], lower=parse.count(pl.col("raw"))[1], bad=parse.count(pl.col("raw"))[2]
    )
    expected = pl.DataFrame({
        "value": [3829, 76000, 12000, 1000, 10, 10000, 1234, 18000, None, None, None, None, 150_000_000],
        "lower": [False, False, False, True, True, True, False, False, None, None, None, None, False],
        "bad": [False, False, False, False, False, False, False, False, False, False, False, True, False],
    }, schema={"value": pl.Int64, "lower": pl.Boolean, "bad": pl.Boolean})
    assert_frame_equal(got, expected)


def test__share__percent_sign_optional_and_range_checked():
    got = _run(["87.1%", "90.91", "7.40 %", "0", "100%", "", "null", "101", "abc"], parse.share)
    value, bad = got.to_series(0).to_list(), got.to_series(1).to_list()
    assert value == [0.871, 0.9091, 0.074, 0.0, 1.0, None, None, None, None]
    assert bad == [False, False, False, False, False, False, False, True, True]


def test__timestamp__epoch_us_style_and_iso_formats():
    raw = ["1741739525000", "1741739525", "1/14/2025 12:08", "12/31/2024 23:59:59", "2025-01-14T04:08:48Z",
           "2025-01-14 12:08:48", "2025-01-14T12:08:48+08:00", "2025/01/14 12:08", "yesterday", ""]
    frame = pl.DataFrame({"raw": raw}).select(
        value=parse.timestamp(pl.col("raw"), "Asia/Shanghai")[0], bad=parse.timestamp(pl.col("raw"), "Asia/Shanghai")[1]
    )
    utc = lambda *a: datetime(*a, tzinfo=UTC)  # noqa: E731
    assert frame["value"].to_list() == [
        utc(2025, 3, 12, 0, 32, 5), utc(2025, 3, 12, 0, 32, 5), utc(2025, 1, 14, 4, 8), utc(2024, 12, 31, 15, 59, 59),
        utc(2025, 1, 14, 4, 8, 48), utc(2025, 1, 14, 4, 8, 48), utc(2025, 1, 14, 4, 8, 48), utc(2025, 1, 14, 4, 8),
        None, None,
    ]
    assert frame["bad"].to_list() == [False] * 8 + [True, False]


def test__timestamp__naive_values_follow_the_declared_zone():
    frame = pl.DataFrame({"raw": ["1/14/2025 12:08"]}).select(
        sh=parse.timestamp(pl.col("raw"), "Asia/Shanghai")[0], utc=parse.timestamp(pl.col("raw"), "UTC")[0]
    )
    assert frame.row(0) == (datetime(2025, 1, 14, 4, 8, tzinfo=UTC), datetime(2025, 1, 14, 12, 8, tzinfo=UTC))


def test__tags__hash_and_comma_joined_lists_keep_order():
    got = pl.DataFrame({"raw": ["Tiktok#indie#music", "达拉斯,美食[话题]", " a , ,b", ""]}).select(parse.tags(pl.col("raw")))
    assert got.to_series().to_list() == [["Tiktok", "indie", "music"], ["达拉斯", "美食"], ["a", "b"], None]


def test__ranked_names__tab_and_space_separated_lines():
    raw = ["1\t素材\t9.40%\r\n2\t影视\t7.18%", "1        兴趣 爱好        4.85%\n2        美食        3.23%", "null"]
    got = pl.DataFrame({"raw": raw}).select(parse.ranked_names(pl.col("raw"))).to_series().to_list()
    assert got == [["素材", "影视"], ["兴趣 爱好", "美食"], None]


def test__gender__chinese_and_letter_codes():
    got = _run(["女", "男", "F ", "m", "", None, "x"], parse.gender)
    assert got.to_series(0).to_list() == ["female", "male", "female", "male", "unknown", "unknown", None]
    assert got.to_series(1).to_list() == [False, False, False, False, False, False, True]


def test__flag__zero_one_and_ticks():
    got = _run(["1", "0", "✓", "否", "", "maybe"], parse.flag)
    assert got.to_series(0).to_list() == [True, False, True, False, None, None]
    assert got.to_series(1).to_list() == [False, False, False, False, False, True]


def test__timestamp__bare_dates_are_midnight_in_the_source_zone():
    frame = pl.DataFrame({"raw": ["2025-01-14", "1/14/2025", "2025/1/4"]}).select(
        value=parse.timestamp(pl.col("raw"), "Asia/Shanghai")[0]
    )
    assert frame["value"].to_list() == [
        datetime(2025, 1, 13, 16, tzinfo=UTC), datetime(2025, 1, 13, 16, tzinfo=UTC), datetime(2025, 1, 3, 16, tzinfo=UTC)
    ]


def test__parsers__run_on_lazy_frames():
    lazy = pl.LazyFrame({"c": ["7.6万"], "t": ["1/14/2025 12:08"]})
    got = lazy.select(v=parse.count(pl.col("c"))[0], t=parse.timestamp(pl.col("t"), "Asia/Shanghai")[0]).collect()
    assert got.row(0) == (76000, datetime(2025, 1, 14, 4, 8, tzinfo=UTC))


def test__id_creation_day__reads_the_day_from_a_24_hex_id_and_rejects_the_rest():
    from datetime import UTC, date, datetime

    from analysis.io.parse import id_creation_day

    ids = pl.DataFrame({"id": [
        "6784c212000000000801d9d3",  # 0x6784c212 = 1736753682 s = 2025-01-13 07:34:42 UTC
        "5a5bf1414eacab4087b808c7",  # 2018-01-15
        "ffffffff000000000801d9d3",  # 2106: after the crawl, so noise (a hashed id) → null
        "0000000a000000000801d9d3",  # 1970: before RedNote existed → null
        "6784c212",                   # not 24 hex → null
        None,
    ]})
    latest = pl.lit(datetime(2025, 3, 31, tzinfo=UTC)).cast(pl.Datetime("us", "UTC"))
    out = ids.select(id_creation_day(pl.col("id"), latest))["id"].to_list()
    assert out == [date(2025, 1, 13), date(2018, 1, 15), None, None, None, None]


MIXED_TIMES = ["1736900000000", "1736900000", "2025-01-15T08:30:00Z", "2025-01-15 08:30:00+08:00", "1/15/2025 8:30:15",
               "1/15/2025 8:30", "2025-01-15 08:30:00.5", "2025-01-15T08:30:00", "2025-01-15 08:30", "2025/01/15 08:30:00",
               "2025/01/15 08:30", "2025-01-15", "", None, "yesterday", "13/45/2025 99:99", "1736900000000.0"]


@pytest.mark.parametrize("values", [MIXED_TIMES, MIXED_TIMES[:1] * 5, MIXED_TIMES[4:6], ["", None], [], ["soon"]])
def test__timestamp_formats__the_formats_a_column_needs_read_it_as_all_formats_do(values):
    raw = pl.DataFrame({"raw": values}, schema={"raw": pl.String})
    needed = parse.timestamp_formats(raw["raw"], "Asia/Shanghai")
    assert set(needed) <= set(parse.TIMESTAMP_FORMATS)
    every = raw.select(*(e.alias(n) for e, n in zip(parse.timestamp(pl.col("raw"), "Asia/Shanghai"), "vb", strict=True)))
    only = raw.select(*(e.alias(n) for e, n in zip(parse.timestamp(pl.col("raw"), "Asia/Shanghai", needed), "vb", strict=True)))
    assert_frame_equal(only, every)


def test__timestamp_formats__an_epoch_column_needs_one_format():
    assert parse.timestamp_formats(pl.Series(["1736900000000", "1736900001000"]), "UTC") == ("epoch",)
    assert len(parse.timestamp_formats(pl.Series(MIXED_TIMES), "UTC")) == len(parse.TIMESTAMP_FORMATS)
