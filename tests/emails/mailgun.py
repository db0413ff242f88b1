"""Mailgun tracking webhooks as Mailgun sends them: JSON, HMAC-signed, behind our basic auth."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

from django.test import Client

URL = "/email/anymail/mailgun/tracking/"
SIGNING_KEY = "key-test-mailgun-signing"
BASIC_AUTH = "mailgun:webhook-password"


def configure(settings: Any) -> None:
    """What an operator sets: ANYMAIL_PROVIDER, ANYMAIL_WEBHOOK_SECRET and ANYMAIL_WEBHOOK_SIGNING_KEY (pytest-django's
    `settings`; the e-mail backend stays the tests' own)."""
    settings.ANYMAIL_PROVIDER = "mailgun"
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": BASIC_AUTH, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}


def signature(*, key: str = SIGNING_KEY) -> dict[str, str]:
    timestamp, token = str(int(time.time())), secrets.token_hex(25)
    digest = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {"timestamp": timestamp, "token": token, "signature": digest}


def event(kind: str, recipient: str, *, provider_id: str = "", **fields: Any) -> dict[str, Any]:
    """Mailgun's event-data; `provider_id` is the id Mailgun's API gave the message."""
    data: dict[str, Any] = {
        "event": kind,
        "id": secrets.token_hex(8),
        "timestamp": time.time(),
        "recipient": recipient,
        "message": {"headers": {"message-id": provider_id.strip("<>") or f"{secrets.token_hex(6)}@mg.example.org"}},
        **fields,
    }
    return data


def hard_bounce(recipient: str, **extra: Any) -> dict[str, Any]:
    reply = f"5.1.1 <{recipient}>: Recipient address rejected: no such user"
    fields: dict[str, Any] = {
        "severity": "permanent",
        "reason": "bounce",
        "delivery-status": {"code": 550, "message": reply},
    }
    return event("failed", recipient, **fields, **extra)


def soft_bounce(recipient: str, **extra: Any) -> dict[str, Any]:
    reply = "4.2.2 Mailbox full, try again later"
    fields: dict[str, Any] = {
        "severity": "temporary",
        "reason": "generic",
        "delivery-status": {"code": 452, "message": reply},
    }
    return event("failed", recipient, **fields, **extra)


def complaint(recipient: str, **extra: Any) -> dict[str, Any]:
    return event("complained", recipient, **extra)


def post(
    client: Client,
    event_data: dict[str, Any],
    *,
    signed: dict[str, str] | None = None,
    auth: str | None = BASIC_AUTH,
) -> Any:
    return post_body(client, {"signature": signed or signature(), "event-data": event_data}, auth=auth)


def post_body(client: Client, body: dict[str, Any], *, auth: str | None = BASIC_AUTH) -> Any:
    return client.post(URL, json.dumps(body), content_type="application/json", headers=auth_headers(auth))


def auth_headers(auth: str | None = BASIC_AUTH) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(auth.encode()).decode()} if auth else {}
