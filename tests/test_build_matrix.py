"""Specification (issue 21): every export shape an analyst brings builds end to end — or
refuses with one clear line — and the report's ledger says what each claim lacked.

Row counts are the hand counts of tests/fixtures/exports/README.md. Each shape is built at
most once per session (``built``), so selecting one test builds one report; the wall time
of every build is printed at the end of the session (``-s`` or the ``-ra`` summary).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from analysis.claims.needs import FIGURE_MIN_N
from analysis.config import Settings
from analysis.io.errors import InputFileError
from analysis.publish.build import build
from analysis.stats import MIN_N

pytestmark = pytest.mark.slow

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
#: shape -> --data path under EXPORTS ("" = the built-in sample)
SHAPES = {
    "notes_only": "notes_only",
    "notes_and_comments": "notes_and_comments",
    "comments_only": "comments_only",
    "creators_only": "creators_only",
    "notes_and_creators": "notes_and_creators",
    "sqlite": "sqlite",
    "tiny_sheet": "tiny_sheet",
    "single_file": "single_file/creator_contents_2025-01-22.json",
    "refugee_sheet": "refugee_sheet",
    "sample": "",
}
#: Notes per shape (README's hand counts); every one of these is below MIN_N.
NOTES = {"notes_only": 12, "notes_and_comments": 15, "comments_only": 0, "creators_only": 0,
         "notes_and_creators": 9, "sqlite": 4, "tiny_sheet": 5, "single_file": 4, "refugee_sheet": 6}
WITH_CREATORS = {"creators_only", "notes_and_creators", "sqlite"}
_SECONDS: dict[str, float] = {}


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    reports: dict[str, tuple[str, dict]] = {}

    def get(shape: str) -> tuple[str, dict]:
        if shape not in reports:
            out = tmp_path_factory.mktemp(shape)
            params = {"user_data": str(EXPORTS / SHAPES[shape])} if SHAPES[shape] else {"data_mode": "sample"}
            t0 = time.perf_counter()
            build(Settings.create(reports_dir=out, show_progress=False, jobs=2, **params), say=lambda *_: None)
            _SECONDS[shape] = time.perf_counter() - t0
            latest = out / "latest"
            reports[shape] = ((latest / "report.html").read_text(encoding="utf-8"),
                              json.loads((latest / "build.json").read_text(encoding="utf-8")))
        return reports[shape]

    yield get
    if _SECONDS:
        print("\nbuild wall time per shape: " + ", ".join(f"{k} {v:.0f}s" for k, v in _SECONDS.items())
              + f"; total {sum(_SECONDS.values()):.0f}s")


def _ledger_row(html: str, cid: str) -> str:
    found = re.search(rf'<tr id="claim-{cid}">(.*?)</tr>', html, flags=re.S)
    assert found, f"the summary's full ledger has no row {cid}"
    return found.group(1)


@pytest.mark.parametrize("shape", SHAPES)
def test__matrix__every_shape_builds_a_full_report(shape, built):
    html, record = built(shape)
    assert record["outcome"] == "ok"
    assert all(f'id="{s}"' in html for s in ("summary", "tech", "culture", "politics", "commerce", "explore", "methods"))
    assert "Traceback" not in html and "NoneType" not in html
    if shape != "sample":
        assert record["counts"]["notes"] == NOTES[shape]
        assert "Tables, rows and dates this build had" in html  # Methods states what the build had


@pytest.mark.parametrize("shape", [s for s in NOTES if s not in WITH_CREATORS])
def test__matrix__without_creator_profiles_the_creator_claims_say_what_they_need(shape, built):
    html, _ = built(shape)
    for cid in ("C1", "M3"):
        row = _ledger_row(html, cid)
        assert "needs creator profiles" in row and "MediaCrawler creator mode" in row
        assert "not testable with this data" in row
    # the creator charts stand as notices, not as empty charts
    assert 'class="rn-notice rn-notice--missing" id="fig-culture-gender"' in html


@pytest.mark.parametrize("shape", [s for s, n in NOTES.items() if n])
def test__matrix__too_few_notes_is_said_as_such(shape, built):
    html, _ = built(shape)
    row = _ledger_row(html, "T3")
    assert f"too few notes: {NOTES[shape]} in this data, at least {MIN_N} needed" in row
    # charts need fewer rows than verdicts: below FIGURE_MIN_N notes they stand as notices
    assert ("rn-notice--too-few" in html) == (NOTES[shape] < FIGURE_MIN_N)


@pytest.mark.parametrize("shape", ["comments_only", "creators_only"])
def test__matrix__without_notes_the_note_claims_say_what_they_need(shape, built):
    html, _ = built(shape)
    for cid in ("T2", "C4", "M2"):
        assert "needs note titles or text" in _ledger_row(html, cid)
    assert "needs notes" in _ledger_row(html, "P1")


def test__matrix__the_sample_limits_no_claim(built):
    html, _ = built("sample")
    assert "not testable with this data" not in html and "too few rows" not in html
    assert 'class="rn-notice' not in html


def test__matrix__an_empty_folder_refuses_with_one_line(tmp_path):
    with pytest.raises(InputFileError) as refused:
        build(Settings.create(user_data=str(EXPORTS / "empty_folder"), reports_dir=tmp_path, show_progress=False),
              say=lambda *_: None)
    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith(str(EXPORTS / "empty_folder")) and "holds no data files" in message
    assert not (tmp_path / "latest").exists()
