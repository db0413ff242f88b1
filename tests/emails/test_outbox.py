"""send(): one row per key, written in the caller's transaction, delivered after commit."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, transaction

from emails import tasks
from emails.models import OutboundMessage, Status
from emails.outbox import send
from tests.campaigns.database import rows_containing
from tests.emails import sample_kinds


def queue_notice(key: str = "notice:1", to: str = "dana@example.org", **extra: Any) -> OutboundMessage:
    return send(sample_kinds.NOTICE.name, to=to, context=sample_kinds.context(), language="en", key=key, **extra)


def test_it_delivers_a_message_once_its_transaction_commits(db, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_notice()
        assert mailoutbox == []

    assert [mail.to for mail in mailoutbox] == [["dana@example.org"]]
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert mailoutbox[0].extra_headers["Message-ID"] == message.message_id
    assert [event.status for event in message.events.all()] == ["sent"]


def test_it_sends_nothing_when_the_callers_transaction_rolls_back(db, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        queue_notice()
        raise RuntimeError("the caller's work failed")

    assert OutboundMessage.objects.count() == 0
    assert mailoutbox == []


def test_it_never_makes_a_second_message_for_the_same_key(db, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue_notice(key="receipt:42")
    with django_capture_on_commit_callbacks(execute=True):
        again = queue_notice(key="receipt:42", to="someone-else@example.org")

    assert again.pk == first.pk
    assert OutboundMessage.objects.count() == 1
    assert len(mailoutbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_makes_one_row_when_two_callers_race_with_one_key(mailoutbox):
    barrier = threading.Barrier(2)
    found: list[int] = []

    def call() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                found.append(queue_notice(key="race:1").pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(set(found)) == 1
    assert OutboundMessage.objects.filter(idempotency_key="race:1").count() == 1
    assert len(mailoutbox) == 1


def test_it_hands_a_hundred_messages_of_one_transaction_to_one_task(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    batches: list[list[int]] = []
    monkeypatch.setattr(tasks.deliver_transactional, "delay", lambda ids: batches.append(ids))

    with django_capture_on_commit_callbacks(execute=True):
        for number in range(250):
            queue_notice(key=f"batch:{number}", to=f"person{number}@example.org")

    assert [len(batch) for batch in batches] == [100, 100, 50]
    assert sorted(pk for batch in batches for pk in batch) == sorted(
        OutboundMessage.objects.values_list("pk", flat=True)
    )


def test_it_keeps_the_queued_row_when_the_broker_is_down(
    db, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    def broker_down(ids: list[int]) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setattr(tasks.deliver_transactional, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_notice()

    message.refresh_from_db()
    assert message.status == Status.QUEUED
    assert mailoutbox == []


def test_it_stores_the_address_and_the_body_encrypted(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_notice(to="dana.private@example.org", reply_to="eve.private@example.org")

    assert rows_containing("dana.private") == []
    assert rows_containing("eve.private") == []
    assert rows_containing("Accept the invitation") == []
    message.refresh_from_db()
    assert message.to_address == "dana.private@example.org"
    assert "Accept the invitation" in message.text_body


def test_it_refuses_a_fourth_unconfirmed_message_to_one_mailbox_in_a_day(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    # Three spellings of one Gmail mailbox, then a fourth: the limit counts the mailbox, not the spelling.
    spellings = ["Dana.Lee@gmail.com", "danalee+petition@gmail.com", "d.a.n.a.lee@googlemail.com", "danalee@gmail.com"]
    with django_capture_on_commit_callbacks(execute=True):
        messages = [
            send(sample_kinds.CONFIRM.name, to=to, context=sample_kinds.context(), language="en", key=f"confirm:{n}")
            for n, to in enumerate(spellings)
        ]

    assert [message.status for message in messages] == ["queued", "queued", "queued", "refused"]
    assert len(mailoutbox) == 3
    # Mail the person asked for in another way (a receipt) is not limited.
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_notice(to="danalee@gmail.com").status == Status.QUEUED
    assert len(mailoutbox) == 4


def test_it_refuses_bulk_mail_without_a_list_and_transactional_mail_with_one(db):
    with pytest.raises(ValueError, match="list key"):
        send(sample_kinds.NEWS.name, to="a@example.org", context={}, language="en", key="x:1")
    with pytest.raises(ValueError, match="list key"):
        queue_notice(list_key="campaign:1")


def queue_confirmation(key: str, to: str = "erin@example.org") -> OutboundMessage:
    return send(sample_kinds.CONFIRM.name, to=to, context=sample_kinds.context(), language="en", key=key)


def test_it_refuses_mail_to_an_unconfirmed_address_beyond_the_daily_limit_however_it_is_spelled(db, settings):
    settings.EMAIL_UNCONFIRMED_DAILY_LIMIT = 2
    queue_confirmation("c:1", to="erin@example.org")
    queue_confirmation("c:2", to="Erin@Example.org")

    refused = queue_confirmation("c:3", to="ERIN@example.org")

    assert refused.status == Status.REFUSED
    assert refused.last_error == "more than 2 such messages today"
    assert queue_confirmation("c:4", to="frank@example.org").status == Status.QUEUED


def test_the_daily_limit_counts_the_last_24_hours_and_not_refused_or_other_mail(db, settings):
    settings.EMAIL_UNCONFIRMED_DAILY_LIMIT = 2
    old = queue_confirmation("c:old")
    OutboundMessage.objects.filter(pk=old.pk).update(created_at=old.created_at - dt.timedelta(hours=25))
    queue_notice("notice:erin", to="erin@example.org")  # not mail to an unconfirmed address
    queue_confirmation("c:1")
    OutboundMessage.objects.filter(kind=sample_kinds.CONFIRM.name).exclude(pk=old.pk).update(status=Status.REFUSED)

    assert queue_confirmation("c:2").status == Status.QUEUED
    assert queue_confirmation("c:3").status == Status.QUEUED
    assert queue_confirmation("c:4").status == Status.REFUSED


def test_the_daily_limit_counts_mail_hashed_under_a_key_since_rotated(db, settings):
    settings.EMAIL_UNCONFIRMED_DAILY_LIMIT = 1
    queue_confirmation("c:1")
    settings.KEYED_HASH_KEYS = [("rotated", b"n" * 32), *settings.KEYED_HASH_KEYS]

    assert queue_confirmation("c:2").status == Status.REFUSED
