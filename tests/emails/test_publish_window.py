"""Messages committed by one process within a short window travel to the workers as one task."""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def delivering(settings: Any) -> Iterator[SmtpSink]:
    """A transactional worker on a throwaway broker, delivering to an SMTP sink."""
    with (
        running_sink() as sink,
        throwaway_redis() as broker,
        celery_on_broker(broker.url),
        worker_for("transactional"),
    ):
        smtp_settings(settings, sink)
        yield sink


def test_a_burst_of_transactions_goes_to_the_workers_in_a_few_tasks(settings, delivery_tasks):
    settings.EMAIL_PUBLISH_WINDOW_SECONDS = 0.5
    with delivering(settings) as sink:
        sign_up(SIGNERS)
        wait_for_arrivals(sink, SIGNERS)

    assert sum(delivery_tasks) == SIGNERS
    assert len(delivery_tasks) <= 3, f"{len(delivery_tasks)} tasks for {SIGNERS} messages"
    assert set(Counter(sink.message_ids()).values()) == {1}
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {Status.SENT}


def test_without_a_window_each_transaction_is_its_own_task(settings, delivery_tasks):
    settings.EMAIL_PUBLISH_WINDOW_SECONDS = 0
    with delivering(settings) as sink:
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


@pytest.fixture
def published(monkeypatch) -> list[tuple[str, list[int]]]:
    """What the window hands to the broker (publish() itself is tested against a real one above)."""
    calls: list[tuple[str, list[int]]] = []
    monkeypatch.setattr(publish, "publish", lambda ids, stream: calls.append((stream, list(ids))))
    monkeypatch.setattr(publish, "_window_seconds", lambda: 5.0)
    monkeypatch.setattr(publish, "_window", publish._Window())
    return calls


def test_a_task_publishes_what_its_window_holds_before_it_ends(published):
    publish._window.add({"transactional": [7, 8]})
    assert published == []

    signals.task_postrun.send(sender=None)  # a pool process may end with os._exit right after

    assert published == [("transactional", [7, 8])]


def test_without_a_thread_for_the_window_it_publishes_at_once(published, monkeypatch, caplog):
    def refuse(_timer: Any) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr("threading.Timer.start", refuse)
    publish._window.add({"transactional": [1]})
    publish._window.add({"bulk": [2]})

    assert published == [("transactional", [1]), ("bulk", [2])]
    assert "publishing at once" in caplog.text


def test_an_error_while_publishing_is_logged_and_the_other_streams_still_go(published, monkeypatch, caplog):
    def fail_for_bulk(ids: Any, stream: str) -> None:
        if stream == "bulk":
            raise ValueError("unexpected")
        published.append((stream, list(ids)))

    monkeypatch.setattr(publish, "publish", fail_for_bulk)
    publish._window.ids.update({"bulk": [1], "transactional": [2]})

    publish._window.close()

    assert published == [("transactional", [2])]
    assert "could not queue 1 bulk message(s)" in caplog.text
    assert publish._window.timer is None and not publish._window.ids


def test_ids_that_arrive_while_the_window_publishes_join_it_instead_of_opening_another(published, monkeypatch):
    def slow_broker(ids: Any, stream: str) -> None:
        published.append((stream, list(ids)))
        if len(published) == 1:
            publish._window.add({"transactional": [3]})  # committed meanwhile, by another thread

    monkeypatch.setattr(publish, "publish", slow_broker)
    publish._window.add({"transactional": [1, 2]})
    timer = publish._window.timer
    assert timer is not None
    timer.cancel()

    publish._window.close()

    assert published == [("transactional", [1, 2]), ("transactional", [3])]
    assert publish._window.timer is None
