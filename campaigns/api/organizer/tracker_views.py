"""Organizer API for the tracker: viewers read, editors and owners write; every write audited.

Places themselves are reference data shared by all campaigns: this API reads them and tracks
them, never writes them (the operator uses the admin and the importers).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model, Prefetch, ProtectedError, QuerySet, RestrictedError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import MethodNotAllowed, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from accounts import audit
from accounts.models import AuditEvent
from campaigns import tracker
from campaigns.api.organizer import tracker_serializers as s
from campaigns.api.organizer.base import CampaignScopedViewSet
from campaigns.models import (
    Agency,
    Citation,
    DatePrecision,
    Official,
    Partnership,
    Place,
    PlaceStatus,
    Role,
    Source,
    Status,
    TimelineEvent,
)
from campaigns.models.memberships import role_includes

VIEWER, EDITOR = Role.VIEWER, Role.EDITOR
READ_AND_WRITE = {"list": VIEWER, "retrieve": VIEWER, "create": EDITOR, "partial_update": EDITOR, "destroy": EDITOR}
CONFLICT = "Someone saved a conflicting change at the same moment: reload and try again."


def citations_with_sources() -> Prefetch:  # type: ignore[type-arg]
    return Prefetch("citations", queryset=Citation.objects.select_related("source"))


@contextmanager
def atomic_write() -> Iterator[None]:
    """A transaction whose lost race with a concurrent write (a unique name taken) answers 400."""
    try:
        with transaction.atomic():
            yield
    except (ProtectedError, RestrictedError):
        raise  # a refused delete, which the view explains
    except IntegrityError as error:
        raise ValidationError({"non_field_errors": [CONFLICT]}) from error


class TrackerViewSet(CampaignScopedViewSet):
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        if self.action not in self.required_roles:
            # A method this route does not map (PUT, OPTIONS): 405 once the caller is known.
            viewsets.GenericViewSet.initial(self, request, *args, **kwargs)
            raise MethodNotAllowed(request.method or "")
        super().initial(request, *args, **kwargs)

    def get_serializer_context(self) -> dict[str, Any]:
        access = getattr(self, "campaign_access", None)
        context = super().get_serializer_context()
        return {**context, "campaign": access.campaign} if access else context

    def record(self, action: str, instance: Model, **snapshots: dict[str, Any]) -> None:
        access = self.campaign_access
        audit.record_write(
            actor=access.user,
            via=access.via,
            action=action,
            instance=instance,
            campaign_id=access.campaign.pk,
            **snapshots,
        )

    def locked_object(self) -> Any:
        """The row in the URL, locked until the write commits: the audited "before" is then
        exactly what this write replaces, even with another organizer saving at once."""
        rows = self.get_queryset().select_for_update(of=("self",))
        return get_object_or_404(rows, pk=self.kwargs["pk"])

    def tracked_place(self) -> PlaceStatus:
        """The place in the URL, if this campaign tracks it (else 404)."""
        rows = PlaceStatus.objects.for_campaign(self.campaign_access.campaign).select_related("place")
        return get_object_or_404(rows, place_id=self.kwargs["place_id"])


class AuditedCrudViewSet(TrackerViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """List, read, create, change and delete rows of one campaign, each write audited."""

    required_roles = READ_AND_WRITE

    def snapshot(self, instance: Any) -> dict[str, Any]:
        return audit.snapshot(instance)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with atomic_write():
            instance = serializer.save()
            self.record(AuditEvent.Action.CREATE, instance, after=self.snapshot(instance))
        return Response(self.get_serializer(instance).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with atomic_write():
            instance = self.locked_object()
            before = self.snapshot(instance)
            serializer = self.get_serializer(instance, data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            serializer.save()
            self.record(AuditEvent.Action.UPDATE, instance, before=before, after=self.snapshot(instance))
        instance._prefetched_objects_cache = {}  # type: ignore[attr-defined]  # show related rows as saved
        return Response(self.get_serializer(instance).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with atomic_write():
            instance = self.locked_object()
            self.record(AuditEvent.Action.DELETE, instance, before=self.snapshot(instance))
            instance.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class SourceViewSet(AuditedCrudViewSet):
    """The campaign's library of sources. A cited source cannot be deleted (400)."""

    serializer_class = s.SourceSerializer
    cursor_ordering = ("-created", "-pk")

    def get_queryset(self) -> QuerySet[Source]:
        return Source.objects.filter(campaign=self.campaign_access.campaign)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            return super().destroy(request, *args, **kwargs)
        except RestrictedError:
            cited = Citation.objects.filter(source_id=self.kwargs["pk"]).count()
            raise ValidationError(
                {"non_field_errors": [f"This source is cited {cited} time(s): remove those citations first."]}
            ) from None


class AgencyViewSet(AuditedCrudViewSet):
    """Police departments and sheriff's offices, their places and (read-only here) partnerships."""

    serializer_class = s.AgencySerializer
    cursor_ordering = ("name", "pk")

    def get_queryset(self) -> QuerySet[Agency]:
        places = Prefetch("places", queryset=Place.objects.only("pk"))
        return Agency.objects.filter(campaign=self.campaign_access.campaign).prefetch_related(places, "partnerships")

    def snapshot(self, instance: Agency) -> dict[str, Any]:
        # The jurisdiction is a many-to-many, which audit.snapshot() leaves out.
        places = sorted(place.pk for place in instance.places.all())
        return {**audit.snapshot(instance), "places": ",".join(map(str, places))}


class PartnershipViewSet(AuditedCrudViewSet):
    """An agency in one vendor program, dated as precisely as the evidence allows."""

    serializer_class = s.PartnershipSerializer
    cursor_ordering = ("pk",)

    def get_queryset(self) -> QuerySet[Partnership]:
        return (
            Partnership.objects.filter(agency__campaign=self.campaign_access.campaign)
            .select_related("agency")
            .prefetch_related(citations_with_sources())
        )


class PartnershipCitationViewSet(TrackerViewSet):
    """Evidence for a partnership: a source from this campaign's library, and where in it."""

    serializer_class = s.PartnershipCitationSerializer
    required_roles = {"create": EDITOR, "destroy": EDITOR}

    def get_queryset(self) -> QuerySet[Citation]:
        return Citation.objects.filter(
            partnership_id=self.kwargs["partnership_pk"], partnership__agency__campaign=self.campaign_access.campaign
        ).select_related("source")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partnership = get_object_or_404(
            Partnership.objects.filter(agency__campaign=self.campaign_access.campaign), pk=kwargs["partnership_pk"]
        )
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with atomic_write():
            citation = serializer.save(partnership=partnership)
            self.record(AuditEvent.Action.CREATE, citation, after=audit.snapshot(citation))
        return Response(self.get_serializer(citation).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with atomic_write():
            citation = self.locked_object()
            self.record(AuditEvent.Action.DELETE, citation, before=audit.snapshot(citation))
            citation.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class OfficialViewSet(AuditedCrudViewSet):
    """Council members and mayors. E-mail and phone are shown to editors and owners only."""

    serializer_class = s.OfficialSerializer
    cursor_ordering = ("name", "pk")

    def get_queryset(self) -> QuerySet[Official]:
        return Official.objects.filter(campaign=self.campaign_access.campaign).select_related("place")

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        access = getattr(self, "campaign_access", None)
        if access is not None and not role_includes(access.role, EDITOR):
            return s.OfficialForViewerSerializer
        return s.OfficialSerializer

    def snapshot(self, instance: Official) -> dict[str, Any]:
        # audit.snapshot() redacts e-mail fields by type; the phone number is a plain CharField.
        return {**audit.snapshot(instance), "phone": audit.REDACTED}


class TrackedPlaceViewSet(TrackerViewSet, mixins.ListModelMixin):
    """The places this campaign tracks, where each stands; POST a place id to start tracking it."""

    serializer_class = s.TrackedPlaceSerializer
    required_roles = {"list": VIEWER, "create": EDITOR}
    cursor_ordering = ("pk",)

    def get_queryset(self) -> QuerySet[PlaceStatus]:
        return PlaceStatus.objects.for_campaign(self.campaign_access.campaign).select_related("place")

    @extend_schema(
        request=s.TrackPlaceSerializer,
        responses={
            200: OpenApiResponse(s.TrackedPlaceSerializer, description="Already tracked"),
            201: OpenApiResponse(s.TrackedPlaceSerializer, description="Now tracked"),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = s.TrackPlaceSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        access, place = self.campaign_access, serializer.validated_data["place"]
        already = self.get_queryset().filter(place=place).exists()
        row = tracker.track_place(campaign=access.campaign, place=place, actor=access.user, via=access.via)
        answer = status.HTTP_200_OK if already else status.HTTP_201_CREATED
        return Response(self.get_serializer(row).data, status=answer)


class PlaceStatusViewSet(TrackerViewSet):
    """Change where a tracked place stands: a dated, cited timeline event (campaigns.tracker)."""

    serializer_class = s.StatusChangeSerializer
    required_roles = {"change_status": EDITOR}

    @extend_schema(request=s.StatusChangeSerializer, responses={201: s.TimelineEventSerializer})
    def change_status(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        place = self.tracked_place().place
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, access = serializer.validated_data, self.campaign_access
        event = tracker.change_status(
            campaign=access.campaign,
            place=place,
            status=Status(data["status"]),
            occurred_on=data["occurred_on"],
            precision=DatePrecision(data["precision"]),
            title=data["title"],
            description=data["description"],
            citations=[tracker.CitationInput(**citation) for citation in data["citations"]],
            actor=access.user,
            via=access.via,
        )
        event = TimelineEvent.objects.prefetch_related(citations_with_sources()).get(pk=event.pk)
        return Response(s.TimelineEventSerializer(event).data, status=status.HTTP_201_CREATED)


class PlaceTimelineViewSet(TrackerViewSet, mixins.ListModelMixin):
    """A tracked place's timeline in this campaign, oldest first, with each event's citations."""

    serializer_class = s.TimelineEventSerializer
    required_roles = {"list": VIEWER}
    cursor_ordering = ("occurred_on", "pk")

    def get_queryset(self) -> QuerySet[TimelineEvent]:
        place = self.tracked_place().place
        return TimelineEvent.objects.filter(campaign=self.campaign_access.campaign, place=place).prefetch_related(
            citations_with_sources()
        )
