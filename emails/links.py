"""Signed links in mail (confirm, unsubscribe, my data): tamper-proof, expiring where it makes sense."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse


class LinkInvalid(Exception):
    """Mistyped, cut short or tampered with."""


class LinkExpired(Exception):
    """Genuine, but older than its purpose allows."""


def sign(purpose: str, payload: dict[str, Any]) -> str:
    return signing.dumps(payload, salt=_salt(purpose), compress=True)


def unsign(purpose: str, token: str, *, max_age: dt.timedelta | None) -> dict[str, Any]:
    try:
        payload: dict[str, Any] = signing.loads(token, salt=_salt(purpose), max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkExpired(str(error)) from error
    except signing.BadSignature as error:
        raise LinkInvalid(str(error)) from error
    if not isinstance(payload, dict):
        raise LinkInvalid("payload is not an object")
    return payload


def absolute_url(view_name: str, **kwargs: Any) -> str:
    return str(settings.SITE_URL).rstrip("/") + reverse(view_name, kwargs=kwargs)


def _salt(purpose: str) -> str:
    # A token made for one purpose (say, unsubscribe) never opens another (say, erase my data).
    return f"townhall.links.{purpose}"
