"""A viral day's mixed traffic on the full stack: place pages, counts, signatures and letters.

Run from the project root:

    DJANGO_SETTINGS_MODULE=backend.settings_test .venv/bin/python -m bench.load_mixed

In a throwaway database (bench_townhall_<pid>), with a throwaway redis-server (broker and cache) and
an SMTP sink, all on 127.0.0.1: nginx with deploy/nginx.conf (tests/deploy/nginx_proxy.py; Debian's
nginx-light, which bin/test installs) in front of gunicorn (production settings), Celery workers for
the transactional and bulk queues and one beat, as production runs them. The clients' own
X-Forwarded-For stands for a load balancer before nginx (TRUSTED_PROXY_COUNT=2); `--no-proxy` sends
them to gunicorn directly. For SECONDS
after a WARM_UP, every kind of request arrives open-loop at its own rate, as visitors do: each is
sent at its scheduled time whatever the earlier ones are doing, from a pool of keep-alive
connections, and its latency counts from that time, so a tier that falls behind cannot hide it.

- place pages (PAGE_RATE/s, any of the tracked places, SHARED_CLICK_SHARE of them opened from a
  shared post with a click id of their own) come from the proxy's cache, which asks
  gunicorn again after a second, and gunicorn's from the page cache (web/page_cache.py: a place's
  content kept 20-30 s or until a change, its counts 1-2 s), as in production;
- the petition's count (COUNT_RATE/s), the API detail a widget or the petition page polls;
- signatures (RATE/s), a new address each;
- letters (LETTER_RATE/s) to the place's official, a new address each;
- with `--petition-page-rate N`, the petition's page, where signers land: rendered for each visitor
  (its form's CSRF token), so every view reaches gunicorn. Not in the issue's mix: off by default.

The default mix is a viral day's peak scaled up: a place-page view and a quarter of a count read
per signature, a letter for every ten signatures (`--page-rate` etc. change it). A closed-loop
reader (a client that asks again the moment it is answered) measures the machine's capacity
instead, which is saturated by definition; the earlier version of this bench did that
(docs/operations.md keeps those figures).

The gunicorn shape is deploy/gunicorn.conf.py's on two cores: 5 sync workers behind the proxy
(`--worker-class gthread --workers 4 --threads 4`, the shape that copes without a proxy, is the
default with `--no-proxy`).

Prints per endpoint the requests answered, throughput, p50 and p99, the statuses and how the proxy's
cache answered (HIT, STALE, UPDATING: without Django; MISS, EXPIRED: through it); then whether
place pages kept p99 at or under TARGET_P99_MS while signatures arrived at RATE/s. Exits 1 when the
target is missed, a kind of request was answered below 95 % of its rate, or any request failed.
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

import django

from bench import calibration

RATE = 100.0
PAGE_RATE = 100.0
COUNT_RATE = 25.0
# Readers who open a link shared on a social network: it carries a click id of its own (?fbclid=),
# which the proxy's cache key leaves out (deploy/nginx.conf).
SHARED_CLICK_SHARE = 0.5
LETTER_RATE = 10.0
SECONDS = 30.0
# Longer than the signing bench's 5 s: beat runs every periodic task once when it starts, and each
# gunicorn worker compiles its templates on its first pages; neither is a viral day's steady state.
WARM_UP = 10.0
TARGET_P99_MS = 50.0
# Behind the proxy: deploy/gunicorn.conf.py's shape on two cores; without it, threads that share
# the clients' keep-alive connections (sync workers close each one).
SHAPES = {True: ("sync", 5, 1), False: ("gthread", 4, 4)}
HEADERS = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
LETTER_DRIVE = "bench-letters"
LETTER_TEXT = "Please end the partnership between our police and Amazon Ring. It watches us all."

# method, path, body, headers: one request of an endpoint, made from that connection's generator.
Request = tuple[str, str, bytes | None, dict[str, str]]


@dataclass
class Tally:
    latencies: defaultdict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    in_window: Counter[str] = field(default_factory=Counter)
    statuses: defaultdict[str, Counter[int | str]] = field(default_factory=lambda: defaultdict(Counter))
    cache: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(
        self, endpoint: str, status: int | str, seconds: float, body: bytes, cache: str, *, finished_in_window: bool
    ) -> None:
        with self.lock:
            self.in_window[endpoint] += finished_in_window
            self.statuses[endpoint][status] += 1
            self.cache[endpoint][cache] += 1
            self.latencies[endpoint].append(seconds)
            if status not in (200, 202) and len(self.failures) < 5:
                self.failures.append(f"{endpoint} {status}: {body[:200]!r}")

    def percentile(self, endpoint: str, fraction: float) -> float:
        ordered = sorted(self.latencies[endpoint])
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000 if ordered else float("nan")


@dataclass(frozen=True)
class Traffic:
    """One kind of request: its rate, how many connections send it, and how to make one."""

    endpoint: str
    rate: float
    connections: int
    make: Callable[[random.Random, int], Request]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rate", type=float, default=RATE, help="signatures per second")
    parser.add_argument("--page-rate", type=float, default=PAGE_RATE, help="place pages per second")
    parser.add_argument("--count-rate", type=float, default=COUNT_RATE, help="count reads per second")
    parser.add_argument("--letter-rate", type=float, default=LETTER_RATE, help="letters per second")
    parser.add_argument(
        "--petition-page-rate", type=float, default=0.0, help="petition page views per second (rendered per visitor)"
    )
    parser.add_argument("--no-proxy", dest="proxy", action="store_false", help="clients straight to gunicorn")
    parser.add_argument("--workers", type=int, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, help="threads per gthread worker")
    parser.add_argument("--worker-class", choices=("sync", "gthread"))
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--warm-up", type=float, default=WARM_UP)
    parser.add_argument(
        "--settle",
        type=float,
        default=calibration.SETTLE_SECONDS,
        help="seconds to wait at most for an idle machine first (0: none)",
    )
    options = parser.parse_args()
    default_class, default_workers, default_threads = SHAPES[options.proxy]
    options.worker_class = options.worker_class or default_class
    options.workers = options.workers or default_workers
    options.threads = options.threads or default_threads
    django.setup()
    from bench.mail_rig import bench_database, celery_workers, sink_process, worker_environment
    from bench.signing_throughput import _seed, _web_environment, gunicorn
    from tests.deploy import nginx_proxy
    from tests.emails.celery_broker import free_port, throwaway_redis

    if options.proxy and not nginx_proxy.available():
        print(f"{nginx_proxy.NGINX} is missing: `apt-get install nginx-light` (or run with --no-proxy)")
        return 2
    print(f"before the run: {calibration.wait_until_settled(options.settle)}", flush=True)

    with bench_database(), sink_process() as sink, throwaway_redis() as redis_server:
        place_ids = _seed()
        _seed_letters()
        env = _web_environment(broker=redis_server.url, cache=redis_server.url[:-1] + "1", smtp_port=sink.port)
        if options.proxy:
            env["TRUSTED_PROXY_COUNT"] = "2"  # the clients' X-Forwarded-For, then nginx's
        port = free_port()
        workers = [("transactional", 2), ("bulk", 1)]
        load = os.getloadavg()[0]
        print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f} once seeded; all parts share them")
        print(f"speed before the run: {calibration.describe()}")
        shape = (
            f"{options.workers} sync"
            if options.worker_class == "sync"
            else f"{options.workers}×{options.threads} gthread"
        )
        front = "nginx (deploy/nginx.conf) in front of " if options.proxy else ""
        print(f"{front}gunicorn {shape}, Celery workers {workers}, one beat", flush=True)
        beat_env = worker_environment(broker_url=redis_server.url, smtp_port=sink.port)
        with (
            celery_workers(workers, broker_url=redis_server.url, smtp_port=sink.port),
            beat(beat_env),
            gunicorn(
                env, port=port, workers=options.workers, threads=options.threads, worker_class=options.worker_class
            ),
            nginx_proxy.nginx_proxy(port, forwarded_proto="https") if options.proxy else nullcontext() as proxy,
        ):
            kinds = traffic(place_ids, options)
            tally = run(proxy.port if proxy else port, kinds, options)
        print(f"load average {os.getloadavg()[0]:.1f} after the run; speed: {calibration.describe()}", flush=True)
    return report(tally, kinds, options)


def _seed_letters() -> None:
    """A letter drive for every tracked place, one council member each."""
    from bench.signing_throughput import CAMPAIGN
    from campaigns.models import Campaign, LetterCampaign, Official, Place

    campaign = Campaign.objects.get(slug=CAMPAIGN)
    LetterCampaign.objects.create(
        campaign=campaign,
        slug=LETTER_DRIVE,
        title="Write to your council",
        subject_template="End the Ring partnership in {{ place }}",
        body_template="Dear {{ official_name }}, please end the Ring partnership in {{ place }}. {{ supporter_name }}",
    )
    Official.objects.bulk_create(
        Official(campaign=campaign, place=place, name=f"Member {place.pk}", email=f"member@{place.pk}.example.gov")
        for place in Place.objects.all()
    )


def traffic(place_ids: list[int], options: argparse.Namespace) -> list[Traffic]:
    from bench.signing_throughput import CAMPAIGN, PETITION, SIGN_PATH

    def client_ip(rng: random.Random) -> str:
        return f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"

    def read(path: Callable[[random.Random], str]) -> Callable[[random.Random, int], Request]:
        return lambda rng, _n: ("GET", path(rng), None, {**HEADERS, "X-Forwarded-For": client_ip(rng)})

    def write(path: str, tag: str, extra: dict[str, str]) -> Callable[[random.Random, int], Request]:
        def make(rng: random.Random, n: int) -> Request:
            body = {"email": f"{tag}-{n}@example.org", "name": "Viral Supporter", "place": rng.choice(place_ids)}
            headers = {**HEADERS, "Content-Type": "application/json", "X-Forwarded-For": client_ip(rng)}
            return "POST", path, json.dumps({**body, **extra}).encode(), headers

        return make

    def place_page(place_id: int, rng: random.Random) -> str:
        path = f"/campaigns/{CAMPAIGN}/places/{place_id}/"
        return f"{path}?fbclid=IwAR{rng.getrandbits(64):x}" if rng.random() < SHARED_CLICK_SHARE else path

    letters = f"/api/v1/campaigns/{CAMPAIGN}/letters/{LETTER_DRIVE}/letters/"
    petition_page = f"/campaigns/{CAMPAIGN}/petitions/{PETITION}/"
    return [
        Traffic(
            "place page",
            options.page_rate,
            24,
            read(lambda rng: place_page(rng.choice(place_ids), rng)),
        ),
        Traffic(
            "count", options.count_rate, 8, read(lambda _rng: f"/api/v1/campaigns/{CAMPAIGN}/petitions/{PETITION}/")
        ),
        Traffic("sign", options.rate, 24, write(SIGN_PATH, "signer", {})),
        Traffic("letter", options.letter_rate, 8, write(letters, "writer", {"text": LETTER_TEXT})),
        Traffic("petition", options.petition_page_rate, 24, read(lambda _rng: petition_page)),
    ]


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


def run(port: int, kinds: list[Traffic], options: argparse.Namespace) -> Tally:
    tally = Tally()
    started = time.monotonic()
    measure_from = started + options.warm_up
    stop_at = measure_from + options.seconds
    threads = []
    for kind in kinds:
        if kind.rate <= 0:
            continue
        schedule = Schedule(started, kind.rate)
        for number in range(kind.connections):
            sender = threading.Thread(
                target=send_on_schedule, args=(port, kind, number, schedule, tally, measure_from, stop_at), daemon=True
            )
            threads.append(sender)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=options.warm_up + options.seconds + 60)
    return tally


class Schedule:
    """Send times at a fixed rate, shared by one kind's connections: each takes the next one due."""

    def __init__(self, started: float, rate: float) -> None:
        self._started, self._rate = started, rate
        self._slots = iter(range(10**9))
        self._lock = threading.Lock()

    def next(self) -> tuple[int, float]:
        with self._lock:
            slot = next(self._slots)
        return slot, self._started + slot / self._rate


def send_on_schedule(
    port: int, kind: Traffic, number: int, schedule: Schedule, tally: Tally, measure_from: float, stop_at: float
) -> None:
    rng = random.Random(f"{kind.endpoint}-{number}")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while True:
        slot, due = schedule.next()
        if due >= stop_at or time.monotonic() >= stop_at:
            break
        time.sleep(max(0.0, due - time.monotonic()))
        method, path, body, headers = kind.make(rng, slot)
        # Every request sent after the warm-up counts, even one scheduled during it (a tier behind).
        measured = tally if time.monotonic() >= measure_from else None
        request(connection, measured, kind.endpoint, method, path, body, headers, due, stop_at)
    connection.close()


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
        cache = response.getheader("X-Cache-Status") or "-"
        answer = response.read()
    except (OSError, http.client.HTTPException) as error:
        status, answer, cache = type(error).__name__, str(error).encode(), "-"
        connection.close()
    if tally is not None:
        finished = time.monotonic()
        tally.add(endpoint, status, finished - started, answer, cache, finished_in_window=finished <= stop_at)


def report(tally: Tally, kinds: list[Traffic], options: argparse.Namespace) -> int:
    columns = f"{'endpoint':<12} {'offered/s':>9} {'answered':>9} {'per s':>8} {'p50 ms':>8} {'p99 ms':>8}"
    print(f"{columns}  statuses; proxy cache")
    problems = list(tally.failures)
    for kind in (kind for kind in kinds if kind.rate > 0):
        endpoint, answered = kind.endpoint, tally.in_window[kind.endpoint]
        print(
            f"{endpoint:<12} {kind.rate:>9.0f} {answered:>9,} {answered / options.seconds:>8.1f} "
            f"{tally.percentile(endpoint, 0.50):>8.1f} {tally.percentile(endpoint, 0.99):>8.1f}  "
            f"{dict(tally.statuses[endpoint])}; {dict(tally.cache[endpoint].most_common())}"
        )
        if answered / options.seconds < 0.95 * kind.rate:
            problems.append(f"{endpoint}: answered {answered / options.seconds:.1f}/s of {kind.rate:.0f}/s sent")
    place_p99 = tally.percentile("place page", 0.99)
    if not place_p99 <= TARGET_P99_MS:
        problems.append(f"place pages p99 {place_p99:.1f} ms > {TARGET_P99_MS:.0f} ms")
    for problem in problems:
        print(f"MISSED: {problem}")
    if not problems:
        print(f"target met: place pages p99 ≤ {TARGET_P99_MS:.0f} ms with {options.rate:.0f} signatures/s arriving")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
