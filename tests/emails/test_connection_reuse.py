"""Deliveries in one worker share a mail connection: checked before reuse, never kept after a failure."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from emails import connections, delivery
from emails.models import OutboundMessage, Status
from emails.outbox import send
from tests.emails import sample_kinds
from tests.emails.smtp_sink import SmtpSink, running_sink, smtp_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def sink(settings: Any) -> Iterator[SmtpSink]:
    with running_sink() as server:
        smtp_settings(settings, server)
        yield server


@pytest.fixture(autouse=True)
def _nothing_kept() -> Iterator[None]:
    connections._kept.connection = None
    yield
    kept = connections._kept.connection
    if kept is not None:
        connections.discard(kept.backend)
    connections._kept.connection = None


def queued(key: str) -> OutboundMessage:
    return send(
        sample_kinds.NOTICE.name, to=f"{key}@example.org", context=sample_kinds.context(), language="en", key=key
    )


def deliver_each(*messages: OutboundMessage) -> None:
    for message in messages:
        delivery.deliver([message.pk])  # one task each, as transactional mail travels


def sent(*messages: OutboundMessage) -> bool:
    return all(OutboundMessage.objects.get(pk=m.pk).status == Status.SENT for m in messages)


def test_one_task_after_another_uses_one_connection(sink):
    first, second, third = queued("a"), queued("b"), queued("c")

    deliver_each(first, second, third)

    assert len(sink.received) == 3
    assert len(sink.connections_used) == 1
    assert sent(first, second, third)


def test_a_connection_that_went_dead_is_replaced_before_a_message_is_claimed(sink):
    first, second = queued("a"), queued("b")
    deliver_each(first)

    kept = connections._kept.connection
    kept.backend.connection.sock.shutdown(socket.SHUT_RDWR)  # as when the server drops an idle client
    deliver_each(second)

    assert len(sink.received) == 2
    assert len(sink.connections_used) == 2
    assert sent(first, second)  # sent at once over a new connection, not left for the sweep


def test_a_connection_idle_too_long_is_closed_and_a_new_one_opened(sink, settings):
    settings.EMAIL_CONNECTION_IDLE_SECONDS = 0
    first, second = queued("a"), queued("b")

    deliver_each(first, second)

    assert len(sink.connections_used) == 2
    assert sent(first, second)


def test_new_mail_settings_are_followed_at_once(sink, settings):
    first, second = queued("a"), queued("b")
    deliver_each(first)

    with running_sink() as other:
        smtp_settings(settings, other)
        deliver_each(second)
        assert [r.message_id for r in other.received] == [OutboundMessage.objects.get(pk=second.pk).message_id]
    assert len(sink.received) == 1


def test_a_connection_the_server_refused_on_is_not_kept(sink):
    message = queued("a")
    sink.data_reply = "421 Service shutting down"

    deliver_each(message)

    assert connections._kept.connection is None
    assert OutboundMessage.objects.get(pk=message.pk).status == Status.RETRY
