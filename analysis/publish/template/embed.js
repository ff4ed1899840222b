// Draws every chart of the report with the Vega runtime inlined once above (a module
// script too, so it has run by now and set window.vegaEmbed). Each chart's spec sits in
// its own <script type="application/json" class="rn-spec"> next to its box.
// data-rendered on each box ("true" | "error") and window.rnFirstChartMs let the browser
// tests wait on a condition and measure time to first chart.
const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
const options = { renderer: "svg", actions: false };
if (dark) {
  options.theme = "dark";
  // Marks left at Vega's default blue are brightened to read on the dark page.
  options.config = { background: null, mark: { color: "#7fb2e5" } };
}
// One chart at a time, in page order: the first chart is up as soon as it alone is drawn
// instead of when all of them are (JavaScript runs them one after another anyway).
for (const holder of document.querySelectorAll("script.rn-spec")) {
  const box = document.getElementById(holder.dataset.target);
  if (!box) {
    console.error(`rednote: no chart box #${holder.dataset.target}`);
    continue;
  }
  try {
    await window.vegaEmbed(box, JSON.parse(holder.textContent), options);
    box.dataset.rendered = "true";
    if (window.rnFirstChartMs === undefined) window.rnFirstChartMs = performance.now();
  } catch (err) {
    box.dataset.rendered = "error";
    box.textContent = `This chart could not be drawn: ${err.message}`;
    console.error(err);
  }
}
window.rnAllChartsMs = performance.now();
document.documentElement.dataset.chartsDone = "true";
