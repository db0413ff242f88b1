"""Delivery to a real SMTP server on loopback: what arrives, what the row says, and faults on the way."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Sequence
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.mail import EmailMessage as DjangoEmailMessage
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import connections
from django.test import Client
from django.utils import timezone

from campaigns.mail_kinds import INVITATION_MAIL
from emails import bulk, delivery, kinds, outbox, sweeps
from emails.models import OutboundMessage, Status, Unsubscribe
from emails.outbox import send
from privacy.addresses import address_hash
from tests.emails import sample_kinds
from tests.emails.smtp_sink import SmtpSink, running_sink, smtp_settings


class WorkerDied(BaseException):
    """Stands for a SIGKILL: nothing after it runs, not even the `except Exception` around the send."""


@pytest.fixture
def sink(settings: Any) -> Iterator[SmtpSink]:
    with running_sink() as server:
        smtp_settings(settings, server)
        yield server


def queued_notice(key: str = "notice:1") -> OutboundMessage:
    # Outside a commit hook the row stays queued: its task is, as it were, still on the broker.
    return send(sample_kinds.NOTICE.name, to="dana@example.org", context=sample_kinds.context(), language="en", key=key)


def statuses(message: OutboundMessage) -> list[str]:
    return list(message.events.values_list("status", flat=True))


def subject(mail: EmailMessage) -> str:
    # Django 5.2 folds a non-ASCII subject onto a continuation line, which unfolds to a leading space.
    return str(mail["Subject"]).strip()


def body(mail: EmailMessage, subtype: str) -> str:
    part = mail.get_body((subtype,))
    assert part is not None, f"no text/{subtype} part"
    return str(part.get_content())


def part_types(mail: EmailMessage) -> list[str]:
    return [part.get_content_type() for part in mail.iter_parts()]


def test_it_hands_a_transactional_message_to_the_server_as_written(
    db: None, sink: SmtpSink, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SITE_URL = "https://townhall.example.org"
    context = kinds.get(INVITATION_MAIL).sample_context()

    with django_capture_on_commit_callbacks(execute=True):
        message = send(INVITATION_MAIL, to="dana@example.org", context=context, language="en", key="invite:1")

    [mail] = sink.messages()
    message.refresh_from_db()
    assert (mail["From"], mail["To"]) == (settings.DEFAULT_FROM_EMAIL, "dana@example.org")
    assert subject(mail) == message.subject == "You are invited to organize “End Ring partnerships in Ohio” on Townhall"
    assert mail["Message-ID"] == message.message_id
    assert part_types(mail) == ["text/plain", "text/html"]
    assert context["link"] in body(mail, "plain")
    assert f'href="{context["link"]}"' in body(mail, "html")
    assert mail["List-Unsubscribe"] is None
    assert mail["List-Unsubscribe-Post"] is None
    assert message.status == Status.SENT
    assert message.sent_at is not None
    assert statuses(message) == ["sent"]


def test_it_hands_a_bulk_message_to_the_server_with_one_click_unsubscribe(
    db: None, sink: SmtpSink, settings: Any, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SITE_URL = "https://townhall.example.org"
    mailing = bulk.create(list_key="campaign:7", kind=sample_kinds.NEWS.name, rate_per_minute=600)
    bulk.add(mailing, [bulk.Recipient("erin@example.org", "en", "news:7:erin")], context=sample_kinds.context())

    with django_capture_on_commit_callbacks(execute=True):
        bulk.start(mailing)

    [mail] = sink.messages()
    message = OutboundMessage.objects.get(idempotency_key="news:7:erin")
    assert (mail["To"], subject(mail), mail["Message-ID"]) == ("erin@example.org", message.subject, message.message_id)
    assert part_types(mail) == ["text/plain", "text/html"]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.status == Status.SENT
    assert statuses(message) == ["queued", "sent"]
    # The header's link is the signed one-click link for this address and list, and it works.
    link = urlsplit(str(mail["List-Unsubscribe"]).strip().removeprefix("<").removesuffix(">"))
    assert (link.scheme, link.netloc) == ("https", "townhall.example.org")
    assert client.post(link.path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert Unsubscribe.objects.filter(address_hash=address_hash("erin@example.org"), list_key="campaign:7").exists()


@pytest.mark.django_db(transaction=True)
def test_it_hands_a_message_sent_outside_any_transaction_over_at_once(sink: SmtpSink) -> None:
    message = queued_notice()  # autocommit: Django runs on_commit callbacks on the spot

    assert sink.message_ids() == [message.message_id]
    message.refresh_from_db()
    assert message.status == Status.SENT


def test_it_sends_once_when_its_task_runs_twice(db: None, sink: SmtpSink) -> None:
    message = queued_notice()

    delivery.deliver([message.pk])
    delivery.deliver([message.pk])

    assert sink.data_commands == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_sends_once_when_two_workers_hold_the_same_task_at_once(sink: SmtpSink, monkeypatch: Any) -> None:
    monkeypatch.setattr(outbox, "publish_after_commit", lambda message_id, stream: None)
    message = queued_notice()
    # Both workers have read the row as queued before either claims it: the claim alone decides.
    both_loaded = threading.Barrier(2, timeout=10)
    claim = delivery._claim

    def claim_after_both_loaded(row: OutboundMessage) -> bool:
        both_loaded.wait()
        return claim(row)

    monkeypatch.setattr(delivery, "_claim", claim_after_both_loaded)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            delivery.deliver([message.pk])
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sink.data_commands == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)
    assert statuses(message) == ["sent"]


@pytest.mark.parametrize("phase", ["rcpt", "data"])
def test_it_retries_later_when_the_server_says_try_later(db: None, sink: SmtpSink, phase: str) -> None:
    setattr(sink, f"{phase}_reply", "451 try later")
    message = queued_notice()
    before = timezone.now()

    delivery.deliver([message.pk])

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.RETRY, 1)
    assert before + dt.timedelta(seconds=60) <= message.next_attempt_at <= timezone.now() + dt.timedelta(seconds=60)
    assert "451" in message.last_error
    assert "try later" in message.last_error
    retry = message.events.get(status=Status.RETRY)
    assert "attempt 1 failed, next in 0:01:00" in retry.detail
    assert sink.received == []

    setattr(sink, f"{phase}_reply", None)
    with time_machine.travel(message.next_attempt_at + dt.timedelta(seconds=1)):
        delivery.deliver([message.pk])
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 2)
    assert sink.message_ids() == [message.message_id]


@pytest.mark.parametrize("phase", ["rcpt", "data"])
def test_it_fails_for_good_when_the_server_refuses_the_recipient(db: None, sink: SmtpSink, phase: str) -> None:
    setattr(sink, f"{phase}_reply", "550 no such user")
    message = queued_notice()

    delivery.deliver([message.pk])

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert "550" in message.last_error
    assert "no such user" in message.last_error
    assert statuses(message) == ["failed"]
    assert sink.received == []


def die_once_the_server_accepted(monkeypatch: Any) -> None:
    accept = SmtpBackend.send_messages

    def send_then_die(self: SmtpBackend, email_messages: Sequence[DjangoEmailMessage]) -> int:
        accept(self, email_messages)
        raise WorkerDied

    monkeypatch.setattr(SmtpBackend, "send_messages", send_then_die)


def claimed_long_ago(message: OutboundMessage, settings: Any) -> None:
    message.refresh_from_db()
    assert message.status == Status.SENDING
    ago = dt.timedelta(seconds=settings.EMAIL_IN_DOUBT_AFTER_SECONDS + 60)
    OutboundMessage.objects.filter(pk=message.pk).update(claimed_at=timezone.now() - ago)


def test_it_resends_a_message_left_in_doubt_once_with_the_same_message_id(
    db: None, sink: SmtpSink, settings: Any, monkeypatch: Any
) -> None:
    message = queued_notice()
    with monkeypatch.context() as patch:
        die_once_the_server_accepted(patch)
        with pytest.raises(WorkerDied):
            delivery.deliver([message.pk])
    claimed_long_ago(message, settings)

    report = sweeps.sweep_outbox()
    again = sweeps.sweep_outbox()

    assert (report.resent_in_doubt, report.published) == (1, 1)
    assert again == sweeps.SweepReport(published=0, resent_in_doubt=0, failed_in_doubt=0)
    assert sink.message_ids() == [message.message_id, message.message_id]
    message.refresh_from_db()
    assert (message.status, message.doubt_resends, message.attempts) == (Status.SENT, 1, 2)
    assert statuses(message) == ["retry", "sent"]


def test_it_fails_a_message_left_in_doubt_twice(db: None, sink: SmtpSink, settings: Any, monkeypatch: Any) -> None:
    message = queued_notice()
    die_once_the_server_accepted(monkeypatch)
    with pytest.raises(WorkerDied):
        delivery.deliver([message.pk])
    claimed_long_ago(message, settings)
    with pytest.raises(WorkerDied):
        sweeps.sweep_outbox()  # the resend's worker dies the same way
    claimed_long_ago(message, settings)

    report = sweeps.sweep_outbox()

    assert (report.failed_in_doubt, report.published) == (1, 0)
    assert sink.message_ids() == [message.message_id, message.message_id]
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.last_error == "in doubt twice; not resent again"
    assert statuses(message) == ["retry", "failed"]
