"""The whole report builds in every data mode a user meets: the synthetic sample and an
analyst's own MediaCrawler export (the real-data build is covered with the browser tests)."""

from __future__ import annotations

import json
import shutil

import pytest

from analysis import config
from analysis.config import Settings
from analysis.publish.build import build
from analysis.publish.spec import load_spec

pytestmark = pytest.mark.slow


def _build(tmp_path, **params):
    settings = Settings.create(reports_dir=tmp_path / "reports", show_progress=False, **params)
    result = build(settings, say=lambda *_: None)
    latest = tmp_path / "reports" / "latest"
    return result, (latest / "report.html").read_text(encoding="utf-8"), json.loads((latest / "build.json").read_text())


def test__build__sample_mode_is_labelled_illustrative_everywhere(tmp_path):
    _, html, record = _build(tmp_path, data_mode="sample")
    assert record["data_root"] == "built-in synthetic sample"
    assert sorted(p.name for p in (tmp_path / "reports" / "latest").iterdir()) == [
        "build.json", "ledger.csv", "notebooks", "quarantine.csv", "report.html"]
    assert (record["outcome"], record["data_mode"], record["parameters"]["data_mode"]) == ("ok", "sample", "sample")
    assert html.count("ILLUSTRATIVE") >= 6  # the banner of every section, at least
    assert record["counts"]["figures"] >= 20


def test__build__an_analysts_own_mediacrawler_folder(tmp_path):
    # A MediaCrawler 'new layout' folder (data/xhs/json/…) made from two real daily files.
    mirror = Settings.create().mirror
    export = tmp_path / "export" / "data" / "xhs" / "json"
    export.mkdir(parents=True)
    for name in ("creator_contents_2025-03-13.json", "creator_creator_2025-03-13.json"):
        shutil.copy(mirror / "mediacrawler-creators" / "Xiaohan" / name, export / name)
    _, html, record = _build(tmp_path, user_data=str(tmp_path / "export"))
    assert "ILLUSTRATIVE" not in html
    assert (record["outcome"], record["parameters"]["user_data"]) == ("ok", str(tmp_path / "export"))
    # media kits and headlines still come from the public mirror, beside the analyst's export
    assert set(record["data_root"].split(", ")) == {str(mirror), str(tmp_path / "export")}
    # The two daily files, loaded as one table: their notes (deduplicated) and their creators.
    assert record["counts"]["notes"] > 0 and record["counts"]["creators"] > 0
    assert [s["id"] for s in record["sources"]] == ["mediacrawler-creators", "clickbait-en"]
    assert all(f'id="{section}"' in html for section in ("summary", "tech", "culture", "politics", "commerce", "explore", "methods"))


def test__build__the_real_report_twice_gives_the_same_bytes_apart_from_the_stamp(tmp_path):
    # Two folders, so nothing is cached: every notebook runs twice.
    (one, html_one, rec_one), (two, html_two, rec_two) = _build(tmp_path / "a"), _build(tmp_path / "b")
    sections = len(load_spec(config.ROOT / "report.toml").sections)
    assert rec_one["data_mode"] == "real" and rec_two["cache"]["misses"] == sections
    def unstamped(html: str, record: dict) -> str:  # the stamp: when, and from which git revision
        return html.replace(record["built_at"], "<built_at>").replace(record["git_rev"], "<git_rev>")

    assert unstamped(html_one, rec_one) == unstamped(html_two, rec_two)
    ledgers = [(r.folder / "ledger.csv").read_bytes() for r in (one, two)]
    assert ledgers[0] == ledgers[1]
