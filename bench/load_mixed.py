"""A viral day's mixed traffic on the full stack: place pages and counts read while signatures arrive.

Run from the project root:

    DJANGO_SETTINGS_MODULE=backend.settings_test .venv/bin/python -m bench.load_mixed

In a throwaway database (bench_townhall_<pid>), with a throwaway redis-server (broker and cache) and
an SMTP sink, all on 127.0.0.1: gunicorn (production settings behind one trusted proxy), Celery
workers for the transactional and bulk queues and one beat, as production runs them. For SECONDS
after a WARM_UP:

- signatures arrive open-loop at RATE per second (each POST sent at its scheduled time, whatever
  the previous ones are doing, from a pool of connections; latency counted from that time, so a
  tier that falls behind cannot hide it), a new address each;
- READERS closed-loop clients fetch place pages (70 %) and the petition's count (30 %, the API
  detail), each on its own keep-alive connection. Place pages come from the page cache
  (web/page_cache.py: rendered at most once per place every 5 s, or after a change), as in production.

Prints per endpoint the requests answered, throughput, p50 and p99, and the statuses; the
achieved signature rate; then whether place pages kept p99 at or under TARGET_P99_MS while
signatures arrived at RATE/s. Exits 1 when the target is missed or any request failed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import django

RATE = 100.0
SECONDS = 30.0
WARM_UP = 5.0
READERS = 8
SIGNING_CONNECTIONS = 24
TARGET_P99_MS = 50.0
GUNICORN_WORKERS = 4
GUNICORN_THREADS = 4
HEADERS = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}


@dataclass
class Tally:
    latencies: defaultdict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    in_window: Counter[str] = field(default_factory=Counter)
    statuses: defaultdict[str, Counter[int | str]] = field(default_factory=lambda: defaultdict(Counter))
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, endpoint: str, status: int | str, seconds: float, body: bytes, *, finished_in_window: bool) -> None:
        with self.lock:
            self.in_window[endpoint] += finished_in_window
            self.statuses[endpoint][status] += 1
            self.latencies[endpoint].append(seconds)
            if status not in (200, 202) and len(self.failures) < 5:
                self.failures.append(f"{endpoint} {status}: {body[:200]!r}")

    def percentile(self, endpoint: str, fraction: float) -> float:
        ordered = sorted(self.latencies[endpoint])
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000 if ordered else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rate", type=float, default=RATE, help="signatures per second")
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--warm-up", type=float, default=WARM_UP)
    parser.add_argument("--readers", type=int, default=READERS)
    options = parser.parse_args()
    django.setup()
    from bench.mail_rig import bench_database, celery_workers, sink_process, worker_environment
    from bench.signing_throughput import CAMPAIGN, PETITION, SIGN_PATH, _seed, _web_environment, gunicorn
    from tests.emails.celery_broker import free_port, throwaway_redis

    with bench_database(), sink_process() as sink, throwaway_redis() as redis_server:
        place_ids = _seed()
        env = _web_environment(broker=redis_server.url, cache=redis_server.url[:-1] + "1", smtp_port=sink.port)
        port = free_port()
        workers = [("transactional", 2), ("bulk", 1)]
        load = os.getloadavg()[0]
        print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f} before the run; all parts share them")
        print(f"gunicorn {GUNICORN_WORKERS}×{GUNICORN_THREADS} gthread, workers {workers}, one beat", flush=True)
        beat_env = worker_environment(broker_url=redis_server.url, smtp_port=sink.port)
        with (
            celery_workers(workers, broker_url=redis_server.url, smtp_port=sink.port),
            beat(beat_env),
            gunicorn(env, port=port, workers=GUNICORN_WORKERS, threads=GUNICORN_THREADS),
        ):
            paths = {
                "place page": [f"/campaigns/{CAMPAIGN}/places/{pk}/" for pk in place_ids],
                "count": [f"/api/v1/campaigns/{CAMPAIGN}/petitions/{PETITION}/"],
            }
            tally, achieved = run(port, paths, SIGN_PATH, place_ids, options)
        print(f"load average {os.getloadavg()[0]:.1f} after the run", flush=True)
    return report(tally, achieved, options)


@contextmanager
def beat(env: dict[str, str]) -> Iterator[None]:
    schedule = tempfile.mkdtemp(prefix="townhall-beat-")
    command = [sys.executable, "-m", "celery", "-A", "backend", "beat", "-l", "WARNING", "--pidfile", ""]
    command += ["--schedule", os.path.join(schedule, "schedule")]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def run(
    port: int, paths: dict[str, list[str]], sign_path: str, place_ids: list[int], options: argparse.Namespace
) -> tuple[Tally, float]:
    tally = Tally()
    started = time.monotonic()
    measure_from = started + options.warm_up
    stop_at = measure_from + options.seconds
    slots = iter(range(10**9))
    slot_lock = threading.Lock()

    def next_slot() -> float:
        with slot_lock:
            return started + next(slots) / options.rate

    def signer(number: int) -> None:
        rng = random.Random(number)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        count = 0
        while (due := next_slot()) < stop_at and time.monotonic() < stop_at:
            time.sleep(max(0.0, due - time.monotonic()))
            body = json.dumps(
                {"email": f"viral-{number}-{count}@example.org", "name": "Viral Signer", "place": rng.choice(place_ids)}
            )
            ip = f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            count += 1
            headers = {**HEADERS, "Content-Type": "application/json", "X-Forwarded-For": ip}
            # Open loop: latency counts from the scheduled time, so a late send shows as latency;
            # every POST sent after the warm-up counts, even one scheduled during it (a tier behind).
            measured = tally if time.monotonic() >= measure_from else None
            request(connection, measured, "sign", "POST", sign_path, body.encode(), headers, due, stop_at)
        connection.close()

    def reader(number: int) -> None:
        rng = random.Random(1000 + number)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while (now := time.monotonic()) < stop_at:
            endpoint = "place page" if rng.random() < 0.7 else "count"
            ip = f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            headers = {**HEADERS, "X-Forwarded-For": ip}
            measured = tally if now >= measure_from else None
            path = rng.choice(paths[endpoint])
            request(connection, measured, endpoint, "GET", path, None, headers, time.monotonic(), stop_at)
        connection.close()

    threads = [threading.Thread(target=signer, args=(n,), daemon=True) for n in range(SIGNING_CONNECTIONS)]
    threads += [threading.Thread(target=reader, args=(n,), daemon=True) for n in range(options.readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=options.warm_up + options.seconds + 60)
    return tally, tally.in_window["sign"] / options.seconds


def request(
    connection: http.client.HTTPConnection,
    tally: Tally | None,
    endpoint: str,
    method: str,
    path: str,
    body: bytes | None,
    headers: dict[str, str],
    started: float,
    stop_at: float,
) -> None:
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        status: int | str = response.status
        answer = response.read()
    except (OSError, http.client.HTTPException) as error:
        status, answer = type(error).__name__, str(error).encode()
        connection.close()
    if tally is not None:
        finished = time.monotonic()
        tally.add(endpoint, status, finished - started, answer, finished_in_window=finished <= stop_at)


def report(tally: Tally, achieved: float, options: argparse.Namespace) -> int:
    print(f"{'endpoint':<12} {'answered':>9} {'per s':>8} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    for endpoint in ("place page", "count", "sign"):
        answered = tally.in_window[endpoint]
        print(
            f"{endpoint:<12} {answered:>9,} {answered / options.seconds:>8.1f} "
            f"{tally.percentile(endpoint, 0.50):>8.1f} {tally.percentile(endpoint, 0.99):>8.1f}  "
            f"{dict(tally.statuses[endpoint])}"
        )
    print(f"signatures answered within the window: {achieved:.1f}/s of {options.rate:.0f}/s scheduled")
    problems = list(tally.failures)
    place_p99 = tally.percentile("place page", 0.99)
    if place_p99 > TARGET_P99_MS:
        problems.append(f"place pages p99 {place_p99:.1f} ms > {TARGET_P99_MS:.0f} ms")
    if achieved < 0.95 * options.rate:
        problems.append(f"signatures arrived at {achieved:.1f}/s, not {options.rate:.0f}/s")
    for problem in problems:
        print(f"MISSED: {problem}")
    if not problems:
        print(f"target met: place pages p99 ≤ {TARGET_P99_MS:.0f} ms with {options.rate:.0f} signatures/s arriving")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
