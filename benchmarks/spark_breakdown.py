"""Where Spark's time goes at one size: a breakdown the stage table cannot show.

    python -m benchmarks.spark_breakdown --data benchmarks/data/1m

Times, on the benchmark's Spark session (benchmarks/spark-conf unless SPARK_CONF_DIR or
SPARK_REMOTE is set): session start, the first query, building the parse plan and
executing prepare; then, over the prepared notes, a plain scan, an identity Arrow UDF
(the cost of shipping a text column to Python and back), the NFKC Arrow UDF alone, the
whole normalised note text (NFKC plus the regex clean-up), and the time spent inside the
Python functions of the langid and clickbait stages (summed over batches, both workers).
``--stages`` also times whole stages (e.g. those a timed-out benchmark run did not reach)
and, with ``--out``, writes their tables for comparison with polars'. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc


def _noop(frame) -> None:
    frame.write.format("noop").mode("overwrite").save()


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return round(time.perf_counter() - t, 2)


def breakdown(data_dir: Path, model_path: Path | None, stages: tuple[str, ...] = (),
              out_dir: Path | None = None) -> dict:
    import joblib
    from pyspark.sql import functions as F

    from analysis.engines import spark_engine
    from analysis.measures import frames
    from benchmarks.engines import spark_stages as ss

    model = joblib.load(model_path) if model_path else None
    t = time.perf_counter()
    state = ss.prepare(data_dir, model)
    out = {k: round(v, 2) for k, v in state.timings.items()} | {"prepare": round(time.perf_counter() - t, 2)}
    notes = state.notes
    joined = notes.select(F.concat_ws("\n", F.coalesce("title", F.lit("")), F.coalesce("text", F.lit(""))).alias("t"))
    out["scan_text"] = _timed(lambda: _noop(joined))
    out["arrow_identity_udf"] = _timed(lambda: _noop(frames.map_text(joined, "t", "u", lambda a: a, pa.string())
                                                     .to_native().select("u")))
    out["nfkc_udf"] = _timed(lambda: _noop(frames.map_text(joined, "t", "u", lambda a: pc.utf8_normalize(a, "NFKC"),
                                                           pa.string()).to_native().select("u")))
    out["note_text_normalised"] = _timed(lambda: _noop(spark_engine.note_text(notes, "u", True).select("u")))
    acc = notes.sparkSession.sparkContext.accumulator(0.0)

    def inside(fn):
        def wrapped(batch):
            t0 = time.perf_counter()
            result = fn(batch)
            acc.add(time.perf_counter() - t0)
            return result
        return wrapped

    for stage, fn_name in (("langid", "_languages"), ("clickbait", None)):
        if stage == "clickbait" and model is None:
            continue
        acc.value = 0.0  # driver-side reset
        original = getattr(ss, fn_name) if fn_name else ss._scorer
        if fn_name:
            setattr(ss, fn_name, inside(original))
        else:
            ss._scorer = lambda m, _o=original: inside(_o(m))
        try:
            out[f"{stage}_stage"] = _timed(lambda st=stage: ss.STAGE_FUNCTIONS[st](state))
        finally:
            if fn_name:
                setattr(ss, fn_name, original)
            else:
                ss._scorer = original
        out[f"{stage}_python_inside_udf"] = round(acc.value, 2)
    for stage in stages:
        t = time.perf_counter()
        table = ss.STAGE_FUNCTIONS[stage](state)
        out[f"{stage}_stage"] = round(time.perf_counter() - t, 2)
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            table.write_parquet(out_dir / f"{stage}.parquet")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="one size's folder, e.g. benchmarks/data/1m")
    ap.add_argument("--model", type=Path, help="the clickbait model artefact (…/artefacts/clickbait-en-*.joblib)")
    ap.add_argument("--stages", default="", help="comma-separated benchmark stages to time as well")
    ap.add_argument("--out", type=Path, help="write those stages' tables here (<stage>.parquet)")
    args = ap.parse_args(argv)
    stages = tuple(s.strip() for s in args.stages.split(",") if s.strip())
    print(json.dumps(breakdown(args.data, args.model, stages, args.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
