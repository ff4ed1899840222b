"""Profile the polars benchmark stages with pyinstrument (wall clock, so the time polars
spends in its own threads counts):

    python -m benchmarks.profile_stages --data /work/benchdata/10m --out profiles/10m
    python -m benchmarks.profile_stages --data … --out … --stages clickbait,langid

``prepare`` then each stage, one after another on the same data, as ``benchmarks.run``
times them; writes ``<stage>.txt`` (pyinstrument's call tree) per stage into ``--out``
and prints each stage's seconds.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import joblib
from pyinstrument import Profiler

from benchmarks import run
from benchmarks.engines import polars_stages


def _profiled(out: Path, name: str, fn, *args):
    profiler = Profiler(interval=0.01)
    t = time.perf_counter()
    profiler.start()
    result = fn(*args)
    profiler.stop()
    print(f"{name}: {time.perf_counter() - t:.1f} s", flush=True)
    (out / f"{name}.txt").write_text(profiler.output_text(unicode=False, color=False), encoding="utf-8")
    return result


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="a generated size folder, e.g. benchmarks/data/1m")
    ap.add_argument("--out", type=Path, required=True, help="folder for the per-stage profiles")
    ap.add_argument("--stages", default=",".join(polars_stages.STAGE_FUNCTIONS),
                    help="comma-separated stages to profile after prepare (default: all, in order)")
    args = ap.parse_args(argv)
    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    unknown = sorted(set(stages) - set(polars_stages.STAGE_FUNCTIONS))
    if unknown:
        ap.error(f"unknown stage(s) {unknown}; choose from {', '.join(polars_stages.STAGE_FUNCTIONS)}")
    args.out.mkdir(parents=True, exist_ok=True)
    model = joblib.load(run.model_artefact(args.data.parent / "artefacts"))
    state = _profiled(args.out, "prepare", polars_stages.prepare, args.data, model)
    for stage in stages:
        _profiled(args.out, stage, polars_stages.STAGE_FUNCTIONS[stage], state)


if __name__ == "__main__":
    main()
