from __future__ import annotations

from typing import Any, ClassVar

from rest_framework import exceptions, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request

from campaigns.access import CampaignAccess, access_for
from campaigns.api.authentication import ApiTokenAuthentication
from campaigns.api.organizer.permissions import IsOrganizer
from campaigns.models import Role

ORGANIZER_AUTHENTICATION = (ApiTokenAuthentication, SessionAuthentication)


class CampaignScopedViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Organizer endpoints under /campaigns/{slug}/: every action names the role it needs.

    The campaign is resolved once per request through campaigns.access, so another campaign's
    objects are never in the queryset (404) and a weaker role gets 403.
    """

    authentication_classes = ORGANIZER_AUTHENTICATION
    permission_classes = (IsOrganizer,)
    required_roles: ClassVar[dict[str, Role]] = {}
    campaign_access: CampaignAccess

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if self.action not in self.required_roles:
            # A method this route does not map (PUT, OPTIONS…): 405, before any lookup.
            raise exceptions.MethodNotAllowed(request.method or "")
        needed = self.required_roles[self.action]
        self.campaign_access = access_for(request, kwargs["campaign_slug"], needed=needed)
