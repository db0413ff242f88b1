"""Messages committed by one process within a short window travel to the workers as one task."""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from celery import signals
from django.db import transaction

from emails import publish
from emails.models import OutboundMessage, Status
from emails.outbox import send
from tests.emails import sample_kinds
from tests.emails.celery_broker import celery_on_broker, throwaway_redis, worker_for
from tests.emails.smtp_sink import SmtpSink, running_sink, smtp_settings

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SIGNERS = 30


@pytest.fixture
def delivery_tasks() -> Iterator[list[int]]:
    """The size of each transactional delivery task a worker of this process runs."""
    sizes: list[int] = []

    def record(sender: Any = None, args: Any = (), **_kwargs: Any) -> None:
        if sender is not None and sender.name == "emails.tasks.deliver_transactional":
            sizes.append(len(args[0]))

    signals.task_prerun.connect(record, weak=False)
    try:
        yield sizes
    finally:
        signals.task_prerun.disconnect(record)


def sign_up(count: int) -> None:
    """What a burst of signers does: a transaction each, its confirmation written in it."""
    for n in range(count):
        with transaction.atomic():
            send(
                sample_kinds.CONFIRM.name,
                to=f"signer{n}@example.org",
                context=sample_kinds.context(),
                language="en",
                key=f"window:{n}",
            )


def wait_for_arrivals(sink: SmtpSink, count: int) -> None:
    deadline = time.monotonic() + 30
    while len(sink.received) < count:
        assert time.monotonic() < deadline, f"{len(sink.received)} of {count} messages arrived"
        time.sleep(0.02)


def test_a_burst_of_transactions_goes_to_the_workers_in_a_few_tasks(settings, delivery_tasks):
    settings.EMAIL_PUBLISH_WINDOW_SECONDS = 0.5
    with (
        running_sink() as sink,
        throwaway_redis() as broker,
        celery_on_broker(broker.url),
        worker_for("transactional"),
    ):
        smtp_settings(settings, sink)
        sign_up(SIGNERS)
        wait_for_arrivals(sink, SIGNERS)

    assert sum(delivery_tasks) == SIGNERS
    assert len(delivery_tasks) <= 3, f"{len(delivery_tasks)} tasks for {SIGNERS} messages"
    assert set(Counter(sink.message_ids()).values()) == {1}
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {Status.SENT}


def test_without_a_window_each_transaction_is_its_own_task(settings, delivery_tasks):
    settings.EMAIL_PUBLISH_WINDOW_SECONDS = 0
    with (
        running_sink() as sink,
        throwaway_redis() as broker,
        celery_on_broker(broker.url),
        worker_for("transactional"),
    ):
        smtp_settings(settings, sink)
        sign_up(5)
        wait_for_arrivals(sink, 5)

    assert delivery_tasks == [1, 1, 1, 1, 1]


def test_with_the_broker_down_the_window_logs_once_and_leaves_the_rows_for_the_sweep(settings, caplog):
    settings.EMAIL_PUBLISH_WINDOW_SECONDS = 0.2
    caplog.set_level(logging.WARNING, logger="emails.publish")
    with throwaway_redis() as broker, celery_on_broker(broker.url):
        broker.stop()
        started = time.monotonic()
        sign_up(3)
        committed = time.monotonic() - started
        deadline = time.monotonic() + 10
        while not caplog.records and time.monotonic() < deadline:
            time.sleep(0.02)

    assert committed < 0.5, "the transactions waited for the broker"
    assert [record.getMessage() for record in caplog.records] == [
        "could not queue 3 transactional message(s); the outbox sweep will"
    ]
    assert list(OutboundMessage.objects.values_list("status", flat=True)) == [Status.QUEUED] * 3


def test_a_forked_process_starts_with_an_empty_window(settings):
    settings.EMAIL_PUBLISH_WINDOW_SECONDS = 5
    window = publish._Window()
    publish._window, saved = window, publish._window
    try:
        window.ids["transactional"].extend([1, 2])  # as if a commit had just added them
        reader, writer = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover (the child reports through the pipe)
            os.write(writer, repr(dict(publish._window.ids)).encode())
            os._exit(0)
        os.waitpid(child, 0)
        seen = os.read(reader, 1000).decode()
    finally:
        publish._window = saved

    assert seen == "{}"
    assert window.ids == {"transactional": [1, 2]}  # the parent still holds (and publishes) its own
