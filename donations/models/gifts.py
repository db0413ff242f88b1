"""A monthly gift: one Stripe subscription, its amount and state."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from privacy.addresses import ADDRESS_PURPOSE
from privacy.fields import EncryptedTextField, KeyedHashField


class RecurringGift(models.Model):
    """State comes from snapshots of the subscription in events that may arrive in any order.

    Each group of fields remembers the (event time, event id) of the snapshot it was taken
    from, and only a later snapshot replaces it: the newest snapshot wins whatever the order of
    delivery. A deleted subscription is final.
    """

    stripe_subscription_id = models.CharField(max_length=255, unique=True)
    stripe_customer_id = models.CharField(max_length=255, blank=True)
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.SET_NULL, null=True, related_name="+")
    supporter = models.ForeignKey("supporters.Supporter", on_delete=models.SET_NULL, null=True, related_name="+")
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=30, default="active")
    status_as_of = models.CharField(max_length=300, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    current_period_end = models.DateTimeField(null=True, blank=True)
    terms_as_of = models.CharField(max_length=300, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    donor_email = EncryptedTextField(null=True, blank=True)
    donor_email_hash = KeyedHashField(
        source="donor_email",
        normalizer="privacy.addresses.canonical_email",
        purpose=ADDRESS_PURPOSE,
        null=True,
        db_index=True,
    )
    donor_name = EncryptedTextField(null=True, blank=True)
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    erased_at = models.DateTimeField(null=True, blank=True)

    audit_redacted_fields = ("donor_name", "donor_email", "donor_email_hash")

    def __str__(self) -> str:
        return f"monthly gift {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None and self.status in ("active", "past_due", "trialing")
