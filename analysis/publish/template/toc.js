// Marks the TOC entry of the section being read (aria-current), so the sticky TOC
// doubles as a "you are here". Sections without a TOC entry are ignored.
const links = new Map(
  Array.from(document.querySelectorAll("nav.rn-toc > ol > li > a")).map((a) => [a.getAttribute("href").slice(1), a]),
);
const observer = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      for (const a of links.values()) a.removeAttribute("aria-current");
      links.get(entry.target.id)?.setAttribute("aria-current", "location");
    }
  },
  { rootMargin: "-20% 0px -70% 0px" },
);
for (const id of links.keys()) {
  const section = document.getElementById(id);
  if (section) observer.observe(section);
}

// A link to a claim row or a chart inside a folded <details> (the full ledger, a row's
// working) opens the folds first, so the target is on screen.
function reveal() {
  const id = decodeURIComponent(location.hash.slice(1));
  const target = id && document.getElementById(id);
  if (!target) return;
  for (let el = target; el; el = el.parentElement) if (el.tagName === "DETAILS") el.open = true;
  target.scrollIntoView();
}
window.addEventListener("hashchange", reveal);
if (location.hash) reveal();

// Print opens every fold (the print stylesheet cannot open a closed <details>) and
// restores them afterwards.
let closed = [];
window.addEventListener("beforeprint", () => {
  closed = Array.from(document.querySelectorAll("details:not([open])"));
  for (const d of closed) d.open = true;
});
window.addEventListener("afterprint", () => {
  for (const d of closed) d.open = false;
  closed = [];
});
