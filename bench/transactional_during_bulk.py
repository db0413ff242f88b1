"""How long a confirmation takes while a 10,000-recipient bulk send is going out.

Run from the project root:

    DJANGO_SETTINGS_MODULE=backend.settings_test .venv/bin/python -m bench.transactional_during_bulk

In a throwaway database (bench_townhall_<pid>), with a throwaway redis-server as the broker, one
`celery -A backend worker -Q bulk` and one `-Q transactional` (as the README deploys them),
delivering to an aiosmtpd sink in its own process that takes 2-5 ms per message, all on 127.0.0.1.
The whole list is released at once, so the bulk queue holds 100 tasks of 100 messages. Once the
send is under way, a transactional message goes out; its latency is timed from send() to its arrival
at the sink. Exits 1 if it takes TARGET_SECONDS or more, if the bulk send had already finished, or if
any message is missing or arrives twice.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

import django

from bench.mail_rig import SinkProcess, bench_database, celery_workers, sink_process

if TYPE_CHECKING:
    from emails.models import BulkSend

RECIPIENTS = 10_000
TARGET_SECONDS = 5.0
SINK_DELAY_SECONDS = (0.002, 0.005)
WORKERS = [("bulk", 2), ("transactional", 2)]
# The bulk send is under way once this many of its messages have arrived.
UNDER_WAY = 500


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--recipients", type=int, default=RECIPIENTS)
    options = parser.parse_args()
    django.setup()
    from tests.emails.celery_broker import celery_on_broker, throwaway_redis

    with (
        bench_database(),
        sink_process(delay_seconds=SINK_DELAY_SECONDS) as sink,
        throwaway_redis() as broker,
        celery_on_broker(broker.url),
        celery_workers(WORKERS, broker_url=broker.url, smtp_port=sink.port),
    ):
        return _run(sink, options.recipients)


def _run(sink: SinkProcess, recipients: int) -> int:
    from emails import bulk

    low, high = SINK_DELAY_SECONDS
    print(f"sink: aiosmtpd on 127.0.0.1:{sink.port}, {low * 1000:g}-{high * 1000:g} ms per message", flush=True)
    mailing = _prepare(recipients)
    started = time.monotonic()
    bulk.start(mailing)
    if not sink.wait_for(min(UNDER_WAY, recipients), timeout=300):
        print(f"MISSED: the bulk send did not get under way ({sink.count} arrived)")
        return 1
    latency, bulk_before = _confirm(sink)
    pending = recipients - bulk_before
    print(f"confirmation: {latency * 1000:,.0f} ms from send() to the sink; {pending:,} bulk messages still pending")
    complete = sink.wait_for(recipients + 1, timeout=max(600, recipients / 10))
    seconds = sink.last_at - started
    print(f"bulk send: {min(sink.count - 1, recipients):,} messages in {seconds:.1f} s ({recipients / seconds:,.0f}/s)")
    problems = _problems(sink, recipients, complete, latency, pending)
    for problem in problems:
        print(f"MISSED: {problem}")
    if not problems:
        print(f"OK: the confirmation took under {TARGET_SECONDS:g} s mid-send; every message arrived once")
    return 1 if problems else 0


def _prepare(recipients: int) -> BulkSend:
    """The list, rendered and held (not timed): 10,000 send() calls in one transaction."""
    from django.db import transaction

    from emails import bulk
    from tests.emails import sample_kinds

    started = time.monotonic()
    # Fast enough that the first release lets the whole list out at once.
    mailing = bulk.create(list_key="campaign:1", kind=sample_kinds.NEWS.name, rate_per_minute=recipients * 6)
    people = [bulk.Recipient(f"reader{n}@example.org", "en", f"news:1:{n}") for n in range(recipients)]
    with transaction.atomic():
        bulk.add(mailing, people, context=sample_kinds.context())
    print(f"prepared {recipients:,} held messages in {time.monotonic() - started:.1f} s (not timed)", flush=True)
    return mailing


def _confirm(sink: SinkProcess) -> tuple[float, int]:
    """The confirmation's latency, and how many messages reached the sink before it (all bulk)."""
    from django.db import transaction

    from campaigns.mail_kinds import INVITATION_MAIL
    from emails import kinds
    from emails.outbox import send

    context = kinds.get(INVITATION_MAIL).sample_context()
    with transaction.atomic():  # the hand-off waits for the commit, so the sink can watch for it first
        started = time.monotonic()
        message = send(INVITATION_MAIL, to="newcomer@example.org", context=context, language="en", key="confirm:1")
        sink.watch(message.message_id)
    deadline = time.monotonic() + 120
    while (watched := sink.watched) is None and time.monotonic() < deadline:
        time.sleep(0.002)
    if watched is None:
        return float("inf"), sink.count
    bulk_before, arrived = watched
    return arrived - started, bulk_before


def _problems(sink: SinkProcess, recipients: int, complete: bool, latency: float, pending: int) -> list[str]:
    from emails.models import OutboundMessage, Status

    problems = []
    if latency >= TARGET_SECONDS:
        problems.append(f"the confirmation took {latency:.1f} s; the target is under {TARGET_SECONDS:g} s")
    if pending <= 0:
        problems.append("the bulk send was over before the confirmation arrived")
    if not complete:
        problems.append(f"only {sink.count:,} of {recipients + 1:,} messages arrived")
    if sink.duplicates:
        problems.append(f"{sink.duplicates} messages arrived twice")
    deadline = time.monotonic() + 30
    while (unsent := OutboundMessage.objects.exclude(status=Status.SENT).count()) and time.monotonic() < deadline:
        time.sleep(0.1)
    if unsent:
        problems.append(f"{unsent} rows are not marked sent")
    return problems


if __name__ == "__main__":
    sys.exit(main())
