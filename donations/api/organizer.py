"""Organizers' donation endpoints: settings (owners change them), totals (viewers), CSV export (owners)."""

from __future__ import annotations

from typing import Any

from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.audit import record_write, snapshot
from backend.api.csv_downloads import csv_download
from campaigns.api.organizer.base import CampaignScopedViewSet
from campaigns.models import Role
from donations import exports, totals
from donations.api import serializers as s
from donations.models import DonationSettings


class DonationSettingsViewSet(CampaignScopedViewSet):
    """The campaign's donation settings; amounts in minor units (cents)."""

    serializer_class = s.SettingsSerializer
    required_roles = {"retrieve": Role.VIEWER, "partial_update": Role.OWNER}

    def retrieve(self, request: Request, campaign_slug: str) -> Response:
        rules = DonationSettings.for_campaign(self.campaign_access.campaign)
        return Response(s.SettingsSerializer(rules).data)

    def partial_update(self, request: Request, campaign_slug: str) -> Response:
        access = self.campaign_access
        rules = DonationSettings.for_campaign(access.campaign)
        before = snapshot(rules) if rules.pk else {}
        given = s.SettingsSerializer(rules, data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        saved = given.save()
        record_write(
            actor=access.user,
            via=access.via,
            action="update",
            instance=saved,
            campaign_id=access.campaign.pk,
            before=before,
            after=snapshot(saved),
        )
        return Response(s.SettingsSerializer(saved).data)


class DonationTotalsViewSet(CampaignScopedViewSet):
    """Money raised, net of refunds and disputes, in total and per day in the campaign's time zone."""

    serializer_class = s.TotalsSerializer
    required_roles = {"retrieve": Role.VIEWER}

    @extend_schema(parameters=[s.TotalsQuerySerializer], responses=s.TotalsSerializer)
    def retrieve(self, request: Request, campaign_slug: str) -> Response:
        query = s.TotalsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = totals.campaign_totals(
            self.campaign_access.campaign, first=query.validated_data.get("start"), last=query.validated_data.get("end")
        )
        return Response(s.TotalsSerializer(found).data)


class DonationExportViewSet(CampaignScopedViewSet):
    """Every donation of the campaign as CSV, with donors' names and addresses: owners only, audited."""

    required_roles = {"download": Role.OWNER}

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # Errors are JSON even for a client that accepts only text/csv; the file itself skips renderers.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="The CSV file")})
    def download(self, request: Request, campaign_slug: str) -> StreamingHttpResponse:
        access = self.campaign_access
        lines = exports.export_rows(campaign=access.campaign, actor=access.user, via=access.via)
        return csv_download(lines, filename=f"{access.campaign.slug}-donations-{timezone.now():%Y%m%d-%H%M}.csv")
