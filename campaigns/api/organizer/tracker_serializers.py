"""Organizer serializers for the tracker: sources, agencies, partnerships, officials, places, timeline."""

from __future__ import annotations

import copy
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from campaigns.models import (
    Agency,
    Citation,
    DatePrecision,
    Official,
    Partnership,
    Place,
    PlaceStatus,
    Source,
    Status,
    TimelineEvent,
)

_M = TypeVar("_M", bound=models.Model)

# Viewers read officials without these: "read-only, no personal data".
OFFICIAL_CONTACT_FIELDS = ("email", "phone")


class IdField(serializers.PrimaryKeyRelatedField[Any]):
    """A primary key as a JSON integer; `scope` limits it to the request's campaign."""

    default_error_messages = {
        "does_not_exist": "No {name} has the id {pk_value}{where}.",
        "incorrect_type": "Give the id as a whole number, not a {data_type}.",
    }

    def __init__(self, *, scope: str = "", **kwargs: Any) -> None:
        self.scope = scope  # lookup from the model to its Campaign; "" for global rows (places)
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset()  # type: ignore[assignment]  # set on every IdField
        return queryset.filter(**{self.scope: self.context["campaign"]}) if self.scope else queryset

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        queryset = self.get_queryset()
        row = queryset.filter(pk=data).first()
        if row is None:
            where = " in this campaign" if self.scope else ""
            self.fail("does_not_exist", name=queryset.model._meta.verbose_name, pk_value=data, where=where)
        return row


def choices_schema(choice_set: type[models.TextChoices]) -> dict[str, Any]:
    labels = "; ".join(f"`{value}`: {label}" for value, label in choice_set.choices)
    return {"type": "string", "enum": list(choice_set.values), "description": labels}


class NamedChoiceField(serializers.ChoiceField):
    """A choice set with one name in the schema, whatever the fields using it are called."""

    choice_set: type[models.TextChoices]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=self.choice_set.choices, **kwargs)


@extend_schema_field(choices_schema(DatePrecision), component_name="DatePrecision")
class PrecisionField(NamedChoiceField):
    choice_set = DatePrecision


@extend_schema_field(choices_schema(Status), component_name="TrackerStatus")
class StatusField(NamedChoiceField):
    choice_set = Status


@extend_schema_field(choices_schema(Source.Kind), component_name="SourceKind")
class SourceKindField(NamedChoiceField):
    choice_set = Source.Kind


@extend_schema_field(choices_schema(Agency.Kind), component_name="AgencyKind")
class AgencyKindField(NamedChoiceField):
    choice_set = Agency.Kind


class CheckedModelSerializer(serializers.ModelSerializer[_M]):
    """Runs the model's full_clean() on the row as it would be saved, so the model's rules
    (date precision, a public source's URL, unique names, check constraints) answer 400, not 500.

    Rows of models with a `campaign` field get the request's campaign (context["campaign"]).
    """

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        row = self._would_be_row(attrs)
        self.check_row(row)
        try:
            row.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(_field_messages(error)) from error
        return attrs

    def check_row(self, row: _M) -> None:
        """Rules worth a clearer message than the database constraint's; raise ValidationError."""

    def create(self, validated_data: dict[str, Any]) -> _M:
        if self._has_campaign():
            validated_data["campaign"] = self.context["campaign"]
        return super().create(validated_data)

    def _would_be_row(self, attrs: dict[str, Any]) -> _M:
        model: type[_M] = self.Meta.model
        # A copy: the instance itself keeps its saved values until the write is valid.
        row = copy.copy(self.instance) if self.instance is not None else model()
        many = {field.name for field in model._meta.many_to_many}
        for name, value in attrs.items():
            if name not in many:
                setattr(row, name, value)
        if self.instance is None and self._has_campaign():
            row.campaign = self.context["campaign"]  # type: ignore[attr-defined]
        return row

    def _has_campaign(self) -> bool:
        model: type[models.Model] = self.Meta.model
        return any(field.name == "campaign" for field in model._meta.concrete_fields)


def flat_errors(detail: Any, path: str = "") -> dict[str, list[str]]:
    """Nested serializer errors as {"a.0.b": [messages]}, for fields given by a path."""
    if isinstance(detail, dict):
        items: Any = detail.items()
    elif isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        items = enumerate(detail)
    else:
        messages = detail if isinstance(detail, list) else [detail]
        return {path: [str(message) for message in messages]}
    flat: dict[str, list[str]] = {}
    for key, value in items:
        if not path:
            name = str(key)
        elif key == api_settings.NON_FIELD_ERRORS_KEY:
            name = path  # a nested serializer's own error ("not a list") belongs to the field holding it
        else:
            name = f"{path}.{key}"
        for field, messages in flat_errors(value, name).items():
            flat.setdefault(field, []).extend(messages)
    return flat


def _field_messages(error: DjangoValidationError) -> dict[str, list[str]]:
    by_field: dict[str, list[str]] = error.message_dict
    return {(api_settings.NON_FIELD_ERRORS_KEY if k == NON_FIELD_ERRORS else k): v for k, v in by_field.items()}


class SourceSerializer(CheckedModelSerializer[Source]):
    """A document in the campaign's library. A public one needs a URL, an archived URL or a DocumentCloud id."""

    kind = SourceKindField(required=False)
    published_precision = PrecisionField(required=False)
    is_public = serializers.BooleanField(read_only=True, help_text="Anyone can check it (not our own records).")
    published_display = serializers.CharField(read_only=True)

    class Meta:
        ref_name = "OrganizerSource"
        model = Source
        fields: Any = (
            "id",
            "title",
            "publisher",
            "authors",
            "published_on",
            "published_precision",
            "published_display",
            "url",
            "archived_url",
            "documentcloud_id",
            "kind",
            "retrieved_on",
            "is_verified",
            "is_public",
            "created",
            "updated",
        )
        read_only_fields: Any = ("created", "updated")


class SourceSummarySerializer(serializers.ModelSerializer[Source]):
    kind = SourceKindField(read_only=True)
    is_public = serializers.BooleanField(read_only=True)

    class Meta:
        ref_name = "OrganizerSourceSummary"
        model = Source
        fields: Any = ("id", "title", "publisher", "kind", "url", "archived_url", "documentcloud_id", "is_public")
        read_only_fields = fields


class CitationSerializer(serializers.ModelSerializer[Citation]):
    source = SourceSummarySerializer(read_only=True)  # type: ignore[assignment]  # a field, not Field.source

    class Meta:
        ref_name = "OrganizerCitation"
        model = Citation
        fields: Any = ("id", "source", "locator", "quote", "note")


class CitationInputSerializer(serializers.Serializer[Any]):
    """One piece of evidence: a source from this campaign's library, and where in it."""

    source_id = IdField(source="source", queryset=Source.objects.all(), scope="campaign")
    locator = serializers.CharField(max_length=100, allow_blank=True, default="")
    quote = serializers.CharField(allow_blank=True, default="")
    note = serializers.CharField(allow_blank=True, default="")

    class Meta:
        ref_name = "OrganizerCitationInput"


class PartnershipCitationSerializer(serializers.ModelSerializer[Citation]):
    source_id = IdField(source="source", queryset=Source.objects.all(), scope="campaign", write_only=True)
    source = SourceSummarySerializer(read_only=True)  # type: ignore[assignment]  # a field, not Field.source

    class Meta:
        ref_name = "OrganizerPartnershipCitation"
        model = Citation
        fields: Any = ("id", "source_id", "source", "locator", "quote", "note")


class PartnershipSummarySerializer(serializers.ModelSerializer[Partnership]):
    period_display = serializers.CharField(read_only=True)

    class Meta:
        ref_name = "OrganizerPartnershipSummary"
        model = Partnership
        fields: Any = ("id", "vendor", "program", "started_on", "ended_on", "period_display")
        read_only_fields = fields


class AgencySerializer(CheckedModelSerializer[Agency]):
    """A police department or sheriff's office, the places it polices and its partnerships."""

    kind = AgencyKindField(required=False)
    places = IdField(
        many=True, allow_empty=False, queryset=Place.objects.all(), help_text="Ids of the places it polices."
    )
    partnerships = PartnershipSummarySerializer(many=True, read_only=True)

    class Meta:
        ref_name = "OrganizerAgency"
        model = Agency
        fields: Any = ("id", "name", "kind", "website", "places", "partnerships")

    def validate_places(self, places: list[Place]) -> list[Place]:
        if len(places) > 500:
            raise serializers.ValidationError("Name at most 500 places.")
        return places


class PartnershipSerializer(CheckedModelSerializer[Partnership]):
    """An agency in one vendor program. A date known to the month is the 1st, to the year 1 January."""

    agency = IdField(queryset=Agency.objects.all(), scope="campaign")
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    started_precision = PrecisionField(required=False)
    ended_precision = PrecisionField(required=False)
    period_display = serializers.CharField(read_only=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        ref_name = "OrganizerPartnership"
        model = Partnership
        fields: Any = (
            "id",
            "agency",
            "agency_name",
            "vendor",
            "program",
            "started_on",
            "started_precision",
            "ended_on",
            "ended_precision",
            "period_display",
            "how_known",
            "citations",
            "created",
            "updated",
        )
        read_only_fields: Any = ("created", "updated")

    def check_row(self, row: Partnership) -> None:
        if row.started_on and row.ended_on and row.ended_on < row.started_on:
            raise serializers.ValidationError({"ended_on": ["A partnership ends on or after the day it started."]})


class OfficialSerializer(CheckedModelSerializer[Official]):
    """An official as editors and owners see it, with e-mail and phone."""

    place = IdField(queryset=Place.objects.all())
    place_label = serializers.CharField(source="place", read_only=True)

    class Meta:
        ref_name = "OrganizerOfficial"
        model = Official
        fields: Any = (
            "id",
            "place",
            "place_label",
            "name",
            "office",
            "district",
            *OFFICIAL_CONTACT_FIELDS,
            "term_start",
            "term_end",
            "is_active",
            "external_id",
            "mail_problem",
            "mail_problem_at",
            "created",
            "updated",
        )
        # The mail problem is reported by the mail provider, never set by hand.
        read_only_fields: Any = ("external_id", "mail_problem", "mail_problem_at", "created", "updated")
        extra_kwargs: Any = {
            "email": {"help_text": "For letters; never public. Shown to editors and owners only."},
            "phone": {"help_text": "Shown to editors and owners only."},
            "mail_problem": {
                "help_text": "Why mail to the address fails (`hard bounce`, `spam complaint`); empty when none"
                " was reported. Letters are still sent: find a better address."
            },
            "mail_problem_at": {"help_text": "When the mail provider reported the problem."},
        }

    def check_row(self, row: Official) -> None:
        if row.term_start and row.term_end and row.term_end < row.term_start:
            raise serializers.ValidationError({"term_end": ["A term ends on or after the day it starts."]})


class OfficialForViewerSerializer(OfficialSerializer):
    """Viewers: no e-mail address or phone number."""

    class Meta(OfficialSerializer.Meta):
        ref_name = "OrganizerOfficialForViewer"
        fields: Any = tuple(f for f in OfficialSerializer.Meta.fields if f not in OFFICIAL_CONTACT_FIELDS)


class PlaceSummarySerializer(serializers.ModelSerializer[Place]):
    class Meta:
        ref_name = "OrganizerPlaceSummary"
        model = Place
        fields: Any = ("id", "name", "kind", "state", "county_name", "ocd_id", "population")
        read_only_fields = fields


class TrackedPlaceSerializer(serializers.ModelSerializer[PlaceStatus]):
    place = PlaceSummarySerializer(read_only=True)
    status = StatusField(read_only=True)

    class Meta:
        ref_name = "OrganizerTrackedPlace"
        model = PlaceStatus
        fields: Any = ("place", "status", "changed_at", "notes")
        read_only_fields = fields


class TrackPlaceSerializer(serializers.Serializer[Any]):
    """A place (any in the reference data) for this campaign to track."""

    place_id = IdField(source="place", queryset=Place.objects.all())

    class Meta:
        ref_name = "OrganizerTrackPlace"


class TimelineEventSerializer(serializers.ModelSerializer[TimelineEvent]):
    occurred_precision = PrecisionField(read_only=True)
    status_before = serializers.CharField(read_only=True, help_text="A status, or blank if the event changed none.")
    status_after = serializers.CharField(read_only=True, help_text="A status, or blank if the event changed none.")
    occurred_display = serializers.CharField(read_only=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        ref_name = "OrganizerTimelineEvent"
        model = TimelineEvent
        fields: Any = (
            "id",
            "place",
            "occurred_on",
            "occurred_precision",
            "occurred_display",
            "title",
            "description",
            "status_before",
            "status_after",
            "recorded_at",
            "citations",
        )
        read_only_fields = fields


class StatusChangeSerializer(serializers.Serializer[Any]):
    """Where a tracked place now stands, since when, and the evidence."""

    status = StatusField()
    occurred_on = serializers.DateField()
    precision = PrecisionField(default=DatePrecision.DAY)
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(allow_blank=True, default="")
    citations = CitationInputSerializer(
        many=True,
        help_text="At least one; agenda, vote, ended, lost and a documented partnership need a public source.",
    )

    class Meta:
        ref_name = "OrganizerStatusChange"

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            # The error format maps each field to a list of messages: one citation's are
            # named by their path, e.g. "citations.0.source_id".
            raise serializers.ValidationError(flat_errors(error.detail)) from None

    def validate_citations(self, citations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(citations) > 50:
            raise serializers.ValidationError("Cite at most 50 sources for one change.")
        return citations
