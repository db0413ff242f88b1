"""Stripe's webhook events, stored before anything else happens, unique by Stripe's event id."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.fields import EncryptedTextField


class StripeEventQuerySet(models.QuerySet["StripeEvent"]):
    def unprocessed(self) -> StripeEventQuerySet:
        return self.filter(status__in=StripeEvent.UNPROCESSED)


class StripeEvent(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        PROCESSING = "processing", _("Processing")
        PROCESSED = "processed", _("Processed")
        RETRY = "retry", _("Waiting for a retry")
        FAILED = "failed", _("Failed")
        UNSUPPORTED = "unsupported", _("Unsupported API version")
        IGNORED = "ignored", _("Not a type we handle")

    UNPROCESSED: ClassVar[tuple[str, ...]] = (
        Status.RECEIVED,
        Status.PROCESSING,
        Status.RETRY,
        Status.FAILED,
        Status.UNSUPPORTED,
    )

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    api_version = models.CharField(max_length=40, blank=True)
    livemode = models.BooleanField(default=False)
    created_at_stripe = models.DateTimeField()
    # The event as Stripe sent it: it names donors, so encrypted, and emptied once handled.
    payload = EncryptedTextField(null=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    handler_error = models.JSONField(default=dict, blank=True)

    objects: ClassVar[StripeEventQuerySet] = StripeEventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        indexes = [models.Index(fields=["status", "received_at"], name="stripe_event_status")]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"

    def data(self) -> dict[str, Any]:
        loaded = json.loads(self.payload or "{}")
        return loaded if isinstance(loaded, dict) else {}
