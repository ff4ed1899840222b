"""analysis.display.render: every block escapes user text; specs stay inert JSON."""

from __future__ import annotations

import html as html_module
import json
import re

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
    assert "Sources:" not in html  # the report's header and how-to-cite list them once


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


# --- Numbers for people ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [(0.829, "relative change", "+83%"), (-0.17, "relative change", "−17%"), (0.0, "share", "0%"),
     (0.0002, "share", "<0.1%"), (0.0027, "share", "0.3%"), (1.08, "slope", "1.08"), (None, "share", "–")],
)
def test__fmt_plain__signed_changes_and_small_shares(value, unit, expected):
    assert render.fmt_plain(value, unit) == expected


def _row(**over) -> dict:
    base = {"claim_id": "T2", "claim": "A multi-purpose app", "measure": "", "estimate": None, "lo": None, "hi": None,
            "n": None, "unit": "share", "comparison": "", "verdict": "supported", "rule": "", "dataset": "",
            "evidence": "", "what_would_test": "", "illustrative": False}
    return {**base, **over}


def test__plain_finding__share_of_reads_as_a_percentage_of_the_population():
    row = _row(measure="share of notes that are reviews (topics lexicon (checked); shopping and more in the rule)",
               estimate=0.3092, lo=0.3019, hi=0.3167)
    assert render.plain_finding(row) == "31% of notes that are reviews (95% interval: 30%–32%)"


def test__plain_finding__a_ratio_of_two_shares_reads_as_a_share_of_the_comparison():
    row = _row(measure="share of creators' notes that are sponsored ÷ Instagram's share of feed posts that are ads",
               estimate=0.4128, lo=0.1973, hi=0.7684, unit="ratio")
    assert render.plain_finding(row) == (
        "Share of creators' notes that are sponsored: 41% of Instagram's share of feed posts that are ads "
        "(95% interval: 20%–77%)"
    )


def test__plain_finding__relative_change_is_signed_and_never_a_bare_decimal():
    row = _row(measure="change in foreigner border crossings, 2024 vs 2023 (published, NIA)", estimate=0.8288,
               unit="relative change")
    assert render.plain_finding(row) == "Change in foreigner border crossings, 2024 vs 2023: +83%"


def test__plain_finding__no_estimate():
    assert render.plain_finding(_row()) == "No estimate from these data."


# --- Ledger: once in full, compact lines elsewhere --------------------------------------


def test__ledger_html__full_ledger_folds_the_working_under_each_row():
    row = _row(claim_id="T3", measure="share of notes that are ads", estimate=0.08, lo=0.06, hi=0.1, n=724,
               comparison="Instagram 20.6%", rule="supported: hi < 0.25", what_would_test="feed samples")
    html = render.ledger_html({"theme": "", "anchors": True, "rows": [row]})
    assert html.startswith('<details class="rn-ledger-box" id="ledger">')
    assert "8.0% of notes that are ads (95% interval: 6.0%–10%)" in html
    working = html[html.index('<details class="rn-working">'):]
    assert "<dt>Compared with</dt><dd>Instagram 20.6%</dd>" in working
    assert "<dt>Rule</dt><dd>supported: hi &lt; 0.25</dd>" in working
    assert "<dt>Would test it</dt><dd>feed samples</dd>" in working
    assert html.count("<th scope=\"col\">") == 3  # three columns fit a 856 px column


def test__ledger_html__compact_lines_link_to_the_full_ledger_and_repeat_no_ids():
    rows = [_row(claim_id="T3", verdict="partly supported", measure="share of notes that are ads", estimate=0.08),
            _row(claim_id="T4", verdict="not supported")]
    html = render.ledger_html({"theme": "", "anchors": False, "compact": True, "rows": rows})
    assert "<table" not in html and 'id="claim-' not in html
    assert html.count('class="rn-claimline"') == 2
    assert '<a class="rn-claim-id" href="#claim-T3"' in html and '<a class="rn-claim-id" href="#claim-T4"' in html
    assert '<span class="rn-badge rn-badge--partial">partly supported</span>' in html
    assert "— 8.0% of notes that are ads" in html


def test__findings_html__plain_words_verdict_and_links_and_the_rest_counted():
    row = _row(claim_id="C5", verdict="not supported", measure="share of posts on healthcare (lexicon)",
               estimate=0.0097, lo=0.0047, hi=0.0198, evidence="culture-cross-border")
    html = render.findings_html({"rows": [row], "others": {"not testable with the data at hand": 3,
                                                            "partly supported": 10}})
    assert "1.0% of posts on healthcare (95% interval: 0.5%–2.0%)." in html
    assert '<a href="#claim-C5"' in html and '<a href="#fig-culture-cross-border">chart</a>' in html
    assert "10 partly supported · 3 not testable with the data at hand" in html  # verdict order, not key order
    assert html.count("<h2") == 1


def test__lede_html__at_most_three_sentences_tally_in_verdict_order():
    html = render.lede_html({
        "counts": {"not testable with the data at hand": 3, "contradicted by later data": 1, "not supported": 2,
                   "supported": 3},
        "datasets": [{"notes": 724, "noun": "#TikTokRefugee posts", "core": "13–14 Jan 2025", "core_share": 0.657}],
        "caveat": "Not a random sample.",
    })
    text = html_module.unescape(re.sub(r"<[^>]+>", "", html))
    assert text == (
        "Of the article's 9 claims, the data support 3 and do not support 2; later figures contradict 1; "
        "3 cannot be tested with these data. The evidence: 724 #TikTokRefugee posts (66% of them from "
        "13–14 Jan 2025), beside published figures. Not a random sample."
    )
    assert len(re.findall(r"[.!?](?:\s|$)", text)) <= 3


def test__limits_html__reach_caveats_and_untestable_claims_linked():
    html = render.limits_html({
        "datasets": [{"notes": 724, "noun": "#TikTokRefugee posts", "accounts": 676, "span": "9 Jan – 2 Mar 2025",
                      "core": "13–14 Jan 2025", "core_share": 0.657}],
        "can": [], "cannot": ["See comments <none>"],
        "untestable": [{"claim_id": "T6", "claim": "hashtags"}, {"claim_id": "C3", "claim": "Gen Z"}],
    })
    assert "What this data can and cannot tell you" in html
    assert "724 #TikTokRefugee posts by 676 accounts, 9 Jan – 2 Mar 2025 — 66% of them from <strong>13–14 Jan 2025" in html
    assert "See comments &lt;none&gt;" in html
    assert 'Settle 2 of the claims (<a href="#claim-T6" title="hashtags">T6</a>, <a href="#claim-C3"' in html


def test__table_html__long_tables_fold_and_numbers_align_right():
    rows = [[f"row {i}", f"{i * 1000:,}"] for i in range(7)]
    html = render.table_html({"caption": "Rows", "columns": ["what", "n"], "rows": rows})
    assert html.startswith('<details class="rn-table-fold"><summary>Rows <span class="rn-muted">(7 rows)</span>')
    assert '<td class="rn-num">6,000</td>' in html and "<td>row 6</td>" in html
    assert not render.table_html({"caption": "Rows", "columns": ["what", "n"], "rows": rows[:6]}).startswith("<details")


def test__figure_html__download_is_a_named_link_and_notes_fold():
    html = render.figure_html(_figure(notes=["weekly bins"], title="Ads fell"))
    assert 'aria-label="Download the data behind this chart (Ads fell) as CSV"' in html
    assert '<details class="rn-about"><summary>About this chart (1 note)</summary><ul class="rn-notes"><li>weekly bins' in html
