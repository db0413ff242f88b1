"""The outbox in Django admin: the operator sees what happened to mail, never whom it was to or what it said."""

from __future__ import annotations

from html import escape

import pytest
from django.test import Client

from emails import bulk
from emails.models import MessageEvent, OutboundMessage, Status, Suppression, Unsubscribe, history
from emails.outbox import send
from privacy.addresses import address_hash
from tests.campaigns.database import rows_containing
from tests.conftest import sign_in_with_two_factors
from tests.emails import sample_kinds

ERIN = "erin@example.org"
# Words from the sample message's subject and body.
SUBJECT_WORDS = "You are invited"
BODY_WORDS = "End Ring partnerships in Ohio"

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(client: Client, operator) -> Client:
    return sign_in_with_two_factors(client, operator)


@pytest.fixture
def failed(mailoutbox, django_capture_on_commit_callbacks) -> OutboundMessage:
    """A message to Erin the mail server refused, in words that quote her address."""
    with django_capture_on_commit_callbacks(execute=True):
        message = send(sample_kinds.NOTICE.name, to=ERIN, context=sample_kinds.context(), language="en", key="n:1")
    refusal = f"SMTPRecipientsRefused: {{'{ERIN}': (550, b'no such user')}}"
    OutboundMessage.objects.filter(pk=message.pk).update(status=Status.FAILED, last_error=refusal)
    history(message, Status.FAILED, refusal)
    return message


def test_it_lists_messages_without_their_address_or_contents(console, failed):
    response = console.get("/admin/emails/outboundmessage/")

    assert response.status_code == 200
    assert sample_kinds.NOTICE.name.encode() in response.content
    assert failed.to_hash[:16].encode() in response.content
    for secret in (ERIN, SUBJECT_WORDS, BODY_WORDS):
        assert secret.encode() not in response.content


def test_it_shows_a_messages_history_without_its_address_or_contents(console, failed):
    response = console.get(f"/admin/emails/outboundmessage/{failed.pk}/change/")

    assert response.status_code == 200
    assert escape(failed.message_id).encode() in response.content
    assert failed.to_hash.encode() in response.content
    assert response.content.count(b"[email]") >= 2  # the last error, and the history
    for secret in (ERIN, SUBJECT_WORDS, BODY_WORDS):
        assert secret.encode() not in response.content


def test_it_finds_the_messages_to_an_address_by_its_hash(console, failed):
    response = console.get("/admin/emails/outboundmessage/", {"q": "Erin@Example.org"})
    elsewhere = console.get("/admin/emails/outboundmessage/", {"q": "frank@example.org"})

    assert list(response.context["cl"].result_list) == [failed]
    assert list(elsewhere.context["cl"].result_list) == []


def test_it_lets_nobody_add_change_or_delete_an_outbox_row(console, failed):
    assert console.get("/admin/emails/outboundmessage/add/").status_code == 403
    assert console.get(f"/admin/emails/outboundmessage/{failed.pk}/delete/").status_code == 403
    console.post(f"/admin/emails/outboundmessage/{failed.pk}/change/", {"status": Status.QUEUED})
    assert OutboundMessage.objects.get(pk=failed.pk).status == Status.FAILED
    assert MessageEvent.objects.filter(message=failed).count() == 2


def test_it_lists_suppressions_and_unsubscribes_by_hash(console):
    Suppression.objects.create(address_hash=address_hash(ERIN), reason=Suppression.Reason.BOUNCE)
    Unsubscribe.objects.create(address_hash=address_hash("frank@example.org"), list_key="campaign:1")

    suppressions = console.get("/admin/emails/suppression/")
    unsubscribes = console.get("/admin/emails/unsubscribe/")

    assert address_hash(ERIN)[:16].encode() in suppressions.content
    assert b"hard bounce" in suppressions.content
    assert b"campaign:1" in unsubscribes.content
    assert console.get("/admin/emails/unsubscribe/add/").status_code == 403


def test_it_suppresses_an_address_by_hand_keeping_only_its_hash(console):
    response = console.post("/admin/emails/suppression/add/", {"address": ERIN, "detail": "asked us by phone"})

    assert response.status_code == 302
    suppression = Suppression.objects.get()
    assert (suppression.address_hash, suppression.reason) == (address_hash(ERIN), Suppression.Reason.MANUAL)
    again = console.post("/admin/emails/suppression/add/", {"address": "ERIN@example.org"})
    assert again.status_code == 200
    assert b"already suppressed" in again.content


def test_it_lifts_a_suppression_when_the_operator_deletes_it(console, mailoutbox, django_capture_on_commit_callbacks):
    suppression = Suppression.objects.create(address_hash=address_hash(ERIN), reason=Suppression.Reason.BOUNCE)

    response = console.post(f"/admin/emails/suppression/{suppression.pk}/delete/", {"post": "yes"})
    with django_capture_on_commit_callbacks(execute=True):
        send(sample_kinds.NOTICE.name, to=ERIN, context=sample_kinds.context(), language="en", key="n:2")

    assert response.status_code == 302
    assert not Suppression.objects.exists()
    assert [mail.to for mail in mailoutbox] == [[ERIN]]


@pytest.mark.postgres
def test_it_stores_no_clear_address_for_a_suppression_by_hand(console):
    console.post("/admin/emails/suppression/add/", {"address": ERIN})

    assert Suppression.objects.exists()
    assert rows_containing(ERIN) == []


def test_it_shows_the_progress_of_a_bulk_send(console):
    mailing = bulk.create(list_key="campaign:1", kind=sample_kinds.NEWS.name)
    recipients = [bulk.Recipient(address=f"s{n}@example.org", language="en", key=f"news:{n}") for n in range(3)]
    bulk.add(mailing, recipients, context=sample_kinds.context())

    listed = console.get("/admin/emails/bulksend/")
    detail = console.get(f"/admin/emails/bulksend/{mailing.pk}/change/")

    assert listed.status_code == 200
    assert b'<td class="field-total">3</td>' in listed.content
    assert b"held for its bulk send: 3" in detail.content
    assert b"s0@example.org" not in listed.content + detail.content


def test_it_shows_the_outbox_to_the_operator_alone(client, alice, failed):
    alice.is_staff = True
    alice.save()
    staff = sign_in_with_two_factors(client, alice)

    assert staff.get("/admin/emails/outboundmessage/").status_code == 403
    assert staff.get("/admin/emails/suppression/").status_code == 403
