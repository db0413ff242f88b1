"""Organizer API for mailings: viewers read, editors compose, preview and test, owners send and steer."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from campaigns.api.organizer.base import CampaignScopedViewSet
from campaigns.models import Role
from mailings import composing, previews, segments, sending
from mailings.api import serializers as s
from mailings.figures import figures_for
from mailings.models import Mailing

VIEWER, EDITOR, OWNER = Role.VIEWER, Role.EDITOR, Role.OWNER


class MailingViewSet(CampaignScopedViewSet, mixins.ListModelMixin):
    serializer_class = s.MailingSerializer
    required_roles = {
        "list": VIEWER,
        "retrieve": VIEWER,
        "create": EDITOR,
        "partial_update": EDITOR,
        "destroy": EDITOR,
        "preview": EDITOR,
        "test": EDITOR,
        "send": OWNER,
        "pause": OWNER,
        "resume": OWNER,
        "cancel": OWNER,
    }
    cursor_ordering = ("-created_at", "-pk")

    def get_queryset(self) -> QuerySet[Mailing]:
        mailings = Mailing.objects.filter(campaign=self.campaign_access.campaign)
        return mailings.select_related("bulk", "place").prefetch_related("variants")

    def get_serializer_context(self) -> dict[str, Any]:
        access = getattr(self, "campaign_access", None)
        return {**super().get_serializer_context(), "campaign": access.campaign if access else None}

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        context = {**self.get_serializer_context(), "figures": figures_for(page)}
        return self.get_paginated_response(s.MailingSerializer(page, many=True, context=context).data)

    def _answer(self, mailing: Mailing, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=mailing.pk)
        return Response(s.MailingDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(responses=s.MailingDetailSerializer)
    def retrieve(self, request: Request, campaign_slug: str, pk: str) -> Response:
        return self._answer(self.get_object())

    @extend_schema(request=s.MailingInputSerializer, responses={201: s.MailingDetailSerializer})
    def create(self, request: Request, campaign_slug: str) -> Response:
        access = self.campaign_access
        body = s.MailingInputSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        mailing = composing.compose_mailing(
            campaign=access.campaign, data=body.mailing_input(), actor=access.user, via=access.via
        )
        return self._answer(mailing, status.HTTP_201_CREATED)

    @extend_schema(request=s.MailingInputSerializer, responses=s.MailingDetailSerializer)
    def partial_update(self, request: Request, campaign_slug: str, pk: str) -> Response:
        access, mailing = self.campaign_access, self.get_object()
        composing.refuse_unless_draft(mailing)
        body = s.MailingInputSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.mailing_input(base=mailing)
        mailing = composing.change_mailing(mailing=mailing, data=data, actor=access.user, via=access.via)
        return self._answer(mailing)

    def destroy(self, request: Request, campaign_slug: str, pk: str) -> Response:
        access = self.campaign_access
        composing.delete_mailing(mailing=self.get_object(), actor=access.user, via=access.via)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[OpenApiParameter("language", str, enum=s.LANGUAGE_CODES, description="Default: the mailing's.")],
        responses=s.PreviewSerializer,
    )
    def preview(self, request: Request, campaign_slug: str, pk: str) -> Response:
        asked = s.LanguageSerializer(data=request.query_params)
        asked.is_valid(raise_exception=True)
        language, rendered = previews.preview(self.get_object(), language=asked.validated_data["language"])
        body = {"language": language, "subject": rendered.subject, "text": rendered.text, "html": rendered.html}
        return Response(s.PreviewSerializer(body).data)

    @extend_schema(request=s.LanguageSerializer, responses={202: s.MailingDetailSerializer})
    def test(self, request: Request, campaign_slug: str, pk: str) -> Response:
        access, mailing = self.campaign_access, self.get_object()
        asked = s.LanguageSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        language = asked.validated_data["language"]
        previews.send_test(mailing=mailing, actor=access.user, via=access.via, language=language)
        return self._answer(mailing, status.HTTP_202_ACCEPTED)

    @extend_schema(request=s.SendSerializer, responses={202: s.MailingDetailSerializer})
    def send(self, request: Request, campaign_slug: str, pk: str) -> Response:
        access = self.campaign_access
        asked = s.SendSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        mailing = sending.send_mailing(
            mailing=self.get_object(), actor=access.user, via=access.via, send_at=asked.validated_data["send_at"]
        )
        return self._answer(mailing, status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses=s.MailingDetailSerializer)
    def pause(self, request: Request, campaign_slug: str, pk: str) -> Response:
        access = self.campaign_access
        return self._answer(sending.pause_mailing(mailing=self.get_object(), actor=access.user, via=access.via))

    @extend_schema(request=None, responses=s.MailingDetailSerializer)
    def resume(self, request: Request, campaign_slug: str, pk: str) -> Response:
        access = self.campaign_access
        return self._answer(sending.resume_mailing(mailing=self.get_object(), actor=access.user, via=access.via))

    @extend_schema(request=None, responses=s.MailingDetailSerializer)
    def cancel(self, request: Request, campaign_slug: str, pk: str) -> Response:
        access, mailing = self.campaign_access, self.get_object()
        sending.cancel_mailing(mailing=mailing, actor=access.user, via=access.via)
        return self._answer(mailing)


class SegmentSizeViewSet(CampaignScopedViewSet):
    """How many supporters a segment holds now: consenting, confirmed, subscribed, not suppressed."""

    required_roles = {"size": EDITOR}

    @extend_schema(parameters=[s.SegmentSerializer], responses=s.SegmentSizeSerializer)
    def size(self, request: Request, campaign_slug: str) -> Response:
        campaign = self.campaign_access.campaign
        asked = s.SegmentSerializer(data=request.query_params, context={"campaign": campaign})
        asked.is_valid(raise_exception=True)
        data = asked.validated_data
        segment = segments.Segment(
            campaign_id=campaign.pk,
            audience=data["audience"],
            place_id=data["place"].pk if data["place"] else None,
            petition_id=data["petition"].pk if data["petition"] else None,
            signed_after=data["signed_after"],
        )
        return Response(s.SegmentSizeSerializer({"size": segments.size(segment)}).data)
