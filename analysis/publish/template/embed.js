// Draws every chart of the report with the Vega runtime inlined once above (a module
// script too, so it has run by now and set window.vegaEmbed). Each chart's spec sits in
// its own <script type="application/json" class="rn-spec"> next to its box.
// data-rendered on each box ("true" | "error") and window.rnFirstChartMs let the browser
// tests wait on a condition and measure time to first chart.
const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
const page = getComputedStyle(document.documentElement);
const css = (name, fallback) => page.getPropertyValue(name).trim() || fallback;

// Axis, legend and title text at least 11 px in both themes (Vega's default is 10 px).
const MIN_FONT = 11;
const config = {
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  header: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14 },
  text: { fontSize: 11 },
};
const options = { renderer: "svg", actions: false, config };
if (dark) {
  const fg = css("--fg", "#e8eaed");
  const muted = css("--muted", "#a8adb4");
  options.theme = "dark";
  Object.assign(config, {
    background: null,
    axis: { ...config.axis, labelColor: muted, titleColor: fg, domainColor: muted, tickColor: muted, gridColor: "#3a3f46" },
    legend: { ...config.legend, labelColor: muted, titleColor: fg },
    header: { ...config.header, labelColor: muted, titleColor: fg },
    title: { ...config.title, color: fg, subtitleColor: muted },
    view: { stroke: "#3a3f46" },
    mark: { color: "#7fb2e5" },
    rule: { color: muted },
    text: { ...config.text, color: fg },
  });
}

// --- Spec adjustments --------------------------------------------------------------
// A figure may set its own colours and font sizes (e.g. a black interval rule, a navy
// band, 10 px labels). Rather than trust each figure, every spec is walked once: font
// sizes are raised to MIN_FONT, and on the dark page every colour with less than 3:1
// contrast against the background is lightened (same hue, mixed toward white).
const probe = document.createElement("canvas").getContext("2d");
function rgbOf(colour) {
  probe.fillStyle = "#010203"; // sentinel: an unparsable colour leaves it unchanged
  probe.fillStyle = colour;
  const v = probe.fillStyle;
  if (v === "#010203" && !/^#0?10203$/i.test(colour)) return null;
  if (v.startsWith("#")) return [1, 3, 5].map((i) => parseInt(v.slice(i, i + 2), 16));
  const m = v.match(/rgba?\(([^)]+)\)/);
  if (!m) return null;
  const parts = m[1].split(",").map(Number);
  return parts.length === 4 && parts[3] === 0 ? null : parts.slice(0, 3);
}
const luminance = (rgb) => {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a, b) => {
  const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (l1 + 0.05) / (l2 + 0.05);
};
const background = rgbOf(getComputedStyle(document.body).backgroundColor) || [21, 23, 26];
const hex = (rgb) => "#" + rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("");
// 5.5:1 rather than 3:1, so a mark drawn at 70% opacity still clears 3:1 once blended.
const TARGET = 5.5;
function readable(colour) {
  const rgb = rgbOf(colour);
  if (!rgb || contrast(rgb, background) >= TARGET) return colour;
  for (let t = 0.05; t <= 1; t += 0.05) {
    const mixed = rgb.map((c) => c + (255 - c) * t);
    if (contrast(mixed, background) >= TARGET) return hex(mixed);
  }
  return "#ffffff";
}
// A named scheme on the dark page: a categorical one with each colour made readable; a
// sequential one redrawn from its darkest colour (made readable) for low values to its
// lightest for high ones, so more is brighter and nothing sinks into the background.
// The runtime bundle does not expose vega.scheme, so the schemes the figures use are listed
// here: Vega's tableau10, and the light and dark ends of its sequential schemes.
const SCHEMES = {
  tableau10: ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d", "#bab0ac"],
  blues: ["#cfe1f2", "#0a4a90"], greens: ["#d3eecd", "#00441b"], oranges: ["#fdd8b3", "#7f2704"],
  reds: ["#fdc9b4", "#67000d"], purples: ["#e2e1ef", "#3f007d"], greys: ["#e2e2e2", "#000000"],
  teals: ["#bbdfdf", "#0b5f5f"],
};
const SEQUENTIAL = new Set(["blues", "greens", "oranges", "reds", "purples", "greys", "teals"]);
function darkScheme(name) {
  const scheme = SCHEMES[name];
  if (!scheme) return null;
  if (!SEQUENTIAL.has(name)) return scheme.map(readable);
  const [light, darkest] = scheme;
  return [readable(darkest), light];
}
if (dark) {
  config.range = { category: darkScheme("tableau10"), heatmap: darkScheme("blues"), ramp: darkScheme("blues") };
}
const COLOUR_KEY = /(^|[a-z])(color|fill|stroke)$/i;
const FONT_KEY = /fontsize$/i;
function adjust(node, key = "") {
  if (Array.isArray(node)) {
    return node.map((item) => (typeof item === "string" && /range$/i.test(key) && dark ? readable(item) : adjust(item, key)));
  }
  if (node === null || typeof node !== "object") return node;
  const out = {};
  if (dark && typeof node.scheme === "string" && !("range" in node)) {
    const range = darkScheme(node.scheme);
    if (range) {
      const { scheme, ...rest } = node;
      return adjust({ ...rest, range }, key);
    }
  }
  for (const [k, v] of Object.entries(node)) {
    if (typeof v === "number" && FONT_KEY.test(k)) out[k] = Math.max(v, MIN_FONT);
    // A faint band (e.g. the article's period at 35%) disappears on a dark page: at least 60%.
    else if (dark && typeof v === "number" && /^(opacity|fillOpacity)$/.test(k) && key !== "config") out[k] = Math.max(v, 0.6);
    else if (dark && typeof v === "string" && COLOUR_KEY.test(k) && !/grid|background/i.test(k)) out[k] = readable(v);
    // An encoding's constant colour: {"value": "#000"} under color / fill / stroke.
    else if (dark && COLOUR_KEY.test(k) && v && typeof v === "object" && typeof v.value === "string") {
      out[k] = { ...adjust(v, k), value: readable(v.value) };
    } else out[k] = adjust(v, k);
  }
  return out;
}

// One chart at a time, in page order: the first chart is up as soon as it alone is drawn
// instead of when all of them are (JavaScript runs them one after another anyway). A chart
// inside a folded section is drawn when the fold opens: folded, its box has no width.
async function draw(holder) {
  const box = document.getElementById(holder.dataset.target);
  if (!box) {
    console.error(`rednote: no chart box #${holder.dataset.target}`);
    return;
  }
  try {
    await window.vegaEmbed(box, adjust(JSON.parse(holder.textContent)), options);
    box.dataset.rendered = "true";
    if (window.rnFirstChartMs === undefined) window.rnFirstChartMs = performance.now();
  } catch (err) {
    box.dataset.rendered = "error";
    box.textContent = `This chart could not be drawn: ${err.message}`;
    console.error(err);
  }
}

const folded = new Map();  // closed section fold → the chart scripts waiting for it
for (const holder of document.querySelectorAll("script.rn-spec")) {
  const fold = holder.closest("details.rn-section-fold:not([open])");
  if (fold) {
    if (!folded.has(fold)) folded.set(fold, []);
    folded.get(fold).push(holder);
    continue;
  }
  await draw(holder);
}
document.documentElement.dataset.chartsPending = String([...folded.values()].reduce((n, h) => n + h.length, 0));
for (const [fold, holders] of folded) {
  fold.addEventListener("toggle", async () => {
    if (!fold.open || fold.dataset.drawn) return;
    fold.dataset.drawn = "true";
    for (const holder of holders) {
      await draw(holder);
      const root = document.documentElement;
      root.dataset.chartsPending = String(Number(root.dataset.chartsPending) - 1);
    }
  });
}
window.rnAllChartsMs = performance.now();
document.documentElement.dataset.chartsDone = "true";
