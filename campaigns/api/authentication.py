from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.models import User
from campaigns.models import ApiToken
from campaigns.models.api_tokens import TOKEN_PREFIX
from campaigns.tokens import authenticate_token


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer th_…`: a personal token scoped to one campaign and role."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace") != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Give the token after 'Bearer ', with no spaces in it.")
        secret = header[1].decode(errors="replace")
        token = authenticate_token(secret) if secret.startswith(f"{TOKEN_PREFIX}_") else None
        if token is None:
            raise exceptions.AuthenticationFailed("This token is unknown or revoked.")
        return token.membership.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[misc,no-untyped-call]
    target_class = "campaigns.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A personal API token (`th_…`)."}
