"""The mail donors get: a receipt for each payment, and word when a monthly payment fails."""

from __future__ import annotations

from typing import Any

from donations.mail_kinds import PAYMENT_FAILED_MAIL, RECEIPT_MAIL
from donations.models import Donation, DonationSettings, Frequency, RecurringGift
from donations.money import format_amount
from donations.portal import portal_link
from emails.outbox import send


def send_receipt(donation: Donation) -> None:
    if not donation.donor_email:
        return  # erased, or Stripe did not say: nobody to write to
    send(
        RECEIPT_MAIL,
        to=donation.donor_email,
        context=receipt_context(donation),
        language=_language(donation.language),
        key=f"{RECEIPT_MAIL}:{donation.stripe_invoice_id or donation.stripe_payment_intent_id}",
    )


def receipt_context(donation: Donation) -> dict[str, Any]:
    campaign = donation.campaign
    rules = DonationSettings.for_campaign(campaign) if campaign is not None else None
    customer = donation.stripe_customer_id or (donation.gift.stripe_customer_id if donation.gift else "")
    monthly = donation.kind == Frequency.MONTHLY
    return {
        "name": donation.donor_name or "",
        "campaign": {"title": campaign.title if campaign else "Townhall"},
        "amount": format_amount(donation.amount, donation.currency),
        "paid_at": donation.paid_at or donation.created_at,
        "monthly": monthly,
        "reference": donation.stripe_invoice_id or donation.stripe_payment_intent_id,
        "manage_url": portal_link(customer) if monthly and customer else "",
        "tax_deductible": bool(rules and rules.tax_deductible),
        "receipt_note": rules.receipt_note if rules else "",
    }


def tell_payment_failed(gift: RecurringGift, *, invoice: str) -> None:
    if not gift.donor_email:
        return
    context = {
        "name": gift.donor_name or "",
        "campaign": {"title": gift.campaign.title if gift.campaign else "Townhall"},
        "amount": format_amount(gift.amount, gift.currency),
        "manage_url": portal_link(gift.stripe_customer_id) if gift.stripe_customer_id else "",
    }
    send(
        PAYMENT_FAILED_MAIL,
        to=gift.donor_email,
        context=context,
        language=_language(gift.language),
        key=f"{PAYMENT_FAILED_MAIL}:{invoice}",
    )


def _language(code: str) -> str:
    return code if code in ("en", "es") else "en"
