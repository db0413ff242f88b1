"""A campaign's donation settings: currency, suggested amounts, bounds, receipt wording, public total."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_PRESETS = [1000, 2500, 5000, 10000]


def validate_presets(value: Any) -> None:
    if not isinstance(value, list) or not 1 <= len(value) <= 8:
        raise ValidationError(_("Give from 1 to 8 suggested amounts."))
    if not all(isinstance(amount, int) and not isinstance(amount, bool) and amount > 0 for amount in value):
        raise ValidationError(_("Suggested amounts are positive whole numbers of cents."))


class DonationSettings(models.Model):
    """One row per campaign; a campaign without one takes the defaults (see `for_campaign`)."""

    campaign = models.OneToOneField("campaigns.Campaign", on_delete=models.CASCADE, related_name="donation_settings")
    enabled = models.BooleanField(default=True, help_text="Whether the campaign takes donations.")
    currency = models.CharField(max_length=3, default="usd", help_text="ISO 4217 code, lower case.")
    # Minor units (cents) everywhere, as Stripe counts them.
    preset_amounts = models.JSONField(default=list, validators=[validate_presets])
    minimum_amount = models.PositiveIntegerField(default=100)
    maximum_amount = models.PositiveIntegerField(default=1_000_000)
    tax_deductible = models.BooleanField(default=False)
    receipt_note = models.TextField(blank=True, help_text="Added to every receipt (e.g. the organization's tax id).")
    public_summary = models.BooleanField(default=False, help_text="Show the money raised publicly.")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "donation settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_amount__lte=models.F("maximum_amount")), name="donation_bounds_in_order"
            ),
            models.CheckConstraint(condition=models.Q(minimum_amount__gte=50), name="donation_minimum_at_least_50"),
        ]

    def __str__(self) -> str:
        return f"donation settings of campaign {self.campaign_id}"

    @property
    def audit_label(self) -> str:
        return str(self)

    @classmethod
    def for_campaign(cls, campaign: Any) -> DonationSettings:
        found = cls.objects.filter(campaign=campaign).first()
        return found or cls(campaign=campaign, preset_amounts=list(DEFAULT_PRESETS))

    def clean(self) -> None:
        if (
            self.minimum_amount is not None
            and self.maximum_amount is not None
            and self.minimum_amount > self.maximum_amount
        ):
            raise ValidationError({"maximum_amount": [_("Give a maximum at least as large as the minimum.")]})

    def check_amount(self, amount: int) -> None:
        if not self.minimum_amount <= amount <= self.maximum_amount:
            raise ValidationError(
                {
                    "amount": [
                        _("Give an amount from %(minimum)s to %(maximum)s (in cents).")
                        % {"minimum": self.minimum_amount, "maximum": self.maximum_amount}
                    ]
                }
            )
