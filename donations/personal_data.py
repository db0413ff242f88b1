"""What donations hold about an address, declared to privacy (registered in DonationsConfig.ready).

Export: every donation and monthly gift given from the address. Erasure removes the donor's
name and address from them and keeps the amounts, dates and Stripe ids: bookkeeping (and tax
law) needs them, and the export says so. Raw Stripe events, which name donors too, are kept
encrypted only until handled; those never handled go after STRIPE_EVENT_RETENTION_DAYS.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from donations.models import Donation, RecurringGift, StripeEvent
from privacy import facts, registry

KEPT_ON_ERASURE = {
    "donations": _(
        "Donations stay without your name or e-mail address — the amount, the date, the campaign and Stripe's "
        "payment ids — because bookkeeping and tax law require a record of every payment."
    ),
    "monthly_gifts": _(
        "Monthly gifts stay without your name or e-mail address, for the same bookkeeping. Erasing your data "
        "does not cancel a monthly gift: cancel it from the link in your receipt first."
    ),
}


def export(address_hashes: Sequence[str]) -> registry.Records:
    donations = _mine(Donation, address_hashes).select_related("campaign").order_by("created_at", "pk")
    gifts = _mine(RecurringGift, address_hashes).select_related("campaign").order_by("created_at", "pk")
    return {
        "donations": [_donation(donation) for donation in donations],
        "monthly_gifts": [_gift(gift) for gift in gifts],
    }


@transaction.atomic
def erase(address_hashes: Sequence[str]) -> dict[str, int]:
    now = timezone.now()
    blank = {"donor_email": None, "donor_email_hash": None, "donor_name": None, "supporter": None, "erased_at": now}
    donations = _mine(Donation, address_hashes).update(**blank)
    gifts = _mine(RecurringGift, address_hashes).update(**blank)
    return {"donations": donations, "monthly_gifts": gifts}


def purge(now: dt.datetime) -> dict[str, int]:
    cutoff = now - dt.timedelta(days=settings.STRIPE_EVENT_RETENTION_DAYS)
    emptied = StripeEvent.objects.filter(payload__isnull=False, received_at__lt=cutoff).update(payload=None)
    return {"stripe_event_payloads": emptied}


def _mine(model: Any, address_hashes: Sequence[str]) -> Any:
    # The address Stripe was given, or the supporter who asked for the checkout.
    return model.objects.filter(Q(donor_email_hash__in=address_hashes) | Q(supporter__email_hash__in=address_hashes))


def _donation(donation: Donation) -> dict[str, Any]:
    return {
        "campaign": donation.campaign.title if donation.campaign else None,
        "kind": donation.kind,
        "status": donation.status,
        "amount": donation.amount,
        "currency": donation.currency,
        "amount_refunded": donation.amount_refunded,
        "amount_disputed": donation.amount_disputed,
        "name": donation.donor_name,
        "email": donation.donor_email,
        "paid_at": donation.paid_at.isoformat() if donation.paid_at else None,
        "stripe_payment_intent": donation.stripe_payment_intent_id,
        "stripe_invoice": donation.stripe_invoice_id,
        "stripe_customer": donation.stripe_customer_id or None,
    }


def _gift(gift: RecurringGift) -> dict[str, Any]:
    return {
        "campaign": gift.campaign.title if gift.campaign else None,
        "amount": gift.amount,
        "currency": gift.currency,
        "status": gift.status,
        "cancel_at_period_end": gift.cancel_at_period_end,
        "name": gift.donor_name,
        "email": gift.donor_email,
        "created_at": gift.created_at.isoformat(),
        "ended_at": gift.ended_at.isoformat() if gift.ended_at else None,
        "stripe_subscription": gift.stripe_subscription_id,
        "stripe_customer": gift.stripe_customer_id or None,
    }


def register_personal_data() -> None:
    registry.register(
        registry.PersonalDataHolder(
            name="donations",
            export=export,
            erase=erase,
            kept_on_erasure=KEPT_ON_ERASURE,
            purge=purge,
            runs_before=("supporters",),
        )
    )
    facts.register(*_FACTS)


_WHO = _("The server operator, and the campaign's owners in their donation exports.")
_FACTS = (
    facts.Fact(
        model="donations.Donation",
        fields=("donor_email", "donor_email_hash", "donor_name"),
        what=_("The name and e-mail address you gave Stripe when you donated, and a keyed hash of the address."),
        why=_("To send your receipt and to show you your donations when you ask."),
        retention=_("Until you erase your data; the amount and date stay for bookkeeping."),
        who_can_see=_WHO,
    ),
    facts.Fact(
        model="donations.Donation",
        fields=("amount", "currency", "paid_at", "stripe_payment_intent_id", "stripe_invoice_id"),
        what=_("How much you gave, when, and Stripe's ids for the payment."),
        why=_("Bookkeeping: every payment must be accounted for."),
        retention=_("As long as the law requires a record of payments, also after you erase your data."),
        who_can_see=_WHO,
    ),
    facts.Fact(
        model="donations.RecurringGift",
        fields=("donor_email", "donor_email_hash", "donor_name"),
        what=_("The name and e-mail address of a monthly gift, and a keyed hash of the address."),
        why=_("To tell you when a monthly payment fails and how to change or cancel the gift."),
        retention=_("Until you erase your data."),
        who_can_see=_WHO,
    ),
    facts.Fact(
        model="donations.StripeEvent",
        fields=("payload",),
        what=_("Stripe's notices about your payment, as Stripe sent them (they name you)."),
        why=_("To record each payment exactly once."),
        retention=_("Deleted once handled; one that could not be handled after %(days)s days."),
        retention_setting="STRIPE_EVENT_RETENTION_DAYS",
        who_can_see=_("The server operator."),
    ),
)
