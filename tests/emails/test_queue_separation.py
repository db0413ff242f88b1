"""A confirmation is not stuck behind a bulk send: each stream has its own queue and its own worker."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import pytest

from emails import bulk
from emails.models import BulkSend, OutboundMessage, Status
from emails.outbox import send
from tests.emails import sample_kinds
from tests.emails.celery_broker import celery_on_broker, throwaway_redis, worker_for
from tests.emails.smtp_sink import SmtpSink, running_sink, smtp_settings

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RECIPIENTS = 1_000
# Like a relay that writes each message to disk before it answers.
SINK_DELAY_SECONDS = (0.002, 0.005)


def wait_for(condition: Any, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout:.0f} s")
        time.sleep(0.01)


def start_mailing(count: int) -> BulkSend:
    # Six lists a minute: the first release (a 10-second tick's worth) lets the whole list out at once.
    mailing = bulk.create(list_key="campaign:9", kind=sample_kinds.NEWS.name, rate_per_minute=count * 6)
    recipients = [bulk.Recipient(f"reader{n}@example.org", "en", f"mailing:9:{n}") for n in range(count)]
    bulk.add(mailing, recipients, context=sample_kinds.context())
    bulk.start(mailing)
    return mailing


def confirm(sink: SmtpSink) -> tuple[OutboundMessage, float]:
    sent = time.monotonic()
    message = send(
        sample_kinds.CONFIRM.name,
        to="newcomer@example.org",
        context=sample_kinds.context(),
        language="en",
        key="confirm:newcomer",
    )
    wait_for(lambda: message.message_id in sink.arrived, timeout=30, what="the confirmation")
    return message, sink.arrived[message.message_id].at - sent


def test_it_delivers_a_confirmation_while_a_bulk_send_is_mid_send(settings: Any) -> None:
    with (
        running_sink(delay=SINK_DELAY_SECONDS) as sink,
        throwaway_redis() as broker,
        celery_on_broker(broker.url),
        worker_for("bulk"),
        worker_for("transactional"),
    ):
        smtp_settings(settings, sink)
        start_mailing(RECIPIENTS)
        wait_for(lambda: len(sink.received) >= 50, timeout=60, what="the bulk send under way")

        confirmation, latency = confirm(sink)

        wait_for(lambda: len(sink.received) >= RECIPIENTS + 1, timeout=300, what="the whole bulk send")
        unsent = OutboundMessage.objects.exclude(status=Status.SENT)
        wait_for(lambda: not unsent.exists(), timeout=30, what="every row marked sent")

    bulk_before_confirmation = sink.message_ids().index(confirmation.message_id)
    assert 50 <= bulk_before_confirmation < RECIPIENTS, "the bulk send was over before the confirmation arrived"
    assert latency < 5.0
    arrived = Counter(sink.message_ids())
    assert set(arrived.values()) == {1}
    expected = set(OutboundMessage.objects.values_list("message_id", flat=True))
    assert set(arrived) == expected
    assert len(expected) == RECIPIENTS + 1
