"""How fast the e-mail pipeline delivers, next to plain smtplib sending the same messages.

Run from the project root:

    DJANGO_SETTINGS_MODULE=backend.settings_test .venv/bin/python -m bench.email_throughput [--sink-delay-ms 0]

In a throwaway database (bench_townhall_<pid>), with a throwaway redis-server as the broker and
`celery -A backend worker -Q transactional,bulk -c 2 --pool prefork` (two worker processes)
delivering to an aiosmtpd sink in a process of its own, all on 127.0.0.1. The pipeline is timed
from the first send() to the last message arriving at the sink: rows, rendering, encryption, the
after-commit hand-off (callers send 100 per transaction, so one task per 100), the broker, the
workers' claims and SMTP. The same workers are then timed alone, on rows written beforehand. Then
plain smtplib sends the pipeline's messages, prepared beforehand, over one connection. Exits 1
unless the pipeline reaches TARGET_RATIO times smtplib's rate.
"""

from __future__ import annotations

import argparse
import smtplib
import sys
import time
from dataclasses import dataclass

import django

from bench.mail_rig import SinkProcess, bench_database, celery_workers, sink_process

MESSAGES = 5_000
PER_TRANSACTION = 100
TARGET_RATIO = 1.2
# One `celery worker` with two prefork pool processes, consuming both mail queues.
WORKERS = [("transactional,bulk", 2)]


@dataclass(frozen=True)
class Run:
    name: str
    messages: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.messages / self.seconds

    def line(self) -> str:
        return f"{self.name}: {self.messages:,} messages in {self.seconds:.2f} s ({self.rate:,.0f} messages/s)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=MESSAGES)
    parser.add_argument(
        "--sink-delay-ms", type=float, default=0.0, help="How long the SMTP server takes per message (default 0)."
    )
    options = parser.parse_args()
    django.setup()
    from tests.emails.celery_broker import celery_on_broker, throwaway_redis

    delay = options.sink_delay_ms / 1000
    with (
        bench_database(),
        sink_process(delay_seconds=(delay, delay)) as sink,
        throwaway_redis() as broker,
        celery_on_broker(broker.url),
        celery_workers(WORKERS, broker_url=broker.url, smtp_port=sink.port),
    ):
        print(f"sink: aiosmtpd on 127.0.0.1:{sink.port}, {options.sink_delay_ms:g} ms per message", flush=True)
        pipeline, problems = _pipeline(sink, options.messages)
        _delivery_only(sink, options.messages)
        baseline = _smtplib(sink, options.messages)
    return _verdict(pipeline, baseline, problems)


def _pipeline(sink: SinkProcess, count: int) -> tuple[Run, list[str]]:
    from django.db import transaction

    from campaigns.mail_kinds import INVITATION_MAIL
    from emails import kinds
    from emails.models import OutboundMessage, Status
    from emails.outbox import send

    context = kinds.get(INVITATION_MAIL).sample_context()
    before = sink.count
    started = time.monotonic()
    for first in range(0, count, PER_TRANSACTION):
        with transaction.atomic():
            for n in range(first, min(first + PER_TRANSACTION, count)):
                send(INVITATION_MAIL, to=f"supporter{n}@example.org", context=context, language="en", key=f"b:{n}")
    written = time.monotonic() - started
    arrived = sink.wait_for(before + count, timeout=600)
    run = Run("pipeline (send() → Celery/Redis → 2 prefork workers → SMTP)", count, sink.last_at - started)
    print(run.line(), f"; all rows written after {written:.2f} s ({count / written:,.0f} send()/s)", flush=True)
    problems = [] if arrived else [f"only {sink.count - before:,} of {count:,} messages arrived"]
    if sink.duplicates:
        problems.append(f"{sink.duplicates} messages arrived twice")
    # The sink answers before the worker records the answer: give the last ones a moment.
    deadline = time.monotonic() + 30
    while (unsent := OutboundMessage.objects.exclude(status=Status.SENT).count()) and time.monotonic() < deadline:
        time.sleep(0.1)
    if unsent:
        problems.append(f"{unsent} rows are not marked sent")
    return run, problems


def _delivery_only(sink: SinkProcess, count: int) -> Run:
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
        started = time.monotonic()
    sink.wait_for(before + count, timeout=600)
    run = Run("  of which delivery alone (rows written beforehand, 2 workers)", count, sink.last_at - started)
    print(run.line(), flush=True)
    return run


def _smtplib(sink: SinkProcess, count: int) -> Run:
    from emails.delivery import email_for
    from emails.models import OutboundMessage

    # Prepared outside the clock: the very messages the pipeline delivered, as bytes.
    prepared = [
        (message.from_email, message.to_address, email_for(message).message().as_bytes(linesep="\r\n"))
        for message in OutboundMessage.objects.filter(idempotency_key__startswith="b:").order_by("pk")[:count]
    ]
    before = sink.count
    started = time.monotonic()
    with smtplib.SMTP("127.0.0.1", sink.port, timeout=30) as server:
        for from_address, to_address, data in prepared:
            server.sendmail(from_address, [to_address], data)
    sink.wait_for(before + len(prepared), timeout=60)
    run = Run("plain smtplib (same messages, prepared, one connection)", len(prepared), sink.last_at - started)
    print(run.line(), flush=True)
    return run


def _verdict(pipeline: Run, baseline: Run, problems: list[str]) -> int:
    ratio = pipeline.rate / baseline.rate
    print(f"ratio: pipeline / smtplib = {ratio:.2f} (target ≥ {TARGET_RATIO})")
    if ratio < TARGET_RATIO:
        problems.append(f"the pipeline reaches {ratio:.2f} × smtplib's rate; the target is {TARGET_RATIO} ×")
    for problem in problems:
        print(f"MISSED: {problem}")
    if not problems:
        print(f"OK: every message arrived once, at {ratio:.2f} × smtplib's rate")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
