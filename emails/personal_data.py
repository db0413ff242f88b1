"""What the e-mail pipeline holds about an address, declared to privacy (registered in EmailsConfig.ready).

Export: the messages sent to the address (kind, dates, status, and subject and text while the
bodies are kept), its suppression entry and its unsubscribes. Erasure blanks the address and the
bodies of its messages and cuts them loose from its hash; the suppression entry and the
unsubscribes stay, so the address is never mailed against its will again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emails.models import UNFINISHED, MessageEvent, OutboundMessage, Status, Suppression, Unsubscribe
from privacy import facts, registry

KEPT_ON_ERASURE = {
    "suppression": _(
        "Only a keyed hash of the address, never the address: it is how we make sure a bounced or "
        "complaining address is never mailed again."
    ),
    "unsubscribes": _("Only a keyed hash of the address and the list left: an unsubscribe must outlive erasure."),
}


def export(address_hashes: Sequence[str]) -> registry.Records:
    messages = OutboundMessage.objects.filter(to_hash__in=address_hashes).order_by("created_at", "pk")
    suppressed = Suppression.objects.filter(address_hash__in=address_hashes).order_by("created_at")
    unsubscribed = Unsubscribe.objects.filter(address_hash__in=address_hashes).order_by("created_at")
    return {
        "messages": [_message(message) for message in messages],
        "suppression": [{"reason": entry.reason, "since": entry.created_at.isoformat()} for entry in suppressed],
        "unsubscribes": [{"list": entry.list_key, "since": entry.created_at.isoformat()} for entry in unsubscribed],
    }


@transaction.atomic
def erase(address_hashes: Sequence[str]) -> dict[str, int]:
    mine = OutboundMessage.objects.filter(to_hash__in=address_hashes)
    ids = list(mine.values_list("pk", flat=True))
    # Not yet sent: it never will be (erasing an address must not leave mail on its way to it).
    mine.filter(status__in=UNFINISHED).update(status=Status.CANCELLED)
    # Error texts and status details may quote the address (a refused recipient, say).
    MessageEvent.objects.filter(message_id__in=ids).update(detail="")
    erased = OutboundMessage.objects.filter(pk__in=ids).update(
        to_address="",
        to_hash="",
        reply_to="",
        subject="",
        text_body="",
        html_body="",
        last_error="",
        body_purged_at=timezone.now(),
    )
    return {"messages": erased}


def _message(message: OutboundMessage) -> dict[str, Any]:
    record: dict[str, Any] = {
        "kind": message.kind,
        "status": message.status,
        "created_at": message.created_at.isoformat(),
        "sent_at": message.sent_at.isoformat() if message.sent_at else None,
        "to": message.to_address,
    }
    if message.body_purged_at is None:
        record |= {"subject": message.subject, "text": message.text_body}
    else:
        record["body_deleted_at"] = message.body_purged_at.isoformat()
    return record


def register_personal_data() -> None:
    registry.register(
        registry.PersonalDataHolder(name="emails", export=export, erase=erase, kept_on_erasure=KEPT_ON_ERASURE)
    )
    facts.register(
        facts.Fact(
            model="emails.OutboundMessage",
            fields=("to_address", "to_hash", "reply_to"),
            what=_("The address each message we send goes to (and, for a letter, the address replies go to)."),
            why=_("To deliver the message, and to answer “what did you send me?”."),
            retention=_("Until you erase your data."),
            who_can_see=_(
                "The server operator; an official you write to sees your address as the one to reply to. "
                "Organizers see how many messages went out, not to whom."
            ),
        ),
        facts.Fact(
            model="emails.OutboundMessage",
            fields=("subject", "text_body", "html_body"),
            what=_("The text of each message we send."),
            why=_("So what is delivered is exactly what was written, and to show you what we sent."),
            retention=_("Deleted %(days)s days after the message was sent."),
            retention_setting="EMAIL_BODY_RETENTION_DAYS",
            who_can_see=_("The server operator."),
        ),
        facts.Fact(
            model="emails.Suppression",
            fields=("address_hash",),
            what=_("A keyed hash of an address whose mail bounced or was reported as spam."),
            why=_("So we never mail that address again."),
            retention=_("Kept, even after you erase your data: it is what keeps us from mailing you."),
            who_can_see=_("The server operator; a hash cannot be read back into an address."),
        ),
        facts.Fact(
            model="emails.Unsubscribe",
            fields=("address_hash",),
            what=_("A keyed hash of your address and the updates you unsubscribed from."),
            why=_("So an unsubscribe is honoured for good."),
            retention=_("Kept, even after you erase your data."),
            who_can_see=_("The server operator; a hash cannot be read back into an address."),
        ),
    )
