"""Donating (start a Stripe Checkout), a campaign's donation options and its public total."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.body_limits import LimitedJSONParser
from backend.api.schema import ERROR
from campaigns.models import Campaign
from donations import checkout, stripe_api, totals
from donations.api import serializers as s
from donations.models import DonationSettings, Frequency
from donations.throttles import CheckoutsPerIp


class NotConfigured(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Donations are not configured."
    default_code = "donations_not_configured"


class StripeDown(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The payment service cannot be reached; please try again in a minute."
    default_code = "payments_unavailable"


class StripeRefused(exceptions.APIException):
    status_code = status.HTTP_502_BAD_GATEWAY
    default_detail = "The payment service refused to start this donation."
    default_code = "payments_refused"


class PublicDonationView(APIView):
    permission_classes = (permissions.AllowAny,)
    campaign: Campaign

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.campaign = get_object_or_404(Campaign.objects.public(), slug=kwargs["slug"])


class DonationOptions(PublicDonationView):
    """What a donor may choose: currency, suggested amounts and bounds (minor units), frequencies."""

    @extend_schema(responses=s.OptionsSerializer)
    def get(self, request: Request, slug: str) -> Response:
        rules = DonationSettings.for_campaign(self.campaign)
        if not rules.enabled:
            raise Http404
        body = {
            "currency": rules.currency,
            "preset_amounts": rules.preset_amounts,
            "minimum_amount": rules.minimum_amount,
            "maximum_amount": rules.maximum_amount,
            "frequencies": list(Frequency.values),
            "tax_deductible": rules.tax_deductible,
            "configured": stripe_api.is_configured(),
        }
        return Response(s.OptionsSerializer(body).data)


class DonationCheckout(PublicDonationView):
    """Starts a one-time or monthly donation: answers the Stripe Checkout page to send the donor to.

    503 while the site has no Stripe keys. Card details never reach Townhall.
    """

    # No session authentication, hence no CSRF: nothing of a signed-in organizer is used.
    authentication_classes = ()
    throttle_classes = (CheckoutsPerIp,)
    parser_classes = (LimitedJSONParser,)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not stripe_api.is_configured():
            raise NotConfigured()

    @extend_schema(
        request=s.CheckoutInputSerializer,
        responses={
            201: s.CheckoutSerializer,
            502: OpenApiResponse(ERROR, description="Stripe refused the request."),
            503: OpenApiResponse(ERROR, description="Donations are not configured, or Stripe cannot be reached."),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        given = s.CheckoutInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        success, cancel = checkout.return_urls(campaign_slug=self.campaign.slug)
        asked = checkout.DonationRequest(
            campaign=self.campaign,
            amount=data["amount"],
            frequency=data["frequency"],
            email=data["email"],
            language=data["language"],
            success_url=success,
            cancel_url=cancel,
        )
        try:
            started = checkout.start_checkout(asked)
        except stripe_api.StripeUnavailable:
            raise StripeDown() from None
        except stripe_api.StripeRefused:
            raise StripeRefused() from None
        return Response(s.CheckoutSerializer({"checkout_url": started.url}).data, status=status.HTTP_201_CREATED)


class DonationSummary(PublicDonationView):
    """Money raised (net of refunds and disputes), only when the campaign's organizers chose to show it."""

    @extend_schema(responses=s.SummarySerializer)
    def get(self, request: Request, slug: str) -> Response:
        rules = DonationSettings.for_campaign(self.campaign)
        if not rules.public_summary:
            raise Http404
        return Response(s.SummarySerializer(totals.public_summary(self.campaign, rules.currency)).data)
