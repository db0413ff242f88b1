from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accounts.models import AuditEvent
from campaigns.models import ApiToken, Campaign, Invitation, Membership, Role


class CampaignSerializer(serializers.ModelSerializer[Campaign]):
    my_role = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields: Any = ("slug", "title", "is_public", "created", "updated", "my_role")
        read_only_fields: Any = ("created", "updated", "my_role")

    def get_my_role(self, campaign: Campaign) -> str | None:
        roles: dict[int, str] = self.context.get("roles", {})
        return roles.get(campaign.pk)


class CampaignUpdateSerializer(serializers.ModelSerializer[Campaign]):
    class Meta:
        model = Campaign
        fields: Any = ("title", "is_public")


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    email = serializers.EmailField(source="user.email", read_only=True)
    has_two_factors = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields: Any = ("id", "email", "role", "created", "has_two_factors")
        read_only_fields: Any = ("id", "email", "created", "has_two_factors")

    def get_has_two_factors(self, membership: Membership) -> bool:
        return membership.pk in self.context.get("with_two_factors", set())


class RoleSerializer(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=Role.choices)


class InvitationSerializer(serializers.ModelSerializer[Invitation]):
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Invitation
        fields: Any = ("id", "email", "role", "created", "expires_at", "status")
        read_only_fields: Any = ("id", "created", "expires_at", "status")


class ApiTokenSerializer(serializers.ModelSerializer[ApiToken]):
    class Meta:
        model = ApiToken
        fields: Any = ("id", "name", "role", "prefix", "created", "last_used_at", "revoked_at")
        read_only_fields: Any = ("id", "prefix", "created", "last_used_at", "revoked_at")


class IssuedApiTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(read_only=True, help_text="Shown once: store it now, it cannot be shown again.")

    class Meta(ApiTokenSerializer.Meta):
        fields: Any = (*ApiTokenSerializer.Meta.fields, "token")


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    target_type = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields: Any = (
            "id",
            "created",
            "actor_label",
            "via",
            "action",
            "target_type",
            "target_id",
            "target_label",
            "changes",
            "details",
            "row_count",
        )

    def get_target_type(self, event: AuditEvent) -> str | None:
        return event.target_type.model if event.target_type else None


class MeSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    is_operator = serializers.BooleanField()
    memberships = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
