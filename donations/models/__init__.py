from __future__ import annotations

from donations.models.checkouts import Checkout, Frequency
from donations.models.donations import ChargeAdjustment, Donation
from donations.models.events import StripeEvent
from donations.models.gifts import RecurringGift
from donations.models.settings import DonationSettings

__all__ = [
    "ChargeAdjustment",
    "Checkout",
    "Donation",
    "DonationSettings",
    "Frequency",
    "RecurringGift",
    "StripeEvent",
]
