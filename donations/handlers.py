"""One small function per Stripe event type; each merges what its event says (see bookkeeping)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from donations import bookkeeping, receipts, stripe_api
from donations.bookkeeping import Donor, GiftReport, Payment
from donations.events import (
    Attribution,
    MalformedEvent,
    amount,
    as_dict,
    currency,
    data_object,
    moment,
    object_id,
    required_id,
    stamp,
    text,
)
from donations.models import Donation, Frequency, StripeEvent

__all__ = ["HANDLERS", "MalformedEvent"]
Handler = Callable[[dict[str, Any], StripeEvent], None]


def checkout_completed(event: dict[str, Any], stored: StripeEvent) -> None:
    session = data_object(event)
    paid = session.get("payment_status") in ("paid", "no_payment_required")
    _session_payment(event, session, Donation.Status.SUCCEEDED if paid else Donation.Status.PENDING)


def async_payment_succeeded(event: dict[str, Any], stored: StripeEvent) -> None:
    _session_payment(event, data_object(event), Donation.Status.SUCCEEDED)


def async_payment_failed(event: dict[str, Any], stored: StripeEvent) -> None:
    _session_payment(event, data_object(event), Donation.Status.FAILED)


def _session_payment(event: dict[str, Any], session: dict[str, Any], status: str) -> None:
    attribution = Attribution.from_metadata(session.get("metadata"))
    details = as_dict(session.get("customer_details"))
    donor = Donor(
        email=text(details.get("email")) or text(session.get("customer_email")),
        name=text(details.get("name")),
        customer=object_id(session.get("customer")),
    )
    total, code = amount(session, "amount_total"), currency(session)
    payment = Payment(
        kind=Frequency.ONE_TIME,
        status=status,
        amount=total,
        currency=code,
        attribution=attribution,
        donor=donor,
        checkout_session=required_id(session, "id"),
        paid_at=moment(event.get("created")),
    )
    if session.get("mode") == "subscription":
        report = GiftReport(
            subscription=required_id(session, "subscription"),
            stamp=stamp(event),
            status="active",
            amount=total,
            currency=code,
            attribution=attribution,
            donor=donor,
        )
        gift = bookkeeping.record_gift(report)
        if status == Donation.Status.PENDING or total == 0:
            return
        payment = replace(payment, kind=Frequency.MONTHLY, invoice=required_id(session, "invoice"), gift=gift)
    elif session.get("mode") == "payment":
        payment = replace(payment, payment_intent=required_id(session, "payment_intent"))
    else:
        return  # setup mode: no money moves
    _record(payment)


def invoice_paid(event: dict[str, Any], stored: StripeEvent) -> None:
    invoice = data_object(event)
    subscription, metadata = _subscription_of(invoice)
    if subscription is None:
        return  # an invoice of no monthly gift of ours
    attribution = Attribution.from_metadata(metadata)
    donor = _invoice_donor(invoice)
    paid, code = amount(invoice, "amount_paid"), currency(invoice)
    report = GiftReport(
        subscription=subscription,
        stamp=stamp(event),
        status="active",
        amount=paid,
        currency=code,
        attribution=attribution,
        donor=donor,
    )
    gift = bookkeeping.record_gift(report)
    if paid == 0:
        return  # a free first month or a fully credited invoice: no money, no donation
    transitions = as_dict(invoice.get("status_transitions"))
    payment = Payment(
        kind=Frequency.MONTHLY,
        status=Donation.Status.SUCCEEDED,
        amount=paid,
        currency=code,
        attribution=attribution,
        donor=donor,
        invoice=required_id(invoice, "id"),
        gift=gift,
        paid_at=moment(transitions.get("paid_at")) or moment(event.get("created")),
        authoritative=True,
    )
    _record(payment)


def invoice_payment_failed(event: dict[str, Any], stored: StripeEvent) -> None:
    invoice = data_object(event)
    subscription, metadata = _subscription_of(invoice)
    if subscription is None:
        return
    report = GiftReport(
        subscription=subscription,
        stamp=stamp(event),
        status="past_due",
        attribution=Attribution.from_metadata(metadata),
        donor=_invoice_donor(invoice),
        amount=amount(invoice, "amount_due"),
        currency=currency(invoice),
    )
    gift = bookkeeping.record_gift(report)
    if gift.ended_at is None:
        receipts.tell_payment_failed(gift, invoice=required_id(invoice, "id"))


def subscription_updated(event: dict[str, Any], stored: StripeEvent) -> None:
    bookkeeping.record_gift(_subscription_report(event, ended=False))


def subscription_deleted(event: dict[str, Any], stored: StripeEvent) -> None:
    bookkeeping.record_gift(_subscription_report(event, ended=True))


def _subscription_report(event: dict[str, Any], *, ended: bool) -> GiftReport:
    subscription = data_object(event)
    items = as_dict(subscription.get("items")).get("data")
    if not isinstance(items, list) or not items or not all(isinstance(item, dict) for item in items):
        raise MalformedEvent("a subscription without items")
    total = sum(amount(as_dict(item.get("price")), "unit_amount") * _quantity(item) for item in items)
    code = currency(as_dict(items[0].get("price")))
    terms = {
        "amount": total,
        "currency": code,
        "cancel_at_period_end": bool(subscription.get("cancel_at_period_end")),
        # Since 2025-03-31.basil the period belongs to each item, not to the subscription.
        "current_period_end": moment(items[0].get("current_period_end")),
    }
    ended_at = (moment(subscription.get("ended_at")) or moment(event.get("created"))) if ended else None
    return GiftReport(
        subscription=required_id(subscription, "id"),
        stamp=stamp(event),
        attribution=Attribution.from_metadata(subscription.get("metadata")),
        donor=Donor(customer=object_id(subscription.get("customer"))),
        amount=total,
        currency=code,
        status=str(subscription.get("status") or "")[:30] or None,
        terms=terms,
        ended_at=ended_at,
    )


def charge_refunded(event: dict[str, Any], stored: StripeEvent) -> None:
    charge = data_object(event)
    adjustment = bookkeeping.record_adjustment(
        charge=required_id(charge, "id"),
        currency=currency(charge),
        payment_intent=object_id(charge.get("payment_intent")),
        amount_refunded=amount(charge, "amount_refunded"),
    )
    _settle(adjustment)


def dispute_changed(event: dict[str, Any], stored: StripeEvent) -> None:
    dispute = data_object(event)
    adjustment = bookkeeping.record_adjustment(
        charge=required_id(dispute, "charge"),
        currency=currency(dispute),
        payment_intent=object_id(dispute.get("payment_intent")),
        dispute_id=required_id(dispute, "id"),
        dispute_status=str(dispute.get("status") or "")[:30],
        dispute_amount=amount(dispute, "amount"),
    )
    _settle(adjustment)


def _settle(adjustment: Any) -> None:
    if bookkeeping.needs_invoice_lookup(adjustment):
        bookkeeping.attach_invoice(adjustment, stripe_api.invoice_of_payment_intent(adjustment.payment_intent_id))
    bookkeeping.reconcile_adjustment(adjustment)


def _record(payment: Payment) -> None:
    donation, succeeded_now = bookkeeping.record_payment(payment)
    if succeeded_now:
        receipts.send_receipt(donation)


def _quantity(item: dict[str, Any]) -> int:
    quantity = item.get("quantity", 1)
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 0 <= quantity <= 10_000:
        raise MalformedEvent("quantity")
    return quantity


def _subscription_of(invoice: dict[str, Any]) -> tuple[str | None, Any]:
    details = as_dict(as_dict(invoice.get("parent")).get("subscription_details"))
    return object_id(details.get("subscription")), details.get("metadata")


def _invoice_donor(invoice: dict[str, Any]) -> Donor:
    return Donor(
        email=text(invoice.get("customer_email")),
        name=text(invoice.get("customer_name")),
        customer=object_id(invoice.get("customer")),
    )


HANDLERS: dict[str, Handler] = {
    "checkout.session.completed": checkout_completed,
    "checkout.session.async_payment_succeeded": async_payment_succeeded,
    "checkout.session.async_payment_failed": async_payment_failed,
    "invoice.paid": invoice_paid,
    "invoice.payment_failed": invoice_payment_failed,
    "customer.subscription.updated": subscription_updated,
    "customer.subscription.deleted": subscription_deleted,
    "charge.refunded": charge_refunded,
    "charge.dispute.created": dispute_changed,
    "charge.dispute.updated": dispute_changed,
    "charge.dispute.closed": dispute_changed,
}
