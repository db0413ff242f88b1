"""The provider's tracking webhooks: hard bounces and complaints stop mail, and only verified posts count."""

from __future__ import annotations

import json

import pytest

from emails import bulk
from emails.models import EVERY_LIST, MessageEvent, OutboundMessage, Status, Suppression, Unsubscribe
from emails.outbox import send
from privacy.addresses import address_hash
from tests.campaigns.database import rows_containing
from tests.emails import mailgun, sample_kinds

BOB = "bob@example.org"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _webhooks(settings):
    mailgun.configure(settings)


@pytest.fixture
def delivered(mailoutbox, django_capture_on_commit_callbacks) -> OutboundMessage:
    """A receipt to Bob, accepted by the mail server."""
    with django_capture_on_commit_callbacks(execute=True):
        message = send(sample_kinds.NOTICE.name, to=BOB, context=sample_kinds.context(), language="en", key="n:1")
    message.refresh_from_db()
    assert message.status == Status.SENT
    mailoutbox.clear()
    return message


def mail_bulk_to(address: str, django_capture_on_commit_callbacks) -> OutboundMessage:
    send_ = bulk.create(list_key="campaign:1", kind=sample_kinds.NEWS.name)
    bulk.add(
        send_, [bulk.Recipient(address=address, language="en", key=f"news:{address}")], context=sample_kinds.context()
    )
    with django_capture_on_commit_callbacks(execute=True):
        bulk.start(send_)
    return OutboundMessage.objects.get(bulk=send_)


def test_it_suppresses_an_address_that_hard_bounced(client, delivered, mailoutbox, django_capture_on_commit_callbacks):
    response = mailgun.post(client, mailgun.hard_bounce(BOB, provider_id=delivered.provider_id))

    assert response.status_code == 200
    suppression = Suppression.objects.get()
    assert (suppression.address_hash, suppression.reason) == (address_hash(BOB), Suppression.Reason.BOUNCE)
    assert [event.status for event in delivered.events.all()] == ["sent", "bounced"]
    # The next mailing to Bob is not mailed.
    later = mail_bulk_to("Bob@Example.org", django_capture_on_commit_callbacks)
    later.refresh_from_db()
    assert later.status == Status.SUPPRESSED
    assert mailoutbox == []


def test_it_suppresses_an_address_whose_owner_complained(
    client, delivered, mailoutbox, django_capture_on_commit_callbacks
):
    response = mailgun.post(client, mailgun.complaint(BOB, provider_id=delivered.provider_id))

    assert response.status_code == 200
    assert Suppression.objects.get().reason == Suppression.Reason.COMPLAINT
    assert delivered.events.last().status == "complained"
    later = mail_bulk_to(BOB, django_capture_on_commit_callbacks)
    later.refresh_from_db()
    assert later.status == Status.SUPPRESSED
    assert mailoutbox == []


def test_it_suppresses_an_address_once_however_often_the_provider_reports_it(client, delivered):
    for _ in range(2):
        assert mailgun.post(client, mailgun.hard_bounce(BOB, provider_id=delivered.provider_id)).status_code == 200
    assert mailgun.post(client, mailgun.complaint(BOB)).status_code == 200

    assert list(Suppression.objects.values_list("reason", flat=True)) == [Suppression.Reason.BOUNCE]


def test_it_finds_the_latest_message_to_the_address_when_the_providers_id_is_unknown(client, delivered):
    response = mailgun.post(client, mailgun.hard_bounce(BOB, provider_id="<unknown@mg.example.org>"))

    assert response.status_code == 200
    assert delivered.events.last().status == "bounced"


@pytest.mark.postgres
def test_it_keeps_the_bounced_address_out_of_every_stored_row(client, delivered):
    mailgun.post(client, mailgun.hard_bounce(BOB, provider_id=delivered.provider_id))

    assert Suppression.objects.exists()
    # The mail server's reply quoted the address; what is stored says [email] instead.
    assert "[email]" in Suppression.objects.get().detail
    assert rows_containing(BOB) == []


@pytest.mark.parametrize(
    "signed",
    [
        pytest.param(mailgun.signature(key="not-the-signing-key"), id="signed with another key"),
        pytest.param({"timestamp": "1700000000", "token": "abc", "signature": "0" * 64}, id="made-up signature"),
    ],
)
def test_it_refuses_a_post_without_a_valid_signature(client, delivered, signed):
    response = mailgun.post(client, mailgun.hard_bounce(BOB, provider_id=delivered.provider_id), signed=signed)

    assert response.status_code == 400
    assert not Suppression.objects.exists()
    assert delivered.events.last().status == "sent"


def test_it_refuses_an_unsigned_post(client, delivered):
    response = mailgun.post_body(client, {"event-data": mailgun.hard_bounce(BOB, provider_id=delivered.provider_id)})

    assert response.status_code == 400
    assert not Suppression.objects.exists()


@pytest.mark.parametrize("auth", [None, "mailgun:wrong-password"], ids=["no basic auth", "wrong password"])
def test_it_refuses_a_signed_post_without_our_basic_auth(client, delivered, auth):
    response = mailgun.post(client, mailgun.hard_bounce(BOB), auth=auth)

    assert response.status_code == 400
    assert not Suppression.objects.exists()


def test_it_only_records_a_soft_bounce(client, delivered, mailoutbox, django_capture_on_commit_callbacks):
    response = mailgun.post(client, mailgun.soft_bounce(BOB, provider_id=delivered.provider_id))

    assert response.status_code == 200
    assert not Suppression.objects.exists()
    assert delivered.events.last().status == "deferred"
    later = mail_bulk_to(BOB, django_capture_on_commit_callbacks)
    later.refresh_from_db()
    assert later.status == Status.SENT
    assert [mail.to for mail in mailoutbox] == [[BOB]]


def test_it_still_delivers_letters_to_an_official_whose_address_bounced(
    client, delivered, mailoutbox, django_capture_on_commit_callbacks
):
    mailgun.post(client, mailgun.hard_bounce(BOB, provider_id=delivered.provider_id))

    with django_capture_on_commit_callbacks(execute=True):
        letter = send(sample_kinds.LETTER.name, to=BOB, context=sample_kinds.context(), language="en", key="letter:1")

    letter.refresh_from_db()
    assert Suppression.objects.filter(address_hash=address_hash(BOB)).exists()
    assert letter.status == Status.SENT
    assert [mail.to for mail in mailoutbox] == [[BOB]]


def test_it_unsubscribes_from_every_list_when_the_provider_reports_an_unsubscribe(client, delivered):
    waiting = bulk.create(list_key="campaign:7", kind=sample_kinds.NEWS.name)
    bulk.add(waiting, [bulk.Recipient(address=BOB, language="en", key="news:7:bob")], context=sample_kinds.context())

    response = mailgun.post(client, mailgun.event("unsubscribed", BOB, provider_id=delivered.provider_id))

    assert response.status_code == 200
    assert list(Unsubscribe.objects.values_list("address_hash", "list_key")) == [(address_hash(BOB), EVERY_LIST)]
    assert OutboundMessage.objects.get(bulk=waiting).status == Status.UNSUBSCRIBED
    assert not Suppression.objects.exists()


def test_it_ignores_opens_and_clicks(client, delivered):
    for kind in ("opened", "clicked"):
        assert mailgun.post(client, mailgun.event(kind, BOB, provider_id=delivered.provider_id)).status_code == 200

    assert MessageEvent.objects.filter(message=delivered).count() == 1


@pytest.mark.parametrize(
    "path",
    [
        "/email/anymail/sendgrid/tracking/",  # another provider's tracking webhook
        "/email/anymail/mailgun/inbound/",  # inbound mail: Townhall processes none
        "/email/anymail/mailgun/inbound_mime/",
        "/email/anymail/postmark/inbound/",
    ],
)
def test_only_the_configured_providers_tracking_webhook_is_there(client, delivered, path):
    body = json.dumps({"signature": mailgun.signature(), "event-data": mailgun.hard_bounce(BOB)})
    answer = client.post(path, body, content_type="application/json", headers=mailgun.auth_headers())

    assert answer.status_code == 404
    assert not Suppression.objects.exists()


def test_without_a_provider_no_webhook_is_there(client, delivered, settings):
    settings.ANYMAIL_PROVIDER = ""

    assert mailgun.post(client, mailgun.hard_bounce(BOB)).status_code == 404
    assert not Suppression.objects.exists()


def test_mandrills_main_webhook_is_there_when_mandrill_is_the_provider(client, settings):
    answered_for_mailgun = client.post("/email/anymail/mandrill/", {"mandrill_events": "[]"})
    settings.ANYMAIL_PROVIDER = "mandrill"
    settings.ANYMAIL = {**settings.ANYMAIL, "MANDRILL_WEBHOOK_KEY": "test-mandrill-key"}
    answered_for_mandrill = client.post("/email/anymail/mandrill/", {"mandrill_events": "[]"})

    assert answered_for_mailgun.status_code == 404
    assert answered_for_mandrill.status_code != 404  # anymail's own view: it refuses the unauthenticated post
