"""Organizers' letters: letter drives (viewers read, editors write), the moderation queue (editors),
figures per official and per place over time (viewers), and the owners' streamed CSV export.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import audit
from backend.api.csv_downloads import csv_download
from campaigns.api.organizer.base import CampaignScopedViewSet
from campaigns.api.organizer.tracker_views import AuditedCrudViewSet
from campaigns.letters import export, figures, moderation, placeholders
from campaigns.models import Letter, LetterCampaign, Official, Place, PlaceStatus, Review, Role

VIEWER, EDITOR, OWNER = Role.VIEWER, Role.EDITOR, Role.OWNER


class LetterDriveSerializer(serializers.ModelSerializer[LetterCampaign]):
    place = serializers.PrimaryKeyRelatedField(queryset=Place.objects.all(), allow_null=True, required=False)
    target_offices = serializers.ListField(
        child=serializers.CharField(),
        allow_empty=False,
        required=False,
        help_text="Offices written to, as the officials' `office` values (council_member, mayor, …).",
    )

    class Meta:
        model = LetterCampaign
        fields = (
            "id",
            "slug",
            "title",
            "subject_template",
            "body_template",
            "place",
            "target_offices",
            "include_mayor",
            "delivery_mode",
            "hourly_cap_per_official",
            "held_words",
            "consent_version",
            "is_open",
            "created",
        )
        read_only_fields = ("id", "created")

    def validate_subject_template(self, value: str) -> str:
        return _checked(value)

    def validate_body_template(self, value: str) -> str:
        return _checked(value)

    def validate_target_offices(self, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(Official.Office.values))
        if unknown:
            raise serializers.ValidationError(f"Not an office: {', '.join(unknown)}.")
        return value

    def validate_hourly_cap_per_official(self, value: int | None) -> int | None:
        if value is not None and value < 1:
            raise serializers.ValidationError("Give at least 1, or leave it empty for no cap.")
        return value

    def validate_place(self, value: Place | None) -> Place | None:
        campaign = self.context["campaign"]
        if value is not None and not PlaceStatus.objects.filter(campaign=campaign, place=value).exists():
            raise serializers.ValidationError("This campaign does not track that place.")
        return value

    def validate_slug(self, value: str) -> str:
        taken = LetterCampaign.objects.filter(campaign=self.context["campaign"], slug=value)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError("Another letter drive of this campaign has this slug.")
        return value

    def create(self, validated_data: dict[str, Any]) -> LetterCampaign:
        return LetterCampaign.objects.create(campaign=self.context["campaign"], **validated_data)


def _checked(template: str) -> str:
    try:
        placeholders.check_template(template)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.messages) from None
    return template


class LetterCampaignViewSet(AuditedCrudViewSet):
    """The campaign's letter drives. Templates take only the whitelisted placeholders (400 otherwise)."""

    serializer_class = LetterDriveSerializer
    cursor_ordering = ("-created", "-pk")
    required_roles = {"list": VIEWER, "retrieve": VIEWER, "create": EDITOR, "partial_update": EDITOR}

    def get_queryset(self) -> QuerySet[LetterCampaign]:
        return LetterCampaign.objects.filter(campaign=self.campaign_access.campaign)


class HeldLetterSerializer(serializers.ModelSerializer[Letter]):
    """What a decision needs: the text and why it was held; never the writer's name or address."""

    letter_drive: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        source="letter_campaign", slug_field="slug", read_only=True
    )
    place: serializers.StringRelatedField[Any] = serializers.StringRelatedField(read_only=True)
    text = serializers.CharField(source="body", read_only=True)
    created = serializers.DateTimeField(source="created_at", read_only=True)
    flags = serializers.ListField(child=serializers.CharField(), read_only=True)
    confirmed = serializers.SerializerMethodField()

    class Meta:
        model = Letter
        fields = ("id", "letter_drive", "place", "text", "created", "flags", "confirmed", "review")
        read_only_fields = fields

    def get_confirmed(self, letter: Letter) -> bool:
        return letter.confirmed_at is not None


class LetterReviewViewSet(CampaignScopedViewSet, mixins.ListModelMixin):
    """GET lists the held letters, oldest first; POST approve/reject decides one of the campaign's."""

    serializer_class = HeldLetterSerializer
    required_roles = {"list": EDITOR, "approve": EDITOR, "reject": EDITOR}
    cursor_ordering = ("created_at", "pk")

    def get_queryset(self) -> QuerySet[Letter]:
        letters = Letter.objects.filter(letter_campaign__campaign=self.campaign_access.campaign)
        if self.action == "list":
            letters = letters.filter(review=Review.HELD)
        return letters.select_related("letter_campaign", "place")

    @extend_schema(request=None, responses=HeldLetterSerializer)
    def approve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        access = self.campaign_access
        letter = moderation.approve_letter(letter=self.get_object(), actor=access.user, via=access.via)
        return Response(self.get_serializer(letter).data)

    @extend_schema(request=None, responses=HeldLetterSerializer)
    def reject(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        access = self.campaign_access
        letter = moderation.reject_letter(letter=self.get_object(), actor=access.user, via=access.via)
        return Response(self.get_serializer(letter).data)


class DayFiguresSerializer(serializers.Serializer[Any]):
    day = serializers.DateField(help_text="A day in the campaign's time zone.")
    received = serializers.IntegerField()
    delivered = serializers.IntegerField()
    bounced = serializers.IntegerField()


class OfficialFiguresSerializer(serializers.Serializer[Any]):
    official_id = serializers.IntegerField(source="official.pk")
    name = serializers.CharField(source="official.name")
    office = serializers.CharField(source="official.office")
    place = serializers.CharField(source="official.place")
    digest_only = serializers.BooleanField(source="official.letters_digest_only")
    received = serializers.IntegerField(help_text="Letters addressed to them, however they were sent.")
    delivered = serializers.IntegerField()
    bounced = serializers.IntegerField()
    by_day = DayFiguresSerializer(many=True)


class PlaceFiguresSerializer(serializers.Serializer[Any]):
    place_id = serializers.IntegerField(source="place.pk")
    place = serializers.CharField()
    received = serializers.IntegerField(help_text="Letters written from the place, in any state.")
    confirmed = serializers.IntegerField(help_text="Confirmed letters that count.")
    delivered = serializers.IntegerField(help_text="Copies accepted by officials' mail servers.")
    bounced = serializers.IntegerField()
    no_official = serializers.IntegerField(help_text="Confirmed letters kept unsent: no official was in office.")
    by_day = DayFiguresSerializer(many=True, help_text="Copies to officials per day.")


class LetterFiguresViewSet(CampaignScopedViewSet):
    required_roles = {"officials": VIEWER, "places": VIEWER}

    @extend_schema(responses=OfficialFiguresSerializer(many=True))
    def officials(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = figures.per_official(self.campaign_access.campaign)
        return Response(OfficialFiguresSerializer(rows, many=True).data)

    @extend_schema(responses=PlaceFiguresSerializer(many=True))
    def places(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = figures.per_place(self.campaign_access.campaign)
        return Response(PlaceFiguresSerializer(rows, many=True).data)


class LetterExportViewSet(CampaignScopedViewSet):
    """Owners download every letter of the campaign as CSV, streamed row by row; each download audited."""

    required_roles = {"download": OWNER}

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="The CSV file")})
    def download(self, request: Request, *args: Any, **kwargs: Any) -> StreamingHttpResponse:
        access = self.campaign_access
        letters = export.letters_for_export(access.campaign)
        audit.record_personal_data_read(
            actor=access.user,
            via=access.via,
            model=Letter,
            campaign_id=access.campaign.pk,
            filters={},
            row_count=letters.count(),
            export=True,
        )
        return csv_download(export.csv_lines(letters), filename=f"{access.campaign.slug}-letters.csv")
