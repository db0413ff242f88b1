"""A batch over one connection: each accepted message is recorded before the next one's DATA."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend

from emails import delivery
from emails.models import OutboundMessage, Status
from emails.outbox import send
from tests.emails import sample_kinds
from tests.emails.smtp_sink import SmtpSink, running_sink, smtp_settings


class WorkerDied(BaseException):
    """Stands for a SIGKILL: nothing after it runs."""


@pytest.fixture
def sink(settings: Any) -> Iterator[SmtpSink]:
    with running_sink() as server:
        smtp_settings(settings, server)
        yield server


def notices(count: int) -> list[OutboundMessage]:
    return [
        send(sample_kinds.NOTICE.name, to=f"p{n}@example.org", context={}, language="en", key=f"batch:{n}")
        for n in range(count)
    ]


def test_it_sends_a_batch_and_records_each_message(db: None, sink: SmtpSink) -> None:
    messages = notices(3)

    delivery.deliver([message.pk for message in messages])

    assert sink.message_ids() == [message.message_id for message in messages]
    for message in messages:
        message.refresh_from_db()
        assert (message.status, message.attempts, message.provider_id) == (Status.SENT, 1, message.message_id)
        assert list(message.events.values_list("status", flat=True)) == ["sent"]


def test_a_worker_killed_mid_batch_leaves_only_the_message_on_the_wire_in_doubt(
    db: None, sink: SmtpSink, monkeypatch: Any
) -> None:
    first, second, third = notices(3)
    accept = SmtpBackend.send_messages
    accepted: list[int] = []

    def die_after_the_second(self: SmtpBackend, email_messages: Sequence[EmailMessage]) -> int:
        sent = accept(self, email_messages)
        accepted.append(sent)
        if len(accepted) == 2:
            raise WorkerDied
        return sent

    monkeypatch.setattr(SmtpBackend, "send_messages", die_after_the_second)

    with pytest.raises(WorkerDied):
        delivery.deliver([first.pk, second.pk, third.pk])

    for message in (first, second, third):
        message.refresh_from_db()
    # The first was recorded when the second was claimed; the second was on the wire; the third untouched.
    assert [first.status, second.status, third.status] == [Status.SENT, Status.SENDING, Status.QUEUED]
    assert sink.message_ids() == [first.message_id, second.message_id]
