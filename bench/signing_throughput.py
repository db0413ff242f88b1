"""How many petition signatures per second the web tier takes, next to PostgreSQL's own INSERT rate.

Run from the project root:

    DJANGO_SETTINGS_MODULE=backend.settings_test .venv/bin/python -m bench.signing_throughput

In a throwaway database (bench_townhall_<pid>) with one campaign, one open petition and a few
tracked places, with a throwaway redis-server (broker on db 0, cache and throttles on db 1) and an
aiosmtpd sink, all on 127.0.0.1:

(a) gunicorn (gthread workers, production settings and middleware: DEBUG off, SSL redirect on
    behind one trusted proxy, the signing throttles enabled with raised rates) takes POSTs to the
    signing endpoint from CONNECTIONS keep-alive connections, each POST a new address from a
    random X-Forwarded-For, for SECONDS after a WARM_UP. No Celery worker runs meanwhile: the
    confirmations pile up in the outbox and on the broker. Then one worker is started and timed
    until every queued confirmation has reached the sink.
(b) psycopg, from 4 connections, inserts the signature rows (a) wrote, one single-row INSERT per
    transaction, into an empty copy of the table with the same indexes; and, for context, every row
    one signing wrote (supporter, confirmation, signature, outbox message, session), one signing
    per transaction.

Target: (a) ≥ TARGET_RATIO times (b) with p99 under TARGET_P99_MS. When missed, one process runs the
same requests through the WSGI application under cProfile and the top costs are printed.
Exits 1 when the target is missed or any request failed.
"""

from __future__ import annotations

import argparse
import cProfile
import http.client
import io
import json
import os
import pstats
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import IO, Any

import django

from bench.mail_rig import ROOT, bench_database, sink_process, worker_environment

SECONDS = 30.0
WARM_UP = 5.0
CONNECTIONS = 16
# deploy/gunicorn.conf.py's shape: sync workers, two per core and one more. Threads in one process
# contend for its interpreter lock: 4 gthread workers of 4 threads spent 6.0 ms of CPU per signature
# where these spent 4.9 (2026-11-29).
GUNICORN_WORKER_CLASS = "sync"
GUNICORN_WORKERS = 2 * (os.cpu_count() or 1) + 1
GUNICORN_THREADS = 4  # with --worker-class gthread
INSERT_CONNECTIONS = 4
DRAIN_CONCURRENCY = 4  # the README's transactional worker
DRAIN_TIMEOUT = 180.0
BOOT_TIMEOUT = 180.0  # a loaded machine takes long to import the application in every worker
PROFILE_REQUESTS = 300
TARGET_RATIO = 0.10
TARGET_P99_MS = 100.0
PLACES = 5
CAMPAIGN, PETITION = "ring", "end-ring"
SIGN_PATH = f"/api/v1/campaigns/{CAMPAIGN}/petitions/{PETITION}/signatures/"
# Raised so the bench measures throughput, not refusals; the throttles still run on every request.
SIGNING_RATES = {"SIGNATURES_PER_IP": "1000000/hour", "SIGNATURES_PER_ADDRESS": "1000/hour"}


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int | str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int | str, seconds: float, body: bytes, *, measured: bool) -> None:
        with self.lock:
            if measured:
                self.statuses[status] += 1
                if status == 202:
                    self.latencies.append(seconds)
            if status != 202 and len(self.failures) < 5:
                self.failures.append(f"{status}: {body[:300]!r}")

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000 if ordered else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--warm-up", type=float, default=WARM_UP)
    parser.add_argument("--connections", type=int, default=CONNECTIONS)
    parser.add_argument("--workers", type=int, default=GUNICORN_WORKERS)
    parser.add_argument("--threads", type=int, default=GUNICORN_THREADS)
    parser.add_argument(
        "--worker-class",
        choices=("gthread", "sync"),
        default=GUNICORN_WORKER_CLASS,
        help="sync: deploy/gunicorn.conf.py's",
    )
    parser.add_argument(
        "--conn-max-age", help="DATABASE_CONN_MAX_AGE for the web workers (default: the settings' default)."
    )
    parser.add_argument("--no-profile", action="store_true", help="Skip the profile printed when the target is missed.")
    parser.add_argument("--profile-only", type=int, default=0, help=argparse.SUPPRESS)  # the profiling child
    options = parser.parse_args()
    if options.profile_only:
        return _profile_child(options.profile_only)
    django.setup()
    from bench import calibration
    from tests.emails.celery_broker import free_port, throwaway_redis

    with bench_database(), sink_process() as sink, throwaway_redis() as redis_server:
        place_ids = _seed()
        env = _web_environment(broker=redis_server.url, cache=redis_server.url[:-1] + "1", smtp_port=sink.port)
        if options.conn_max_age is not None:
            env["DATABASE_CONN_MAX_AGE"] = options.conn_max_age
        port = free_port()
        print(f"machine: {os.cpu_count()} CPUs; PostgreSQL, redis-server, sink, gunicorn and load share them")
        print(f"speed before the run: {calibration.describe()}")
        print(
            f"gunicorn: {options.workers} {options.worker_class} workers"
            f"{f' × {options.threads} threads' if options.worker_class == 'gthread' else ''} on 127.0.0.1:{port}, "
            f"DATABASE_CONN_MAX_AGE={env.get('DATABASE_CONN_MAX_AGE') or _default_conn_max_age()}",
            flush=True,
        )
        with gunicorn(
            env, port=port, workers=options.workers, threads=options.threads, worker_class=options.worker_class
        ) as (log, group):
            tally, measured, web_cpu = _load(port, place_ids, options, group)
            errors = _log_errors(log)
        rate = len(tally.latencies) / measured
        p50, p99 = tally.percentile(0.50), tally.percentile(0.99)
        print(
            f"(a) {len(tally.latencies):,} signatures in {measured:.1f} s: {rate:,.1f} signatures/s, "
            f"p50 {p50:.1f} ms, p99 {p99:.1f} ms; answers {dict(tally.statuses)}",
            flush=True,
        )
        if web_cpu is not None and tally.latencies:
            # Unlike the rate, this hardly depends on what else the machine runs meanwhile.
            print(
                f"    gunicorn's CPU in the measured window: {web_cpu:.1f} s, "
                f"{web_cpu / len(tally.latencies) * 1000:.1f} ms per signature",
                flush=True,
            )
        problems = _problems(tally, errors)
        _check_outbox(problems)
        _drain(sink, env, problems)
        baseline = _inserts()
        return _verdict(rate, p99, baseline, problems, env if not options.no_profile else None)


# --- Setup


def _default_conn_max_age() -> str:
    from django.conf import settings

    return f"{settings.DATABASES['default']['CONN_MAX_AGE']} (the settings' default)"


def _seed() -> list[int]:
    from campaigns.models import Campaign, Petition, Place
    from campaigns.tracker import track_place

    campaign = Campaign.objects.create(slug=CAMPAIGN, title="End Ring partnerships", is_public=True)
    Petition.objects.create(campaign=campaign, slug=PETITION, title="End the Ring partnership", text="We ask.")
    ids = []
    for n in range(PLACES):
        place = Place.objects.create(
            ocd_id=f"ocd-division/country:us/state:nj/place:bench{n}",
            name=f"Bench {n}",
            kind=Place.Kind.TOWNSHIP,
            state="NJ",
        )
        track_place(campaign=campaign, place=place, actor=None, via="bench")
        ids.append(place.pk)
    return ids


def _web_environment(*, broker: str, cache: str, smtp_port: int) -> dict[str, str]:
    """Production settings (worker_environment) as a web node behind one proxy would run them."""
    return {
        **worker_environment(broker_url=broker, smtp_port=smtp_port),
        "REDIS_URL": cache,
        "ALLOWED_HOSTS": "127.0.0.1",
        "TRUSTED_PROXY_COUNT": "1",
        # settings_test turned the redirect off in this process's environment; production has it on.
        "SECURE_SSL_REDIRECT": "true",
        **SIGNING_RATES,
    }


@contextmanager
def gunicorn(
    env: dict[str, str], *, port: int, workers: int, threads: int, worker_class: str = "gthread"
) -> Iterator[tuple[IO[bytes], int]]:
    """Yields gunicorn's log and process group once it answers /healthz; the group is killed at the end.

    `worker_class` "sync" is deploy/gunicorn.conf.py's: one request at a time per process, no
    keep-alive (the proxy keeps its clients' connections); `threads` is then ignored.
    """
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in the finally below)
    command = [sys.executable, "-m", "gunicorn", "backend.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--worker-class", worker_class, "--log-level", "warning"]
    if worker_class == "gthread":
        command += ["--threads", str(threads), "--keep-alive", "30"]
    process = subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        _wait_for_http(port, process, log)
        yield log, process.pid
    finally:
        _stop_group(process)
        log.close()


def _wait_for_http(port: int, process: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    deadline = time.monotonic() + BOOT_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    log.seek(0)
    print(log.read().decode(errors="replace")[-3000:], file=sys.stderr)
    raise RuntimeError("gunicorn did not answer /healthz")


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    with suppress(ProcessLookupError):  # workers that outlived their master
        os.killpg(process.pid, signal.SIGKILL)


# --- (a) the load


def _load(
    port: int, place_ids: list[int], options: argparse.Namespace, group: int
) -> tuple[Tally, float, float | None]:
    """The tally, the measured seconds, and the CPU seconds gunicorn spent in them (None off Linux)."""
    tally = Tally()
    started = time.monotonic()
    measure_from, stop_at = started + options.warm_up, started + options.warm_up + options.seconds
    threads = [
        threading.Thread(target=_client, args=(port, n, place_ids, tally, measure_from, stop_at), daemon=True)
        for n in range(options.connections)
    ]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, measure_from - time.monotonic()))
    cpu_from = _group_cpu_seconds(group)
    time.sleep(max(0.0, stop_at - time.monotonic()))
    cpu_to = _group_cpu_seconds(group)
    for thread in threads:
        thread.join()
    web_cpu = cpu_to - cpu_from if cpu_from is not None and cpu_to is not None else None
    return tally, options.seconds, web_cpu


def _group_cpu_seconds(group: int) -> float | None:
    """User and system CPU seconds of every live process in the process group, from /proc."""
    if not os.path.isdir("/proc"):
        return None
    ticks = 0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[2]) == group:  # pgrp; utime and stime are the 14th and 15th fields of the line
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _client(port: int, number: int, place_ids: list[int], tally: Tally, measure_from: float, stop_at: float) -> None:
    rng = random.Random(number)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    sent = 0
    while (now := time.monotonic()) < stop_at:
        body, headers = _request(rng, f"c{number}-{sent}", place_ids)
        sent += 1
        try:
            connection.request("POST", SIGN_PATH, body=body, headers=headers)
            response = connection.getresponse()
            status: int | str = response.status
            answer = response.read()
        except (OSError, http.client.HTTPException) as error:
            status, answer = type(error).__name__, str(error).encode()
            connection.close()
        finished = time.monotonic()
        # A request counts when it was sent after the warm-up and answered before the end.
        tally.add(status, finished - now, answer, measured=now >= measure_from and finished <= stop_at)
    connection.close()


def _request(rng: random.Random, tag: str, place_ids: list[int]) -> tuple[bytes, dict[str, str]]:
    body = {
        "email": f"signer-{tag}@example.org",
        "name": f"Signer {tag}",
        "place": rng.choice(place_ids),
        "show_name": rng.random() < 0.5,
        "email_updates": rng.random() < 0.5,
        "officials_see": "count",
    }
    ip = f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    headers = {
        "Content-Type": "application/json",
        "Host": "127.0.0.1",
        "X-Forwarded-For": ip,
        "X-Forwarded-Proto": "https",
    }
    return json.dumps(body).encode(), headers


def _log_errors(log: IO[bytes]) -> list[str]:
    log.seek(0)
    text = log.read().decode(errors="replace")
    if "Traceback" in text:  # the first one whole, to see what went wrong
        print(text[text.index("Traceback") :][:4000], file=sys.stderr)
    lines = text.splitlines()
    return [line for line in lines if "ERROR" in line or "Traceback" in line or "CRITICAL" in line]


def _problems(tally: Tally, errors: list[str]) -> list[str]:
    problems = []
    refused = sum(count for status, count in tally.statuses.items() if status != 202)
    if refused:
        problems.append(f"{refused} measured requests were not answered 202, e.g. {tally.failures[:3]}")
    elif tally.failures:
        problems.append(f"requests outside the measured window failed, e.g. {tally.failures[:3]}")
    if errors:
        problems.append(f"gunicorn logged {len(errors)} error lines, first: {errors[:3]}")
    return problems


def _check_outbox(problems: list[str]) -> None:
    from campaigns.models import Signature
    from emails.models import OutboundMessage
    from supporters.models import Confirmation

    signatures, confirmations = Signature.objects.count(), Confirmation.objects.count()
    by_status = dict(Counter(OutboundMessage.objects.values_list("status", flat=True)))
    print(f"    rows: {signatures:,} signatures, {confirmations:,} confirmations, outbox {by_status}", flush=True)
    if not signatures == confirmations == sum(by_status.values()):
        problems.append("signatures, confirmations and outbox rows differ in number")


def _drain(sink: Any, env: dict[str, str], problems: list[str]) -> None:
    """A worker started on the backlog, timed from its launch until the sink has every queued message."""
    from emails.models import OutboundMessage, Status

    queued = OutboundMessage.objects.filter(status=Status.QUEUED).count()
    before = sink.count
    command = [sys.executable, "-m", "celery", "-A", "backend", "worker", "-Q", "transactional"]
    command += ["-c", str(DRAIN_CONCURRENCY), "-n", f"drain-{os.getpid()}@127.0.0.1", "-l", "WARNING"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    worker_env = {key: value for key, value in env.items() if key != "REDIS_URL"}
    with tempfile.TemporaryFile() as log:
        started = time.monotonic()
        process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=worker_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            arrived = sink.wait_for(before + queued, timeout=DRAIN_TIMEOUT)
            seconds = (sink.last_at if arrived else time.monotonic()) - started
        finally:
            _stop_group(process)
    delivered = sink.count - before
    print(
        f"drain: a worker (-c {DRAIN_CONCURRENCY}) started on {queued:,} queued confirmations delivered "
        f"{delivered:,} to the sink in {seconds:.1f} s ({delivered / seconds:,.0f}/s, including worker start)"
    )
    if not arrived:
        problems.append(f"only {delivered:,} of {queued:,} queued confirmations arrived within {DRAIN_TIMEOUT:.0f} s")
    if sink.duplicates:
        problems.append(f"{sink.duplicates} confirmations arrived twice")


# --- (b) the INSERT baseline


@dataclass(frozen=True)
class Baseline:
    signature_rows: int
    signature_seconds: float
    signings: int
    rows: int
    signing_seconds: float

    @property
    def rate(self) -> float:
        return self.signature_rows / self.signature_seconds


def _inserts() -> Baseline:
    import psycopg
    from django.contrib.sessions.models import Session
    from django.db import connection

    from campaigns.models import Signature
    from emails.models import OutboundMessage
    from supporters.models import Confirmation, Supporter

    connection.close()
    db = connection.settings_dict
    conninfo = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"],
                "password": db["PASSWORD"] or None, "dbname": db["NAME"]}  # fmt: skip
    tables = [model._meta.db_table for model in (Signature, Supporter, Confirmation, OutboundMessage, Session)]
    with psycopg.connect(**conninfo, autocommit=True) as admin:
        rows = {table: _rows_of(admin, table) for table in tables}
        inserts = {table: _copy_table(admin, table) for table in tables}
        signature_table = tables[0]
        one = [[(inserts[signature_table], row)] for row in rows[signature_table]]
        started = time.monotonic()
        _insert_from(conninfo, one, transaction_per_row=True)
        signature_seconds = time.monotonic() - started
        print(
            f"(b) {len(one):,} signature rows, one INSERT per transaction, {INSERT_CONNECTIONS} connections: "
            f"{signature_seconds:.2f} s ({len(one) / signature_seconds:,.0f} rows/s)",
            flush=True,
        )
        for table in tables:
            admin.execute(f'TRUNCATE "bench_copy_{table}"')
        signings = [
            [(inserts[table], rows[table][n]) for table in tables if n < len(rows[table])]
            for n in range(len(rows[signature_table]))
        ]
        started = time.monotonic()
        _insert_from(conninfo, signings, transaction_per_row=False)
        signing_seconds = time.monotonic() - started
        total = sum(len(group) for group in signings)
        print(
            f"    context: {len(signings):,} signings' rows ({total:,}: supporter, confirmation, signature, outbox, "
            f"session), one signing per transaction: {len(signings) / signing_seconds:,.0f} signings/s, "
            f"{total / signing_seconds:,.0f} rows/s",
            flush=True,
        )
        for table in tables:
            admin.execute(f'DROP TABLE "bench_copy_{table}"')
    return Baseline(len(one), signature_seconds, len(signings), total, signing_seconds)


def _rows_of(admin: Any, table: str) -> list[tuple[Any, ...]]:
    from psycopg.types.json import Jsonb

    json_columns = {
        name
        for (name,) in admin.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = %s AND data_type IN ('json', 'jsonb')",
            [table],
        )
    }
    cursor = admin.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608
    names = [column.name for column in cursor.description]
    return [
        tuple(Jsonb(value) if name in json_columns else value for name, value in zip(names, row, strict=True))
        for row in cursor
    ]


def _copy_table(admin: Any, table: str) -> str:
    """An empty table like `table`, with its indexes, unique constraints and defaults; its INSERT."""
    admin.execute(f'CREATE TABLE "bench_copy_{table}" (LIKE "{table}" INCLUDING ALL)')
    count = admin.execute("SELECT count(*) FROM information_schema.columns WHERE table_name = %s", [table]).fetchone()
    return f'INSERT INTO "bench_copy_{table}" VALUES ({", ".join(["%s"] * count[0])})'  # noqa: S608


def _insert_from(
    conninfo: dict[str, Any], groups: list[list[tuple[str, tuple[Any, ...]]]], *, transaction_per_row: bool
) -> None:
    import psycopg

    def run(share: list[list[tuple[str, tuple[Any, ...]]]]) -> None:
        with psycopg.connect(**conninfo, autocommit=True) as db:
            for group in share:
                if transaction_per_row:
                    for statement, row in group:
                        db.execute(statement, row)
                else:
                    with db.transaction():
                        for statement, row in group:
                            db.execute(statement, row)

    threads = [threading.Thread(target=run, args=(groups[n::INSERT_CONNECTIONS],)) for n in range(INSERT_CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# --- Verdict and profile


def _verdict(rate: float, p99: float, baseline: Baseline, problems: list[str], env: dict[str, str] | None) -> int:
    ratio = rate / baseline.rate
    met = ratio >= TARGET_RATIO and p99 < TARGET_P99_MS
    print(
        f"(a)/(b) = {rate:,.1f} / {baseline.rate:,.0f} = {ratio:.3f} (target ≥ {TARGET_RATIO}); "
        f"p99 {p99:.1f} ms (target < {TARGET_P99_MS:.0f} ms): target {'MET' if met else 'NOT MET'}",
        flush=True,
    )
    for problem in problems:
        print(f"PROBLEM: {problem}")
    if not met and env is not None:
        _profile(env)
    return 0 if met and not problems else 1


def _profile(env: dict[str, str]) -> None:
    print(
        f"profile: {PROFILE_REQUESTS} of the same requests through one process's WSGI application, cProfile:",
        flush=True,
    )
    command = [sys.executable, "-m", "bench.signing_throughput", "--profile-only", str(PROFILE_REQUESTS)]
    subprocess.run(command, cwd=ROOT, env=env, check=False, timeout=300)  # noqa: S603


def _profile_child(count: int) -> int:
    """Production settings from the environment; the gunicorn workers' application, called in a loop."""
    from backend.wsgi import application
    from campaigns.models import Place

    place_ids = list(Place.objects.values_list("pk", flat=True))
    rng = random.Random(99)
    requests = [_request(rng, f"profile-{n}", place_ids) for n in range(2 * count + 20)]
    for body, headers in requests[:20]:  # warm: imports, templates, connections
        _call(application, body, headers)
    statuses: Counter[str] = Counter()
    started, cpu_started = time.monotonic(), time.process_time()
    for body, headers in requests[20 : 20 + count]:
        statuses[_call(application, body, headers)] += 1
    seconds, cpu = time.monotonic() - started, time.process_time() - cpu_started
    print(
        f"    {count} requests one after another: {seconds / count * 1000:.1f} ms each, "
        f"{cpu / count * 1000:.1f} ms of it this process's CPU,",
        dict(statuses),
    )
    # CPU time, not wall time: on a shared machine, waits for PostgreSQL say more about the neighbours.
    profiler = cProfile.Profile(time.process_time)
    statuses.clear()
    started = time.monotonic()
    profiler.enable()
    for body, headers in requests[20 + count :]:
        statuses[_call(application, body, headers)] += 1
    profiler.disable()
    seconds = time.monotonic() - started
    print(
        f"    {count} requests in {seconds:.2f} s under cProfile ({seconds / count * 1000:.1f} ms each; "
        "the figures below are CPU seconds),",
        dict(statuses),
    )
    _print_queries(application, _request(rng, "profile-queries", place_ids))
    for order, limit in (("tottime", 20), ("cumulative", 35)):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(limit)
        text = out.getvalue()
        print(f"    top by {order}:\n" + text[text.index("   ncalls") :].rstrip())
    return 0


def _print_queries(application: Any, request: tuple[bytes, dict[str, str]]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Django's own request hooks open and close the connection: capture on the one it will open.
    with CaptureQueriesContext(connection) as captured:
        _call(application, *request)
    print(f"    one request's queries ({len(captured)}; times without the profiler):")
    for query in captured.captured_queries:
        print(f"      {float(query['time']) * 1000:5.1f} ms  {query['sql'][:110]}")


def _call(application: Any, body: bytes, headers: dict[str, str]) -> str:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": SIGN_PATH,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": headers["Content-Type"],
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_HOST": headers["Host"],
        "HTTP_X_FORWARDED_FOR": headers["X-Forwarded-For"],
        "HTTP_X_FORWARDED_PROTO": headers["X-Forwarded-Proto"],
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }
    status: list[str] = []
    response = application(environ, lambda code, _headers, *_: status.append(code))
    b"".join(response)
    response.close()
    return status[0].split()[0]


if __name__ == "__main__":
    sys.exit(main())
