from __future__ import annotations

from campaigns.models.api_tokens import ApiToken
from campaigns.models.campaigns import Campaign
from campaigns.models.invitations import Invitation
from campaigns.models.memberships import Membership, Role

__all__ = ["ApiToken", "Campaign", "Invitation", "Membership", "Role"]
