"""Hands message ids to the delivery tasks after the caller's transaction commits, 100 per task."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError

from emails.kinds import Stream

logger = logging.getLogger(__name__)
_local = threading.local()


class _Batch:
    def __init__(self) -> None:
        self.ids: dict[str, list[int]] = defaultdict(list)
        self.flushed = False

    def flush(self) -> None:
        self.flushed = True
        for stream, ids in self.ids.items():
            publish(ids, stream)


def publish_after_commit(message_id: int, stream: str) -> None:
    """One task per batch of messages written in the same transaction, not one per message."""
    connection = transaction.get_connection()
    batch: _Batch | None = getattr(_local, "batch", None)
    # A batch that ran, or whose callback is gone (rolled back), is over: start a new one. Django
    # keeps on_commit callbacks in run_on_commit as (savepoint ids, callback, robust).
    if batch is None or batch.flushed or not any(entry[1] == batch.flush for entry in connection.run_on_commit):
        batch = _local.batch = _Batch()
        # The id goes in first: outside a transaction (autocommit) on_commit runs the flush at once.
        batch.ids[stream].append(message_id)
        # robust: a broker that is down must not fail the caller's committed work; beat sweeps.
        transaction.on_commit(batch.flush, robust=True)
        return
    batch.ids[stream].append(message_id)


def publish(ids: Iterable[int], stream: str) -> None:
    """Enqueues delivery tasks; a broker outage is logged, the rows wait for the sweep."""
    from emails import tasks  # the tasks module imports the delivery code, which imports this one

    task = tasks.deliver_bulk if stream == Stream.BULK else tasks.deliver_transactional
    ids = list(ids)
    size = settings.EMAIL_BATCH_SIZE
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        try:
            task.delay(chunk)
        except (OperationalError, OSError):  # the broker is down or unreachable
            logger.warning("could not queue %d %s message(s); the outbox sweep will", len(chunk), stream)
            return
