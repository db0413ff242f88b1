from __future__ import annotations

import logging
import uuid
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import translation

from accounts import mail_kinds
from accounts.audit import record_security_event
from accounts.models import User
from emails import outbox
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

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Every allauth e-mail leaves through the outbox, as one of the kinds in accounts/mail_kinds.py."""
        mail = mail_kinds.mail_for(template_prefix)
        ctx = {"email": email, "current_site": mail_kinds.mail_site(), **context}
        ctx[mail_kinds.PREFIX_VARIABLE] = mail.templates
        outbox.send(
            mail.kind_name,
            to=email,
            context=ctx,
            language=_active_language(),
            # allauth gives nothing to key on: each call is a new request (a fresh reset link or
            # code), and it never calls twice for one. Retries happen on the outbox row, not here.
            key=f"allauth:{uuid.uuid4().hex}",
            from_email=self.get_from_email(),
        )


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    """Keeps TOTP secrets and recovery-code seeds encrypted at rest (allauth stores them plain)."""

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text, context=TOTP_CONTEXT)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text, context=TOTP_CONTEXT)


def _active_language() -> str:
    # The request's language (LocaleMiddleware); outside a request, the site's default.
    language = translation.get_language() or settings.LANGUAGE_CODE
    try:
        return translation.get_supported_language_variant(language)
    except LookupError:
        return str(settings.LANGUAGE_CODE)


def _user_named(credentials: dict[str, Any]) -> User | None:
    email = credentials.get("email") or credentials.get("username")
    return User.objects.filter(email__iexact=email).first() if email else None
