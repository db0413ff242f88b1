from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import audit
from accounts.models import AuditEvent, User
from accounts.two_factor import STRONG_FACTORS
from campaigns import invitations, memberships, tokens
from campaigns.api.organizer import serializers as s
from campaigns.api.organizer.base import ORGANIZER_AUTHENTICATION, CampaignScopedViewSet
from campaigns.api.organizer.permissions import IsOrganizer, IsSessionOrganizer
from campaigns.models import ApiToken, Campaign, Invitation, Membership, Role

VIEWER, EDITOR, OWNER = Role.VIEWER, Role.EDITOR, Role.OWNER


class MeView(APIView):
    authentication_classes = ORGANIZER_AUTHENTICATION
    permission_classes = (IsOrganizer,)

    @extend_schema(responses=s.MeSerializer)
    def get(self, request: Request) -> Response:
        user: User = request.user  # type: ignore[assignment]
        token = request.auth if isinstance(request.auth, ApiToken) else None
        if token is not None:
            # A token knows its one campaign, at its own role: nothing of the user's other ones.
            memberships = [{"campaign": token.membership.campaign.slug, "role": token.effective_role.value}]
        else:
            rows = Membership.objects.filter(user=user).select_related("campaign").order_by("campaign__slug")
            memberships = [{"campaign": m.campaign.slug, "role": m.role} for m in rows]
        data = {"email": user.email, "is_operator": user.is_superuser and token is None, "memberships": memberships}
        return Response(s.MeSerializer(data).data)


class CampaignViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Campaigns the organizer belongs to (all of them for the operator)."""

    authentication_classes = ORGANIZER_AUTHENTICATION
    permission_classes = (IsOrganizer,)
    serializer_class = s.CampaignSerializer
    lookup_field = "slug"
    lookup_url_kwarg = "campaign_slug"
    cursor_ordering = ("slug",)

    def get_permissions(self) -> list[Any]:
        # Tokens belong to one campaign: they may read it, not create others.
        return [IsSessionOrganizer()] if self.action == "create" else list(super().get_permissions())

    def get_queryset(self) -> QuerySet[Campaign]:
        user: User = self.request.user  # type: ignore[assignment]
        token = self.request.auth if isinstance(self.request.auth, ApiToken) else None
        if token is not None:
            return Campaign.objects.filter(pk=token.membership.campaign_id)
        return Campaign.objects.all() if user.is_superuser else Campaign.objects.filter(memberships__user=user)

    def get_serializer_context(self) -> dict[str, Any]:
        if isinstance(self.request.auth, ApiToken):
            token = self.request.auth
            return {**super().get_serializer_context(), "roles": {token.membership.campaign_id: token.effective_role}}
        user: User = self.request.user  # type: ignore[assignment]
        roles = dict(Membership.objects.filter(user=user).values_list("campaign_id", "role"))
        return {**super().get_serializer_context(), "roles": roles}

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=s.CampaignSerializer, responses={201: s.CampaignSerializer})
    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        campaign = memberships.create_campaign(creator=request.user, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(self.get_serializer(campaign).data, status=status.HTTP_201_CREATED)


class CampaignDetailViewSet(CampaignScopedViewSet):
    serializer_class = s.CampaignSerializer
    required_roles = {"retrieve": VIEWER, "partial_update": OWNER, "destroy": OWNER}

    def get_serializer_context(self) -> dict[str, Any]:
        access = self.campaign_access
        return {**super().get_serializer_context(), "roles": {access.campaign.pk: access.role}}

    def retrieve(self, request: Request, campaign_slug: str) -> Response:
        return Response(self.get_serializer(self.campaign_access.campaign).data)

    @extend_schema(request=s.CampaignUpdateSerializer, responses=s.CampaignSerializer)
    def partial_update(self, request: Request, campaign_slug: str) -> Response:
        campaign = self.campaign_access.campaign
        before = audit.snapshot(campaign)
        serializer = s.CampaignUpdateSerializer(campaign, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        self._audit(AuditEvent.Action.UPDATE, campaign, before=before, after=audit.snapshot(campaign))
        return Response(self.get_serializer(campaign).data)

    def destroy(self, request: Request, campaign_slug: str) -> Response:
        campaign = self.campaign_access.campaign
        self._audit(AuditEvent.Action.DELETE, campaign, before=audit.snapshot(campaign))
        campaign.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _audit(self, action: str, campaign: Campaign, **snapshots: Any) -> None:
        access = self.campaign_access
        audit.record_write(
            actor=access.user, via=access.via, action=action, instance=campaign, campaign_id=campaign.pk, **snapshots
        )


class MemberViewSet(CampaignScopedViewSet, mixins.ListModelMixin):
    serializer_class = s.MembershipSerializer
    required_roles = {"list": OWNER, "partial_update": OWNER, "destroy": OWNER}
    cursor_ordering = ("pk",)

    def get_queryset(self) -> QuerySet[Membership]:
        return Membership.objects.filter(campaign=self.campaign_access.campaign).select_related("user")

    def get_serializer_context(self) -> dict[str, Any]:
        with_two = set(
            Membership.objects.filter(
                campaign=self.campaign_access.campaign, user__authenticator__type__in=STRONG_FACTORS
            ).values_list("pk", flat=True)
        )
        return {**super().get_serializer_context(), "with_two_factors": with_two}

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        access = self.campaign_access
        audit.record_personal_data_read(
            actor=access.user,
            via=access.via,
            model=Membership,
            campaign_id=access.campaign.pk,
            filters={"parameters": sorted(request.query_params)},  # names only: values may be anything
            row_count=len(response.data["results"]),
        )
        return response

    @extend_schema(request=s.RoleSerializer, responses=s.MembershipSerializer)
    def partial_update(self, request: Request, campaign_slug: str, pk: str) -> Response:
        membership = self.get_object()
        serializer = s.RoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        access = self.campaign_access
        memberships.change_role(
            membership=membership, role=Role(serializer.validated_data["role"]), actor=access.user, via=access.via
        )
        return Response(self.get_serializer(membership).data)

    def destroy(self, request: Request, campaign_slug: str, pk: str) -> Response:
        access = self.campaign_access
        memberships.remove_member(membership=self.get_object(), actor=access.user, via=access.via)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationViewSet(CampaignScopedViewSet, mixins.ListModelMixin):
    serializer_class = s.InvitationSerializer
    required_roles = {"list": OWNER, "create": OWNER, "destroy": OWNER}
    cursor_ordering = ("-created", "-pk")

    def get_queryset(self) -> QuerySet[Invitation]:
        return Invitation.objects.filter(campaign=self.campaign_access.campaign)

    def create(self, request: Request, campaign_slug: str) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        access = self.campaign_access
        invitation = invitations.invite(
            campaign=access.campaign,
            email=serializer.validated_data["email"],
            role=Role(serializer.validated_data["role"]),
            invited_by=access.user,
            via=access.via,
        )
        return Response(self.get_serializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.InvitationSerializer)
    def destroy(self, request: Request, campaign_slug: str, pk: str) -> Response:
        access = self.campaign_access
        invitation = invitations.revoke_invitation(invitation=self.get_object(), actor=access.user, via=access.via)
        return Response(self.get_serializer(invitation).data)


class ApiTokenViewSet(CampaignScopedViewSet, mixins.ListModelMixin):
    """The organizer's own tokens for this campaign; managed with a two-factor session only."""

    permission_classes = (IsSessionOrganizer,)
    serializer_class = s.ApiTokenSerializer
    required_roles = {"list": VIEWER, "create": VIEWER, "destroy": VIEWER}
    cursor_ordering = ("-created", "-pk")

    def get_queryset(self) -> QuerySet[ApiToken]:
        return ApiToken.objects.filter(membership=self.campaign_access.membership)

    @extend_schema(request=s.ApiTokenSerializer, responses={201: s.IssuedApiTokenSerializer})
    def create(self, request: Request, campaign_slug: str) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        access = self.campaign_access
        if access.membership is None:
            return Response(
                {"code": "not_a_member", "detail": "Tokens belong to a membership; join the campaign first."},
                status=status.HTTP_403_FORBIDDEN,
            )
        token, secret = tokens.issue_token(
            membership=access.membership,
            name=serializer.validated_data["name"],
            role=Role(serializer.validated_data["role"]),
            actor=access.user,
        )
        return Response({**s.ApiTokenSerializer(token).data, "token": secret}, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.ApiTokenSerializer)
    def destroy(self, request: Request, campaign_slug: str, pk: str) -> Response:
        access = self.campaign_access
        token = tokens.revoke_token(token=self.get_object(), actor=access.user, via=access.via)
        return Response(self.get_serializer(token).data)


class AuditEventViewSet(CampaignScopedViewSet, mixins.ListModelMixin):
    serializer_class = s.AuditEventSerializer
    required_roles = {"list": OWNER}
    cursor_ordering = ("-created", "-pk")

    def get_queryset(self) -> QuerySet[AuditEvent]:
        return AuditEvent.objects.for_campaign(self.campaign_access.campaign.pk).select_related("target_type")
