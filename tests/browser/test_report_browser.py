"""The report in a real browser (headless Chromium, network blocked): charts draw, nothing
leaves the file, links resolve, user text stays inert, phone and dark mode work."""

from __future__ import annotations

import json

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DARK = {**DESKTOP, "color_scheme": "dark"}

# Marks a chart drew for its data (Vega tags data marks role-mark; axes and legends differ).
CHART_MARKS = """() => Array.from(document.querySelectorAll('.rn-chart')).map(box => ({
  id: box.id,
  rendered: box.dataset.rendered || '',
  marks: box.querySelectorAll('svg g.role-mark > *').length,
}))"""
DUPLICATE_IDS = """() => {
  const ids = Array.from(document.querySelectorAll('[id]')).map(e => e.id)
    .filter(id => /^(fig-|chart-|claim-|build-record$|summary$|tech$|culture$|politics$|commerce$|methods$)/.test(id));
  return ids.filter((id, i) => ids.indexOf(id) !== i);
}"""
# As browsers do, a fragment matches an id as written or percent-decoded (nbconvert writes
# heading ids percent-encoded).
BROKEN_LINKS = """() => Array.from(document.querySelectorAll('a[href^="#"]'))
  .map(a => a.getAttribute('href').slice(1))
  .filter(id => id && !document.getElementById(id) && !document.getElementById(decodeURIComponent(id)))"""


def _assert_clean(opened):
    assert opened.console_errors == []
    assert opened.outside_requests == []
    assert opened.dialogs == []


def test__real_report__every_chart_draws_marks_offline(real_report, open_report, artifacts):
    opened = open_report(real_report.html, **DESKTOP)
    charts = opened.page.evaluate(CHART_MARKS)
    assert charts, "the report has no charts"
    undrawn = [c for c in charts if c["rendered"] != "true" or c["marks"] == 0]
    assert undrawn == []
    _assert_clean(opened)
    first_ms = opened.page.evaluate("window.rnFirstChartMs")
    all_ms = opened.page.evaluate("window.rnAllChartsMs")
    (artifacts / "browser-metrics.json").write_text(json.dumps({
        "charts": len(charts), "first_chart_ms": round(first_ms), "all_charts_ms": round(all_ms),
        "report_bytes": real_report.html.stat().st_size, "build_seconds": round(real_report.seconds, 1),
    }, indent=2) + "\n", encoding="utf-8")
    opened.page.screenshot(path=str(artifacts / "report-desktop.png"), full_page=True, timeout=180_000)


def test__real_report__every_in_page_link_resolves(real_report, open_report):
    opened = open_report(real_report.html, **DESKTOP)
    assert opened.page.evaluate(BROKEN_LINKS) == []
    assert opened.page.evaluate(DUPLICATE_IDS) == []
    toc = opened.page.locator("nav.rn-toc > ol > li > a")
    assert toc.count() == 7  # summary, four themes, explore, methods
    toc.nth(2).click()
    assert opened.page.evaluate("location.hash") == "#culture"
    opened.page.wait_for_function(
        "document.querySelector('nav.rn-toc a[aria-current]')?.getAttribute('href') === '#culture'", timeout=5_000)


def test__real_report__fits_a_phone_without_sideways_scroll(real_report, open_report, artifacts):
    opened = open_report(real_report.html, **PHONE)
    width = opened.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1]
    assert all(c["rendered"] == "true" for c in opened.page.evaluate(CHART_MARKS))
    _assert_clean(opened)
    opened.page.screenshot(path=str(artifacts / "report-phone.png"), full_page=True, timeout=180_000)


def test__real_report__dark_mode_follows_the_system(real_report, open_report, artifacts):
    opened = open_report(real_report.html, **DARK)
    background = opened.page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(21, 23, 26)"
    assert all(c["rendered"] == "true" for c in opened.page.evaluate(CHART_MARKS))
    _assert_clean(opened)
    opened.page.screenshot(path=str(artifacts / "report-dark.png"), full_page=True, timeout=180_000)


def test__real_report__print_hides_navigation(real_report, open_report):
    opened = open_report(real_report.html, **DESKTOP)
    opened.page.emulate_media(media="print")
    assert opened.page.evaluate("getComputedStyle(document.querySelector('nav.rn-toc')).display") == "none"


def test__fixture_report__user_html_stays_inert(fixture_report, open_report, artifacts):
    opened = open_report(fixture_report.html, **DESKTOP)
    _assert_clean(opened)  # no alert() dialog, no error from a broken <img>
    assert opened.page.evaluate("window.__xss") is None
    title = opened.page.locator("#fig-fixture-bars h3").inner_text()
    assert title.startswith("<script>alert(1)</script> tops the tags")
    assert opened.page.locator("main img").count() == 0
    charts = opened.page.evaluate(CHART_MARKS)
    assert charts == [{"id": "chart-fixture-bars", "rendered": "true", "marks": 3}]
    opened.page.screenshot(path=str(artifacts / "fixture-xss.png"), full_page=True, timeout=180_000)


def test__fixture_report__chart_tooltip_shows_escaped_text(fixture_report, open_report):
    opened = open_report(fixture_report.html, **DESKTOP)
    bar = opened.page.locator("#chart-fixture-bars svg g.role-mark path").nth(2)
    bar.hover()
    tooltip = opened.page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert "<script>alert(1)</script>" in tooltip.inner_text()
    assert opened.page.evaluate("window.__xss") is None
    _assert_clean(opened)
