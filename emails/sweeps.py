"""Beat's safety net: publishes what the after-commit hand-off missed, settles messages left in doubt."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from emails.models import DELIVERABLE, BulkSend, OutboundMessage, Status, history
from emails.publish import publish


@dataclass(frozen=True)
class SweepReport:
    published: int
    resent_in_doubt: int
    failed_in_doubt: int


def sweep_outbox() -> SweepReport:
    resent, failed = _settle_in_doubt()
    return SweepReport(published=_publish_due(), resent_in_doubt=resent, failed_in_doubt=failed)


def _publish_due() -> int:
    """Messages due for a while and still not sent: the broker was down, or their task was lost."""
    now = timezone.now()
    republish_after = dt.timedelta(seconds=settings.EMAIL_REPUBLISH_AFTER_SECONDS)
    running = Q(bulk__isnull=True) | Q(bulk__state=BulkSend.State.RUNNING)
    due = (
        OutboundMessage.objects.filter(running, status__in=DELIVERABLE, next_attempt_at__lte=now - republish_after)
        .order_by("next_attempt_at")
        .values_list("pk", "stream")[: settings.EMAIL_SWEEP_LIMIT]
    )
    by_stream: dict[str, list[int]] = defaultdict(list)
    for pk, stream in due:
        by_stream[stream].append(pk)
    for stream, ids in by_stream.items():
        # Restart the clock so a message waiting in a long queue is not published again each minute.
        OutboundMessage.objects.filter(pk__in=ids).update(next_attempt_at=now)
        publish(ids, stream)
    return sum(len(ids) for ids in by_stream.values())


def _settle_in_doubt() -> tuple[int, int]:
    """A worker died between claiming and recording: the server may or may not have the message.

    It is resent once, with the same Message-ID; a second doubt is a failure for a person to look at.
    """
    now = timezone.now()
    stale = now - dt.timedelta(seconds=settings.EMAIL_IN_DOUBT_AFTER_SECONDS)
    resent = failed = 0
    for message in OutboundMessage.objects.filter(status=Status.SENDING, claimed_at__lt=stale).only(
        "pk", "doubt_resends", "claimed_at"
    ):
        in_doubt = OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING, claimed_at=message.claimed_at)
        if message.doubt_resends == 0:
            due = now - dt.timedelta(seconds=settings.EMAIL_REPUBLISH_AFTER_SECONDS)
            if in_doubt.update(status=Status.RETRY, doubt_resends=1, next_attempt_at=due):
                history(message, Status.RETRY, "in doubt: the worker stopped mid-send; resending once, same Message-ID")
                resent += 1
        elif in_doubt.update(status=Status.FAILED, last_error="in doubt twice; not resent again"):
            history(message, Status.FAILED, "in doubt twice; not resent again")
            failed += 1
    return resent, failed
