"""Bulk sends: released at their rate, paused, resumed and cancelled without losing or doubling anyone."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from emails import bulk
from emails.models import BulkSend, OutboundMessage, Status, Suppression, Unsubscribe
from privacy.addresses import address_hash
from tests.emails import sample_kinds


def recipients(count: int, start: int = 0) -> list[bulk.Recipient]:
    return [
        bulk.Recipient(address=f"supporter{n}@example.org", language="es" if n % 2 else "en", key=f"news:1:{n}")
        for n in range(start, start + count)
    ]


@pytest.fixture
def mailing(db) -> BulkSend:
    send = bulk.create(list_key="campaign:1", kind=sample_kinds.NEWS.name, rate_per_minute=60)
    bulk.add(send, recipients(30), context=sample_kinds.context())
    return send


def delivered_to(mailoutbox) -> list[str]:
    return sorted(address for mail in mailoutbox for address in mail.to)


def test_it_holds_every_message_until_the_send_starts(mailing, mailoutbox):
    assert bulk.progress(mailing)["held"] == 30
    assert bulk.release(mailing.pk) == 0
    assert mailoutbox == []


def test_it_releases_messages_at_the_send_rate(mailing, mailoutbox, django_capture_on_commit_callbacks):
    now = timezone.now()
    with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
        bulk.start(mailing)
    # 60 a minute, released every 10 seconds: 10 now.
    assert len(mailoutbox) == 10
    with (
        time_machine.travel(now + dt.timedelta(seconds=10), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        bulk.release(mailing.pk)
    assert len(mailoutbox) == 20
    # Beat was away for ten minutes: no burst beyond a minute's worth.
    with (
        time_machine.travel(now + dt.timedelta(minutes=10), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        bulk.release(mailing.pk)
        bulk.release(mailing.pk)
    assert len(mailoutbox) == 30
    assert delivered_to(mailoutbox) == sorted(f"supporter{n}@example.org" for n in range(30))
    # The next tick finds nothing left to send.
    bulk.release(mailing.pk)
    mailing.refresh_from_db()
    assert mailing.state == BulkSend.State.FINISHED
    assert bulk.progress(mailing)["sent"] == 30


def test_it_sends_everyone_once_across_a_pause_and_resume(db, mailoutbox, django_capture_on_commit_callbacks):
    send = bulk.create(list_key="campaign:1", kind=sample_kinds.NEWS.name, rate_per_minute=600)
    bulk.add(send, recipients(250), context=sample_kinds.context())
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        # Released but not yet delivered when the organizer pauses: those wait too.
        bulk.start(send)
        bulk.pause(send)
        with django_capture_on_commit_callbacks(execute=True):
            pass
    assert mailoutbox == []
    with (
        time_machine.travel(now + dt.timedelta(seconds=10), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert bulk.release(send.pk) == 0
        bulk.resume(send)
    for tick in range(2, 40):
        with (
            time_machine.travel(now + dt.timedelta(seconds=10 * tick), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            bulk.release(send.pk)

    assert len(mailoutbox) == 250
    assert delivered_to(mailoutbox) == sorted(f"supporter{n}@example.org" for n in range(250))


def test_it_cancels_what_is_not_sent_yet(mailing, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        bulk.start(mailing)
    assert bulk.cancel(mailing) == 20

    with django_capture_on_commit_callbacks(execute=True):
        assert bulk.release(mailing.pk) == 0
    assert len(mailoutbox) == 10
    assert bulk.progress(mailing)["cancelled"] == 20
    with pytest.raises(bulk.BulkStateError):
        bulk.resume(mailing)


def test_it_skips_suppressed_and_unsubscribed_addresses_at_send_time(
    mailing, mailoutbox, django_capture_on_commit_callbacks
):
    Suppression.objects.create(address_hash=address_hash("supporter1@example.org"), reason="bounce")
    Unsubscribe.objects.create(address_hash=address_hash("SUPPORTER2@example.org"), list_key="campaign:1")
    Unsubscribe.objects.create(address_hash=address_hash("supporter3@example.org"), list_key="*")
    Unsubscribe.objects.create(address_hash=address_hash("supporter4@example.org"), list_key="campaign:2")

    with django_capture_on_commit_callbacks(execute=True):
        bulk.start(mailing)

    assert len(mailoutbox) == 7
    sent_to = delivered_to(mailoutbox)
    assert "supporter4@example.org" in sent_to  # left another campaign's list only
    assert not {"supporter1@example.org", "supporter2@example.org", "supporter3@example.org"} & set(sent_to)
    statuses = dict(
        OutboundMessage.objects.filter(idempotency_key__in=["news:1:1", "news:1:2"]).values_list(
            "idempotency_key", "status"
        )
    )
    assert statuses == {"news:1:1": Status.SUPPRESSED, "news:1:2": Status.UNSUBSCRIBED}


def test_it_renders_each_message_in_its_recipients_language(mailing, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        bulk.start(mailing)

    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert "invited" in by_address["supporter0@example.org"].body
    assert "invitad" in by_address["supporter1@example.org"].body


def test_it_refuses_transactional_kinds(db):
    with pytest.raises(ValueError, match="transactional"):
        bulk.create(list_key="campaign:1", kind=sample_kinds.NOTICE.name)


def test_it_still_honours_suppressions_and_unsubscribes_made_before_a_hash_key_rotation(
    db, settings, mailoutbox, django_capture_on_commit_callbacks
):
    Suppression.objects.create(address_hash=address_hash("supporter1@example.org"), reason="bounce")
    Unsubscribe.objects.create(address_hash=address_hash("supporter2@example.org"), list_key="*")
    settings.KEYED_HASH_KEYS = [("rotated", b"n" * 32), *settings.KEYED_HASH_KEYS]
    send = bulk.create(list_key="campaign:1", kind=sample_kinds.NEWS.name, rate_per_minute=600)
    bulk.add(send, recipients(3), context=sample_kinds.context())

    with django_capture_on_commit_callbacks(execute=True):
        bulk.start(send)

    assert delivered_to(mailoutbox) == ["supporter0@example.org"]
