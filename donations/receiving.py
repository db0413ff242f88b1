"""Storing a verified Stripe event before anything else: unique by its id, so a replay changes nothing."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from django.db import IntegrityError, transaction

from accounts.audit import record_security_event
from donations import stripe_api
from donations.models import StripeEvent

logger = logging.getLogger(__name__)


class NotAnEvent(ValueError):
    """Signed by Stripe, yet without the fields every event has."""


def store_event(event: dict[str, Any]) -> tuple[StripeEvent, bool]:
    """The stored event and whether it is new; a new one of a supported version is queued for handling."""
    from donations.handlers import HANDLERS

    event_id, event_type, created = _required(event)
    given = event.get("api_version")
    api_version = given if isinstance(given, str) else ""
    if "\x00" in api_version:
        raise NotAnEvent("api_version")
    found = StripeEvent.objects.filter(event_id=event_id).first()
    if found is not None:
        if found.status == StripeEvent.Status.UNSUPPORTED and api_version == stripe_api.API_VERSION:
            return _supported_at_last(found, event), True
        return found, False
    if api_version != stripe_api.API_VERSION:
        status = StripeEvent.Status.UNSUPPORTED
    elif event_type in HANDLERS:
        status = StripeEvent.Status.RECEIVED
    else:
        status = StripeEvent.Status.IGNORED
    try:
        with transaction.atomic():
            stored = StripeEvent.objects.create(
                event_id=event_id,
                type=event_type,
                api_version=api_version[:40],
                livemode=bool(event.get("livemode")),
                created_at_stripe=created,
                payload=json.dumps(event) if status != StripeEvent.Status.IGNORED else None,
                status=status,
            )
            if status == StripeEvent.Status.UNSUPPORTED:
                _alert_unsupported(stored)
            elif status == StripeEvent.Status.RECEIVED:
                _queue_after_commit(stored.pk)
    except IntegrityError:
        # The same event delivered twice at once: the other request stored it.
        return StripeEvent.objects.get(event_id=event_id), False
    return stored, True


def _supported_at_last(found: StripeEvent, event: dict[str, Any]) -> StripeEvent:
    """Stripe resent an unsupported event once the operator fixed the endpoint's version: handle it now."""
    with transaction.atomic():
        revived = StripeEvent.objects.filter(pk=found.pk, status=StripeEvent.Status.UNSUPPORTED).update(
            status=StripeEvent.Status.RECEIVED, api_version=stripe_api.API_VERSION, payload=json.dumps(event)
        )
        if revived:
            _queue_after_commit(found.pk)
    found.refresh_from_db()
    return found


def _queue_after_commit(event_pk: int) -> None:
    from donations.tasks import process_stripe_event

    # Robust: a broker outage must not turn Stripe's delivery into a 500; beat's sweep publishes it later.
    transaction.on_commit(lambda: process_stripe_event.delay(event_pk), robust=True)


def _required(event: dict[str, Any]) -> tuple[str, str, dt.datetime]:
    event_id, event_type, created = event.get("id"), event.get("type"), event.get("created")
    # PostgreSQL stores no NUL character in text: such an "id" is garbage, not a 500.
    if not isinstance(event_id, str) or not 0 < len(event_id) <= 255 or "\x00" in event_id:
        raise NotAnEvent("id")
    if not isinstance(event_type, str) or not 0 < len(event_type) <= 100 or "\x00" in event_type:
        raise NotAnEvent("type")
    if not isinstance(created, int) or isinstance(created, bool) or not 0 <= created < 2**33:
        raise NotAnEvent("created")
    if not isinstance(event.get("data"), dict) or not isinstance(event["data"].get("object"), dict):
        raise NotAnEvent("data.object")
    return event_id, event_type, dt.datetime.fromtimestamp(created, tz=dt.UTC)


def _alert_unsupported(event: StripeEvent) -> None:
    """Stripe sent a version we do not read: keep it, tell the operator, and let Stripe stop retrying."""
    logger.error(
        "Stripe event %s (%s) has API version %r; Townhall reads %s. Stored as unsupported: set the webhook "
        "endpoint's API version in Stripe's dashboard, then reprocess it.",
        event.event_id,
        event.type,
        event.api_version,
        stripe_api.API_VERSION,
    )
    record_security_event(
        actor=None,
        via="stripe-webhook",
        event="stripe_event_unsupported_api_version",
        details={
            "event_id": event.event_id,
            "type": event.type,
            "api_version": event.api_version,
            "expected": stripe_api.API_VERSION,
        },
    )
