"""The delivery log: each edition sent to each official, and what the mail pipeline did with it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from briefings.models.editions import Edition
from campaigns.models import Official
from emails.models import OutboundMessage


class Delivery(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="deliveries")
    official = models.ForeignKey(Official, null=True, on_delete=models.SET_NULL, related_name="+")
    official_name = models.CharField(max_length=200, help_text="As it was when sent.")
    message = models.ForeignKey(OutboundMessage, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-sent_at", "-pk")
        constraints = (models.UniqueConstraint(fields=("edition", "official"), name="one_delivery_per_official"),)

    def __str__(self) -> str:
        return f"{self.edition} to {self.official_name}"

    @property
    def delivery_status(self) -> str:
        return self.message.status if self.message else "unknown"
