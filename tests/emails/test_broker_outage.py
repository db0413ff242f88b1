"""A broker outage loses no mail: writes succeed, the sweep publishes later, a real worker sends each once."""

from __future__ import annotations

import logging
import time
from collections import Counter
from typing import Any

import pytest
from django.db import transaction

from emails import bulk, sweeps
from emails.models import UNFINISHED, OutboundMessage, Status
from emails.outbox import send
from tests.emails import sample_kinds
from tests.emails.celery_broker import celery_on_broker, throwaway_redis, worker_for
from tests.emails.smtp_sink import SmtpSink, running_sink, smtp_settings

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# Connection refused on loopback costs milliseconds; the first publish also imports the Redis client.
PUBLISH_FAILS_WITHIN_SECONDS = 2.0


def wait_until_settled(sink: SmtpSink, count: int, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(sink.received) >= count and not OutboundMessage.objects.filter(status__in=UNFINISHED).exists():
            return
        time.sleep(0.05)
    pytest.fail(f"{len(sink.received)} of {count} messages arrived in {timeout:.0f} s")


def test_it_delivers_everything_queued_while_the_broker_was_down_exactly_once(settings: Any, caplog: Any) -> None:
    settings.EMAIL_REPUBLISH_AFTER_SECONDS = 0
    caplog.set_level(logging.WARNING, logger="emails.publish")
    with running_sink() as sink, throwaway_redis() as broker, celery_on_broker(broker.url):
        smtp_settings(settings, sink)
        broker.stop()

        started = time.perf_counter()
        with transaction.atomic():  # what a request does: its writes, then the hand-off after commit
            for n in range(3):
                send(
                    sample_kinds.NOTICE.name,
                    to=f"supporter{n}@example.org",
                    context=sample_kinds.context(),
                    language="en",
                    key=f"outage:notice:{n}",
                )
        request_seconds = time.perf_counter() - started
        mailing = bulk.create(list_key="campaign:3", kind=sample_kinds.NEWS.name, rate_per_minute=6000)
        recipients = [bulk.Recipient(f"reader{n}@example.org", "en", f"outage:news:{n}") for n in range(150)]
        bulk.add(mailing, recipients, context=sample_kinds.context())
        started = time.perf_counter()
        bulk.start(mailing)  # releases all 150 and hands them over: two tasks for the bulk queue
        start_seconds = time.perf_counter() - started

        assert request_seconds < PUBLISH_FAILS_WITHIN_SECONDS
        assert start_seconds < PUBLISH_FAILS_WITHIN_SECONDS
        warnings = [record.getMessage() for record in caplog.records]
        assert [(w.startswith("could not queue"), w.split()[4]) for w in warnings] == [
            (True, "transactional"),
            (True, "bulk"),
        ]
        assert OutboundMessage.objects.filter(status=Status.QUEUED).count() == 153

        broker.start()
        report = sweeps.sweep_outbox()
        with worker_for("transactional", "bulk"):
            wait_until_settled(sink, 153, timeout=120)

    arrived = Counter(sink.message_ids())
    assert report.published == 153
    assert set(arrived.values()) == {1}
    assert set(arrived) == set(OutboundMessage.objects.values_list("message_id", flat=True))
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {Status.SENT}
