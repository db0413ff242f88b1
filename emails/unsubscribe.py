"""Unsubscribing by a signed link: from one list key or from everything, at once, no login."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from emails.links import LinkInvalid, unsign
from emails.models import EVERY_LIST, Status, Unsubscribe
from emails.models.outbound import OutboundMessage
from emails.outbox import UNSUBSCRIBE_PURPOSE


@dataclass(frozen=True)
class UnsubscribeLink:
    address_hash: str
    list_key: str


def read_link(token: str) -> UnsubscribeLink:
    """Raises LinkInvalid for a tampered token. Unsubscribe links never expire (RFC 8058)."""
    payload = unsign(UNSUBSCRIBE_PURPOSE, token, max_age=None)
    address_hash, list_key = payload.get("a"), payload.get("l")
    if not isinstance(address_hash, str) or not isinstance(list_key, str):
        raise LinkInvalid("payload lacks an address or a list")
    return UnsubscribeLink(address_hash=address_hash, list_key=list_key)


@transaction.atomic
def unsubscribe(link: UnsubscribeLink, *, everything: bool = False) -> None:
    list_key = EVERY_LIST if everything else link.list_key
    Unsubscribe.objects.get_or_create(address_hash=link.address_hash, list_key=list_key)
    # Honoured at once: what is still waiting for this address on that list is not sent.
    waiting = OutboundMessage.objects.filter(to_hash=link.address_hash, status=Status.HELD)
    waiting = waiting.exclude(list_key="") if everything else waiting.filter(list_key=list_key)
    waiting.update(status=Status.UNSUBSCRIBED, last_error=f"unsubscribed from {list_key}")


def is_unsubscribed(address_hash: str, list_key: str) -> bool:
    return Unsubscribe.objects.filter(address_hash=address_hash, list_key__in=(list_key, EVERY_LIST)).exists()
