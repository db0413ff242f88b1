"""Donations: one row per Stripe payment, and what refunds and disputes took back from it."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from donations.models.checkouts import Frequency
from privacy.addresses import ADDRESS_PURPOSE
from privacy.fields import EncryptedTextField, KeyedHashField

# Dispute states in which Stripe holds the disputed amount back from us.
FUNDS_WITHDRAWN = ("needs_response", "under_review", "lost")


class DonationQuerySet(models.QuerySet["Donation"]):
    def succeeded(self) -> DonationQuerySet:
        return self.filter(status=Donation.Status.SUCCEEDED)


class Donation(models.Model):
    """Unique per payment: the PaymentIntent of a one-time gift, the invoice of a monthly one.

    So a first monthly payment, reported both by checkout.session.completed and by invoice.paid,
    is one row. Amounts are integers in minor units (cents), as Stripe sends them.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")  # a bank debit on its way
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.SET_NULL, null=True, related_name="+")
    supporter = models.ForeignKey("supporters.Supporter", on_delete=models.SET_NULL, null=True, related_name="+")
    gift = models.ForeignKey(
        "donations.RecurringGift", on_delete=models.SET_NULL, null=True, blank=True, related_name="donations"
    )
    kind = models.CharField(max_length=10, choices=Frequency.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    amount_refunded = models.PositiveIntegerField(default=0)
    amount_disputed = models.PositiveIntegerField(default=0, help_text="Held back by an open or lost dispute.")
    dispute_status = models.CharField(max_length=30, blank=True)
    stripe_payment_intent_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    stripe_invoice_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    stripe_checkout_session_id = models.CharField(max_length=255, blank=True)
    stripe_customer_id = models.CharField(max_length=255, blank=True)
    # Who gave: kept for receipts and bookkeeping; erased on request (amounts and Stripe ids stay).
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
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    erased_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[DonationQuerySet] = DonationQuerySet.as_manager()  # type: ignore[assignment]

    audit_redacted_fields = ("donor_name", "donor_email", "donor_email_hash")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=Frequency.ONE_TIME) & Q(stripe_payment_intent_id__isnull=False))
                | (Q(kind=Frequency.MONTHLY) & Q(stripe_invoice_id__isnull=False)),
                name="donation_has_its_payment_id",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "paid_at"], name="donation_campaign_paid")]

    def __str__(self) -> str:
        return f"donation {self.pk}"

    @property
    def net_amount(self) -> int:
        if self.status != self.Status.SUCCEEDED:
            return 0
        return max(0, self.amount - self.amount_refunded - self.amount_disputed)


class ChargeAdjustment(models.Model):
    """What a refund or a dispute did to one charge, whichever order its events came in.

    Kept apart from Donation because Stripe may report a refund before the payment itself; the
    donation it belongs to (by PaymentIntent or invoice) takes it into account when either lands.
    """

    stripe_charge_id = models.CharField(max_length=255, unique=True)
    payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    invoice_id = models.CharField(max_length=255, blank=True, db_index=True)
    currency = models.CharField(max_length=3)
    amount_refunded = models.PositiveIntegerField(default=0)
    dispute_id = models.CharField(max_length=255, blank=True)
    dispute_status = models.CharField(max_length=30, blank=True)
    dispute_amount = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"adjustment of {self.stripe_charge_id}"

    @property
    def withheld(self) -> int:
        return self.dispute_amount if self.dispute_status in FUNDS_WITHDRAWN else 0
