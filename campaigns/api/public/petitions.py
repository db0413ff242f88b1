"""Petitions, read by anyone, and signing one: one APIView per action, one service call each."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db.models.signals import post_delete, post_save
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.body_limits import LimitedJSONParser, refuse_large_body
from backend.api.schema import ERROR
from backend.api.throttles import OneRoundTrip
from campaigns import signature_input, signing, tallies
from campaigns.api.public import petition_serializers as s
from campaigns.api.public.caching import RevalidatedView
from campaigns.api.public.views import PublicCampaignView
from campaigns.models import Campaign, Petition, Place
from campaigns.public_petitions import petitions_of, public_petition, recent_signers
from campaigns.throttles import SIGNING_THROTTLES

logger = logging.getLogger(__name__)


class PetitionClosed(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = signature_input.CLOSED_MESSAGE
    default_code = "petition_closed"


class SignatureParser(LimitedJSONParser):
    max_bytes = signature_input.MAX_BODY_BYTES


# Published petitions as the petition views find them, per process, for a moment: a burst of signers
# or of count readers costs one petition query per process and SIGNABLE_SECONDS, not one each. Any
# save or delete of a campaign, petition or place in this process forgets them all; another process
# sees the change (a petition closed, a campaign unpublished) at most SIGNABLE_SECONDS late.
SIGNABLE_SECONDS = 2.0
_signable: dict[tuple[str, str], tuple[float, Petition]] = {}


def cached_public_petition(campaign_slug: str, petition_slug: str) -> Petition:
    key, now = (campaign_slug, petition_slug), time.monotonic()
    found = _signable.get(key)
    if found is not None and now - found[0] < SIGNABLE_SECONDS:
        return found[1]
    petition = public_petition(campaign_slug=campaign_slug, petition_slug=petition_slug)  # or 404, not kept
    _signable[key] = (now, petition)
    return petition


def _forget_signable(**kwargs: Any) -> None:
    _signable.clear()


for _model in (Campaign, Petition, Place):
    post_save.connect(_forget_signable, sender=_model, dispatch_uid=f"signable-{_model.__name__}-saved")
    post_delete.connect(_forget_signable, sender=_model, dispatch_uid=f"signable-{_model.__name__}-deleted")


class PetitionView(PublicCampaignView):
    """Resolves the URL's petition of the public campaign; another campaign's is a 404."""

    petition: Petition

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # APIView's own checks (throttles first), then the petition with its campaign: one query per
        # process every SIGNABLE_SECONDS, instead of PublicCampaignView's campaign query and the petition's.
        APIView.initial(self, request, *args, **kwargs)
        self.petition = cached_public_petition(kwargs["slug"], kwargs["petition_slug"])
        self.campaign = self.petition.campaign


class PetitionList(RevalidatedView, PublicCampaignView, generics.ListAPIView[Petition]):
    """The campaign's petitions, newest first, each with its published count."""

    serializer_class = s.PetitionSerializer
    cursor_ordering = ("-pk",)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(petitions_of(self.campaign)) or []
        context = {**self.get_serializer_context(), "counts": tallies.petition_counts(page)}
        return self.get_paginated_response(self.get_serializer(page, many=True, context=context).data)


class PetitionDetail(RevalidatedView, PetitionView):
    """One petition: its text, the place it is for, its count (at most 5 s old) and whether it is open."""

    @extend_schema(responses=s.PetitionSerializer)
    def get(self, request: Request, slug: str, petition_slug: str) -> Response:
        counts = {self.petition.pk: tallies.petition_count(self.petition)}
        return Response(s.PetitionSerializer(self.petition, context={"counts": counts}).data)


class RecentSignerList(RevalidatedView, PetitionView):
    """The latest counted signers who chose to show their name: first name, last initial, place, date."""

    @extend_schema(responses=s.RecentSignerSerializer(many=True))
    def get(self, request: Request, slug: str, petition_slug: str) -> Response:
        return Response(s.RecentSignerSerializer(recent_signers(self.petition), many=True).data)


class SignatureCreate(OneRoundTrip, PetitionView):
    """Signs the petition; the signature counts once the e-mailed link is confirmed.

    Answers 202 with the same body for a new address, one that signed and did not confirm yet,
    and one that already confirmed (which is not mailed again), so the answer never tells whether
    an address signed. Limited per client address and per e-mail address (429), both counted in
    one round trip to the cache.
    """

    # No session authentication, hence no CSRF: the session only carries this visit's confirmation.
    authentication_classes = ()
    throttle_classes = SIGNING_THROTTLES
    parser_classes = (SignatureParser,)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Before the throttles, which read the body for the address.
        refuse_large_body(request.META, max_bytes=signature_input.MAX_BODY_BYTES)
        APIView.initial(self, request, *args, **kwargs)
        self.petition = cached_public_petition(kwargs["slug"], kwargs["petition_slug"])
        self.campaign = self.petition.campaign
        if not self.petition.is_open:
            raise PetitionClosed()

    @extend_schema(
        request=s.SignatureInputSerializer,
        responses={
            202: s.SignatureAcceptedSerializer,
            409: OpenApiResponse(ERROR, description="The petition is closed."),
            413: OpenApiResponse(ERROR, description="The body is over 16 KB."),
        },
    )
    def post(self, request: Request, slug: str, petition_slug: str) -> Response:
        if signature_input.is_honeypot_filled(request.data):
            logger.info("honeypot filled on petition %s: answered, not recorded", self.petition.pk)
            return self._accepted(request)
        serializer = s.SignatureInputSerializer(
            data=request.data, context={"request": request, "petition": self.petition}
        )
        serializer.is_valid(raise_exception=True)
        signing.sign_petition(serializer.validated_data["form"], visit=request.session)
        return self._accepted(request)

    def _accepted(self, request: Request) -> Response:
        # The session changes alike whatever happened, so not even its cookie tells the cases apart.
        signature_input.remember_in_visit(request.session, self.petition)
        return Response({"detail": signature_input.ACCEPTED_MESSAGE}, status=status.HTTP_202_ACCEPTED)
