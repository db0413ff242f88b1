"""TOTP codes as an authenticator app computes them, for tests that sign in for real."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value


def current_code(secret: str, *, steps_ago: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD - steps_ago))


def secret_from_uri(uri: str) -> str:
    return parse_qs(urlparse(uri).query)["secret"][0]
