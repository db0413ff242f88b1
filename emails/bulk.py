"""Bulk sends for callers' lists (a mailing, a notice to a city's supporters): rate, progress, pause, cancel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from emails import kinds, outbox
from emails.models import UNFINISHED, BulkSend, MessageEvent, OutboundMessage, Status
from emails.publish import publish


@dataclass(frozen=True)
class Recipient:
    address: str
    language: str
    key: str
    context: dict[str, Any] = field(default_factory=dict)


class BulkStateError(ValueError):
    pass


def create(*, list_key: str, kind: str, rate_per_minute: int | None = None) -> BulkSend:
    if not kinds.get(kind).unsubscribable:
        raise ValueError(f"{kind} is transactional mail; bulk sends carry bulk or update mail.")
    return BulkSend.objects.create(
        list_key=list_key, kind=kind, rate_per_minute=rate_per_minute or settings.EMAIL_BULK_RATE_PER_MINUTE
    )


def add(bulk: BulkSend, recipients: Iterable[Recipient], *, context: dict[str, Any] | None = None) -> int:
    """Renders and holds one message per recipient; a key already used is skipped, not doubled."""
    added = 0
    for recipient in recipients:
        message = outbox.send(
            bulk.kind,
            to=recipient.address,
            context={**(context or {}), **recipient.context},
            language=recipient.language,
            key=recipient.key,
            list_key=bulk.list_key,
            bulk=bulk,
        )
        added += message.bulk_id == bulk.pk
    return added


def start(bulk: BulkSend) -> None:
    _move(bulk, {BulkSend.State.DRAFT}, BulkSend.State.RUNNING)
    release(bulk.pk)


def pause(bulk: BulkSend) -> None:
    _move(bulk, {BulkSend.State.RUNNING}, BulkSend.State.PAUSED)


def resume(bulk: BulkSend) -> None:
    _move(bulk, {BulkSend.State.PAUSED}, BulkSend.State.RUNNING)
    # What was released before the pause goes out now; the rest at the rate.
    queued = list(bulk.messages.filter(status__in=(Status.QUEUED, Status.RETRY)).values_list("pk", flat=True))
    transaction.on_commit(lambda: publish(queued, kinds.Stream.BULK))
    release(bulk.pk)


@transaction.atomic
def cancel(bulk: BulkSend) -> int:
    _move(bulk, {BulkSend.State.DRAFT, BulkSend.State.RUNNING, BulkSend.State.PAUSED}, BulkSend.State.CANCELLED)
    pending = bulk.messages.filter(status__in=(Status.HELD, Status.QUEUED, Status.RETRY))
    ids = list(pending.values_list("pk", flat=True))
    pending.update(status=Status.CANCELLED, last_error="bulk send cancelled")
    MessageEvent.objects.bulk_create(MessageEvent(message_id=pk, status=Status.CANCELLED) for pk in ids)
    return len(ids)


def progress(bulk: BulkSend) -> dict[str, int]:
    counts = dict(bulk.messages.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {status.value: counts.get(status.value, 0) for status in Status}


def release_running() -> int:
    return sum(release(pk) for pk in BulkSend.objects.filter(state=BulkSend.State.RUNNING).values_list("pk", flat=True))


def release(bulk_id: int) -> int:
    """Moves as many held messages to the queue as the rate allows since the last release."""
    now = timezone.now()
    with transaction.atomic():
        bulk = BulkSend.objects.select_for_update().get(pk=bulk_id)
        if bulk.state != BulkSend.State.RUNNING:
            return 0
        # The first release sends a tick's worth at once; a long gap (beat down) never bursts past a minute's worth.
        since = bulk.released_at or now - dt.timedelta(seconds=settings.EMAIL_BULK_RELEASE_SECONDS)
        elapsed = min(max((now - since).total_seconds(), 0.0), 60.0)
        allowance = int(bulk.rate_per_minute * elapsed / 60)
        ids: list[int] = []
        if allowance:
            ids = list(bulk.messages.filter(status=Status.HELD).order_by("pk").values_list("pk", flat=True)[:allowance])
            OutboundMessage.objects.filter(pk__in=ids).update(status=Status.QUEUED, next_attempt_at=now)
            MessageEvent.objects.bulk_create(MessageEvent(message_id=pk, status=Status.QUEUED) for pk in ids)
            bulk.released_at = now
        if not ids and not bulk.messages.filter(status__in=UNFINISHED).exists():
            bulk.state, bulk.finished_at = BulkSend.State.FINISHED, now
        bulk.save(update_fields=["released_at", "state", "finished_at"])
        transaction.on_commit(lambda: publish(ids, kinds.Stream.BULK))
    return len(ids)


def _move(bulk: BulkSend, allowed: set[BulkSend.State], to: BulkSend.State) -> None:
    moved = BulkSend.objects.filter(pk=bulk.pk, state__in=allowed).update(state=to)
    if not moved:
        bulk.refresh_from_db(fields=["state"])
        raise BulkStateError(f"A {bulk.get_state_display()} bulk send cannot become {to.label}.")
    bulk.state = to
