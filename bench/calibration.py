"""How fast this machine is right now: a fixed pure-Python loop, timed in CPU milliseconds.

On a shared virtual machine the same code runs at different speeds from one run to the next;
printing this next to a bench's figures says which runs can be compared.
"""

from __future__ import annotations

import os
import time

LOOP = 3_000_000
# A machine still busy with a previous run (its throwaway database dropped, vacuumed, checkpointed)
# measures far worse: bench/load_mixed.py started right after another run answered 92 of 100
# signatures/s, and 100/s from a 1-minute load average under 0.7 on two cores.
SETTLED_LOAD = 0.35 * (os.cpu_count() or 1)
SETTLE_SECONDS = 300.0


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


def wait_until_settled(seconds: float = SETTLE_SECONDS, limit: float = SETTLED_LOAD) -> str:
    """Waits at most `seconds` for the 1-minute load average to fall under `limit`; says how it went."""
    started = time.monotonic()
    while os.getloadavg()[0] >= limit and time.monotonic() - started < seconds:
        time.sleep(5)
    load = os.getloadavg()[0]
    verdict = "settled" if load < limit else f"still busy after {seconds:.0f} s: compare with care"
    waited = time.monotonic() - started
    return f"load average {load:.2f} after waiting {waited:.0f} s for under {limit:.2f} ({verdict})"
