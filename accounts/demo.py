from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import User


@transaction.atomic
def ensure_demo_organizer(*, email: str, password: str) -> User:
    """The demo's organizer: a verified e-mail and a known password, recreated as needed."""
    user, _ = User.objects.get_or_create(email=email, defaults={"is_staff": True, "is_superuser": True})
    user.set_password(password)
    user.is_staff = user.is_superuser = user.is_active = True
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user
