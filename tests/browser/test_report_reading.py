"""The real-data report read as a journalist reads it (issue 16), measured in headless Chromium:
page length, what the first two screens hold, a ledger that fits desktop and phone, chips
never cut, dark-mode contrast from the rendered SVG, no colliding chart text, Chinese drawn
with a real font, print, keyboard access and axe-core.

Screenshots of the first screen (desktop, phone, dark) go to tests/artifacts/.
"""

from __future__ import annotations

import json
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DARK = {**DESKTOP, "color_scheme": "dark"}

#: The real-data report's height at 1280 px before issue 16 (main at c190bcc, measured in
#: this browser): the issue asks for at most half of it.
HEIGHT_BEFORE_PX = 52_822

OPEN_ALL_DETAILS = "() => document.querySelectorAll('details').forEach(d => d.open = true)"

# Every ledger table and verdict chip that overflows its box, after the folds are opened.
LEDGER_OVERFLOW = """() => {
  const bad = [];
  for (const t of document.querySelectorAll('table.rn-ledger')) {
    const box = t.parentElement;
    if (t.scrollWidth > box.clientWidth + 1) bad.push({table: t.scrollWidth, box: box.clientWidth});
  }
  return {bad, page: [document.documentElement.scrollWidth, window.innerWidth]};
}"""
CUT_CHIPS = """() => Array.from(document.querySelectorAll('.rn-badge')).filter(b => b.offsetParent !== null)
  .map(b => {
    const r = b.getBoundingClientRect(), cell = (b.closest('td, th, li, p') || b.parentElement).getBoundingClientRect();
    return {text: b.textContent, sw: b.scrollWidth, cw: b.clientWidth, sh: b.scrollHeight, ch: b.clientHeight,
            right: r.right, cellRight: cell.right};
  })
  .filter(c => c.sw > c.cw || c.sh > c.ch + 1 || c.right > c.cellRight + 1)"""

# Colours drawn in each chart's SVG with less than 3:1 contrast against the page: text fills
# and data marks' fills and strokes, each blended over the background by its opacity.
# Gridlines are left out (faint by design; the axis domain and ticks carry the scale).
LOW_CONTRAST = """() => {
  const parse = c => { const m = (c || '').match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return {rgb: p.slice(0, 3), a: p.length > 3 ? p[3] : 1}; };
  const lum = rgb => { const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (x, y) => { const [a, b] = [lum(x), lum(y)].sort((p, q) => q - p); return (a + 0.05) / (b + 0.05); };
  const bg = parse(getComputedStyle(document.body).backgroundColor).rgb;
  const opacity = el => { let o = 1; for (let e = el; e && e.tagName !== 'svg'; e = e.parentElement) o *= Number(getComputedStyle(e).opacity); return o; };
  const bad = [];
  for (const box of document.querySelectorAll('.rn-chart')) {
    const svg = box.querySelector('svg'); if (!svg) continue;
    const items = [...svg.querySelectorAll('text')].map(e => [e, 'fill', 'text'])
      .concat([...svg.querySelectorAll('g.role-mark > path, g.role-mark > line, g.role-mark > rect, g.role-mark > circle')]
        .flatMap(e => [[e, 'fill', 'mark'], [e, 'stroke', 'mark']]));
    for (const [el, prop, kind] of items) {
      if (el.closest('.role-axis-grid')) continue;
      if (kind === 'text' && !el.textContent.trim()) continue;
      const cs = getComputedStyle(el);
      const c = parse(cs[prop]); if (!c) continue;
      const own = prop === 'fill' ? Number(cs.fillOpacity) : Number(cs.strokeOpacity);
      const a = c.a * own * opacity(el);
      if (a === 0 || (prop === 'stroke' && parseFloat(cs.strokeWidth) === 0)) continue;
      const blended = c.rgb.map((v, i) => v * a + bg[i] * (1 - a));
      const r = ratio(blended, bg);
      if (r < 3) bad.push({chart: box.id, kind, prop, colour: cs[prop], opacity: +a.toFixed(2), ratio: +r.toFixed(2),
                           text: kind === 'text' ? el.textContent.slice(0, 30) : ''});
    }
  }
  return bad;
}"""

# Pairs of SVG text boxes inside one chart that overlap by more than 2 px both ways.
TEXT_COLLISIONS = """() => {
  const bad = [];
  for (const box of document.querySelectorAll('.rn-chart')) {
    const texts = [...box.querySelectorAll('svg text')].filter(t => t.textContent.trim() &&
      getComputedStyle(t).visibility !== 'hidden' && Number(getComputedStyle(t).opacity) > 0)
      .map(t => ({t: t.textContent.trim(), r: t.getBoundingClientRect()})).filter(x => x.r.width > 0);
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i].r, b = texts[j].r;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left), h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 2 && h > 2) bad.push({chart: box.id, a: texts[i].t, b: texts[j].t});
    }
  }
  return bad;
}"""


def _offset(page, selector: str) -> float:
    return page.evaluate(f"() => document.querySelector({json.dumps(selector)}).getBoundingClientRect().top + scrollY")


def test__desktop__half_the_height_and_the_top_on_the_first_two_screens(real_report, open_report, artifacts):
    # As a reader first sees it: the Explore section (for analysts) stays folded.
    opened = open_report(real_report.html, unfold=False, **DESKTOP)
    page = opened.page
    height = page.evaluate("document.documentElement.scrollHeight")
    screen = page.viewport_size["height"]
    offsets = {name: _offset(page, sel) for name, sel in
               (("lede", ".rn-lede"), ("limits", ".rn-limits"), ("first chart", ".rn-chart"))}
    page.screenshot(path=str(artifacts / "first-screen-desktop.png"))
    (artifacts / "reading-metrics.json").write_text(json.dumps(
        {"desktop_height": height, "offsets": offsets, "report_bytes": real_report.html.stat().st_size}, indent=2) + "\n",
        encoding="utf-8")
    assert height <= HEIGHT_BEFORE_PX / 2
    assert all(top < 2 * screen for top in offsets.values()), offsets


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["1280px", "375px"])
def test__ledger__fits_its_column_and_no_verdict_is_cut(real_report, open_report, artifacts, device):
    opened = open_report(real_report.html, **device)
    page = opened.page
    page.evaluate(OPEN_ALL_DETAILS)
    overflow = page.evaluate(LEDGER_OVERFLOW)
    assert overflow["bad"] == []
    assert overflow["page"][0] <= overflow["page"][1]
    assert page.locator("table.rn-ledger tbody tr").count() > 0
    assert page.evaluate(CUT_CHIPS) == []
    if device is PHONE:
        page.evaluate("window.scrollTo(0, 0)")
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = false)")
        page.screenshot(path=str(artifacts / "first-screen-phone.png"))


def test__dark__every_chart_mark_and_label_has_3_to_1_contrast(real_report, open_report, artifacts):
    opened = open_report(real_report.html, **DARK)
    opened.page.screenshot(path=str(artifacts / "first-screen-dark.png"))
    low = opened.page.evaluate(LOW_CONTRAST)
    assert low == [], f"{len(low)} low-contrast marks or labels, e.g. {low[:5]}"


def test__charts__no_two_text_labels_overlap(real_report, open_report):
    opened = open_report(real_report.html, **DESKTOP)
    assert opened.page.evaluate(TEXT_COLLISIONS) == []


def test__charts__axis_text_is_at_least_11px(real_report, open_report):
    opened = open_report(real_report.html, **DESKTOP)
    small = opened.page.evaluate("""() => [...document.querySelectorAll('.rn-chart svg .role-axis text, .rn-chart svg .role-legend text')]
      .map(t => parseFloat(getComputedStyle(t).fontSize)).filter(s => s < 11)""")
    assert small == []


def test__chinese__is_drawn_with_a_cjk_font_not_boxes(real_report, open_report):
    opened = open_report(real_report.html, **DESKTOP)
    page = opened.page
    found = page.evaluate("""() => {
      const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode())
        if (/[\\u4e00-\\u9fff]/.test(n.textContent) && n.parentElement.checkVisibility()
            && n.parentElement.tagName !== 'SCRIPT') {
          n.parentElement.dataset.rnCjkProbe = '1'; return n.textContent.trim().slice(0, 40); }
      return null; }""")
    assert found, "the report shows no Chinese text to check"
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "[data-rn-cjk-probe]"})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cjk = [f for f in fonts if re.search(r"CJK|PingFang|YaHei|Hiragino|Source Han|WenQuanYi|Droid Sans Fallback",
                                         f["familyName"]) and f["glyphCount"] > 0]
    assert cjk, f"Chinese text {found!r} drawn only with {fonts}"


def test__print__keeps_charts_and_opens_folds(real_report, open_report):
    opened = open_report(real_report.html, **DESKTOP)
    page = opened.page
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    state = page.evaluate("""() => ({
      charts: [...document.querySelectorAll('.rn-chart svg')].filter(s => s.getBoundingClientRect().height > 0).length,
      all: document.querySelectorAll('.rn-chart').length,
      closed: document.querySelectorAll('details:not([open])').length,
      toc: getComputedStyle(document.querySelector('nav.rn-toc')).display })""")
    assert state["charts"] == state["all"] > 0
    assert state["closed"] == 0
    assert state["toc"] == "none"
    assert len(page.pdf(format="A4")) > 100_000


def test__keyboard__reaches_every_charts_data_download(real_report, open_report):
    opened = open_report(real_report.html, **DESKTOP)
    unreachable = opened.page.evaluate("""() => [...document.querySelectorAll('figure.rn-figure')].filter(f => {
      const a = f.querySelector('.rn-download a'); if (!a) return true;
      a.focus(); return document.activeElement !== a || a.tabIndex < 0 || !a.getAttribute('aria-label'); }).map(f => f.id)""")
    assert unreachable == []
    # A real Tab press from the top reaches the skip link first.
    opened.page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    opened.page.reload()
    opened.page.keyboard.press("Tab")
    assert opened.page.evaluate("document.activeElement.className") == "rn-skip"


def test__axe__no_serious_or_critical_violations(real_report, open_report):
    from axe_playwright_python.sync_playwright import Axe

    opened = open_report(real_report.html, **DESKTOP)
    results = Axe().run(opened.page)
    serious = [(v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["target"]) for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []
