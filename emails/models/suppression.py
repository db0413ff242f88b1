"""Addresses we must not mail: suppressed by a bounce or complaint, or unsubscribed from a list."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

EVERY_LIST = "*"


class Suppression(models.Model):
    """Keeps only the address's keyed hash: enough to recognize it, never to mail it."""

    class Reason(models.TextChoices):
        BOUNCE = "bounce", "hard bounce"
        COMPLAINT = "complaint", "spam complaint"
        MANUAL = "manual", "suppressed by an operator"

    address_hash = models.CharField(max_length=80, unique=True)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"suppressed ({self.reason})"


class Unsubscribe(models.Model):
    """One list key (e.g. `campaign:12`) or every list (`*`) an address left."""

    address_hash = models.CharField(max_length=80)
    list_key = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["address_hash", "list_key"], name="unsubscribe_once_per_list")]

    def __str__(self) -> str:
        return f"unsubscribed from {self.list_key}"
