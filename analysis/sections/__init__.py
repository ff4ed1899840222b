"""Per report section, the small tables its figures draw (see ``base``), by section id."""

from __future__ import annotations

from analysis.sections import commerce, culture, explore, methods, politics, summary, tech
from analysis.sections.base import Inputs, SectionTables, Table, compute, figure_gaps

SECTIONS: dict[str, tuple[Table, ...]] = {
    "summary": summary.TABLES, "tech": tech.TABLES, "culture": culture.TABLES, "politics": politics.TABLES,
    "commerce": commerce.TABLES, "explore": explore.TABLES, "methods": methods.TABLES,
}

__all__ = ["SECTIONS", "Inputs", "SectionTables", "Table", "compute", "figure_gaps"]
