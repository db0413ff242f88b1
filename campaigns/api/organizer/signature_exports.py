"""Owners' signature exports: ask for one (202), follow its status, download it by a signed link."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from backend.api.schema import ERROR
from campaigns.api.organizer.base import CampaignScopedViewSet
from campaigns.exports import downloads, exporting
from campaigns.exports.filters import ExportFilters
from campaigns.models import Petition, Place, Role, SignatureExport
from emails.links import LinkExpired, LinkInvalid

OWNER = Role.OWNER


class FiltersSerializer(serializers.Serializer[Any]):
    petition = serializers.IntegerField(required=False, min_value=1, help_text="A petition of this campaign.")
    place = serializers.IntegerField(required=False, min_value=1, help_text="Where the signers said they live.")
    confirmed = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Only confirmed (true) or unconfirmed (false)."
    )
    created_from = serializers.DateField(required=False, help_text="First day of signing, in the campaign's zone.")
    created_to = serializers.DateField(required=False, help_text="Last day of signing (included).")

    def validate_petition(self, value: int) -> int:
        if not Petition.objects.filter(pk=value, campaign=self.context["campaign"]).exists():
            raise serializers.ValidationError("No petition of this campaign has this id.")
        return value

    def validate_place(self, value: int) -> int:
        if not Place.objects.filter(pk=value).exists():
            raise serializers.ValidationError("No place has this id.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        first, last = attrs.get("created_from"), attrs.get("created_to")
        if first and last and first > last:
            raise serializers.ValidationError({"created_to": ["Give a day on or after created_from."]})
        return attrs

    def filters(self) -> ExportFilters:
        data = self.validated_data
        return ExportFilters(
            petition_id=data.get("petition"),
            place_id=data.get("place"),
            confirmed=data.get("confirmed"),
            created_from=data.get("created_from"),
            created_to=data.get("created_to"),
        )


class SignatureExportSerializer(serializers.ModelSerializer[SignatureExport]):
    download_url = serializers.SerializerMethodField(
        help_text="Once done: a link for the next hour, for an owner of the campaign (ask again for a new one)."
    )
    download_expires_at = serializers.SerializerMethodField()

    class Meta:
        model = SignatureExport
        fields: Any = (
            "id",
            "status",
            "filters",
            "row_count",
            "created",
            "finished_at",
            "error",
            "download_url",
            "download_expires_at",
        )
        read_only_fields: Any = fields

    def get_download_url(self, export: SignatureExport) -> str | None:
        if not export.is_downloadable:
            return None
        path = reverse(
            "organizer-api:signature-export-download",
            kwargs={"campaign_slug": self.context["campaign_slug"], "pk": export.pk},
        )
        query = urlencode({"token": downloads.download_token(export)})
        return self.context["request"].build_absolute_uri(f"{path}?{query}")  # type: ignore[no-any-return]

    def get_download_expires_at(self, export: SignatureExport) -> str | None:
        if not export.is_downloadable:
            return None
        return (timezone.now() + downloads.LINK_LIFETIME).isoformat()


class ExportRunning(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This campaign already has an export being written; wait for it to finish."
    default_code = "export_in_progress"


class ExportNotReady(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This export has no file to download: see its status."
    default_code = "export_not_ready"


class LinkGone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = "This download link has expired: get a new one from the export's status."
    default_code = "link_expired"


class SignatureExportViewSet(CampaignScopedViewSet, mixins.ListModelMixin):
    serializer_class = SignatureExportSerializer
    required_roles = {"list": OWNER, "create": OWNER, "retrieve": OWNER, "download": OWNER}
    cursor_ordering = ("-created", "-pk")

    def get_queryset(self) -> QuerySet[SignatureExport]:
        return SignatureExport.objects.filter(campaign=self.campaign_access.campaign)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "campaign_slug": self.kwargs.get("campaign_slug")}

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # A download's errors are JSON even for a client that accepts only text/csv (the file itself
        # is a FileResponse, which no renderer touches).
        return super().perform_content_negotiation(request, force=force or self.action == "download")

    @extend_schema(request=FiltersSerializer, responses={202: SignatureExportSerializer, 409: ERROR})
    def create(self, request: Request, campaign_slug: str) -> Response:
        access = self.campaign_access
        asked = FiltersSerializer(data=request.data, context={"campaign": access.campaign})
        asked.is_valid(raise_exception=True)
        try:
            export = exporting.request_export(
                campaign=access.campaign, filters=asked.filters(), actor=access.user, via=access.via
            )
        except exporting.ExportInProgress:
            raise ExportRunning from None
        export.refresh_from_db()  # in-process tasks (laptop mode) may have finished it already
        return Response(self.get_serializer(export).data, status=status.HTTP_202_ACCEPTED)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        add_never_cache_headers(response)  # finished exports carry download links
        return response

    def retrieve(self, request: Request, campaign_slug: str, pk: str) -> Response:
        response = Response(self.get_serializer(self.get_object()).data)
        add_never_cache_headers(response)  # it carries a download link
        return response

    @extend_schema(
        parameters=[OpenApiParameter("token", OpenApiTypes.STR, required=True, description="From `download_url`.")],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="The CSV file"),
            409: OpenApiResponse(ERROR, description="No file: not done, failed or expired"),
            410: OpenApiResponse(ERROR, description="The link has expired"),
        },
    )
    def download(self, request: Request, campaign_slug: str, pk: str) -> FileResponse:
        export = self.get_object()
        token = request.query_params.get("token", "")
        try:
            downloads.check_token(export, token)
        except LinkInvalid:
            raise exceptions.ValidationError(
                {"token": ["This download link is not valid (cut short or altered). Get a new one from the export."]}
            ) from None
        except LinkExpired:
            raise LinkGone from None
        if not export.is_downloadable:
            raise ExportNotReady
        access = self.campaign_access
        file = downloads.open_for_download(export, actor=access.user, via=access.via)
        name = f"{access.campaign.slug}-signatures-{export.created:%Y%m%d-%H%M}.csv"
        response = FileResponse(file, as_attachment=True, filename=name, content_type="text/csv; charset=utf-8")
        add_never_cache_headers(response)
        return response
