"""Random 7-card hand evaluation speed: holdem's numba kernels vs eval7 and phevaluator.

Run ``python benchmarks/evaluator.py``.  Hands are dealt up front with a fixed seed;
numba timings exclude compilation (each kernel runs once on ten hands first) and sum the ranks
so no work can be skipped.  Each figure is the best of a few repeats, all single-threaded except
``evaluate_batch`` (which runs in parallel over all cores).  Prints a table, then one JSON line.

Build first: nothing (eval7 and phevaluator, the peers, come with ``pip install -e '.[test]'``).
"""

from __future__ import annotations

import itertools
import time

import numpy as np
from _common import load_average, parser, report
from numba import njit

from holdem.evaluator import CARD_KEYS, evaluate_7, evaluate_batch, evaluate_key

N_KERNEL = 20_000_000
N_PYTHON = 300_000
REPEATS = 3


@njit(cache=True)
def _sum_direct(hands):
    """Sum of evaluate_7 over the rows of hands (N, 7) uint8."""
    total = 0
    for i in range(hands.shape[0]):
        h = hands[i]
        total += evaluate_7(h[0], h[1], h[2], h[3], h[4], h[5], h[6])
    return total


@njit(cache=True)
def _sum_keyed(hands):
    """Sum of evaluate_key over the rows of hands (N, 7) uint8, keys summed per hand."""
    total = 0
    for i in range(hands.shape[0]):
        h = hands[i]
        key = CARD_KEYS[h[0]] + CARD_KEYS[h[1]] + CARD_KEYS[h[2]] + CARD_KEYS[h[3]]
        key += CARD_KEYS[h[4]] + CARD_KEYS[h[5]] + CARD_KEYS[h[6]]
        total += evaluate_key(key)
    return total


def deal(seed: int, n: int) -> np.ndarray:
    """``n`` random 7-card hands (n, 7) uint8, distinct cards per row."""
    rng = np.random.default_rng(seed)
    chunks = [
        rng.random((min(100_000, n - s), 52)).argpartition(7, axis=1)[:, :7].astype(np.uint8)
        for s in range(0, n, 100_000)
    ]
    return np.concatenate(chunks)


def rate(fn, n: int) -> float:
    """Best evaluations per second of ``fn()`` over REPEATS runs of ``n`` evaluations."""
    best = float("inf")
    for _ in range(REPEATS):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return n / best


def main() -> None:
    parser(__doc__).parse_args()
    load_start = load_average()
    hands = deal(1, N_KERNEL)
    small = hands[:N_PYTHON]
    small_list = small.tolist()

    _sum_direct(hands[:10])  # compile (or load from cache) outside the timings
    _sum_keyed(hands[:10])
    evaluate_batch(hands[:10])
    assert _sum_direct(small) == _sum_keyed(small) == int(evaluate_batch(small).sum())

    import eval7
    from phevaluator import _pheval, evaluate_cards

    deck = [eval7.Card("23456789TJQKA"[c >> 2] + "cdhs"[c & 3]) for c in range(52)]
    e7_hands = [[deck[c] for c in h] for h in small_list]

    rows = {
        "kernel (evaluate_7 in a numba loop)": rate(lambda: _sum_direct(hands), N_KERNEL),
        "kernel (CARD_KEYS sum + evaluate_key)": rate(lambda: _sum_keyed(hands), N_KERNEL),
        "evaluate_batch (parallel, all cores)": rate(lambda: evaluate_batch(hands), N_KERNEL),
        "eval7.evaluate from Python": rate(lambda: list(map(eval7.evaluate, e7_hands)), N_PYTHON),
        "phevaluator C entry from Python": rate(
            lambda: list(itertools.starmap(_pheval.evaluate_7cards, small_list)), N_PYTHON
        ),
        "phevaluator.evaluate_cards": rate(
            lambda: list(itertools.starmap(evaluate_cards, small_list)), N_PYTHON
        ),
    }
    print(f"{'random 7-card evaluations':42s} {'M/s':>9s}")
    for name, r in rows.items():
        print(f"{name:42s} {r / 1e6:9.2f}")

    kernel, keyed, batch, e7, ph_c, ph = rows.values()
    report({
        "kernel_evals_per_s": round(kernel),
        "key_kernel_evals_per_s": round(keyed),
        "batch_evals_per_s": round(batch),
        "eval7_evals_per_s": round(e7),
        "phevaluator_evals_per_s": round(ph),
        "phevaluator_c_entry_evals_per_s": round(ph_c),
        "kernel_vs_eval7": round(kernel / e7, 1),
        "kernel_vs_phevaluator": round(kernel / ph, 1),
        "key_kernel_vs_kernel": round(keyed / kernel, 3),
        "batch_vs_kernel": round(batch / kernel, 3),
    }, load_start)


if __name__ == "__main__":
    main()
