"""Run independent chunks of work in worker processes (or in-process for one worker).

Agents are Python objects whose decisions hold the GIL, so evaluation scales with processes,
not threads.  Workers are started with the platform's default start method (``spawn`` on
macOS and Windows) unless ``start_method`` names another, and nothing live crosses a process
boundary: each worker receives a small picklable *job* (agent specs such as baseline names or
a blueprint path, the table rules, a master seed) and calls ``job.build()`` once, in its
initializer, to make its own context (its agents, a blueprint loaded from its file).  Only
chunk descriptions and results travel between processes.

Memory: every worker holds its own context.  For a blueprint agent that is a full copy of the
blueprint (tree arrays, action probabilities, the buckets tables) plus the agent's memo of
answers, so ``workers`` processes hold ``workers`` copies; baselines hold almost nothing.  The
parent builds its own context only when it runs the chunks itself (one worker).

Results come back in chunk order whatever the order of completion, so a run is reproducible
for any number of workers as long as each chunk derives its randomness from its own index.
The first exception raised by a chunk (or by ``job.build()`` in a worker) cancels the chunks
not yet started and is re-raised in the parent with the worker's traceback attached; a worker
that dies outright raises ``BrokenProcessPool``.  Nothing waits forever.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, Protocol, TypeVar

import numpy as np

import holdem.search  # noqa: F401  (registers the "search" agent kind for the specs workers build)

C = TypeVar("C")
R = TypeVar("R")


class Job(Protocol[C]):
    """A picklable description of the work's shared context."""

    def build(self) -> C:
        """The context (agents, rules, ...) the chunk function receives; called once per process."""
        ...


_worker_function: Callable[[Any, Any], Any] | None = None
_worker_context: Any = None
_worker_error: BaseException | None = None


def derive_seed(*parts: int) -> int:
    """A 63-bit seed (fits an int64) from a master seed and indices (numpy ``SeedSequence`` mixing).

    ``SeedSequence`` pads its entropy with zero words up to four 32-bit words, so lists of parts
    that differ only by trailing zeros within those words give the same seed (``derive_seed(s, i, 0)
    == derive_seed(s, i)`` for a master seed below 2**32; larger parts take two words each):
    streams that must differ end in distinct non-zero tags."""
    state = np.random.SeedSequence([p & 0xFFFFFFFFFFFFFFFF for p in parts]).generate_state(2, np.uint32)
    return (int(state[0]) & 0x7FFFFFFF) << 32 | int(state[1])


def _install(function: Callable[[Any, Any], Any], job: Job) -> None:
    """Worker initializer: build the context once; a failure is raised by the first chunk."""
    global _worker_function, _worker_context, _worker_error
    _worker_function = function
    try:
        _worker_context = job.build()
    except BaseException as error:  # noqa: BLE001 - re-raised, with its traceback, by _run
        _worker_error = error


def _run(chunk: Any) -> Any:
    if _worker_error is not None:
        raise _worker_error
    assert _worker_function is not None
    return _worker_function(_worker_context, chunk)


def map_chunks(
    function: Callable[[C, Any], R],
    job: Job[C],
    chunks: Sequence[Any],
    workers: int = 1,
    done: Callable[[int, R], None] | None = None,
    start_method: str | None = None,
) -> list[R]:
    """``[function(job.build(), chunk) for chunk in chunks]`` (one build per process) on ``workers``
    processes started with ``start_method`` (default: the platform's).

    ``function`` must be a module-level function and ``job`` picklable.  ``done(index, result)``
    is called in the parent as each chunk finishes (for progress bars).
    """
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    results: list[Any] = [None] * len(chunks)
    if workers == 1 or len(chunks) <= 1:
        context = job.build()
        for i, chunk in enumerate(chunks):
            results[i] = function(context, chunk)
            if done is not None:
                done(i, results[i])
        return results
    pool = ProcessPoolExecutor(min(workers, len(chunks)), mp_context=multiprocessing.get_context(start_method),
                               initializer=_install, initargs=(function, job))
    try:
        futures = {pool.submit(_run, chunk): i for i, chunk in enumerate(chunks)}
        for future in as_completed(futures):
            i = futures[future]
            results[i] = future.result()
            if done is not None:
                done(i, results[i])
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return results
