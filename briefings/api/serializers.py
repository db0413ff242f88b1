from __future__ import annotations

from typing import Any

from rest_framework import serializers

from briefings.models import BriefingPreferences, Delivery, Edition


class BriefingEditionSerializer(serializers.ModelSerializer[Edition]):
    place = serializers.IntegerField(source="place_id", read_only=True)
    official = serializers.IntegerField(source="official_id", read_only=True, allow_null=True)
    verify_url = serializers.SerializerMethodField()
    replaced_by = serializers.IntegerField(
        source="replaced_by_id",
        read_only=True,
        allow_null=True,
        help_text="For a withdrawn edition: the edition that replaces it.",
    )

    class Meta:
        model = Edition
        fields: Any = (
            "id",
            "place",
            "official",
            "number",
            "reason",
            "status",
            "code",
            "verify_url",
            "fingerprint",
            "sha256",
            "page_count",
            "changes",
            "figures",
            "error",
            "created",
            "generated_at",
            "withdrawn_at",
            "replaced_by",
        )
        read_only_fields: Any = fields

    def get_verify_url(self, edition: Edition) -> str:
        from briefings.editions import verify_url

        return verify_url(edition)


class BriefingEditionRequestSerializer(serializers.Serializer[Any]):
    place = serializers.IntegerField(min_value=1, help_text="A place the campaign tracks.")
    official = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text="Address the briefing to this official of the place."
    )


class BriefingSendSerializer(serializers.Serializer[Any]):
    officials = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        allow_empty=False,
        max_length=200,
        help_text="Only these officials (default: every official in office for the place with an address).",
    )


class BriefingDeliverySerializer(serializers.ModelSerializer[Delivery]):
    official = serializers.IntegerField(source="official_id", read_only=True, allow_null=True)
    status = serializers.CharField(source="delivery_status", read_only=True)

    class Meta:
        model = Delivery
        fields: Any = ("id", "official", "official_name", "sent_at", "status")
        read_only_fields: Any = fields


class BriefingPreferencesSerializer(serializers.ModelSerializer[BriefingPreferences]):
    class Meta:
        model = BriefingPreferences
        fields: Any = ("organization", "unverified_sources", "support_step")
