"""Organizers' list of partner origins allowed to frame the campaign's widget (web.embeds).

Viewers read it; owners add, change (referrer code, note) and remove origins, each write audited:
an origin decides who may show supporters our forms.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from rest_framework import serializers

from campaigns.api.organizer.tracker_views import AuditedCrudViewSet
from campaigns.models import EmbedOrigin, Role
from campaigns.models.embeds import canonical_origin
from campaigns.signature_input import referrer_validator

VIEWER, OWNER = Role.VIEWER, Role.OWNER


class EmbedOriginSerializer(serializers.ModelSerializer[EmbedOrigin]):
    class Meta:
        model = EmbedOrigin
        fields = ("id", "origin", "referrer", "note", "created")
        read_only_fields = ("id", "created")
        extra_kwargs = {
            "origin": {"help_text": "Scheme and host of the partner's page, e.g. https://partner.org."},
            "referrer": {"validators": [referrer_validator]},
        }

    def validate_origin(self, value: str) -> str:
        try:
            origin = canonical_origin(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        taken = EmbedOrigin.objects.filter(campaign=self.context["campaign"], origin=origin)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError("This origin is already on the campaign's list.")
        return origin

    def create(self, validated_data: dict[str, Any]) -> EmbedOrigin:
        return EmbedOrigin.objects.create(campaign=self.context["campaign"], **validated_data)


class EmbedOriginViewSet(AuditedCrudViewSet):
    """Partner origins (https://partner.org) whose pages may frame the campaign's forms and cards."""

    serializer_class = EmbedOriginSerializer
    cursor_ordering = ("origin", "pk")
    required_roles = {"list": VIEWER, "create": OWNER, "partial_update": OWNER, "destroy": OWNER}

    def get_queryset(self) -> QuerySet[EmbedOrigin]:
        return EmbedOrigin.objects.filter(campaign=self.campaign_access.campaign)
