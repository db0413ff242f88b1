from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import serializers

from donations.models import DonationSettings, Frequency
from donations.models.settings import validate_presets
from supporters.identity import MAX_ADDRESS_LENGTH


class CheckoutInputSerializer(serializers.Serializer[Any]):
    amount = serializers.IntegerField(min_value=1, max_value=100_000_000, help_text="In minor units (cents).")
    frequency = serializers.ChoiceField(choices=Frequency.choices, default=Frequency.ONE_TIME)
    email = serializers.EmailField(max_length=MAX_ADDRESS_LENGTH, help_text="For the receipt; Stripe asks for it too.")
    language = serializers.ChoiceField(choices=settings.LANGUAGES, default="en")


class CheckoutSerializer(serializers.Serializer[Any]):
    checkout_url = serializers.URLField(help_text="Send the donor here: Stripe's payment page.")


class OptionsSerializer(serializers.Serializer[Any]):
    currency = serializers.CharField()
    preset_amounts = serializers.ListField(child=serializers.IntegerField())
    minimum_amount = serializers.IntegerField()
    maximum_amount = serializers.IntegerField()
    frequencies = serializers.ListField(child=serializers.ChoiceField(choices=Frequency.choices))
    tax_deductible = serializers.BooleanField()
    configured = serializers.BooleanField(help_text="False while the site has no Stripe keys: donating answers 503.")


class SummarySerializer(serializers.Serializer[Any]):
    currency = serializers.CharField()
    raised = serializers.IntegerField(help_text="Net of refunds and disputes, in minor units.")
    donations = serializers.IntegerField()
    monthly_donors = serializers.IntegerField()


class SettingsSerializer(serializers.ModelSerializer[DonationSettings]):
    preset_amounts = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=100_000_000), min_length=1, max_length=8
    )
    currency = serializers.RegexField(r"^[a-z]{3}$", max_length=3, help_text="ISO 4217, lower case (usd).")
    minimum_amount = serializers.IntegerField(min_value=50, max_value=100_000_000)
    maximum_amount = serializers.IntegerField(min_value=50, max_value=100_000_000)

    class Meta:
        model = DonationSettings
        fields: Any = (
            "enabled",
            "currency",
            "preset_amounts",
            "minimum_amount",
            "maximum_amount",
            "tax_deductible",
            "receipt_note",
            "public_summary",
            "updated",
        )
        read_only_fields: Any = ("updated",)
        extra_kwargs: Any = {"receipt_note": {"max_length": 2000}}

    def validate_preset_amounts(self, value: list[int]) -> list[int]:
        validate_presets(value)
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance
        low = attrs.get("minimum_amount", instance.minimum_amount if instance else 100)
        high = attrs.get("maximum_amount", instance.maximum_amount if instance else 1_000_000)
        if low > high:
            raise serializers.ValidationError({"maximum_amount": ["Give a maximum at least as large as the minimum."]})
        presets = attrs.get("preset_amounts", instance.preset_amounts if instance else [])
        if any(not low <= amount <= high for amount in presets):
            raise serializers.ValidationError({"preset_amounts": ["Every suggested amount must be within the bounds."]})
        return attrs


class TotalsQuerySerializer(serializers.Serializer[Any]):
    start = serializers.DateField(required=False, help_text="First day, in the campaign's time zone.")
    end = serializers.DateField(required=False, help_text="Last day (included).")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("start") and attrs.get("end") and attrs["start"] > attrs["end"]:
            raise serializers.ValidationError({"end": ["Give a day on or after start."]})
        return attrs


class SumsSerializer(serializers.Serializer[Any]):
    currency = serializers.CharField()
    kind = serializers.ChoiceField(choices=Frequency.choices)
    count = serializers.IntegerField()
    gross = serializers.IntegerField()
    refunded = serializers.IntegerField()
    disputed = serializers.IntegerField()
    net = serializers.IntegerField()


class DaySumsSerializer(SumsSerializer):
    day = serializers.DateField()


class GiftCountsSerializer(serializers.Serializer[Any]):
    active = serializers.IntegerField()
    past_due = serializers.IntegerField()
    ending = serializers.IntegerField(help_text="Set to cancel at the end of the period.")
    ended = serializers.IntegerField()


class TotalsSerializer(serializers.Serializer[Any]):
    time_zone = serializers.CharField()
    totals = SumsSerializer(many=True)
    days = DaySumsSerializer(many=True)
    monthly_gifts = GiftCountsSerializer()
