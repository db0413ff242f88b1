"""Who may do what in which campaign: the one lookup every organizer endpoint goes through."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

from accounts.models import User
from campaigns.models import ApiToken, Campaign, Membership, Role
from campaigns.models.memberships import role_includes


@dataclass(frozen=True)
class CampaignAccess:
    campaign: Campaign
    role: Role
    user: User
    membership: Membership | None  # None for the operator (a superuser who is not a member)
    token: ApiToken | None

    @property
    def via(self) -> str:
        return f"api-token:{self.token.prefix}" if self.token else "api"


def access_for(request: Request, slug: str, *, needed: Role) -> CampaignAccess:
    """The caller's access to campaign `slug`: 404 when not theirs, 403 when their role is too weak."""
    access = _find_access(request, slug)
    if access is None:
        raise Http404
    if not role_includes(access.role, needed):
        raise PermissionDenied(f"This needs the {needed.label.lower()} role in this campaign.")
    return access


def _find_access(request: Request, slug: str) -> CampaignAccess | None:
    token = request.auth if isinstance(request.auth, ApiToken) else None
    if token is not None:
        membership = token.membership
        if membership.campaign.slug != slug:
            return None
        return CampaignAccess(membership.campaign, token.effective_role, membership.user, membership, token)
    user = request.user
    return user_access(user, slug) if isinstance(user, User) else None


def user_access(user: User, slug: str) -> CampaignAccess | None:
    """A signed-in user's access to campaign `slug` (the organizer web pages ask this; the API too)."""
    member = Membership.objects.select_related("campaign").filter(user=user, campaign__slug=slug).first()
    if member is not None:
        return CampaignAccess(member.campaign, Role(member.role), user, member, None)
    if user.is_superuser:
        campaign = Campaign.objects.filter(slug=slug).first()
        return CampaignAccess(campaign, Role.OWNER, user, None, None) if campaign else None
    return None
