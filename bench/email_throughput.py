"""How fast the e-mail pipeline delivers, next to plain smtplib sending the same messages.

Run from the project root:

    DJANGO_SETTINGS_MODULE=backend.settings_test .venv/bin/python -m bench.email_throughput \\
        [--messages 5000] [--rounds 3] [--sink-delay-ms 2-5] [--distinct-contexts]

In a throwaway database (bench_townhall_<pid>), with a throwaway redis-server as the broker and
`celery -A backend worker -Q transactional,bulk -c 2 --pool prefork` (two worker processes, the
production settings module) delivering to an aiosmtpd sink in a process of its own, all on
127.0.0.1. The sink speaks SMTP on one port, accepts every message, reads its Message-ID and counts
it. It answers DATA after 2-5 ms (uniform; --sink-delay-ms), as a mail server does that writes the
message to disk before it says yes, or a provider's relay a network round trip away; and it runs
at a raised priority when the bench runs as root (SINK_NICE), since in production the mail server
is another machine. Both sides talk to that one sink. With --sink-delay-ms 0 the sink's own CPU
(about 0.5-1 ms a message in Python) bounds both sides on two cores, and smtplib, which does
nothing else, wins: see docs/emails.md.

Each round first times the pipeline from the first send() to the last message arriving at the
sink: rows, rendering, encryption, the after-commit hand-off (four caller threads, as a web
server's, each sending 100 per transaction, so one task per 100; --callers), the broker, the
workers' claims and SMTP. Then plain smtplib sends the very messages that round delivered, as
bytes prepared beforehand, over one connection. The ratio of
each round is printed, and the verdict is on the median round: exits 1 unless it reaches
TARGET_RATIO, or if a message is missing, duplicated or not marked sent. The same workers are
then timed alone, on rows written beforehand.

All messages share one context (the invitation's sample), as a mailing's do; rendering is then
done once per language and reused (emails/render.py). --distinct-contexts gives each message a
context of its own, so each one is rendered.

The machine's other load slows both sides, but not equally: smtplib needs about one core's worth
of work per message, the pipeline several processes' worth. So each side's CPU time per message,
by process, is printed too; it does not depend on what else runs. PostgreSQL's is not in it: its
processes come and go with the connections (Celery closes a worker's after each task).
"""

from __future__ import annotations

import argparse
import os
import smtplib
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import django

from bench.mail_rig import (
    CpuMeter,
    SinkProcess,
    bench_database,
    celery_workers,
    children_of,
    processes_matching,
    sink_process,
)

MESSAGES = 5_000
PER_TRANSACTION = 100
# Threads calling send(), each with its own database connection, as a web server's threads would.
CALLERS = 4
ROUNDS = 3
TARGET_RATIO = 1.2
# What a mail server takes to accept a message: a local MTA writes and syncs its queue file, a
# provider's relay is a network round trip or more away. The same as bench/transactional_during_bulk.py.
SINK_DELAY_MS = (2.0, 5.0)
# The sink stands for another machine: it runs at a higher priority (as root), so the machine's other
# load, and the code under test, slow it less. Both sides talk to the same sink.
SINK_NICE = -10
# One `celery worker` with two prefork pool processes, consuming both mail queues.
WORKERS = [("transactional,bulk", 2)]


@dataclass(frozen=True)
class Run:
    name: str
    messages: int
    seconds: float
    cpu: dict[str, float]

    @property
    def rate(self) -> float:
        return self.messages / self.seconds

    def line(self) -> str:
        return f"{self.name}: {self.messages:,} messages in {self.seconds:.2f} s ({self.rate:,.0f} messages/s)"

    def cpu_line(self) -> str:
        per_message = {role: seconds * 1000 / self.messages for role, seconds in self.cpu.items() if seconds}
        parts = ", ".join(f"{role} {ms:.2f}" for role, ms in per_message.items())
        return f"    CPU ms per message: {parts}; total {sum(per_message.values()):.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=MESSAGES)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument(
        "--sink-delay-ms",
        type=_milliseconds,
        default=SINK_DELAY_MS,
        help="How long the SMTP server takes per message: N, or LOW-HIGH for a uniform spread (default 2-5).",
    )
    parser.add_argument("--callers", type=int, default=CALLERS, help="Threads calling send() (default 4).")
    parser.add_argument("--distinct-contexts", action="store_true", help="A context of its own for each message.")
    options = parser.parse_args()
    django.setup()
    from tests.emails.celery_broker import celery_on_broker, throwaway_redis

    low, high = options.sink_delay_ms
    with (
        bench_database(),
        sink_process(delay_seconds=(low / 1000, high / 1000), nice=SINK_NICE) as sink,
        throwaway_redis() as broker,
        celery_on_broker(broker.url),
        celery_workers(WORKERS, broker_url=broker.url, smtp_port=sink.port) as workers,
    ):
        roles = _roles(sink, workers, broker.port)
        delay = f"{low:g}" if low == high else f"{low:g}-{high:g}"
        print(
            f"sink: aiosmtpd on 127.0.0.1:{sink.port}, answers DATA after {delay} ms, nice {sink.nice}; "
            f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        ratios, problems = [], []
        for number in range(1, options.rounds + 1):
            print(f"round {number}:", flush=True)
            pipeline, missed = _pipeline(
                sink, roles, options.messages, f"r{number}", options.distinct_contexts, options.callers
            )
            baseline = _smtplib(sink, roles, f"r{number}:")
            ratios.append(pipeline.rate / baseline.rate)
            print(f"  ratio: pipeline / smtplib = {ratios[-1]:.2f}", flush=True)
            problems += missed
        _delivery_only(sink, roles, options.messages)
    return _verdict(ratios, problems)


def _milliseconds(value: str) -> tuple[float, float]:
    low, _, high = value.partition("-")
    return float(low), float(high or low)


def _roles(sink: SinkProcess, workers: list[int], broker_port: int) -> CpuMeter:
    def roles() -> dict[str, list[int]]:
        return {
            "caller": [os.getpid()],
            "workers": children_of(workers),
            "Redis": processes_matching("redis-server", str(broker_port)),
            "sink": [sink.pid],
        }

    return CpuMeter(roles)


def _contexts(distinct: bool) -> Callable[[int], dict[str, Any]]:
    from campaigns.mail_kinds import INVITATION_MAIL
    from emails import kinds

    shared = kinds.get(INVITATION_MAIL).sample_context()
    if not distinct:
        return lambda n: shared
    # A text of its own (a link alone would not do: links are put into a shared rendering afterwards).
    return lambda n: {**shared, "campaign": {"title": f"End Ring partnerships, chapter {n}"}}


def _pipeline(
    sink: SinkProcess, meter: CpuMeter, count: int, prefix: str, distinct: bool, callers: int
) -> tuple[Run, list[str]]:
    from django.db import connections, transaction

    from campaigns.mail_kinds import INVITATION_MAIL
    from emails.models import OutboundMessage, Status
    from emails.outbox import send

    context = _contexts(distinct)

    def transaction_of(first: int) -> None:
        # One caller's transaction: its after-commit hand-off makes one task of these messages.
        with transaction.atomic():
            for n in range(first, min(first + PER_TRANSACTION, count)):
                send(
                    INVITATION_MAIL,
                    to=f"supporter{n}@example.org",
                    context=context(n),
                    language="en",
                    key=f"{prefix}:{n}",
                )

    def caller(firsts: range) -> None:
        try:
            for first in firsts:
                transaction_of(first)
        finally:
            connections.close_all()  # this thread's own connection

    before, duplicates = sink.count, sink.duplicates
    meter.start()
    started = time.monotonic()
    step = PER_TRANSACTION * callers
    with ThreadPoolExecutor(max_workers=callers) as pool:
        for done in [pool.submit(caller, range(start, count, step)) for start in range(0, step, PER_TRANSACTION)]:
            done.result()
    written = time.monotonic() - started
    arrived = sink.wait_for(before + count, timeout=600)
    name = f"  pipeline ({callers} callers' send() → Celery/Redis → 2 prefork workers → SMTP)"
    run = Run(name, count, sink.last_at - started, meter.stop())
    print(run.line(), f"; all rows written after {written:.2f} s ({count / written:,.0f} send()/s)", flush=True)
    print(run.cpu_line(), flush=True)
    problems = [] if arrived else [f"{prefix}: only {sink.count - before:,} of {count:,} messages arrived"]
    if sink.duplicates > duplicates:  # smtplib resends each round's messages afterwards: those are expected
        problems.append(f"{prefix}: {sink.duplicates - duplicates} messages arrived twice")
    # The sink answers before the worker records the answer: give the last ones a moment.
    deadline = time.monotonic() + 30
    while (unsent := OutboundMessage.objects.exclude(status=Status.SENT).count()) and time.monotonic() < deadline:
        time.sleep(0.1)
    if unsent:
        problems.append(f"{prefix}: {unsent} rows are not marked sent")
    return run, problems


def _smtplib(sink: SinkProcess, meter: CpuMeter, prefix: str) -> Run:
    from emails.delivery import email_for
    from emails.models import OutboundMessage

    # Prepared outside the clock: the very messages the pipeline delivered, as bytes.
    prepared = [
        (message.from_email, message.to_address, email_for(message).message().as_bytes(linesep="\r\n"))
        for message in OutboundMessage.objects.filter(idempotency_key__startswith=prefix).order_by("pk")
    ]
    before = sink.count
    meter.start()
    started = time.monotonic()
    with smtplib.SMTP("127.0.0.1", sink.port, timeout=30) as server:
        for from_address, to_address, data in prepared:
            server.sendmail(from_address, [to_address], data)
    sink.wait_for(before + len(prepared), timeout=60)
    name = "  plain smtplib (same messages, prepared, one connection)"
    run = Run(name, len(prepared), sink.last_at - started, meter.stop())
    print(run.line(), flush=True)
    print(run.cpu_line(), flush=True)
    return run


def _delivery_only(sink: SinkProcess, meter: CpuMeter, count: int) -> Run:
    """Where the pipeline's time goes: the same workers with the rows already written."""
    from django.db import transaction

    from campaigns.mail_kinds import INVITATION_MAIL
    from emails import kinds
    from emails.outbox import send

    context = kinds.get(INVITATION_MAIL).sample_context()
    before = sink.count
    # One transaction: nothing is handed over until it commits, then all tasks at once.
    with transaction.atomic():
        for n in range(count):
            send(INVITATION_MAIL, to=f"reader{n}@example.org", context=context, language="en", key=f"d:{n}")
        meter.start()
        started = time.monotonic()
    sink.wait_for(before + count, timeout=600)
    run = Run("delivery alone (rows written beforehand, 2 workers)", count, sink.last_at - started, meter.stop())
    print(run.line(), flush=True)
    print(run.cpu_line(), flush=True)
    return run


def _verdict(ratios: list[float], problems: list[str]) -> int:
    ratio = statistics.median(ratios)
    rounds = ", ".join(f"{each:.2f}" for each in ratios)
    print(
        f"ratio: pipeline / smtplib, median of {len(ratios)} rounds = {ratio:.2f} ({rounds}; target ≥ {TARGET_RATIO})"
    )
    if ratio < TARGET_RATIO:
        problems.append(f"the pipeline reaches {ratio:.2f} × smtplib's rate; the target is {TARGET_RATIO} ×")
    for problem in problems:
        print(f"MISSED: {problem}")
    if not problems:
        print(f"OK: every message arrived once, at {ratio:.2f} × smtplib's rate")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
