"""analysis.display.render: every block escapes user text; specs stay inert JSON."""

from __future__ import annotations

import json

import pytest

from analysis.display import render

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = '<img src=x onerror="alert(1)">'


def _figure(**over) -> dict:
    base = {
        "id": "ads-share", "title": "8% of notes are sponsored", "alt_text": "Bar chart of ad share",
        "n": 724, "n_unit": "notes", "source": "tiktokrefugee-posts", "licence": "CC BY-NC 4.0",
        "claims": ["T3"], "illustrative": False, "notes": [], "spec": {"mark": "bar"}, "csv": "a,b\n1,2\n", "rows": 1,
    }
    return {**base, **over}


def test__esc__escapes_tags_and_quotes():
    assert render.esc(XSS_IMG) == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"


def test__esc__none_is_empty():
    assert render.esc(None) == ""


def test__json_for_script__cannot_close_the_element():
    text = render.json_for_script({"title": "</script><script>alert(1)</script><!--"})
    assert "<" not in text and ">" not in text
    assert json.loads(text) == {"title": "</script><script>alert(1)</script><!--"}


def test__csv_data_uri__percent_encodes_everything():
    assert render.csv_data_uri("a,b\n<x>,\"y\"\n") == "data:text/csv;charset=utf-8,a%2Cb%0A%3Cx%3E%2C%22y%22%0A"


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [(0.0812, "share", "8.1%"), (0.25, "share", "25%"), (1234, "count", "1,234"), (2.345678, "ratio", "2.35"),
     (None, "share", "–"), (float("nan"), "", "–")],
)
def test__fmt_number__by_unit(value, unit, expected):
    assert render.fmt_number(value, unit) == expected


def test__fmt_estimate__with_interval():
    assert render.fmt_estimate({"estimate": 0.08, "lo": 0.06, "hi": 0.1, "unit": "share"}) == "8.0% (6.0%–10%)"


def test__figure_html__user_text_is_inert():
    html = render.figure_html(_figure(title=XSS_SCRIPT, alt_text=XSS_IMG, source=XSS_IMG, notes=[XSS_SCRIPT],
                                      spec={"title": XSS_SCRIPT}))
    assert "<script>alert" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test__figure_html__anchor_download_and_facts():
    html = render.figure_html(_figure())
    assert '<figure class="rn-figure" id="fig-ads-share">' in html
    assert 'download="ads-share.csv" href="data:text/csv;charset=utf-8,a%2Cb%0A1%2C2%0A"' in html
    assert "n = 724 notes · Source: tiktokrefugee-posts · Licence: CC BY-NC 4.0" in html
    assert '<a href="#claim-T3">T3</a>' in html
    assert 'role="img" aria-label="Bar chart of ad share"' in html


def test__figure_html__illustrative_flag():
    assert "Illustrative — synthetic sample, not evidence" in render.figure_html(_figure(illustrative=True))
    assert "Illustrative" not in render.figure_html(_figure(illustrative=False))


def test__figure_html__chart_html_replaces_placeholder():
    html = render.figure_html(_figure(), chart_html="<div>lab chart</div>")
    assert "<div>lab chart</div>" in html
    assert "rn-spec" not in html


def test__ledger_html__badge_rule_and_evidence_link():
    row = {"claim_id": "T3", "claim": XSS_SCRIPT, "measure": "ad share", "estimate": 0.08, "lo": 0.06, "hi": 0.1,
           "n": 724, "unit": "share", "comparison": "Instagram", "verdict": "supported", "rule": "hi < 0.25",
           "evidence": "ads-share, ads-by-week", "what_would_test": "", "illustrative": False}
    html = render.ledger_html({"theme": "", "rows": [row]})
    assert '<tr id="claim-T3">' in html
    assert '<span class="rn-badge rn-badge--ok">supported</span>' in html
    assert '<a href="#fig-ads-share">see chart</a> <a href="#fig-ads-by-week">see chart</a>' in html
    assert "<script>" not in html


def test__ledger_html__evidence_that_is_not_a_slug_gets_no_link():
    row = {"claim_id": "T1", "verdict": "supported", "evidence": 'x" onmouseover="alert(1)'}
    assert "onmouseover" not in render.ledger_html({"rows": [row]})


def test__verdict_badge__illustrative_and_unknown():
    assert render.verdict_badge("not testable with the data at hand", True) == (
        '<span class="rn-badge rn-badge--na">not testable with the data at hand · illustrative</span>'
    )
    assert 'rn-badge--na">&lt;b&gt;' in render.verdict_badge("<b>")


def test__banner_html__illustrative_banner_with_reason():
    html = render.banner_html({"mode": "synthetic sample", "illustrative": True, "fallback_reason": "no mirror <x>",
                               "window": ["", ""], "counts": {"notes": 10}, "sources": []})
    assert "ILLUSTRATIVE — synthetic sample, not evidence" in html
    assert "Real data were not used: no mirror &lt;x&gt;" in html


def test__banner_html__real_data_has_no_banner():
    html = render.banner_html({"mode": "real public data", "illustrative": False, "window": ["2025-01-01", ""],
                               "counts": {"notes": 724}, "sources": [{"id": "a", "title": "A", "licence": "MIT"}]})
    assert "ILLUSTRATIVE" not in html
    assert "724 notes · window: 2025-01-01 to open" in html
    assert "Sources: A (MIT)" in html


def test__table_html__escapes_cells_and_caption():
    html = render.table_html({"caption": XSS_IMG, "columns": ["<b>"], "rows": [[XSS_SCRIPT]]})
    assert "<img" not in html and "<b>" not in html and "<script>" not in html


def test__render_block__unknown_mimetype():
    with pytest.raises(ValueError, match="no renderer for 'application/x-nope'"):
        render.render_block({}, "application/x-nope")


def test__ledger_html__only_the_full_ledger_anchors_claims():
    row = {"claim_id": "C1", "verdict": "supported"}
    assert '<tr id="claim-C1">' in render.ledger_html({"theme": "", "rows": [row]})
    assert 'id="claim-C1"' not in render.ledger_html({"theme": "Culture", "rows": [row]})


def test__ledger_html__an_excerpt_marked_without_anchors_has_no_ids():
    assert "id=" not in render.ledger_html({"theme": "", "anchors": False, "rows": [{"claim_id": "T3"}]})
