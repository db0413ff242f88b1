"""The donate page (amount and frequency, then off to Stripe Checkout), its return pages, and the
signed "manage my monthly gift" page that opens Stripe's customer portal. No card field is ever ours."""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from campaigns.models import Campaign
from donations import checkout, portal, stripe_api
from donations.models import DonationSettings, Frequency
from donations.money import format_amount, major_units, minor_units
from donations.throttles import CheckoutsPerIp
from emails.links import LinkExpired, LinkInvalid
from supporters.identity import MAX_ADDRESS_LENGTH

logger = logging.getLogger(__name__)
# Chrome applies form-action to the redirect that follows a POST: Stripe's pages must be allowed.
TO_CHECKOUT = {"form-action": ["https://checkout.stripe.com"]}
TO_PORTAL = {"form-action": ["https://billing.stripe.com"]}
OTHER = "other"


class DonateForm(forms.Form):
    frequency = forms.ChoiceField(
        label=gettext_lazy("How often"),
        choices=[(Frequency.ONE_TIME, gettext_lazy("Once")), (Frequency.MONTHLY, gettext_lazy("Every month"))],
        initial=Frequency.ONE_TIME,
        widget=forms.RadioSelect,
    )
    preset = forms.ChoiceField(label=gettext_lazy("Amount"), widget=forms.RadioSelect)
    other_amount = forms.CharField(label=gettext_lazy("Other amount"), required=False, max_length=12)
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"), max_length=MAX_ADDRESS_LENGTH, help_text=gettext_lazy("For your receipt.")
    )

    def __init__(self, *args: Any, rules: DonationSettings, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.rules = rules
        choices = [(str(amount), format_amount(amount, rules.currency)) for amount in rules.preset_amounts]
        preset = cast(forms.ChoiceField, self.fields["preset"])
        preset.choices = [*choices, (OTHER, _("Other amount"))]
        preset.initial = choices[min(1, len(choices) - 1)][0] if choices else OTHER
        self.fields["other_amount"].help_text = _("In %(currency)s, from %(low)s to %(high)s.") % {
            "currency": rules.currency.upper(),
            "low": major_units(rules.minimum_amount, rules.currency),
            "high": major_units(rules.maximum_amount, rules.currency),
        }

    def amount(self) -> int:
        """The amount chosen, in minor units (call once the form is valid)."""
        value: int = self.cleaned_data["amount"]
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        preset = data.get("preset")
        if preset is None:
            return data
        if preset != OTHER:
            data["amount"] = int(preset)
            return data
        try:
            data["amount"] = minor_units(Decimal(data.get("other_amount", "").strip()), self.rules.currency)
        except (InvalidOperation, ValueError):
            self.add_error("other_amount", _("Enter an amount such as 25 or 25.50."))
            return data
        try:
            self.rules.check_amount(data["amount"])
        except ValidationError:
            self.add_error("other_amount", self.fields["other_amount"].help_text)
        return data


@never_cache
@require_http_methods(["GET", "POST"])
def donate_page(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.public(), slug=slug)
    rules = DonationSettings.for_campaign(campaign)
    if not rules.enabled:
        return _page(request, campaign, None, status=404, closed=True)
    if not stripe_api.is_configured():
        return _page(request, campaign, None, status=503, unconfigured=True)
    if request.method != "POST":
        return _page(request, campaign, DonateForm(rules=rules))
    if not CheckoutsPerIp().allow_request(cast(Any, request), None):
        return _page(
            request, campaign, DonateForm(rules=rules, initial=request.POST.dict()), status=429, throttled=True
        )
    form = DonateForm(request.POST, rules=rules)
    if not form.is_valid():
        return _page(request, campaign, form, status=400)
    return _start(request, campaign, form)


def _start(request: HttpRequest, campaign: Campaign, form: DonateForm) -> HttpResponse:
    success, cancel = checkout.return_urls(campaign_slug=campaign.slug)
    asked = checkout.DonationRequest(
        campaign=campaign,
        amount=form.amount(),
        frequency=form.cleaned_data["frequency"],
        email=form.cleaned_data["email"],
        language=_language(),
        success_url=success,
        cancel_url=cancel,
    )
    try:
        started = checkout.start_checkout(asked)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return _page(request, campaign, form, status=400)
    except (stripe_api.StripeUnavailable, stripe_api.StripeRefused) as error:
        logger.warning("Checkout for campaign %s not started: %s", campaign.pk, error)
        return _page(request, campaign, form, status=503, stripe_down=True)
    # 303: the browser follows with a GET to Stripe's page.
    return HttpResponseRedirect(started.url, status=303)


def _allowing(response: HttpResponse, directives: dict[str, list[str]]) -> HttpResponse:
    # What csp_update does: the page holding the form must allow the redirect to Stripe its POST gets.
    response._csp_update = directives  # type: ignore[attr-defined]
    return response


def _page(
    request: HttpRequest, campaign: Campaign, form: DonateForm | None, *, status: int = 200, **flags: bool
) -> HttpResponse:
    context = {"campaign": campaign, "form": form, **flags}
    return _allowing(TemplateResponse(request, "web/donations/donate.html", context, status=status), TO_CHECKOUT)


def _language() -> str:
    code = (get_language() or "en")[:2]
    return code if code in dict(settings.LANGUAGES) else "en"


@never_cache
@require_GET
def thanks_page(request: HttpRequest, slug: str) -> HttpResponse:
    # The receipt follows by e-mail once Stripe's webhook confirms the payment; this page only thanks.
    campaign = get_object_or_404(Campaign.objects.public(), slug=slug)
    return TemplateResponse(request, "web/donations/thanks.html", {"campaign": campaign})


@never_cache
@require_GET
def cancelled_page(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.public(), slug=slug)
    return TemplateResponse(request, "web/donations/cancelled.html", {"campaign": campaign})


@never_cache
@require_http_methods(["GET", "POST"])
def manage_page(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; POST opens a portal session (link scanners only ever GET)."""
    try:
        portal.customer_of(token)
    except LinkExpired:
        renew = _("Use the link in your latest receipt: each receipt carries a fresh one.")
        return TemplateResponse(request, "web/link_unusable.html", {"reason": "expired", "renew": renew}, status=410)
    except LinkInvalid:
        return TemplateResponse(request, "web/link_unusable.html", {"reason": "invalid"}, status=400)
    if request.method != "POST":
        return _manage(request, {})
    if not stripe_api.is_configured():
        return _manage(request, {"unconfigured": True}, status=503)
    try:
        url = portal.open_portal(token, return_url=request.build_absolute_uri(reverse("web:home")))
    except (stripe_api.StripeUnavailable, stripe_api.StripeRefused) as error:
        logger.warning("Customer portal not opened: %s", error)
        return _manage(request, {"stripe_down": True}, status=503)
    return HttpResponseRedirect(url, status=303)


def _manage(request: HttpRequest, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    return _allowing(TemplateResponse(request, "web/donations/manage.html", context, status=status), TO_PORTAL)
