"""The tracker, read by anyone: places and where they stand, their evidence, and a map."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, permissions
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns.api.public import queries
from campaigns.api.public import serializers as s
from campaigns.api.public.caching import RevalidatedView
from campaigns.api.public.filters import PlaceFiltersSerializer, read_filters
from campaigns.api.public.geojson import FEATURE_COLLECTION, GeoJSONRenderer, feature_collection
from campaigns.models import Campaign, PlaceStatus, Source

SEARCH_LIMIT = 50


class PublicCampaignView(APIView):
    """Resolves the public campaign of the URL once, after throttling; a draft is a 404."""

    permission_classes = (permissions.AllowAny,)
    campaign: Campaign

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.campaign = queries.public_campaign(kwargs["slug"])


@extend_schema_view(get=extend_schema(parameters=[PlaceFiltersSerializer]))
class TrackedPlaceList(RevalidatedView, PublicCampaignView, generics.ListAPIView[PlaceStatus]):
    """Places the campaign tracks and where each stands, by state and name; or the closest to `q` or `zip`."""

    serializer_class = s.TrackedPlaceSerializer
    cursor_ordering = ("list_key",)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        filters = read_filters(request.query_params)
        statuses = queries.find_tracked_places(campaign=self.campaign, filters=filters)
        if filters.ranked:
            results = self.get_serializer(statuses[:SEARCH_LIMIT], many=True).data
            return Response({"next": None, "previous": None, "results": results})
        page = self.paginate_queryset(statuses)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class TrackedPlaceDetail(RevalidatedView, PublicCampaignView, generics.RetrieveAPIView[PlaceStatus]):
    """One tracked place: its police agencies and their partnerships, officials in office, timeline."""

    serializer_class = s.TrackedPlaceDetailSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        status = queries.tracked_place(campaign=self.campaign, place_id=kwargs["place_id"])
        return Response(self.get_serializer(status).data)


class SourceList(PublicCampaignView, generics.ListAPIView[Source]):
    """The documents the campaign cites; `is_verified` is false until someone checked one."""

    serializer_class = s.PublicSourceSerializer
    cursor_ordering = ("-pk",)  # newest recorded first; dates may be missing, ids never are

    def get_queryset(self) -> QuerySet[Source]:
        return queries.public_sources(self.campaign)


class TrackedPlaceMap(RevalidatedView, PublicCampaignView):
    """Tracked places with coordinates, as GeoJSON points with their status."""

    renderer_classes = (GeoJSONRenderer, JSONRenderer)

    @extend_schema(responses=FEATURE_COLLECTION)
    def get(self, request: Request, slug: str) -> Response:
        return Response(feature_collection(queries.mapped_places(self.campaign)))

    def handle_exception(self, exc: Exception) -> Response:
        # An error is no GeoJSON: answer it in the API's one JSON error format.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)
