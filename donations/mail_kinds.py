"""The mail donations send, declared to the e-mail pipeline (registered in DonationsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from emails.kinds import Kind, Stream, register

RECEIPT_MAIL = "donations.receipt"
PAYMENT_FAILED_MAIL = "donations.payment_failed"
_MANAGE = "https://townhall.example.org/donations/manage/sample/"


def _receipt_sample() -> dict[str, Any]:
    return {
        "name": "Dana Scully",
        "campaign": {"title": "End Ring partnerships in Ohio"},
        "amount": "25.00 USD",
        "paid_at": timezone.now(),
        "monthly": True,
        "reference": "in_1SampleInvoice",
        "manage_url": _MANAGE,
        "tax_deductible": False,
        "receipt_note": "Townhall Action Fund, 123 Main St, Columbus OH.",
    }


def _payment_failed_sample() -> dict[str, Any]:
    return {
        "name": "Dana Scully",
        "campaign": {"title": "End Ring partnerships in Ohio"},
        "amount": "25.00 USD",
        "manage_url": _MANAGE,
    }


def register_kinds() -> None:
    register(
        Kind(
            name=RECEIPT_MAIL,
            stream=Stream.TRANSACTIONAL,
            template="donations/emails/receipt",
            description="A donor's receipt for a one-time gift or one monthly payment.",
            sample_context=_receipt_sample,
        )
    )
    register(
        Kind(
            name=PAYMENT_FAILED_MAIL,
            stream=Stream.TRANSACTIONAL,
            template="donations/emails/payment_failed",
            description="A monthly gift's payment failed: the donor is asked to update their card.",
            sample_context=_payment_failed_sample,
        )
    )
