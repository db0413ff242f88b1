from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request

from accounts.two_factor import two_factors_done
from campaigns.models import ApiToken


class IsOrganizer(permissions.BasePermission):
    """A personal API token, or a session that passed two factors."""

    message = "Set up and use a second factor (authenticator app or security key) to use the organizer API."
    code = "two_factor_required"

    def has_permission(self, request: Request, view: Any) -> bool:
        if isinstance(request.auth, ApiToken):
            return True
        return bool(request.user and request.user.is_authenticated) and two_factors_done(request)


class IsSessionOrganizer(IsOrganizer):
    """As IsOrganizer, but not with an API token: tokens may not mint tokens or campaigns."""

    refusal_for_tokens = "API tokens cannot do this: sign in with two factors instead."

    def has_permission(self, request: Request, view: Any) -> bool:
        if isinstance(request.auth, ApiToken):
            self.message, self.code = self.refusal_for_tokens, "token_not_allowed"
            return False
        return super().has_permission(request, view)
