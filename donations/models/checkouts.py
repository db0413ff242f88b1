"""A donor's visit to Stripe Checkout: what they asked for, and the key that makes its creation idempotent."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    ONE_TIME = "one_time", _("One-time")
    MONTHLY = "monthly", _("Monthly")


class Checkout(models.Model):
    # No personal data here: the supporter row holds the address; Stripe holds what the donor typed there.
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    supporter = models.ForeignKey("supporters.Supporter", on_delete=models.SET_NULL, null=True, related_name="+")
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    language = models.CharField(max_length=10)
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    stripe_session_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"checkout {self.pk}"
