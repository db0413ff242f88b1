"""What the public sees of the tracker. Officials' e-mail and phone have no field here on purpose.

Kinds, statuses before/after and date precisions are plain strings or one shared nested shape,
so each choice set gets one name in the schema (drf-spectacular warns on anything else).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns.api.public.counts import place_counts
from campaigns.models import Citation, Official, Partnership, Place, PlaceStatus, Program, Source, Status, Vendor
from campaigns.models.dates import DatePrecision, format_partial_date
from campaigns.places_lookup import How


class PartialDateSerializer(serializers.Serializer[Any]):
    date = serializers.DateField(help_text="The 1st of the month or 1 January when known only to the month or year.")
    precision = serializers.ChoiceField(choices=DatePrecision.choices)
    display = serializers.CharField(help_text="As people read it: “2019”, “August 2019”, “August 5, 2019”.")


@extend_schema_field(PartialDateSerializer(allow_null=True))
class PartialDateField(serializers.Field):  # type: ignore[type-arg]
    """A date known to the day, the month or only the year, read from two model fields."""

    def __init__(self, date: str, precision: str, **kwargs: Any) -> None:
        self.date_attr, self.precision_attr = date, precision
        super().__init__(source="*", read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> dict[str, str] | None:
        day = getattr(value, self.date_attr)
        if day is None:
            return None
        precision = getattr(value, self.precision_attr)
        return {"date": day.isoformat(), "precision": precision, "display": format_partial_date(day, precision)}


class ProgramSerializer(serializers.Serializer[Any]):
    vendor = serializers.ChoiceField(choices=Vendor.choices)
    program = serializers.ChoiceField(choices=Program.choices)
    program_label = serializers.CharField()


class CountsSerializer(serializers.Serializer[Any]):
    signatures = serializers.IntegerField()
    letters = serializers.IntegerField()


class TrackedPlaceSerializer(serializers.Serializer[PlaceStatus]):
    """A place the campaign tracks, where it stands, and which programs its police are in now."""

    id = serializers.IntegerField(source="place.pk", help_text="The place's id.")
    name = serializers.CharField(source="place.name")
    kind = serializers.ChoiceField(source="place.kind", choices=Place.Kind.choices)
    state = serializers.CharField(source="place.state")
    ocd_id = serializers.CharField(source="place.ocd_id")
    census_geoid = serializers.CharField(source="place.census_geoid")
    population = serializers.IntegerField(source="place.population", allow_null=True)
    latitude = serializers.FloatField(source="place.latitude", allow_null=True)
    longitude = serializers.FloatField(source="place.longitude", allow_null=True)
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    status_changed_at = serializers.DateTimeField(source="changed_at")
    agencies_count = serializers.SerializerMethodField()
    current_programs = serializers.SerializerMethodField()
    how = serializers.SerializerMethodField(help_text="With `zip`: how the ZIP code led to this place.")

    def get_agencies_count(self, status: PlaceStatus) -> int:
        return len(status.place.campaign_agencies)  # type: ignore[attr-defined]

    @extend_schema_field(ProgramSerializer(many=True))
    def get_current_programs(self, status: PlaceStatus) -> list[dict[str, str]]:
        current = {
            (p.vendor, p.program): p.get_program_display()
            for agency in status.place.campaign_agencies  # type: ignore[attr-defined]
            for p in agency.shown_partnerships
            if p.ended_on is None
        }
        return [{"vendor": v, "program": p, "program_label": label} for (v, p), label in sorted(current.items())]

    @extend_schema_field(serializers.ChoiceField(choices=How.choices, allow_null=True))
    def get_how(self, status: PlaceStatus) -> str | None:
        return getattr(status, "how", None)


class SourceSummarySerializer(serializers.ModelSerializer[Source]):
    published = PartialDateField("published_on", "published_precision")

    class Meta:
        model = Source
        fields: Any = (
            "id",
            "title",
            "publisher",
            "published",
            "url",
            "archived_url",
            "documentcloud_id",
            "is_verified",
        )


class PublicSourceSerializer(serializers.ModelSerializer[Source]):
    published = PartialDateField("published_on", "published_precision")
    kind = serializers.CharField(help_text="news, public_record, government, meeting, vendor or advocacy.")
    kind_label = serializers.CharField(source="get_kind_display")
    is_verified = serializers.BooleanField(help_text="False until someone checked the document says what we cite.")

    class Meta:
        model = Source
        fields: Any = (
            "id",
            "title",
            "publisher",
            "authors",
            "published",
            "url",
            "archived_url",
            "documentcloud_id",
            "kind",
            "kind_label",
            "retrieved_on",
            "is_verified",
        )


class CitationSerializer(serializers.ModelSerializer[Citation]):
    source = SourceSummarySerializer()  # type: ignore[assignment]  # the field, not DRF's `source` argument

    class Meta:
        model = Citation
        fields: Any = ("id", "locator", "quote", "source")


class PartnershipSerializer(serializers.ModelSerializer[Partnership]):
    vendor_label = serializers.CharField(source="get_vendor_display")
    program_label = serializers.CharField(source="get_program_display")
    started = PartialDateField("started_on", "started_precision")
    ended = PartialDateField("ended_on", "ended_precision")
    citations = CitationSerializer(many=True)

    class Meta:
        model = Partnership
        fields: Any = (
            "id",
            "vendor",
            "vendor_label",
            "program",
            "program_label",
            "started",
            "ended",
            "period_display",
            "how_known",
            "citations",
        )


class AgencySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField(help_text="police, sheriff or other.")
    kind_label = serializers.CharField(source="get_kind_display")
    website = serializers.URLField()
    partnerships = PartnershipSerializer(source="shown_partnerships", many=True)


class OfficialPositionSerializer(serializers.Serializer[Any]):
    position = serializers.CharField(help_text="supports_ending, opposes or undecided.")
    position_label = serializers.CharField(source="get_position_display")
    statement = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class OfficialSerializer(serializers.ModelSerializer[Official]):
    office_label = serializers.CharField(source="get_office_display")
    position = serializers.SerializerMethodField(help_text="Their latest recorded position, or null.")

    class Meta:
        model = Official
        # Never "email" or "phone": they are for delivering letters, not for publishing.
        fields: Any = ("id", "name", "office", "office_label", "district", "term_start", "term_end", "position")

    @extend_schema_field(OfficialPositionSerializer(allow_null=True))
    def get_position(self, official: Official) -> dict[str, Any] | None:
        recorded = getattr(official, "recorded_positions", None)
        if recorded is None:
            recorded = list(official.positions.order_by("-recorded_at", "-pk")[:1])
        return OfficialPositionSerializer(recorded[0]).data if recorded else None


class TimelineEventSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    occurred = PartialDateField("occurred_on", "occurred_precision")
    title = serializers.CharField()
    description = serializers.CharField()
    status_before = serializers.CharField(help_text="A `status` value, or blank.")
    status_before_label = serializers.CharField(source="get_status_before_display")
    status_after = serializers.CharField(help_text="The status this event led to, or blank if none.")
    status_after_label = serializers.CharField(source="get_status_after_display")
    citations = CitationSerializer(many=True)


class TrackedPlaceDetailSerializer(TrackedPlaceSerializer):
    how = None  # type: ignore[assignment]  # only a ZIP search says how it found a place
    agencies = AgencySerializer(source="place.campaign_agencies", many=True)
    officials = OfficialSerializer(source="place.current_officials", many=True, help_text="In office today.")
    timeline = TimelineEventSerializer(source="place.campaign_events", many=True)
    counts = serializers.SerializerMethodField()

    @extend_schema_field(CountsSerializer)
    def get_counts(self, status: PlaceStatus) -> dict[str, int]:
        return place_counts(campaign=status.campaign, place=status.place)
