"""How fast this machine is right now: a fixed pure-Python loop, timed in CPU milliseconds.

On a shared virtual machine the same code runs at different speeds from one run to the next;
printing this next to a bench's figures says which runs can be compared.
"""

from __future__ import annotations

import time

LOOP = 3_000_000


def loop_milliseconds(rounds: int = 3) -> float:
    """The fastest of `rounds` timings of the same loop (its CPU time, so waiting does not count)."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        sum(n * n for n in range(LOOP))
        best = min(best, time.process_time() - started)
    return best * 1000


def describe() -> str:
    return f"a fixed Python loop took {loop_milliseconds():.0f} ms of CPU (86-100 on this machine on 2026-11-29)"
