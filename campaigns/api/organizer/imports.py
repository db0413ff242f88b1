"""Uploading a file to an importer: the same engine and rules as the import_* commands."""

from __future__ import annotations

from typing import Any

from django.core.management import load_command_class
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import audit
from accounts.models import User
from campaigns.access import access_for
from campaigns.api.organizer.base import ORGANIZER_AUTHENTICATION
from campaigns.api.organizer.permissions import IsOrganizer
from campaigns.importing.command import ImportCommand
from campaigns.importing.engine import ImportFailed, Report, decode_text, run_import
from campaigns.models import Campaign, Role

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Campaign-scoped kinds and the command whose reader and importer the upload uses.
CAMPAIGN_KINDS = {"agencies": "import_agencies", "officials": "import_officials", "sources": "import_sources"}


class UploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="CSV or JSON, UTF-8; the columns are in docs/importing.md.")
    dry_run = serializers.BooleanField(default=False, help_text="Report what would change; write nothing.")


REPORT = inline_serializer(
    name="ImportReport",
    fields={
        "created": serializers.IntegerField(),
        "changed": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
        "notes": serializers.ListField(child=serializers.CharField()),
        "dry_run": serializers.BooleanField(),
    },
)


class CampaignImportView(APIView):
    """Agencies with partnerships, officials or sources into one campaign (editors and owners)."""

    authentication_classes = ORGANIZER_AUTHENTICATION
    permission_classes = (IsOrganizer,)
    parser_classes = (MultiPartParser,)

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses={200: REPORT})
    def post(self, request: Request, campaign_slug: str, kind: str) -> Response:
        if kind not in CAMPAIGN_KINDS:
            raise NotFound(f"No importer is called {kind!r}; there are: {', '.join(CAMPAIGN_KINDS)}.")
        access = access_for(request, campaign_slug, needed=Role.EDITOR)
        report = import_upload(
            request, command_name=CAMPAIGN_KINDS[kind], campaign=access.campaign, actor=access.user, via=access.via
        )
        return Response(report.as_dict(), status=status.HTTP_200_OK)


class PlaceImportView(APIView):
    """The Open Civic Data place list: reference data for every campaign, so the operator's alone."""

    authentication_classes = ORGANIZER_AUTHENTICATION
    permission_classes = (IsOrganizer,)
    parser_classes = (MultiPartParser,)

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses={200: REPORT})
    def post(self, request: Request) -> Response:
        user = request.user
        if not isinstance(user, User) or not user.is_superuser or request.auth is not None:
            self.permission_denied(request, message="Only the operator imports places.")
        report = import_upload(request, command_name="import_places", campaign=None, actor=user, via="api")
        return Response(report.as_dict(), status=status.HTTP_200_OK)


def import_upload(
    request: Request, *, command_name: str, campaign: Campaign | None, actor: User | None, via: str
) -> Report:
    upload = UploadSerializer(data=request.data)
    upload.is_valid(raise_exception=True)
    file = upload.validated_data["file"]
    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": [f"The file is larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB."]})
    command: ImportCommand = load_command_class("campaigns", command_name)  # type: ignore[assignment]
    name = file.name or "upload"
    try:
        text = decode_text(file.read(), name)
        rows = command.read_rows(text, file=name)
        report = run_import(command.make_importer(campaign), rows, file=name, dry_run=upload.validated_data["dry_run"])
    except ImportFailed as failed:
        raise ValidationError({"file": [str(error) for error in failed.errors]}) from None
    if not report.dry_run and command.model is not None:
        audit.record_bulk_write(
            actor=actor,
            via=via,
            model=command.model,
            campaign_id=campaign.pk if campaign else None,
            details={"file": name, **report.as_dict()},
        )
    return report
