"""send(): the one way a message leaves Townhall. It writes an outbox row in the caller's transaction.

The row holds the rendered message (encrypted), so what is delivered after commit is exactly
what the caller's data said at the time, whatever happens to that data later.
"""

from __future__ import annotations

import datetime as dt
from email.utils import make_msgid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from emails import kinds
from emails.links import absolute_url, sign
from emails.models import BulkSend, OutboundMessage, Status
from emails.publish import publish_after_commit
from emails.render import render
from privacy.addresses import address_hash, address_hashes

UNSUBSCRIBE_PURPOSE = "unsubscribe"


def send(
    kind: str,
    *,
    to: str,
    context: dict[str, Any],
    language: str,
    key: str,
    list_key: str = "",
    reply_to: str = "",
    from_email: str = "",
    headers: dict[str, str] | None = None,
    bulk: BulkSend | None = None,
) -> OutboundMessage:
    """Queues `kind` for `to`; the same `key` returns the first message and never makes another."""
    message_kind = kinds.get(kind)
    if message_kind.unsubscribable != bool(list_key):
        raise ValueError(f"{kind}: bulk and update mail needs a list key; transactional mail takes none.")
    existing = OutboundMessage.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    # No savepoint of its own: an error here is the caller's error; only the insert below is guarded.
    with transaction.atomic(savepoint=False):
        status = Status.HELD if bulk is not None else Status.QUEUED
        detail = ""
        if message_kind.to_unconfirmed and _over_daily_limit(to):
            status, detail = Status.REFUSED, f"more than {settings.EMAIL_UNCONFIRMED_DAILY_LIMIT} such messages today"
        extra_headers = dict(headers or {})
        if list_key:
            link = unsubscribe_url(to, list_key)
            context = {**context, "unsubscribe_url": link}
            extra_headers |= {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
        rendered = render(message_kind.template, context, language=language)
        message = OutboundMessage(
            idempotency_key=key,
            kind=kind,
            stream=message_kind.stream,
            language=language,
            to_address=to,
            from_email=from_email or settings.DEFAULT_FROM_EMAIL,
            reply_to=reply_to,
            subject=rendered.subject,
            text_body=rendered.text,
            html_body=rendered.html,
            headers=extra_headers,
            list_key=list_key,
            bulk=bulk,
            counts_toward_daily_limit=message_kind.to_unconfirmed,
            message_id=make_msgid(domain=_message_id_domain()),
            status=status,
            last_error=detail,
        )
        try:
            with transaction.atomic():
                message.save()
        except IntegrityError:
            # The same key, saved by a concurrent caller that committed while we rendered.
            return OutboundMessage.objects.get(idempotency_key=key)
    if status == Status.QUEUED:
        publish_after_commit(message.pk, message.stream)
    return message


def unsubscribe_url(address: str, list_key: str) -> str:
    token = sign(UNSUBSCRIBE_PURPOSE, {"a": address_hash(address), "l": list_key})
    return absolute_url("unsubscribe", token=token)


def _over_daily_limit(address: str) -> bool:
    hashes = address_hashes(address)
    if connection.vendor == "postgresql":
        # Two forms submitted at once for the same address must not both slip under the limit.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 7))", [hashes[0]])
    sent_today = OutboundMessage.objects.filter(
        to_hash__in=hashes,
        counts_toward_daily_limit=True,
        created_at__gte=timezone.now() - dt.timedelta(days=1),
    ).exclude(status=Status.REFUSED)
    limit: int = settings.EMAIL_UNCONFIRMED_DAILY_LIMIT
    return sent_today.count() >= limit


def _message_id_domain() -> str:
    return urlsplit(str(settings.SITE_URL)).hostname or "townhall.localhost"
