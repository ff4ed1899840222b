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
