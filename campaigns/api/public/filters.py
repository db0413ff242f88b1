"""The query parameters of the public place list, checked: a bad value is a 400 naming it."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from rest_framework import serializers

from campaigns.api.public.queries import PlaceFilters
from campaigns.models import Program, Status, Vendor
from campaigns.places_lookup import ZIP_CODE_MESSAGE, ZIP_CODE_PATTERN

SEARCH_MAX_LENGTH = 100


class PlaceFiltersSerializer(serializers.Serializer[Any]):
    # Blank values mean "no filter", as an empty search box or an unset <select> sends them.
    state = serializers.RegexField(
        r"^[A-Za-z]{2}$", required=False, allow_blank=True, help_text="A two-letter USPS state code such as NJ."
    )
    status = serializers.ChoiceField(choices=Status.choices, required=False, allow_blank=True)
    vendor = serializers.ChoiceField(
        choices=Vendor.choices, required=False, allow_blank=True, help_text="Its police partner with this vendor."
    )
    program = serializers.ChoiceField(
        choices=Program.choices, required=False, allow_blank=True, help_text="Its police are or were in this program."
    )
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=SEARCH_MAX_LENGTH,
        help_text="A place name, typos and accents forgiven; the closest 50 first.",
    )
    zip = serializers.RegexField(
        ZIP_CODE_PATTERN,
        required=False,
        allow_blank=True,
        error_messages={"invalid": ZIP_CODE_MESSAGE},
        help_text="A ZIP code: its places, most likely first, each with `how` the ZIP led to it (up to 50).",
    )


def read_filters(params: QueryDict) -> PlaceFilters:
    serializer = PlaceFiltersSerializer(data=params)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    return PlaceFilters(
        state=data.get("state", "").upper(),
        status=data.get("status", ""),
        vendor=data.get("vendor", ""),
        program=data.get("program", ""),
        q=data.get("q", ""),
        zip_code=data.get("zip", ""),
    )
