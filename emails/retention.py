"""Bodies of delivered mail are kept only as long as they help answer "what did you send me?"."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from emails.models import UNFINISHED, OutboundMessage


def purge_bodies() -> int:
    """Blanks subject and bodies of finished messages older than EMAIL_BODY_RETENTION_DAYS."""
    now = timezone.now()
    cutoff = now - dt.timedelta(days=settings.EMAIL_BODY_RETENTION_DAYS)
    old = OutboundMessage.objects.filter(created_at__lt=cutoff, body_purged_at__isnull=True).exclude(
        status__in=UNFINISHED
    )
    return old.update(subject="", text_body="", html_body="", body_purged_at=now)
