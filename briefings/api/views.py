"""Organizers' briefings: ask for an edition, follow it, preview its HTML, download its PDF, send it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.utils.cache import add_never_cache_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import audit
from accounts.models import AuditEvent
from backend.api.schema import ERROR
from briefings import editions, sending
from briefings.api.serializers import (
    BriefingDeliverySerializer,
    BriefingEditionRequestSerializer,
    BriefingEditionSerializer,
    BriefingPreferencesSerializer,
    BriefingSendSerializer,
)
from briefings.figures import NotTracked
from briefings.footnotes import MissingCitation
from briefings.models import BriefingPreferences, Delivery, Edition
from briefings.storage import briefing_storage
from campaigns.api.organizer.base import CampaignScopedViewSet
from campaigns.models import Official, Place, Role, Signature


class NotReady(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This edition has no PDF yet: see its status."
    default_code = "edition_not_ready"


class Withdrawn(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = "This edition was withdrawn (a person it named erased their data): see replaced_by."
    default_code = "edition_withdrawn"


class EditionViewSet(CampaignScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = BriefingEditionSerializer
    required_roles = {
        "list": Role.VIEWER,
        "retrieve": Role.VIEWER,
        "create": Role.EDITOR,
        "preview": Role.EDITOR,
        "pdf": Role.EDITOR,
        "send": Role.EDITOR,
        "deliveries": Role.VIEWER,
    }
    cursor_ordering = ("-created", "-pk")

    def get_queryset(self) -> QuerySet[Edition]:
        return Edition.objects.filter(campaign=self.campaign_access.campaign)

    @extend_schema(request=BriefingEditionRequestSerializer, responses={202: BriefingEditionSerializer, 400: ERROR})
    def create(self, request: Request, campaign_slug: str) -> Response:
        access = self.campaign_access
        asked = BriefingEditionRequestSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        place = Place.objects.filter(pk=asked.validated_data["place"]).first()
        if place is None:
            raise exceptions.ValidationError({"place": ["No place has this id."]})
        official = self._official(asked.validated_data.get("official"), place)
        try:
            edition = editions.request_edition(
                campaign=access.campaign, place=place, official=official, actor=access.user
            )
        except NotTracked as error:
            raise exceptions.ValidationError({"place": [str(error)]}) from None
        except MissingCitation as error:
            raise exceptions.ValidationError({"citations": [str(error)]}) from None
        edition.refresh_from_db()  # in-process tasks (laptop mode) have finished it already
        return Response(self.get_serializer(edition).data, status=status.HTTP_202_ACCEPTED)

    def _official(self, official_id: int | None, place: Place) -> Official | None:
        if official_id is None:
            return None
        official = Official.objects.filter(pk=official_id, campaign=self.campaign_access.campaign, place=place).first()
        if official is None:
            raise exceptions.ValidationError({"official": ["No official of this campaign and place has this id."]})
        return official

    def _done(self) -> Edition:
        edition: Edition = self.get_object()
        if edition.is_withdrawn:
            raise Withdrawn
        if not edition.is_done:
            raise NotReady
        return edition

    def _audit_read(self, edition: Edition) -> None:
        access = self.campaign_access
        audit.record_personal_data_read(
            actor=access.user,
            via=access.via,
            model=Signature,
            campaign_id=access.campaign.pk,
            filters={"briefing_edition": edition.pk},
            row_count=0,
        )

    @extend_schema(
        responses={
            (200, "text/html"): OpenApiResponse(OpenApiTypes.STR, description="The HTML"),
            409: ERROR,
            410: ERROR,
        }
    )
    def preview(self, request: Request, campaign_slug: str, pk: str) -> HttpResponse:
        edition = self._done()
        self._audit_read(edition)
        response = HttpResponse(editions.read_html(edition), content_type="text/html; charset=utf-8")
        # The HTML names local files (fonts, CSS) that a browser must not be sent looking for.
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
        add_never_cache_headers(response)
        return response

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF"),
            409: ERROR,
            410: ERROR,
        }
    )
    def pdf(self, request: Request, campaign_slug: str, pk: str) -> FileResponse:
        edition = self._done()
        self._audit_read(edition)
        file = briefing_storage().open(edition.pdf_name, "rb")
        name = f"{self.campaign_access.campaign.slug}-briefing-{edition.place_id}-{edition.number}.pdf"
        response = FileResponse(file, as_attachment=True, filename=name, content_type="application/pdf")
        add_never_cache_headers(response)
        return response

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        return super().perform_content_negotiation(request, force=force or self.action in ("preview", "pdf"))

    @extend_schema(request=BriefingSendSerializer, responses={201: BriefingDeliverySerializer(many=True), 400: ERROR})
    def send(self, request: Request, campaign_slug: str, pk: str) -> Response:
        asked = BriefingSendSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        access = self.campaign_access
        try:
            deliveries = sending.send_edition(
                edition=self.get_object(),
                actor=access.user,
                via=access.via,
                official_ids=asked.validated_data.get("officials"),
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from None
        return Response(BriefingDeliverySerializer(deliveries, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=BriefingDeliverySerializer(many=True))
    def deliveries(self, request: Request, campaign_slug: str, pk: str) -> Response:
        found = Delivery.objects.filter(edition=self.get_object()).select_related("message")
        return Response(BriefingDeliverySerializer(found, many=True).data)


class PreferencesViewSet(CampaignScopedViewSet):
    serializer_class = BriefingPreferencesSerializer
    required_roles = {"retrieve": Role.VIEWER, "partial_update": Role.EDITOR}

    @extend_schema(responses=BriefingPreferencesSerializer)
    def retrieve(self, request: Request, campaign_slug: str) -> Response:
        return Response(BriefingPreferencesSerializer(BriefingPreferences.of(self.campaign_access.campaign)).data)

    @extend_schema(request=BriefingPreferencesSerializer, responses={200: BriefingPreferencesSerializer, 400: ERROR})
    def partial_update(self, request: Request, campaign_slug: str) -> Response:
        access = self.campaign_access
        preferences = BriefingPreferences.of(access.campaign)
        before = audit.snapshot(preferences) if preferences.pk else {}
        changed = BriefingPreferencesSerializer(preferences, data=request.data, partial=True)
        changed.is_valid(raise_exception=True)
        saved = changed.save()
        action = AuditEvent.Action.UPDATE if before else AuditEvent.Action.CREATE
        audit.record_write(
            actor=access.user,
            via=access.via,
            action=action,
            instance=saved,
            campaign_id=access.campaign.pk,
            before=before,
            after=audit.snapshot(saved),
        )
        return Response(BriefingPreferencesSerializer(saved).data)


__all__ = ["EditionViewSet", "PreferencesViewSet", "serializers"]
