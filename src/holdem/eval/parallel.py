"""Run independent chunks of work in forked worker processes (or in-process for one worker).

Agents are Python objects whose decisions hold the GIL, so evaluation scales with processes,
not threads.  Workers are forked, so the shared ``context`` (agents, blueprints, rules) is
inherited rather than pickled; only chunk descriptions and results cross process boundaries.
Results come back in chunk order whatever the order of completion, so a run is reproducible
for any number of workers as long as each chunk derives its randomness from its own index.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from typing import Any, TypeVar

import numpy as np

C = TypeVar("C")
R = TypeVar("R")

_worker_function: Callable[[Any, Any], Any] | None = None
_worker_context: Any = None


def derive_seed(*parts: int) -> int:
    """A 63-bit seed (fits an int64) from a master seed and indices (numpy ``SeedSequence`` mixing)."""
    state = np.random.SeedSequence([p & 0xFFFFFFFFFFFFFFFF for p in parts]).generate_state(2, np.uint32)
    return (int(state[0]) & 0x7FFFFFFF) << 32 | int(state[1])


def _install(function: Callable[[Any, Any], Any], context: Any) -> None:
    global _worker_function, _worker_context
    _worker_function, _worker_context = function, context


def _run(chunk: Any) -> Any:
    assert _worker_function is not None
    return _worker_function(_worker_context, chunk)


def map_chunks(
    function: Callable[[C, Any], R],
    context: C,
    chunks: Sequence[Any],
    workers: int = 1,
    done: Callable[[int, R], None] | None = None,
) -> list[R]:
    """``[function(context, chunk) for chunk in chunks]``, on ``workers`` forked processes.

    ``done(index, result)`` is called in the parent as each chunk finishes (for progress bars).
    The first exception raised by a chunk stops the run and is re-raised here.
    """
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    results: list[Any] = [None] * len(chunks)
    if workers == 1 or len(chunks) <= 1:
        for i, chunk in enumerate(chunks):
            results[i] = function(context, chunk)
            if done is not None:
                done(i, results[i])
        return results
    pool = ProcessPoolExecutor(min(workers, len(chunks)), mp_context=multiprocessing.get_context("fork"),
                               initializer=_install, initargs=(function, context))
    with pool:
        futures = {pool.submit(_run, chunk): i for i, chunk in enumerate(chunks)}
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in finished:
                if future.exception() is not None:
                    for other in pending:
                        other.cancel()
                    raise future.exception()  # type: ignore[misc]
                i = futures[future]
                results[i] = future.result()
                if done is not None:
                    done(i, results[i])
    return results
