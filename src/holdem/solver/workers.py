"""Run nogil kernels in worker threads on shared tables; failures stop the run, never hang it.

Each worker is a Python thread calling a ``nogil`` numba kernel, so the threads run in parallel on
one set of tables without locks (as in Pluribus).  Kernels poll a shared ``stop`` flag (int64
``(1,)``) between iterations, set when a worker raises or the user interrupts.
"""

from __future__ import annotations

import os
import threading
from typing import Callable

import numpy as np


def cores(num_workers: int) -> int:
    """Workers to run for the setting ``num_workers``: 0 means every core."""
    return num_workers or os.cpu_count() or 1


def split_evenly(total: int, parts: int) -> list[int]:
    """``total`` iterations split over ``parts`` workers, the first ``total % parts`` taking one more."""
    return [total // parts + (w < total % parts) for w in range(parts)]


class WorkerError(RuntimeError):
    """A worker raised; the original exception is its ``__cause__``."""


def run_workers(bodies: list[Callable[[], object]], stop: np.ndarray, poll_seconds: float = 0.05) -> list[object]:
    """Run each callable in its own thread and return their results in order; ``stop`` is set to 1
    when a body raises or on ``KeyboardInterrupt``, and every thread is joined before returning."""
    results: list[object] = [None] * len(bodies)
    errors: list[tuple[int, BaseException]] = []

    def guarded(index: int) -> None:
        try:
            results[index] = bodies[index]()
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the caller
            errors.append((index, exc))
            stop[0] = 1

    threads = [threading.Thread(target=guarded, args=(i,), name=f"worker-{i}", daemon=True)
               for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(poll_seconds)
    except KeyboardInterrupt:
        stop[0] = 1
        for thread in threads:
            thread.join()
        raise
    if errors:
        index, exc = errors[0]
        raise WorkerError(f"worker {index} failed: {exc!r}") from exc
    return results
