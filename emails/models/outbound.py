"""The outbox: one row per message, written in the caller's transaction, delivered after commit."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from privacy.addresses import ADDRESS_PURPOSE
from privacy.fields import EncryptedTextField, KeyedHashField


class Status(models.TextChoices):
    HELD = "held", "held for its bulk send"
    QUEUED = "queued", "queued"
    SENDING = "sending", "claimed by a worker"
    RETRY = "retry", "waiting to retry"
    SENT = "sent", "accepted by the mail server"
    FAILED = "failed", "failed"
    SUPPRESSED = "suppressed", "not sent: address suppressed"
    UNSUBSCRIBED = "unsubscribed", "not sent: unsubscribed"
    REFUSED = "refused", "not sent: daily limit for the address"
    CANCELLED = "cancelled", "cancelled"


# Statuses a worker may still pick up; everything else is final or in a worker's hands.
DELIVERABLE = (Status.QUEUED, Status.RETRY)
UNFINISHED = (Status.HELD, Status.QUEUED, Status.SENDING, Status.RETRY)


class OutboundMessage(models.Model):
    idempotency_key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=100)
    stream = models.CharField(max_length=20)
    language = models.CharField(max_length=10)
    to_address = EncryptedTextField()
    to_hash = KeyedHashField(
        source="to_address", normalizer="privacy.addresses.canonical_email", purpose=ADDRESS_PURPOSE
    )
    from_email = models.CharField(max_length=320)
    reply_to = EncryptedTextField(blank=True, default="")
    subject = EncryptedTextField()
    text_body = EncryptedTextField()
    html_body = EncryptedTextField()
    # Extra headers (e.g. the place a letter concerns); never personal data.
    headers = models.JSONField(default=dict, blank=True)
    list_key = models.CharField(max_length=100, blank=True, help_text="Unsubscribe scope of bulk and update mail.")
    bulk = models.ForeignKey(
        "emails.BulkSend", null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    counts_toward_daily_limit = models.BooleanField(default=False)
    message_id = models.CharField(max_length=255, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # A worker that died after the server accepted the message leaves it in doubt: resent once.
    doubt_resends = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=255, blank=True)
    last_error = models.TextField(blank=True)
    body_purged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    audit_label = "outbound message"

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due",
                condition=Q(status__in=["queued", "retry", "sending"]),
            ),
            models.Index(fields=["to_hash", "created_at"], name="outbox_recipient_recent"),
            models.Index(fields=["bulk", "status"], name="outbox_bulk_status"),
            models.Index(fields=["provider_id"], name="outbox_provider_id"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"


class MessageEvent(models.Model):
    """Each change of the message's status after its creation (the row's created_at), oldest first."""

    message = models.ForeignKey(OutboundMessage, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20)
    at = models.DateTimeField(default=timezone.now)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.status} at {self.at:%Y-%m-%d %H:%M:%S}"


def history(message: OutboundMessage, status: str, detail: str = "", **extra: Any) -> MessageEvent:
    return MessageEvent.objects.create(message=message, status=status, detail=detail, **extra)
