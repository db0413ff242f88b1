"""What the provider reports after delivery (anymail's tracking webhooks), acted upon.

A hard bounce or a spam complaint suppresses the address; an unsubscribe through the provider
leaves every list; the rest is history on the message. Opens and clicks are not recorded.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from anymail.signals import AnymailTrackingEvent, EventType
from django.db import transaction
from django.utils import timezone

from emails.models import EVERY_LIST, OutboundMessage, Suppression, history
from emails.signals import address_rejected
from emails.unsubscribe import UnsubscribeLink, unsubscribe
from privacy.addresses import address_hash, address_hashes
from privacy.logging import redact

logger = logging.getLogger(__name__)

DETAIL_LENGTH = 500


def on_tracking(sender: Any, event: AnymailTrackingEvent, esp_name: str, **kwargs: Any) -> None:
    """Connected to anymail's `tracking` signal; runs only for requests anymail has verified."""
    handler = _HANDLERS.get(event.event_type)
    if handler is None:
        return
    if not event.recipient:
        logger.warning("%s %s event names no recipient; ignored", esp_name, event.event_type)
        return
    # One transaction: the provider is answered with an error if any part fails, and sends again.
    with transaction.atomic():
        handler(event, esp_name)


def suppress_bounce(event: AnymailTrackingEvent, esp_name: str) -> None:
    _suppress(event, esp_name, Suppression.Reason.BOUNCE)


def suppress_complaint(event: AnymailTrackingEvent, esp_name: str) -> None:
    _suppress(event, esp_name, Suppression.Reason.COMPLAINT)


def unsubscribe_everywhere(event: AnymailTrackingEvent, esp_name: str) -> None:
    unsubscribe(UnsubscribeLink(address_hash=address_hash(event.recipient), list_key=EVERY_LIST), everything=True)
    record(event, esp_name)


def record(event: AnymailTrackingEvent, esp_name: str) -> None:
    """Adds the event to the history of the message it is about, when we can tell which one."""
    message = _message_for(event)
    if message is not None:
        history(message, str(event.event_type), _detail(event, esp_name), at=_when(event))


def _suppress(event: AnymailTrackingEvent, esp_name: str, reason: Suppression.Reason) -> None:
    detail = _detail(event, esp_name)
    # Any key's hash counts: an address suppressed before a key rotation stays suppressed, once.
    if not Suppression.objects.filter(address_hash__in=address_hashes(event.recipient)).exists():
        Suppression.objects.get_or_create(
            address_hash=address_hash(event.recipient), defaults={"reason": reason, "detail": detail}
        )
    record(event, esp_name)
    address_rejected.send(sender=Suppression, address=event.recipient, reason=reason, at=_when(event))


def _message_for(event: AnymailTrackingEvent) -> OutboundMessage | None:
    if event.message_id:
        message = OutboundMessage.objects.filter(provider_id=event.message_id).first()
        if message is not None:
            return message
    # The provider's id is unknown to us (a provider that rewrites it, a row sent before it was
    # stored): the latest message sent to that address is the best guess.
    sent = OutboundMessage.objects.filter(to_hash__in=address_hashes(event.recipient), sent_at__isnull=False)
    return sent.order_by("-created_at", "-pk").first()


def _detail(event: AnymailTrackingEvent, esp_name: str) -> str:
    # Bounce texts quote the recipient ("550 <bob@example.org>: no such user"): never stored in clear.
    said = "; ".join(str(part) for part in (event.description, event.mta_response) if part)
    return redact(f"reported by {esp_name}: {said}" if said else f"reported by {esp_name}")[:DETAIL_LENGTH]


def _when(event: AnymailTrackingEvent) -> dt.datetime:
    when = event.timestamp
    return when if isinstance(when, dt.datetime) else timezone.now()


_HANDLERS: dict[str, Callable[[AnymailTrackingEvent, str], None]] = {
    EventType.BOUNCED: suppress_bounce,
    EventType.COMPLAINED: suppress_complaint,
    EventType.UNSUBSCRIBED: unsubscribe_everywhere,
    # A soft bounce, a refusal by the provider, a delivery: history only. A soft bounce that
    # turns hard arrives again as BOUNCED.
    EventType.DEFERRED: record,
    EventType.REJECTED: record,
    EventType.FAILED: record,
    EventType.DELIVERED: record,
}
