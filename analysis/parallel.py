"""Run a Python function over batches of texts on every CPU, for the steps that hold the GIL.

Clickbait scoring (scikit-learn's character n-grams) and Chinese word segmentation
(jieba) are Python per text; polars' threads cannot help them. Above ``from_items``
items the batches go to worker processes (joblib's loky: fresh interpreters, so nothing
of polars' thread pool is forked); below it, starting workers (~1–2 s) costs more than it
saves. Results come back in input order, so the answer is the same either way.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

#: Items from which ``map_batches`` uses worker processes.
PARALLEL_FROM = 100_000


def cpus() -> int:
    """CPUs this process may run on (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def map_batches(fn: Callable[..., Sequence], items: Sequence, batch: int, *args,
                from_items: int | None = None) -> list:
    """``fn(items[i:i + batch], *args)`` for each batch, concatenated in order. ``fn`` and
    ``args`` must pickle (a module-level function; a fitted model). ``from_items``
    defaults to ``PARALLEL_FROM``."""
    from_items = PARALLEL_FROM if from_items is None else from_items
    batches = [items[start:start + batch] for start in range(0, len(items), batch)]
    jobs = min(len(batches), cpus())
    if jobs > 1 and len(items) >= from_items:
        from joblib import Parallel, delayed

        parts = Parallel(n_jobs=jobs, backend="loky")(delayed(fn)(b, *args) for b in batches)
    else:
        parts = [fn(b, *args) for b in batches]
    return [x for part in parts for x in part]
