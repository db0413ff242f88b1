"""Beat's sweep: what the after-commit hand-off lost is delivered later, once."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone

from emails import bulk, sweeps
from emails.models import OutboundMessage, Status
from emails.outbox import send
from tests.emails import sample_kinds


def lost_message(key: str = "lost:1") -> OutboundMessage:
    # Without the commit hook running, the row is written and its task never published: a lost task.
    return send(sample_kinds.NOTICE.name, to="dana@example.org", context=sample_kinds.context(), language="en", key=key)


def test_it_leaves_a_fresh_message_to_its_own_task(db, mailoutbox):
    lost_message()

    assert sweeps.sweep_outbox().published == 0
    assert mailoutbox == []


def test_it_delivers_a_message_whose_task_was_lost(db, mailoutbox, django_capture_on_commit_callbacks):
    message = lost_message()

    with (
        time_machine.travel(timezone.now() + dt.timedelta(minutes=3)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report = sweeps.sweep_outbox()
        again = sweeps.sweep_outbox()

    assert report.published == 1
    assert again.published == 0
    assert len(mailoutbox) == 1
    message.refresh_from_db()
    assert message.status == Status.SENT


def test_it_waits_for_the_backoff_of_a_message_to_retry(db, mailoutbox):
    message = lost_message()
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=Status.RETRY, attempts=1, next_attempt_at=timezone.now() + dt.timedelta(minutes=15)
    )

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        assert sweeps.sweep_outbox().published == 0
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=18)):
        assert sweeps.sweep_outbox().published == 1


def test_it_leaves_a_paused_bulk_send_alone(db, mailoutbox):
    send_ = bulk.create(list_key="campaign:1", kind=sample_kinds.NEWS.name, rate_per_minute=600)
    bulk.add(send_, [bulk.Recipient("a@example.org", "en", "n:1")], context=sample_kinds.context())
    bulk.start(send_)
    bulk.pause(send_)

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
        assert sweeps.sweep_outbox().published == 0
    assert mailoutbox == []


def test_it_resends_a_message_in_doubt_once_then_gives_up(db, mailoutbox, django_capture_on_commit_callbacks):
    message = lost_message()
    claimed = timezone.now()
    OutboundMessage.objects.filter(pk=message.pk).update(status=Status.SENDING, claimed_at=claimed, attempts=1)

    with time_machine.travel(claimed + dt.timedelta(minutes=5)):
        assert sweeps.sweep_outbox().resent_in_doubt == 0  # a slow worker may still be on it
    with time_machine.travel(claimed + dt.timedelta(minutes=11)), django_capture_on_commit_callbacks(execute=True):
        report = sweeps.sweep_outbox()
    assert (report.resent_in_doubt, report.published) == (1, 1)
    assert [mail.extra_headers["Message-ID"] for mail in mailoutbox] == [message.message_id]

    # The resend dies in doubt too: a person looks at it, nothing is sent a third time.
    OutboundMessage.objects.filter(pk=message.pk).update(status=Status.SENDING, claimed_at=claimed)
    with time_machine.travel(claimed + dt.timedelta(minutes=30)):
        assert sweeps.sweep_outbox().failed_in_doubt == 1
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert "in doubt" in message.last_error
