from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import transaction

from accounts.models import User


@dataclass(frozen=True)
class DemoOrganizer:
    user: User
    totp_uri: str
    recovery_codes: list[str]


@transaction.atomic
def ensure_demo_organizer(*, email: str, password: str) -> DemoOrganizer:
    """The demo's organizer: verified e-mail, known password, TOTP and recovery codes enrolled."""
    user, _ = User.objects.get_or_create(email=email)
    user.set_password(password)
    user.is_staff = user.is_superuser = user.is_active = True
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    secret = _totp_secret(user)
    codes = _recovery_codes(user)
    return DemoOrganizer(user=user, totp_uri=get_adapter().build_totp_url(user, secret), recovery_codes=codes)


def _totp_secret(user: User) -> str:
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        secret: str = get_adapter().decrypt(existing.data["secret"])
        return secret
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _recovery_codes(user: User) -> list[str]:
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).first()
    codes = RecoveryCodes(existing) if existing else RecoveryCodes.activate(user)
    return list(codes.get_unused_codes())
