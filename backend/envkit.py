"""Typed helpers for reading settings from the environment, failing loudly on bad values."""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = 32


def secret(env: environ.Env, name: str) -> str:
    """NAME from the environment, else the contents of the file NAME_FILE points to (Docker/K8s secrets)."""
    value = str(env.str(name, default=""))
    path = str(env.str(f"{name}_FILE", default=""))
    if value and path:
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {path}: {error.strerror}") from error
    return value


def dev_secret(var_dir: Path, name: str, make: Callable[[], str]) -> str:
    """A secret generated once on this laptop and kept under var/ (never in the repository)."""
    path = var_dir / "secrets" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(make())
    return path.read_text().strip()


def new_key_entry() -> str:
    kid = secrets.token_hex(4)
    return f"{kid}:{base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode()}"


def keyring(value: str, *, name: str) -> list[tuple[str, bytes]]:
    """Parse "kid:base64key,kid2:base64key2" (current key first) into [(kid, key), ...]."""
    ring: list[tuple[str, bytes]] = []
    for position, entry in enumerate(filter(None, (part.strip() for part in value.split(","))), start=1):
        kid, sep, encoded = entry.partition(":")
        if not sep or not kid.isalnum():
            raise ImproperlyConfigured(f"{name}: entry {position} must look like 'kid:base64key'.")
        try:
            key = base64.urlsafe_b64decode(encoded.encode())
        except (binascii.Error, ValueError) as error:
            raise ImproperlyConfigured(f"{name}: entry {position} ({kid}) is not base64.") from error
        if len(key) != KEY_BYTES:
            raise ImproperlyConfigured(f"{name}: key {kid} must be {KEY_BYTES} bytes, not {len(key)}.")
        if any(kid == known for known, _ in ring):
            raise ImproperlyConfigured(f"{name}: key id {kid} appears twice.")
        ring.append((kid, key))
    if not ring:
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) is required when DEBUG is off.")
    return ring


def anymail_backend(provider: str) -> str:
    if not provider.replace("_", "").isalnum():
        raise ImproperlyConfigured(f"ANYMAIL_PROVIDER: {provider!r} is not a provider name.")
    return f"anymail.backends.{provider.lower()}.EmailBackend"


# The anymail setting that holds each signing provider's webhook key (see anymail/webhooks/).
_ANYMAIL_SIGNING_SETTINGS = {
    "mailersend": "MAILERSEND_SIGNING_SECRET",
    "mailgun": "MAILGUN_WEBHOOK_SIGNING_KEY",
    "mailtrap": "MAILTRAP_SIGNING_SECRET",
    "mandrill": "MANDRILL_WEBHOOK_KEY",
    "postal": "POSTAL_WEBHOOK_KEY",
    "resend": "RESEND_SIGNING_SECRET",
    "sendgrid": "SENDGRID_TRACKING_WEBHOOK_VERIFICATION_KEY",
}


def anymail_signing_setting(provider: str) -> str:
    try:
        return _ANYMAIL_SIGNING_SETTINGS[provider.lower()]
    except KeyError:
        raise ImproperlyConfigured(
            f"ANYMAIL_WEBHOOK_SIGNING_KEY: {provider} does not sign its webhooks; the basic-auth"
            " ANYMAIL_WEBHOOK_SECRET is what protects them."
        ) from None


# Each captcha provider's siteverify endpoint, and the origins its widget loads from with the
# CSP directives that must name them (from the providers' CSP guides).
_CAPTCHA_PROVIDERS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "hcaptcha": (
        "https://api.hcaptcha.com/siteverify",
        ("https://hcaptcha.com", "https://*.hcaptcha.com"),
        ("script-src", "frame-src", "style-src", "connect-src"),
    ),
    "turnstile": (
        "https://challenges.cloudflare.com/turnstile/v0/siteverify",
        ("https://challenges.cloudflare.com",),
        ("script-src", "frame-src", "connect-src"),
    ),
}


def captcha_provider(name: str, *, secret: str, site_key: str) -> str:
    """The provider's name, lower-cased, or "" for none; refuses an unknown one or a half configuration."""
    provider = name.strip().lower()
    if provider and provider not in _CAPTCHA_PROVIDERS:
        raise ImproperlyConfigured(f"CAPTCHA_PROVIDER: {name!r} is not one of {', '.join(sorted(_CAPTCHA_PROVIDERS))}.")
    if provider and not (secret and site_key):
        raise ImproperlyConfigured(
            "CAPTCHA_PROVIDER needs CAPTCHA_SECRET (or CAPTCHA_SECRET_FILE) and CAPTCHA_SITE_KEY."
        )
    return provider


def captcha_verify_url(provider: str, configured: str) -> str:
    url = configured or (_CAPTCHA_PROVIDERS[provider][0] if provider else "")
    if url and not url.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"CAPTCHA_VERIFY_URL: {url!r} is not an http(s) URL.")
    return url


def with_captcha_origins(directives: Mapping[str, Any], provider: str) -> dict[str, Any]:
    """The CSP directives, opened to the provider's origins only where its widget needs them."""
    if not provider:
        return dict(directives)
    _url, origins, needed = _CAPTCHA_PROVIDERS[provider]
    opened = {name: list(sources) for name, sources in directives.items()}
    for name in needed:
        opened[name] = [*opened.get(name, ["'self'"]), *origins]
    return opened
