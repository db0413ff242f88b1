"""Two factors are mandatory for organizers: the rule every organizer page and endpoint checks."""

from __future__ import annotations

from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.mfa.models import Authenticator
from django.http import HttpRequest

from accounts.models import User

STRONG_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def has_second_factor(user: User) -> bool:
    return bool(Authenticator.objects.filter(user=user, type__in=STRONG_FACTORS).exists())


def two_factors_done(request: HttpRequest) -> bool:
    """The session's user has a second factor and used it (or enrolled it) in this session.

    Having one is not enough: a session that signed in with the password only (e.g. Django
    admin's own login form, or one opened before enrolment) has not shown the second factor.
    """
    user = request.user
    if not user.is_authenticated or not isinstance(user, User):
        return False
    records = get_authentication_records(request, user)
    return any(record.get("method") == "mfa" for record in records) and has_second_factor(user)


def record_enrolment(request: HttpRequest, user: User, authenticator: Authenticator) -> None:
    # Adding a factor proves possession of it (a TOTP code or a key's signature was checked).
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, enrolled=True)
