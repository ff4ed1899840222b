"""Specification of the data check report (analysis/io/check.py)."""

from analysis.io.check import data_check, report, summary
from analysis.sample import sample_bundle


def test__summary__sample_counts():
    assert summary(sample_bundle()) == {
        "note rows read": 360, "unique notes": 360, "merged duplicate note rows": 0, "creators": 60,
        "media-kit rows": 30, "comments": 0, "headlines": 200, "quarantined rows": 0,
    }


def test__report__states_that_every_row_is_accounted_for():
    text = report(sample_bundle())
    assert "Totals (every row accounted for):" in text
    assert "unique notes                     360" in text


def test__data_check__real_data_totals_and_reasons():
    text = data_check()
    for line in (
        "note rows read                16,029",
        "unique notes                  15,699",
        "merged duplicate note rows       329",
        "creators                          91",
        "media-kit rows                   107",
        "headlines                     32,000",
        "quarantined rows                   1",
        "     1  published after the crawl time (last_modify_ts) or in the future",
        "clickbait-en: Stop Clickbait headline benchmark (English) — MIT",
    ):
        assert line in text, line
    assert "every row accounted for" in text
