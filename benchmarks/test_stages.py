"""Every benchmark stage on every engine, timed by pytest-benchmark, grouped by stage so
its table puts the engines side by side with each one's time over the fastest's:

    python -m pytest benchmarks --bench-size 100k --benchmark-group-by=group

This is the in-process view: one timed round per stage after the engine's ``prepare``
(and, up to 100k notes, one untimed warm-up round, so a one-off cost such as loading the
language detector's model falls on no engine); peak RSS is the process's high-water mark
so far (``extra_info``), shared by the engines run before. ``python -m benchmarks.run`` (``make bench``) runs each engine in its own process
for memory figures of its own and writes the results table; both call the same stages.
"""

from __future__ import annotations

import importlib
import resource

import joblib
import pytest

from analysis.memo import forget_all
from benchmarks import generate, run
from benchmarks.engines import STAGES, available


def _engines(config) -> list[str]:
    asked = config.getoption("--bench-engines")
    return asked.split(",") if asked else list(available())


def pytest_generate_tests(metafunc):
    if "engine" in metafunc.fixturenames:
        metafunc.parametrize("engine", _engines(metafunc.config), scope="module")


@pytest.fixture(scope="session")
def data_and_model(request):
    size = request.config.getoption("--bench-size")
    root = request.config.getoption("--bench-data")
    data = root / size
    if not (data / "_SUCCESS").exists():
        data = generate.generate(generate.SIZES[size], data, jsonl=False, log=lambda _m: None)
    return size, data, joblib.load(run.model_artefact(root / "artefacts"))


@pytest.fixture(scope="module")
def prepared(engine, data_and_model):
    size, data, model = data_and_model
    module = importlib.import_module(f"benchmarks.engines.{engine}_stages")
    state = module.prepare(data, model)
    return size, module, state, module.note_count(state)


#: Sizes small enough for an untimed warm-up round by default.
WARM_SIZES = ("1k", "10k", "100k")


@pytest.fixture(scope="session")
def warmup(request):
    return request.config.getoption("--bench-warmup")


@pytest.mark.parametrize("stage", STAGES)
def test_stage(benchmark, prepared, engine, stage, warmup):
    size, module, state, notes = prepared
    fn = module.STAGE_FUNCTIONS.get(stage)
    if fn is None:
        pytest.skip(f"{engine} has no {stage} stage")
    benchmark.group = f"{size} {stage}"
    rounds = warmup if warmup is not None else int(size in WARM_SIZES)
    # Every round from scratch: no answer remembered (analysis.memo) from a warm-up or from
    # another engine's run over the same rows.
    table = benchmark.pedantic(fn, setup=lambda: (forget_all(), ((state,), {}))[1], rounds=1, iterations=1,
                               warmup_rounds=rounds)
    assert table.height > 0
    if benchmark.stats is None:  # --benchmark-disable (or under xdist): the stage ran, untimed
        return
    benchmark.extra_info.update(notes=notes, rows_per_s=notes / benchmark.stats.stats.mean,
                                peak_rss_gib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20)
