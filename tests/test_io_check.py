"""Specification of the data check report (analysis/io/check.py)."""

from analysis.io.check import closing_note, data_check, report, summary, write_ledger
from analysis.io.sample import sample_bundle


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


def test__closing_note__sample_without_quarantine():
    assert closing_note(sample_bundle()) == (
        "The loaders read 360 note rows (360 from sample); 0 repeated crawls of the same note were merged "
        "(newest crawl kept), leaving 360 unique notes, plus 60 creator profiles, 30 media-kit rows and "
        "200 benchmark headlines. No row had to be set aside."
    )


def test__closing_note__real_data_states_counts_and_reasons(real_bundle):
    note = closing_note(real_bundle)
    assert note.startswith("The loaders read 16,029 note rows (724 from tiktokrefugee-posts, 15,305 from "
                           "mediacrawler-creators); 329 repeated crawls")
    assert note.endswith("1 row was set aside in the quarantine ledger "
                         "(1 × published after the crawl time (last_modify_ts) or in the future).")


def test__write_ledger__writes_quarantine_and_load_log(tmp_path, real_bundle):
    quarantine, log = write_ledger(real_bundle, tmp_path)
    assert quarantine.read_text(encoding="utf-8").splitlines()[0] == "dataset,source_file,source_row,column,raw_value,reason"
    assert len(log.read_text(encoding="utf-8").splitlines()) == real_bundle.load_log.height + 1
