"""Run the benchmark: every stage on every engine at every size, side by side, in one run.

    python -m benchmarks.run --sizes 10k,100k,1m,10m --engines polars,pandas,duckdb,spark

Generates missing data (benchmarks/generate.py), fits the clickbait model once and
keeps it as an artefact, then runs each (engine, size) in a fresh subprocess so its
peak RSS is its own (for Spark: the driver, its JVM and the Python workers together).
Writes ``benchmarks/results/<date>.csv`` (one row per engine, size and stage: wall
seconds, rows/s, peak RSS so far), ``<date>.md`` (the table with each engine's time
over polars'), ``<date>.svg``/``.png`` (time and memory against size) and regenerates
the table in ``benchmarks/README.md``. Stages an engine does not have are ``n/a``;
tables that differ from polars' are listed under the table.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import resource
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from benchmarks import generate
from benchmarks.engines import ENGINES, STAGES, available, missing_extra
from benchmarks.engines.common import check_data

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
README = HERE / "README.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
RESULT_SCHEMA = {"engine": pl.String, "size": pl.String, "notes": pl.Int64, "stage": pl.String,
                 "seconds": pl.Float64, "rows_per_s": pl.Float64, "peak_rss_gib": pl.Float64, "status": pl.String,
                 "load_1min": pl.Float64, "detail": pl.String}


def _hwm_kib(pid: int | str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:  # the process ended meanwhile
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*/children"):
            try:
                kids = [int(k) for k in task.read_text().split()]
            except OSError:
                continue
            out += kids
            todo += kids
    return out


def _peak_rss_gib() -> float:
    """Peak RSS of this process plus that of each live descendant (Spark's JVM and Python
    workers), summed: an upper bound on the peak of the whole tree (pages shared between
    forked workers count once per worker)."""
    # VmHWM resets at exec; ru_maxrss does not (a child would inherit the runner's peak).
    if Path("/proc/self/status").exists():
        pid = os.getpid()
        return sum(_hwm_kib(p) for p in (pid, *_descendants(pid))) / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB on Linux


def model_artefact(folder: Path) -> Path:
    """Fit the clickbait model once (real benchmark headlines, else the sample's) and return its file."""
    from analysis.claims.models import load_or_fit_model
    from analysis.io import datasets, sample
    from analysis.io.bundle import DataUnavailable

    try:
        headlines = datasets.load_public("clickbait-en").frame("headlines")
    except DataUnavailable:
        headlines = sample.sample_bundle().headlines
    model = load_or_fit_model(headlines, folder)
    return folder / f"clickbait-en-{model.key}.joblib"


ROW = "ROW "  # a worker's per-stage line on stdout, so a timeout keeps the stages that finished


def _finish_row(row: dict, n: int) -> dict:
    row["notes"] = n
    row["rows_per_s"] = n / row["seconds"] if row.get("seconds") else None
    return row


def run_engine(engine: str, data_dir: Path, model_path: Path, out_dir: Path | None = None,
               stages: tuple[str, ...] = STAGES, *, emit=None) -> list[dict]:
    """Run prepare and every stage of one engine in this process; rows for RESULT_SCHEMA.

    With ``out_dir``, each stage's result table is written there as ``<stage>.parquet``;
    ``emit`` is called with each row as soon as its stage ends.
    """
    import joblib

    module = importlib.import_module(f"benchmarks.engines.{engine}_stages")
    check_data(data_dir)
    model = joblib.load(model_path)
    rows = []
    t = time.perf_counter()
    state = module.prepare(data_dir, model)
    n = module.note_count(state)
    rows.append({"stage": "prepare", "seconds": time.perf_counter() - t, "status": "ok"})
    rows[-1]["peak_rss_gib"] = _peak_rss_gib()
    if getattr(state, "timings", None):  # the engine's own breakdown (Spark: session start, first query)
        rows[-1]["detail"] = json.dumps({k: round(v, 3) for k, v in state.timings.items()})
    if emit:
        emit(_finish_row(dict(rows[-1]), n))
    for stage in stages:
        fn = module.STAGE_FUNCTIONS.get(stage)
        if fn is None:
            rows.append({"stage": stage, "seconds": None, "peak_rss_gib": None, "status": "n/a"})
        else:
            t = time.perf_counter()
            table = fn(state)
            rows.append({"stage": stage, "seconds": time.perf_counter() - t, "peak_rss_gib": _peak_rss_gib(),
                         "status": "ok"})
            if out_dir is not None:
                out_dir.mkdir(parents=True, exist_ok=True)
                table.write_parquet(out_dir / f"{stage}.parquet")
        if emit:
            emit(_finish_row(dict(rows[-1]), n))
    return [_finish_row(r, n) for r in rows]


def _run_child(engine: str, data_dir: Path, model_path: Path, out_dir: Path, timeout: float) -> list[dict]:
    cmd = [sys.executable, "-m", "benchmarks.run", "--worker", engine, "--data", str(data_dir),
           "--model", str(model_path), "--out", str(out_dir)]
    # Own session: on timeout the whole tree goes (Spark's JVM and Python workers too).
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=os.environ.copy(), start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return _stopped(out, f"timeout after {timeout:.0f} s", "timeout")
    if proc.returncode != 0:
        last = (err.strip().splitlines() or ["(no output)"])[-1]
        # -9 without our timeout: the kernel's out-of-memory killer
        status = "out of memory" if proc.returncode == -9 else f"failed: {last[:120]}"
        return _stopped(out, status, status.split(":", maxsplit=1)[0])
    return json.loads(out.strip().splitlines()[-1])


def _stopped(out: str | None, status: str, why: str) -> list[dict]:
    """Rows of a worker that did not finish: the stages it printed as done, the stage it
    was in (``status``), and the rest as not reached."""
    done = [json.loads(line[len(ROW):]) for line in (out or "").splitlines() if line.startswith(ROW)]
    ran = {r["stage"] for r in done}
    left = [st for st in ("prepare", *STAGES) if st not in ran]
    return done + [{"stage": st, "status": status if i == 0 else f"not reached ({why})"}
                   for i, st in enumerate(left)]


def compare(a: Path, b: Path, stage: str) -> str:
    """'' if the two engines' tables for ``stage`` agree (floats to 1e-9 relative), else why not."""
    from polars.testing import assert_frame_equal

    fa, fb = a / f"{stage}.parquet", b / f"{stage}.parquet"
    if not (fa.exists() and fb.exists()):
        return ""
    try:
        assert_frame_equal(pl.read_parquet(fa), pl.read_parquet(fb), rel_tol=1e-9, abs_tol=1e-9)
    except AssertionError as exc:
        return str(exc).splitlines()[0][:200]
    return ""


def run(sizes: dict[str, int], engines: list[str], data_root: Path, timeout: float, *, log=print,
        jsonl: bool = True) -> pl.DataFrame:
    artefacts = data_root / "artefacts"
    model_path = model_artefact(artefacts)
    rows = []
    for size, n in sizes.items():
        data_dir = generate.generate(n, data_root / size, jsonl=jsonl, log=log)
        out = {e: data_root / "outputs" / size / e for e in engines}
        for engine in engines:
            log(f"{size} {engine} …")
            load = os.getloadavg()[0]  # the machine is shared: each timing carries its load
            t = time.perf_counter()
            got = _run_child(engine, data_dir, model_path, out[engine], timeout)
            total = time.perf_counter() - t
            load = max(load, os.getloadavg()[0])
            for r in got:
                r.update(engine=engine, size=size, load_1min=load)
                r.setdefault("notes", n)
                if r["stage"] != "total" and r.get("status") == "ok" and engine != "polars" and "polars" in engines:
                    diff = compare(out["polars"], out[engine], r["stage"])
                    if diff:
                        r["status"] = f"differs from polars: {diff}"
            rows.extend(got)
            log(f"  {engine} {size}: {total:.1f} s")
    return pl.DataFrame(rows, schema=RESULT_SCHEMA, strict=False)


def _ran(results: pl.DataFrame) -> pl.DataFrame:
    """Rows of stages that ran to the end (agreeing with polars or not)."""
    return results.filter(pl.col("seconds").is_not_null() & (pl.col("status") == "ok")
                          | pl.col("status").str.starts_with("differs"))


def _engines(results: pl.DataFrame) -> list[str]:
    present = set(results["engine"].unique())
    return [e for e in ENGINES if e in present]


def summary(results: pl.DataFrame) -> pl.DataFrame:
    """One row per size and stage (plus ``all``): seconds and peak RSS per engine, each
    engine's time over polars', and notes/s per engine.

    ``all`` sums the stages an engine ran; its ratio to polars compares the same stages
    (an engine with ``n/a`` stages is compared on the stages it has).
    """
    ran = _ran(results)
    engines = _engines(results)
    total = ran.group_by("engine", "size", "notes").agg(
        pl.lit("all").alias("stage"), pl.col("seconds").sum(), pl.col("peak_rss_gib").max())
    both = pl.concat([ran.select(total.columns), total])
    wide = both.pivot(on="engine", index=["size", "notes", "stage"], values=["seconds", "peak_rss_gib"])
    for e in engines:
        for v in ("seconds", "peak_rss_gib"):
            if f"{v}_{e}" not in wide.columns:
                wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(f"{v}_{e}"))
    ratios = []
    for e in (e for e in engines if e != "polars"):
        # Ratio over the stages both ran, so "all" is like for like.
        pair = (ran.filter(pl.col("engine").is_in(["polars", e])).group_by("size", "stage")
                .agg(pl.col("seconds").filter(pl.col("engine") == e).first().alias("a"),
                     pl.col("seconds").filter(pl.col("engine") == "polars").first().alias("b"))
                .drop_nulls())
        pair = pl.concat([pair, pair.group_by("size").agg(pl.lit("all").alias("stage"), pl.col("a").sum(),
                                                         pl.col("b").sum()).select(pair.columns)])
        ratios.append(pair.select("size", "stage", (pl.col("a") / pl.col("b")).alias(f"{e}/polars")))
    for r in ratios:
        wide = wide.join(r, on=["size", "stage"], how="left")
    wide = wide.with_columns(*[(pl.col("notes") / pl.col(f"seconds_{e}")).alias(f"{e} notes/s") for e in engines])
    order = {s: i for i, s in enumerate(("prepare", *STAGES, "all"))}
    return wide.sort("notes", pl.col("stage").replace_strict(order, default=99))


def markdown(results: pl.DataFrame, note: str) -> str:
    table = summary(results)
    engines = _engines(results)
    others = [e for e in engines if e != "polars"]
    status = {(r["engine"], r["size"], r["stage"]): r["status"] for r in results.iter_rows(named=True)}
    # Engines and sizes whose "all" lacks stages (n/a, timed out, failed).
    partial = {(e, sz) for (e, sz, _st), v in status.items() if v != "ok" and not (v or "").startswith("differs")}

    def cell(v, fmt="{:.2f}"):
        return "—" if v is None else fmt.format(v)

    def seconds(r, e):
        st = status.get((e, r["size"], r["stage"]))
        if r["stage"] == "all":
            return cell(r[f"seconds_{e}"]) + ("*" if (e, r["size"]) in partial else "")
        if st == "n/a":
            return "n/a"
        if st and st.startswith(("timeout", "not reached")):
            return st.split(" after")[0].split(" (")[0]  # "timeout" / "not reached"
        return cell(r[f"seconds_{e}"]) + (" ≠" if st and st.startswith("differs") else "")

    head = (["size", "stage"] + [f"{e} s" for e in engines] + [f"{e}/polars" for e in others]
            + [f"{e} notes/s" for e in engines] + [f"{e} GiB" for e in engines])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in table.iter_rows(named=True):
        cells = [r["size"], r["stage"], *(seconds(r, e) for e in engines),
                 *(cell(r[f"{e}/polars"], "{:.2f}×") for e in others),
                 *(cell(r[f"{e} notes/s"], "{:,.0f}") for e in engines),
                 *(cell(r[f"peak_rss_gib_{e}"]) for e in engines)]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    lines += ["", "Peak GiB: peak RSS of the engine's process so far; for Spark the driver, its JVM and its "
              "Python workers summed (an upper bound)."]
    if partial:
        lines.append("\\* `all` sums the stages the engine ran (`n/a`, timed-out or failed stages excluded); its "
                     "ratio to polars compares the same stages.")
    if any(v.startswith("differs") for v in status.values() if v):
        lines.append("≠ the stage's table differs from polars' (listed below).")
    bad = results.filter(pl.col("status") != "ok")
    if bad.height:
        lines += ["", "Not measured, not written (`n/a`) or not agreeing with polars:", ""]
        lines += [f"- {r['engine']} {r['size']} {r['stage']}: {r['status']}" for r in bad.iter_rows(named=True)]
    details = results.filter(pl.col("detail").is_not_null()) if "detail" in results.columns else results.clear()
    if details.height:
        lines += ["", "Engine-side timings inside `prepare` (seconds):", ""]
        lines += [f"- {r['engine']} {r['size']}: " + ", ".join(f"{k} {v:.2f}" for k, v in json.loads(r["detail"]).items())
                  for r in details.iter_rows(named=True)]
    return f"{note}\n\n" + "\n".join(lines) + "\n"


def chart(results: pl.DataFrame, path_stem: Path) -> None:
    """Total time and peak memory against notes, one line per engine (log–log), as SVG and PNG."""
    import altair as alt
    import vl_convert as vlc

    total = (_ran(results).group_by("engine", "notes")
             .agg(pl.col("seconds").sum().alias("seconds"), pl.col("peak_rss_gib").max().alias("peak GiB")))
    base = alt.Chart(total).encode(x=alt.X("notes:Q", scale=alt.Scale(type="log"), title="notes"),
                                   color=alt.Color("engine:N"))
    time_chart = base.mark_line(point=True).encode(
        y=alt.Y("seconds:Q", scale=alt.Scale(type="log"), title="all stages, seconds")).properties(
        title="Time against size", width=320, height=240)
    mem_chart = base.mark_line(point=True).encode(
        y=alt.Y("peak GiB:Q", scale=alt.Scale(type="log"), title="peak RSS, GiB")).properties(
        title="Peak memory against size", width=320, height=240)
    spec = (time_chart | mem_chart).to_json()
    path_stem.with_suffix(".svg").write_text(vlc.vegalite_to_svg(spec))
    path_stem.with_suffix(".png").write_bytes(vlc.vegalite_to_png(spec, scale=2))


def write_outputs(results: pl.DataFrame, note: str, stem: str | None = None) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = stem or datetime.now(UTC).strftime("%Y-%m-%d")
    base = RESULTS / stem
    results.write_csv(base.with_suffix(".csv"))
    md = markdown(results, note)
    base.with_suffix(".md").write_text(md)
    chart(results, base)
    text = README.read_text()
    block = f"{BEGIN}\n{md}\n![time and memory against size](results/{stem}.svg)\n{END}"
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip() + "\n\n## Latest results\n\n" + block + "\n"
    README.write_text(text)
    return base


def _load_note(results: pl.DataFrame) -> str:
    loads = results["load_1min"].drop_nulls() if "load_1min" in results.columns else pl.Series([], dtype=pl.Float64)
    during = (f"1-minute load average {loads.min():.1f}–{loads.max():.1f} around the runs (per-run values in "
              "the CSV; above 2 the 2 cores were shared and timings are inflated)" if loads.len() else
              "load average not recorded")
    return f"Written {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores; {during}."


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10k")
    ap.add_argument("--engines", default=None,
                    help=f"comma-separated, of {', '.join(ENGINES)} (default: those installed here)")
    ap.add_argument("--data", type=Path, default=generate.DEFAULT_OUT)
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per engine and size")
    ap.add_argument("--no-jsonl", action="store_true", help="generate missing data as Parquet only (no engine reads JSONL)")
    ap.add_argument("--stem", default=None, help="results file name (default: today's date)")
    ap.add_argument("--from-csv", type=Path, nargs="+", metavar="CSV",
                    help="rebuild the table, chart and README from earlier runs' CSVs instead of running")
    ap.add_argument("--worker", choices=ENGINES, help=argparse.SUPPRESS)
    ap.add_argument("--model", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        if missing_extra(args.worker):
            print(f"the {args.worker} engine is not installed: {missing_extra(args.worker)}", file=sys.stderr)
            return 2
        print(json.dumps(run_engine(args.worker, args.data, args.model, args.out,
                                    emit=lambda r: print(ROW + json.dumps(r), flush=True))))
        return 0
    if args.from_csv:
        missing = [str(p) for p in args.from_csv if not p.exists()]
        if missing:
            print(f"no such results file: {', '.join(missing)}", file=sys.stderr)
            return 2
        results = pl.concat([pl.read_csv(p, infer_schema_length=None) for p in args.from_csv], how="diagonal_relaxed")
        results = results.select(  # older CSVs lack load_1min
            (pl.col(c) if c in results.columns else pl.lit(None)).cast(t).alias(c) for c, t in RESULT_SCHEMA.items())
        base = write_outputs(results, _load_note(results), args.stem)
        print(base.with_suffix(".md").read_text())
        return 0
    engines = [e.strip() for e in args.engines.split(",") if e.strip()] if args.engines else list(available())
    unknown = sorted(set(engines) - set(ENGINES))
    if unknown:
        print(f"unknown engine(s) {unknown}; choose from {', '.join(ENGINES)}", file=sys.stderr)
        return 2
    for e in engines:
        hint = missing_extra(e)
        if hint:
            print(f"the {e} engine is not installed: {hint}", file=sys.stderr)
            return 2
    results = run(generate.parse_sizes(args.sizes), engines, args.data, args.timeout,
                  log=lambda m: print(m, file=sys.stderr, flush=True), jsonl=not args.no_jsonl)
    base = write_outputs(results, _load_note(results), args.stem)
    print(base.with_suffix(".md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
