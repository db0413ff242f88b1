"""Organizers' petitions: viewers read them with their figures, editors create, change, close and reopen them.

Every write is audited. Saving a petition makes this process's signing view forget the petitions it
keeps (campaigns.api.public.petitions.cached_public_petition), so a new one takes signatures at once and
a closed one refuses them here at once (other processes within SIGNABLE_SECONDS).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import AuditEvent
from campaigns import signature_input as rules
from campaigns import tallies
from campaigns.api.organizer.tracker_views import AuditedCrudViewSet, atomic_write
from campaigns.models import Petition, Place, PlaceStatus, Review, Role, Signature

VIEWER, EDITOR = Role.VIEWER, Role.EDITOR
TEXT_MAX_LENGTH = 10_000
GOAL_MAX = 2_147_483_647  # the column's limit
SLUG_SIGNED = "People have signed at this address: their links would break. Keep the slug."


def figures_of(petitions: Iterable[Petition]) -> dict[int, dict[str, int]]:
    """Per petition id: `confirmed` (counted, as published; read from the tallies) and `held`."""
    ids = [petition.pk for petition in petitions]
    confirmed = tallies.petition_counts(petitions)
    held_rows = (
        Signature.objects.filter(petition_id__in=ids, review=Review.HELD)
        .values("petition_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    held = {row["petition_id"]: row["n"] for row in held_rows}
    return {pk: {"confirmed": confirmed.get(pk, 0), "held": held.get(pk, 0)} for pk in ids}


class OrganizerPetitionSerializer(serializers.ModelSerializer[Petition]):
    title = serializers.CharField(max_length=200, validators=[rules.reject_control_characters])
    text = serializers.CharField(
        max_length=TEXT_MAX_LENGTH,
        validators=[rules.reject_control_characters_but_line_breaks],
        help_text="What signers put their name to (the ask); line breaks kept.",
    )
    place = serializers.PrimaryKeyRelatedField(
        queryset=Place.objects.all(),
        allow_null=True,
        required=False,
        help_text="A place the campaign tracks, or null: every tracked place.",
    )
    consent_version = serializers.CharField(
        max_length=40,
        required=False,
        validators=[rules.reject_control_characters],
        help_text="Recorded with each signature; change it whenever the consent wording changes.",
    )
    signature_goal = serializers.IntegerField(min_value=1, max_value=GOAL_MAX, allow_null=True, required=False)
    confirmed = serializers.SerializerMethodField(help_text="Confirmed signatures that count, as published.")
    held = serializers.SerializerMethodField(help_text="Signatures held for an organizer's decision.")

    class Meta:
        model = Petition
        fields = (
            "id",
            "slug",
            "title",
            "text",
            "place",
            "consent_version",
            "is_open",
            "signature_goal",
            "created",
            "confirmed",
            "held",
        )
        read_only_fields = ("id", "created")

    def validate_place(self, value: Place | None) -> Place | None:
        campaign = self.context["campaign"]
        if value is not None and not PlaceStatus.objects.filter(campaign=campaign, place=value).exists():
            raise serializers.ValidationError("This campaign does not track that place.")
        return value

    def validate_slug(self, value: str) -> str:
        taken = Petition.objects.filter(campaign=self.context["campaign"], slug=value)
        instance = self.instance
        if isinstance(instance, Petition):
            if value != instance.slug and instance.signatures.exists():
                raise serializers.ValidationError(SLUG_SIGNED)
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            raise serializers.ValidationError("Another petition of this campaign has this slug.")
        return value

    def create(self, validated_data: dict[str, Any]) -> Petition:
        return Petition.objects.create(campaign=self.context["campaign"], **validated_data)

    def get_confirmed(self, petition: Petition) -> int:
        return self._figures(petition)["confirmed"]

    def get_held(self, petition: Petition) -> int:
        return self._figures(petition)["held"]

    def _figures(self, petition: Petition) -> dict[str, int]:
        # A list passes every row's figures at once (two queries a page); one petition reads its own.
        figures: dict[int, dict[str, int]] = self.context.setdefault("figures", {})
        if petition.pk not in figures:
            figures.update(figures_of([petition]))
        return figures[petition.pk]


class PetitionViewSet(AuditedCrudViewSet):
    """The campaign's petitions, newest first, with their confirmed and held counts. No deleting:
    close a petition instead, which keeps its signatures and figures."""

    serializer_class = OrganizerPetitionSerializer
    cursor_ordering = ("-created", "-pk")
    required_roles = {
        "list": VIEWER,
        "retrieve": VIEWER,
        "create": EDITOR,
        "partial_update": EDITOR,
        "close": EDITOR,
        "reopen": EDITOR,
    }

    def get_queryset(self) -> QuerySet[Petition]:
        return Petition.objects.filter(campaign=self.campaign_access.campaign)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        context = {**self.get_serializer_context(), "figures": figures_of(page)}
        return self.get_paginated_response(self.get_serializer(page, many=True, context=context).data)

    @extend_schema(request=None, responses=OrganizerPetitionSerializer)
    def close(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Stops taking signatures (409 to signers); what was signed stays and counts."""
        return self._set_open(False)

    @extend_schema(request=None, responses=OrganizerPetitionSerializer)
    def reopen(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Takes signatures again."""
        return self._set_open(True)

    def _set_open(self, is_open: bool) -> Response:
        with atomic_write():
            petition = self.locked_object()
            if petition.is_open != is_open:  # already so: nothing written, nothing audited
                before = self.snapshot(petition)
                petition.is_open = is_open
                petition.save(update_fields=["is_open"])
                self.record(AuditEvent.Action.UPDATE, petition, before=before, after=self.snapshot(petition))
        return Response(self.get_serializer(petition).data)
