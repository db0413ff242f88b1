"""Writing what Stripe reports so that any order of delivery leaves the same rows.

Each fact merges by a rule that does not depend on order: a payment's status only moves
forward (pending → succeeded or failed), refunds only grow, a dispute only moves towards its
close, snapshots of a subscription apply only when newer than the one already applied, and
attribution and donor details fill what is still empty. Callers hold the event's transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from donations.events import Attribution
from donations.models import ChargeAdjustment, Donation, RecurringGift

STATUS_RANK = {Donation.Status.PENDING: 0, Donation.Status.SUCCEEDED: 1, Donation.Status.FAILED: 1}
DISPUTE_RANK = {
    "": -1,
    "warning_needs_response": 0,
    "warning_under_review": 1,
    "needs_response": 2,
    "under_review": 3,
    "warning_closed": 4,
    "won": 5,
    "lost": 5,
}
FINAL = "~"  # sorts after every stamp: a deleted subscription's state is final


@dataclass(frozen=True)
class Donor:
    email: str | None = None
    name: str | None = None
    customer: str | None = None


@dataclass(frozen=True)
class Payment:
    """One payment as an event reports it. `authoritative`: its amount and time replace others'."""

    kind: str
    status: str
    amount: int
    currency: str
    attribution: Attribution
    donor: Donor
    payment_intent: str | None = None
    invoice: str | None = None
    checkout_session: str | None = None
    gift: RecurringGift | None = None
    paid_at: dt.datetime | None = None
    authoritative: bool = False


def record_payment(payment: Payment) -> tuple[Donation, bool]:
    """The payment's donation, and whether this report is what made it succeed."""
    donation = _locked_donation(payment)
    before = donation.status
    if STATUS_RANK[Donation.Status(payment.status)] > STATUS_RANK[Donation.Status(before)]:
        donation.status = payment.status
    if payment.authoritative:
        donation.amount, donation.currency = payment.amount, payment.currency
        donation.paid_at = payment.paid_at or donation.paid_at
    elif donation.paid_at is None and donation.status == Donation.Status.SUCCEEDED:
        donation.paid_at = payment.paid_at
    if payment.gift is not None and payment.gift.erased_at is not None and not donation.donor_email:
        donation.erased_at = donation.erased_at or payment.gift.erased_at  # a renewal of an erased donor's gift
    _fill(donation, payment.attribution, payment.donor)
    _fill_values(
        donation,
        gift=payment.gift,
        stripe_checkout_session_id=payment.checkout_session,
        stripe_payment_intent_id=payment.payment_intent,
        stripe_customer_id=payment.donor.customer,
    )
    donation.save()
    reconcile(donation)
    return donation, before != Donation.Status.SUCCEEDED and donation.status == Donation.Status.SUCCEEDED


def _locked_donation(payment: Payment) -> Donation:
    key: dict[str, str | None] = (
        {"stripe_invoice_id": payment.invoice}
        if payment.invoice
        else {"stripe_payment_intent_id": payment.payment_intent}
    )
    defaults = {
        "kind": payment.kind,
        "status": Donation.Status.PENDING,
        "amount": payment.amount,
        "currency": payment.currency,
    }
    try:
        with transaction.atomic():
            Donation.objects.get_or_create(**key, defaults=defaults)  # type: ignore[arg-type]
    except IntegrityError:
        pass  # created at this moment by another event's handler: lock theirs below
    # Locked: two events about one payment, handled at once, must merge one after the other.
    return Donation.objects.select_for_update().get(**key)  # type: ignore[arg-type]


@dataclass(frozen=True)
class GiftReport:
    """What an event says about a subscription; a snapshot's parts carry the event's stamp."""

    subscription: str
    stamp: str
    attribution: Attribution
    donor: Donor
    amount: int
    currency: str
    status: str | None = None
    terms: dict[str, Any] | None = field(default=None)  # amount, currency, cancel_at_period_end, current_period_end
    ended_at: dt.datetime | None = None


def record_gift(report: GiftReport) -> RecurringGift:
    defaults = {"amount": report.amount, "currency": report.currency, "status": "incomplete"}
    try:
        with transaction.atomic():
            RecurringGift.objects.get_or_create(stripe_subscription_id=report.subscription, defaults=defaults)
    except IntegrityError:
        pass
    gift = RecurringGift.objects.select_for_update().get(stripe_subscription_id=report.subscription)
    if report.ended_at is not None:
        gift.ended_at = gift.ended_at or report.ended_at
        gift.status, gift.status_as_of = "canceled", FINAL
    elif report.status and report.stamp > gift.status_as_of:
        gift.status, gift.status_as_of = report.status, report.stamp
    if report.terms is not None and report.stamp > gift.terms_as_of:
        for name, value in report.terms.items():
            setattr(gift, name, value)
        gift.terms_as_of = report.stamp
    _fill(gift, report.attribution, report.donor)
    _fill_values(gift, stripe_customer_id=report.donor.customer)
    gift.save()
    return gift


def record_adjustment(*, charge: str, currency: str, payment_intent: str | None, **facts: Any) -> ChargeAdjustment:
    """Merges a refund (`amount_refunded`) or a dispute (`dispute_id`, `dispute_status`, `dispute_amount`)."""
    try:
        with transaction.atomic():
            ChargeAdjustment.objects.get_or_create(
                stripe_charge_id=charge, defaults={"currency": currency, "payment_intent_id": payment_intent or ""}
            )
    except IntegrityError:
        pass
    adjustment = ChargeAdjustment.objects.select_for_update().get(stripe_charge_id=charge)
    adjustment.payment_intent_id = adjustment.payment_intent_id or payment_intent or ""
    adjustment.amount_refunded = max(adjustment.amount_refunded, facts.get("amount_refunded", 0))
    status = facts.get("dispute_status")
    if status is not None and DISPUTE_RANK.get(status, 0) > DISPUTE_RANK.get(adjustment.dispute_status, 0):
        adjustment.dispute_status = status
    if facts.get("dispute_id"):
        adjustment.dispute_id = facts["dispute_id"]
        adjustment.dispute_amount = max(adjustment.dispute_amount, facts.get("dispute_amount", 0))
    adjustment.save()
    return adjustment


def needs_invoice_lookup(adjustment: ChargeAdjustment) -> bool:
    """A charge of no one-time donation we know may be a monthly payment: ask Stripe for its invoice."""
    if adjustment.invoice_id or not adjustment.payment_intent_id:
        return False
    return not Donation.objects.filter(stripe_payment_intent_id=adjustment.payment_intent_id).exists()


def attach_invoice(adjustment: ChargeAdjustment, invoice: str | None) -> None:
    if invoice:
        ChargeAdjustment.objects.filter(pk=adjustment.pk).update(invoice_id=invoice)
        adjustment.invoice_id = invoice


def reconcile_adjustment(adjustment: ChargeAdjustment) -> None:
    matches = Q()
    if adjustment.payment_intent_id:
        matches |= Q(stripe_payment_intent_id=adjustment.payment_intent_id)
    if adjustment.invoice_id:
        matches |= Q(stripe_invoice_id=adjustment.invoice_id)
    if matches:
        for donation in Donation.objects.select_for_update().filter(matches):
            reconcile(donation)


def reconcile(donation: Donation) -> None:
    """The donation's refunded and withheld amounts, from every adjustment of its payment."""
    matches = Q(pk__in=[])
    if donation.stripe_payment_intent_id:
        matches |= Q(payment_intent_id=donation.stripe_payment_intent_id)
    if donation.stripe_invoice_id:
        matches |= Q(invoice_id=donation.stripe_invoice_id)
    adjustments = list(ChargeAdjustment.objects.filter(matches).order_by("stripe_charge_id"))
    refunded = min(donation.amount, sum(adjustment.amount_refunded for adjustment in adjustments))
    withheld = min(donation.amount - refunded, sum(adjustment.withheld for adjustment in adjustments))
    disputes = sorted((adjustment.dispute_status for adjustment in adjustments), key=lambda s: DISPUTE_RANK.get(s, 0))
    changes = {
        "amount_refunded": refunded,
        "amount_disputed": withheld,
        "dispute_status": disputes[-1] if disputes else "",
    }
    if donation.stripe_invoice_id and not donation.stripe_payment_intent_id:
        paid_by = next((a.payment_intent_id for a in adjustments if a.payment_intent_id), None)
        if paid_by:
            changes["stripe_payment_intent_id"] = paid_by
    if any(getattr(donation, name) != value for name, value in changes.items()):
        for name, value in changes.items():
            setattr(donation, name, value)
        Donation.objects.filter(pk=donation.pk).update(**changes)


def _fill(row: Donation | RecurringGift, attribution: Attribution, donor: Donor) -> None:
    _fill_values(row, campaign=attribution.campaign, supporter=attribution.supporter, language=attribution.language)
    if row.erased_at is None:
        # Never brought back once erased: a later renewal of an erased donor's gift stays anonymous.
        _fill_values(row, donor_email=donor.email, donor_name=donor.name)


def _fill_values(row: Any, **values: Any) -> None:
    for name, value in values.items():
        if value and not getattr(row, name):
            setattr(row, name, value)
