"""The campaign's tracked places as a GeoJSON FeatureCollection (RFC 7946), for maps."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from campaigns.models import Status


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


def feature_collection(rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [_feature(row) for row in rows]}


def _feature(row: Mapping[str, Any]) -> dict[str, Any]:
    # GeoJSON positions are [longitude, latitude], the other way round from how people say them.
    position = [float(row["place__longitude"]), float(row["place__latitude"])]
    return {
        "type": "Feature",
        "id": row["place_id"],
        "geometry": {"type": "Point", "coordinates": position},
        "properties": {
            "id": row["place_id"],
            "name": row["place__name"],
            "state": row["place__state"],
            "status": row["status"],
            "status_label": Status(row["status"]).label,
        },
    }


FEATURE_COLLECTION = inline_serializer(
    name="PlaceFeatureCollection",
    fields={
        "type": serializers.ChoiceField(choices=["FeatureCollection"]),
        "features": inline_serializer(
            name="PlaceFeature",
            many=True,
            fields={
                "type": serializers.ChoiceField(choices=["Feature"]),
                "id": serializers.IntegerField(help_text="The place's id."),
                "geometry": inline_serializer(
                    name="PlacePoint",
                    fields={
                        "type": serializers.ChoiceField(choices=["Point"]),
                        "coordinates": serializers.ListField(
                            child=serializers.FloatField(),
                            min_length=2,
                            max_length=2,
                            help_text="[longitude, latitude]",
                        ),
                    },
                ),
                "properties": inline_serializer(
                    name="PlaceFeatureProperties",
                    fields={
                        "id": serializers.IntegerField(),
                        "name": serializers.CharField(),
                        "state": serializers.CharField(),
                        "status": serializers.ChoiceField(choices=Status.choices),
                        "status_label": serializers.CharField(),
                    },
                ),
            },
        ),
    },
)
