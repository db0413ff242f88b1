"""The moderation queue: editors list held signatures and approve or reject them, each decision audited.

The queue shows no name, address or comment: where, when, whether it was confirmed and why it was
held is what a decision needs, and it keeps signers' personal data out of organizers' screens.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from campaigns import moderation
from campaigns.api.organizer.base import CampaignScopedViewSet
from campaigns.models import Place, Review, Role, Signature


class ModeratedPlaceSerializer(serializers.ModelSerializer[Place]):
    class Meta:
        model = Place
        fields = ("id", "name", "state")


class ModeratedSignatureSerializer(serializers.ModelSerializer[Signature]):
    petition: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    place = ModeratedPlaceSerializer(read_only=True)
    created = serializers.DateTimeField(source="created_at", read_only=True)
    flags = serializers.ListField(child=serializers.CharField(), read_only=True)
    confirmed = serializers.SerializerMethodField()

    class Meta:
        model = Signature
        fields = ("id", "petition", "place", "created", "flags", "confirmed", "review")
        read_only_fields = fields

    def get_confirmed(self, signature: Signature) -> bool:
        return signature.confirmed_at is not None


class SignatureReviewViewSet(CampaignScopedViewSet, mixins.ListModelMixin):
    """GET lists the held signatures, oldest first; POST approve/reject decides one of the campaign's."""

    serializer_class = ModeratedSignatureSerializer
    required_roles = {"list": Role.EDITOR, "approve": Role.EDITOR, "reject": Role.EDITOR}
    cursor_ordering = ("created_at", "pk")

    def get_queryset(self) -> QuerySet[Signature]:
        signatures = Signature.objects.filter(petition__campaign=self.campaign_access.campaign)
        if self.action == "list":
            signatures = signatures.filter(review=Review.HELD)
        return signatures.select_related("petition", "place")

    @extend_schema(request=None, responses=ModeratedSignatureSerializer)
    def approve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        access = self.campaign_access
        signature = moderation.approve_signature(signature=self.get_object(), actor=access.user, via=access.via)
        return Response(self.get_serializer(signature).data)

    @extend_schema(request=None, responses=ModeratedSignatureSerializer)
    def reject(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        access = self.campaign_access
        signature = moderation.reject_signature(signature=self.get_object(), actor=access.user, via=access.via)
        return Response(self.get_serializer(signature).data)
