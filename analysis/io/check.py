"""``rednote-report data check``: what the loaders read, kept, merged and set aside."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from analysis.io.bundle import Bundle

TOP_REASONS = 10


def _table(frame: pl.DataFrame, columns: list[str]) -> list[str]:
    cells = [[str(c) for c in columns]] + [[str(v) for v in row] for row in frame.select(columns).rows()]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    return ["  ".join(v.rjust(w) if i else v.ljust(w) for i, (v, w) in enumerate(zip(r, widths, strict=True)))
            for r in cells]


def summary(bundle: Bundle) -> dict[str, int]:
    """The headline counts of a loaded bundle."""
    log = bundle.load_log
    notes_log = log.filter(pl.col("table") == "notes")
    return {
        "note rows read": int(notes_log["rows_read"].sum()),
        "unique notes": bundle.notes.height,
        "merged duplicate note rows": int(notes_log["merged_duplicates"].sum()),
        "creators": bundle.creators.height,
        "media-kit rows": bundle.media_kits.height,
        "comments": bundle.comments.height,
        "headlines": bundle.headlines.height,
        "quarantined rows": bundle.quarantine.height,
    }


def report(bundle: Bundle) -> str:
    """A printable account of a bundle's load: per file, totals, and why rows were set aside."""
    log = bundle.load_log
    lines = [f"Data check ({bundle.mode} data)", ""]
    per_set = log.group_by("dataset", "table", maintain_order=True).agg(
        pl.len().alias("files"), pl.col("rows_read", "loaded", "merged_duplicates", "quarantined").sum()
    )
    lines += ["Per data set:", *_table(per_set, per_set.columns), ""]
    lines += ["Per file:", *_table(log, ["dataset", "source_file", "table", "format", "encoding", "rows_read",
                                        "loaded", "merged_duplicates", "quarantined"]), ""]
    unexplained = log.filter(pl.col("rows_read") != pl.col("loaded") + pl.col("merged_duplicates") + pl.col("quarantined"))
    status = "every row accounted for" if unexplained.is_empty() else f"{unexplained.height} file(s) with unexplained rows!"
    lines += ["Totals (" + status + "):"]
    lines += [f"  {k:<28}{v:>8,}" for k, v in summary(bundle).items()]
    if bundle.quarantine.height:
        reasons = bundle.quarantine.group_by("reason").len().sort(["len", "reason"], descending=[True, False])
        lines += ["", "Top quarantine reasons:"]
        lines += [f"  {n:>6,}  {r}" for r, n in reasons.head(TOP_REASONS).rows()]
    if bundle.sources.height:
        lines += ["", "Sources:"]
        lines += [f"  {d}: {t} — {lic}" for d, t, lic in bundle.sources.select("dataset", "title", "licence").rows()]
    return "\n".join(lines)


def data_check(user_data: str = "", **where) -> str:
    """Load the real data (or ``user_data`` in place of the RedNote sets) and report on it.
    where: mirror, cache, download, as ``datasets.real_bundle`` takes them."""
    from analysis.io.datasets import real_bundle

    return report(real_bundle(user_data=user_data, **where))


def closing_note(bundle: Bundle) -> str:
    """One paragraph for the report's closing/methods note, computed from the load log."""
    s = summary(bundle)
    notes_log = bundle.load_log.filter(pl.col("table") == "notes")
    per_set = notes_log.group_by("dataset", maintain_order=True).agg(pl.col("rows_read").sum())
    parts = ", ".join(f"{n:,} from {d}" for d, n in per_set.rows())
    text = (
        f"The loaders read {s['note rows read']:,} note rows ({parts}); {s['merged duplicate note rows']:,} "
        f"repeated crawls of the same note were merged (newest crawl kept), leaving {s['unique notes']:,} unique "
        f"notes, plus {s['creators']:,} creator profiles, {s['media-kit rows']:,} media-kit rows and "
        f"{s['headlines']:,} benchmark headlines. "
    )
    q = bundle.quarantine
    if q.height == 0:
        return text + "No row had to be set aside."
    reasons = q.group_by("reason").len().sort(["len", "reason"], descending=[True, False])
    listed = "; ".join(f"{n:,} × {r}" for r, n in reasons.head(3).rows())
    rows = "row was" if q.height == 1 else "rows were"
    return text + f"{q.height:,} {rows} set aside in the quarantine ledger ({listed})."


def write_ledger(bundle: Bundle, folder: Path) -> list[Path]:
    """Write quarantine.csv and load_log.csv (the ledger published next to the report)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "quarantine.csv", folder / "load_log.csv"]
    bundle.quarantine.write_csv(paths[0])
    bundle.load_log.write_csv(paths[1])
    return paths
