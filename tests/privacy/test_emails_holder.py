"""The e-mail pipeline as a personal-data holder: what it exports, and what erasure leaves."""

from __future__ import annotations

from django.utils import timezone

from emails import personal_data
from emails.models import MessageEvent, OutboundMessage, Status, history
from emails.outbox import send
from privacy.addresses import address_hashes
from tests.campaigns.database import rows_containing

ERIN = "erin@example.org"


def refused_message() -> OutboundMessage:
    message = send(
        "supporters.confirmation", to=ERIN, context={"link": "x", "action": "sign", "days": 7}, language="en", key="t:1"
    )
    reason = "SMTPRecipientsRefused: {'erin@example.org': (550, b'no such user')}"
    OutboundMessage.objects.filter(pk=message.pk).update(status=Status.FAILED, last_error=reason)
    history(message, Status.FAILED, reason)
    return message


def test_it_exports_messages_with_their_text_until_it_is_deleted(db):
    message = refused_message()

    [exported] = personal_data.export(address_hashes("Erin@Example.org"))["messages"]
    assert (exported["kind"], exported["status"], exported["to"]) == ("supporters.confirmation", "failed", ERIN)
    assert exported["subject"] == "Please confirm: it only counts once you do"

    OutboundMessage.objects.filter(pk=message.pk).update(body_purged_at=timezone.now(), subject="", text_body="")
    [purged] = personal_data.export(address_hashes(ERIN))["messages"]
    assert "subject" not in purged and "body_deleted_at" in purged


def test_it_erases_the_address_wherever_a_message_quoted_it(db):
    message = refused_message()

    assert personal_data.erase(address_hashes(ERIN)) == {"messages": 1}

    assert rows_containing("erin") == []
    message.refresh_from_db()
    assert (message.to_address, message.to_hash, message.last_error, message.text_body) == ("", "", "", "")
    assert set(MessageEvent.objects.filter(message=message).values_list("detail", flat=True)) == {""}
    assert personal_data.export(address_hashes(ERIN))["messages"] == []
