"""The gauges every installation has: the e-mail outbox and the Celery queues.

The outbox is read through the app registry (`apps.get_model`), so health, a base app, imports no
other app; its statuses are plain strings stored in the rows.
"""

from __future__ import annotations

from typing import Any

import kombu
from django.apps import apps
from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone
from kombu.exceptions import ChannelError

from health.metrics import register_gauge

# Statuses a worker may still pick up (emails.models.DELIVERABLE), as stored.
DELIVERABLE = ("queued", "retry")
BROKER_TIMEOUT = 1.0


def register_builtin_gauges() -> None:
    register_gauge(
        "townhall_outbox_messages",
        "Outbound messages by status (held, queued, sending, retry are still to go; failed never went).",
        outbox_by_status,
        labels=("status",),
    )
    register_gauge(
        "townhall_outbox_oldest_due_seconds",
        "Age of the oldest message due for delivery and not sent yet, per stream (0 when none waits).",
        outbox_oldest_due,
        labels=("stream",),
    )
    register_gauge(
        "townhall_outbox_failed_messages",
        "Messages whose delivery failed for good (every attempt used, or refused by the server).",
        outbox_failed,
    )
    register_gauge(
        "townhall_celery_queue_length",
        "Tasks waiting in each Celery queue on the broker (not counting those a worker holds).",
        celery_queue_lengths,
        labels=("queue",),
    )


def _outbox() -> Any:
    return apps.get_model("emails", "OutboundMessage")


def outbox_by_status() -> dict[tuple[str, ...], int]:
    statuses = [value for value, _label in _outbox()._meta.get_field("status").choices]
    counts: dict[tuple[str, ...], int] = {(status,): 0 for status in statuses}
    for row in _outbox().objects.order_by().values("status").annotate(n=Count("pk")):
        counts[(row["status"],)] = row["n"]
    return counts


def outbox_failed() -> int:
    failed: int = _outbox().objects.filter(status="failed").count()
    return failed


def outbox_oldest_due() -> dict[tuple[str, ...], float]:
    now = timezone.now()
    due = (
        _outbox()
        .objects.filter(status__in=DELIVERABLE, next_attempt_at__lte=now)
        .order_by()
        .values("stream")
        .annotate(oldest=Min("next_attempt_at"))
    )
    ages: dict[tuple[str, ...], float] = {("transactional",): 0.0, ("bulk",): 0.0}
    for row in due:
        ages[(row["stream"],)] = max(0.0, (now - row["oldest"]).total_seconds())
    return ages


def celery_queue_lengths() -> dict[tuple[str, ...], int]:
    """Messages waiting on the broker per queue; with tasks in-process (no broker) every queue is 0."""
    queues: tuple[str, ...] = settings.CELERY_TASK_QUEUES_NAMES
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return {(queue,): 0 for queue in queues}
    options = {
        **getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
        "socket_timeout": BROKER_TIMEOUT,
        "socket_connect_timeout": BROKER_TIMEOUT,
    }
    lengths: dict[tuple[str, ...], int] = {}
    with kombu.Connection(
        settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT, transport_options=options
    ) as connection:
        connection.ensure_connection(max_retries=0)
        channel: Any = connection.channel()
        try:
            for queue in queues:
                lengths[(queue,)] = _waiting(channel, queue)
        finally:
            channel.close()
    return lengths


def _waiting(channel: Any, queue: str) -> int:
    try:
        # Passive: only looks. On Redis it sums the queue's list and its priority lists.
        declared = channel.queue_declare(queue=queue, passive=True)
    except ChannelError:
        return 0  # Redis drops an empty list's key: nothing waits.
    count: int = declared.message_count
    return count
