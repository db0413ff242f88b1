"""Finding the supporter behind an e-mail address, whichever way the address is spelled."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from privacy.fields import matching
from supporters.models import Supporter

MAX_ADDRESS_LENGTH = 254  # RFC 5321's limit on a forward path


def clean_address(email: str) -> str:
    """The address as typed, trimmed; ValidationError on the `email` field when it is not one."""
    address = email.strip()
    try:
        if len(address) > MAX_ADDRESS_LENGTH:
            raise ValidationError("too long")
        validate_email(address)
    except ValidationError:
        raise ValidationError({"email": [_("Enter a valid e-mail address.")]}) from None
    return address


def find_supporter(email: str) -> Supporter | None:
    return Supporter.objects.filter(matching(Supporter, "email_hash", email)).first()


def supporter_for(*, email: str, language: str) -> Supporter:
    """The supporter with this address (`Foo.Bar+x@gmail.com` is `foobar@gmail.com`), created if new.

    Never updates an existing supporter: only a confirmation may change what we hold.
    """
    address = clean_address(email)
    found = find_supporter(address)
    if found is not None:
        return found
    try:
        # A savepoint: the unique hash makes a concurrent creation fail here, not the caller's transaction.
        with transaction.atomic():
            return Supporter.objects.create(email=address, language=language)
    except IntegrityError:
        return Supporter.objects.get(matching(Supporter, "email_hash", address))
