"""Organizer API shapes for mailings: compose (segment and variants), figures, previews."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns.models import Petition, Place
from mailings import segments
from mailings.composing import MailingInput, VariantInput
from mailings.figures import figures
from mailings.models import Audience, Mailing, MailingVariant
from mailings.placeholders import allowed_list

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
MAX_RATE_PER_MINUTE = 100_000


class VariantSerializer(serializers.ModelSerializer[MailingVariant]):
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    subject = serializers.CharField(max_length=200, help_text=f"One line; placeholders: {allowed_list()}.")
    text = serializers.CharField(max_length=50_000, help_text="The plain-text part, with placeholders.")
    html = serializers.CharField(
        max_length=90_000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Optional HTML part (sanitized: no scripts, styles, forms or images); empty: made from the text.",
    )

    class Meta:
        model = MailingVariant
        fields = ("language", "subject", "text", "html")


class SegmentSerializer(serializers.Serializer[Any]):
    audience = serializers.ChoiceField(choices=Audience.choices, default=Audience.EVERYONE)
    place = serializers.PrimaryKeyRelatedField(
        queryset=Place.objects.all(), required=False, allow_null=True, default=None
    )
    petition = serializers.PrimaryKeyRelatedField(
        queryset=Petition.objects.none(), required=False, allow_null=True, default=None
    )
    signed_after = serializers.DateTimeField(required=False, allow_null=True, default=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campaign = self.context.get("campaign")
        if campaign is not None:
            petition: Any = self.fields["petition"]
            petition.queryset = Petition.objects.filter(campaign=campaign)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("petition") is not None and attrs.get("audience") == Audience.LETTER_WRITERS:
            raise serializers.ValidationError(
                {"petition": [_("Letters are not written to a petition: choose signers or everyone.")]}
            )
        return attrs


class MailingInputSerializer(SegmentSerializer):
    title = serializers.CharField(max_length=200)
    default_language = serializers.ChoiceField(choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    rate_per_minute = serializers.IntegerField(
        min_value=1, max_value=MAX_RATE_PER_MINUTE, required=False, allow_null=True, default=None
    )
    variants = VariantSerializer(many=True, allow_empty=False)

    def validate_variants(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len({variant["language"] for variant in value}) != len(value):
            raise serializers.ValidationError(_("Give each language once."))
        return value

    def mailing_input(self, base: Mailing | None = None) -> MailingInput:
        """The validated body; for a PATCH, what it leaves out is taken from `base`."""
        data = {**(_current(base) if base is not None else {}), **self.validated_data}
        variants = [VariantInput(**variant) for variant in data["variants"]]
        return MailingInput(**{**data, "variants": variants})


def _current(mailing: Mailing) -> dict[str, Any]:
    return {
        "title": mailing.title,
        "audience": mailing.audience,
        "place": mailing.place,
        "petition": mailing.petition,
        "signed_after": mailing.signed_after,
        "default_language": mailing.default_language,
        "rate_per_minute": mailing.rate_per_minute,
        "variants": [
            {"language": v.language, "subject": v.subject, "text": v.text, "html": v.html}
            for v in mailing.variants.all()
        ],
    }


class FiguresSerializer(serializers.Serializer[Any]):
    recipients = serializers.IntegerField()
    sent = serializers.IntegerField()
    pending = serializers.IntegerField()
    failed = serializers.IntegerField()
    skipped = serializers.IntegerField(help_text="Not sent: suppressed or unsubscribed meanwhile.")
    cancelled = serializers.IntegerField()
    bounced = serializers.IntegerField()
    complained = serializers.IntegerField()
    unsubscribed = serializers.IntegerField(help_text="Recipients who unsubscribed since it went out.")


class MailingSerializer(serializers.ModelSerializer[Mailing]):
    status = serializers.CharField(
        read_only=True,
        help_text="draft, scheduled, preparing, sending, paused, finished or cancelled.",
    )
    place_name = serializers.CharField(source="place.name", read_only=True, default=None)
    variants = VariantSerializer(many=True, read_only=True)
    figures = serializers.SerializerMethodField()

    class Meta:
        model = Mailing
        fields: Any = (
            "id",
            "kind",
            "title",
            "status",
            "audience",
            "place",
            "place_name",
            "petition",
            "signed_after",
            "default_language",
            "rate_per_minute",
            "send_at",
            "started_at",
            "created_at",
            "variants",
            "figures",
        )
        read_only_fields: Any = fields

    @extend_schema_field(FiguresSerializer)
    def get_figures(self, mailing: Mailing) -> dict[str, int]:
        # A list page hands in every mailing's figures at once (mailings.figures.figures_for).
        known: dict[int, dict[str, int]] = self.context.get("figures", {})
        return known.get(mailing.pk) or figures(mailing)


class SegmentSizeSerializer(serializers.Serializer[Any]):
    size = serializers.IntegerField(help_text="Supporters the mailing would go to, were it sent now.")


class SendSerializer(serializers.Serializer[Any]):
    send_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Empty or past: now. Otherwise scheduled."
    )


class LanguageSerializer(serializers.Serializer[Any]):
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False, allow_null=True, default=None)


class PreviewSerializer(serializers.Serializer[Any]):
    language = serializers.CharField()
    subject = serializers.CharField()
    text = serializers.CharField()
    html = serializers.CharField()


class MailingDetailSerializer(MailingSerializer):
    segment_size = serializers.SerializerMethodField(
        help_text="Before it is sent (draft, scheduled): supporters it would go to now. Afterwards: null."
    )

    class Meta(MailingSerializer.Meta):
        fields: Any = (*MailingSerializer.Meta.fields, "segment_size")
        read_only_fields: Any = fields

    def get_segment_size(self, mailing: Mailing) -> int | None:
        if mailing.state not in (Mailing.State.DRAFT, Mailing.State.SCHEDULED):
            return None
        return segments.size(segments.Segment.of(mailing))
