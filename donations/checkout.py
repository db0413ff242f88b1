"""Starting a donation: the donor's choice becomes a Stripe Checkout Session (one-time or monthly)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from donations import stripe_api
from donations.models import Checkout, DonationSettings, Frequency
from emails.links import absolute_url
from supporters.identity import supporter_for


@dataclass(frozen=True)
class DonationRequest:
    campaign: Campaign
    amount: int  # minor units
    frequency: str
    email: str
    language: str
    success_url: str
    cancel_url: str


@dataclass(frozen=True)
class StartedCheckout:
    checkout: Checkout
    url: str


def start_checkout(request: DonationRequest) -> StartedCheckout:
    """Validates the gift, records it and asks Stripe for a Checkout Session to send the donor to.

    Raises ValidationError (400), stripe_api.NotConfigured (503), StripeUnavailable (503) or
    StripeRefused (502). Stripe is called outside any transaction: the checkout row is committed
    first, so its idempotency key survives a timeout and a retry gets the same session.
    """
    rules = DonationSettings.for_campaign(request.campaign)
    if not rules.enabled:
        raise ValidationError({"campaign": [_("This campaign does not take donations.")]})
    rules.check_amount(request.amount)
    if request.frequency not in Frequency.values:
        raise ValidationError({"frequency": [_("Choose one-time or monthly.")]})
    supporter = supporter_for(email=request.email, language=request.language)
    checkout = Checkout.objects.create(
        campaign=request.campaign,
        supporter=supporter,
        frequency=request.frequency,
        amount=request.amount,
        currency=rules.currency,
        language=request.language,
    )
    session = stripe_api.create_checkout_session(
        session_params(checkout, email=supporter.email or request.email, request=request),
        idempotency_key=f"townhall-checkout-{checkout.idempotency_key}",
    )
    Checkout.objects.filter(pk=checkout.pk).update(stripe_session_id=str(session.get("id", "")))
    return StartedCheckout(checkout=checkout, url=str(session["url"]))


def session_params(checkout: Checkout, *, email: str, request: DonationRequest) -> dict[str, object]:
    """Attribution in every object Stripe will tell us about: session, PaymentIntent, subscription."""
    metadata = {
        "townhall_campaign": str(checkout.campaign_id),
        "townhall_supporter": str(checkout.supporter_id or ""),
        "townhall_checkout": str(checkout.pk),
        "townhall_language": checkout.language,
    }
    price_data: dict[str, object] = {
        "currency": checkout.currency,
        "unit_amount": checkout.amount,
        "product_data": {"name": _donation_label(checkout)},
    }
    params: dict[str, object] = {
        "success_url": request.success_url,
        "cancel_url": request.cancel_url,
        "customer_email": email,
        "client_reference_id": str(checkout.pk),
        "locale": checkout.language if checkout.language in ("en", "es") else "auto",
        "metadata": metadata,
    }
    if checkout.frequency == Frequency.MONTHLY:
        # Any amount the donor types: an inline price, so no Price object per amount to manage.
        price_data["recurring"] = {"interval": "month"}
        params |= {"mode": "subscription", "subscription_data": {"metadata": metadata}}
    else:
        params |= {"mode": "payment", "payment_intent_data": {"metadata": metadata}, "submit_type": "donate"}
    params["line_items"] = [{"quantity": 1, "price_data": price_data}]
    return params


def _donation_label(checkout: Checkout) -> str:
    """What Stripe's page and the donor's bank statement line call the gift, in the donor's language."""
    title = checkout.campaign.title[:200]
    with translation.override(checkout.language):
        if checkout.frequency == Frequency.MONTHLY:
            return _("Monthly donation: %(title)s") % {"title": title}
        return _("Donation: %(title)s") % {"title": title}


def return_urls(*, campaign_slug: str) -> tuple[str, str]:
    """Where Stripe sends the donor back: pages named at the root (backend.urls), as mail links are."""
    success = absolute_url("donation-thanks", slug=campaign_slug) + "?session_id={CHECKOUT_SESSION_ID}"
    return success, absolute_url("donation-cancelled", slug=campaign_slug)
