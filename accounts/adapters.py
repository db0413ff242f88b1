from __future__ import annotations

import logging
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from accounts.audit import record_security_event
from accounts.models import User
from privacy import crypto

logger = logging.getLogger(__name__)
TOTP_CONTEXT = "allauth.mfa.Authenticator.data"


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Organizers join by invitation only; nobody signs up on their own.
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            record_security_event(actor=_user_named(credentials), via="login", event="login_locked_out", details={})
            raise

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        # The log line names no address: the user id when the account exists, else nothing.
        user = _user_named(credentials)
        logger.warning("failed organizer login for user %s", user.pk if user else "unknown")


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    """Keeps TOTP secrets and recovery-code seeds encrypted at rest (allauth stores them plain)."""

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text, context=TOTP_CONTEXT)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text, context=TOTP_CONTEXT)


def _user_named(credentials: dict[str, Any]) -> User | None:
    email = credentials.get("email") or credentials.get("username")
    return User.objects.filter(email__iexact=email).first() if email else None
