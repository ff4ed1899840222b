"""Read a figure's Vega-Lite spec the way the browser will: each drawn mark with the rows it draws."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Mark:
    type: str
    rows: list[dict]
    encoding: dict
    spec: dict  # the unit spec itself
    panel: int | None  # index in a vconcat, None outside one


def marks(chart) -> list[Mark]:
    spec = chart.to_dict()
    datasets = spec.get("datasets", {})
    found: list[Mark] = []

    def rows_of(node: dict, inherited: list[dict]) -> list[dict]:
        data = node.get("data")
        if data and "name" in data:
            return datasets[data["name"]]
        if data and "values" in data:
            return data["values"]
        return inherited

    def walk(node: dict, inherited: list[dict], enc: dict, panel: int | None) -> None:
        rows = rows_of(node, inherited)
        enc = {**enc, **node.get("encoding", {})}
        if "mark" in node:
            mark = node["mark"]
            found.append(Mark(mark if isinstance(mark, str) else mark["type"], rows, enc, node, panel))
        for child in node.get("layer", []):
            walk(child, rows, enc, panel)
        for i, child in enumerate(node.get("vconcat", [])):
            walk(child, rows, {}, i)

    walk(spec, [], {}, None)
    return found


def panels(chart) -> list[dict]:
    return chart.to_dict().get("vconcat", [])
