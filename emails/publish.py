"""Hands message ids to the delivery tasks after the caller's transaction commits, 100 per task.

Messages committed by one process within EMAIL_PUBLISH_WINDOW_SECONDS travel in one task: in a
burst of signatures each confirmation is its own transaction, and a task per message cost a worker
more (the broker round trip, the task's setup, the queries that load a batch) than sending it.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from celery import signals
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
        if _window_seconds() > 0:
            _window.add(self.ids)
        else:
            _publish_each_stream(self.ids)


class _Window:
    """Ids committed by this process's transactions meanwhile, published together when it closes."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ids: dict[str, list[int]] = defaultdict(list)
        # Set from the window's opening until everything it collected is published: while a
        # broker that hangs holds one publisher, later ids join it rather than start more threads.
        self.timer: threading.Timer | None = None

    def add(self, ids: dict[str, list[int]]) -> None:
        with self.lock:
            for stream, more in ids.items():
                self.ids[stream].extend(more)
            if self.timer is not None:
                return
            # Not a daemon: a process that exits through sys.exit (gunicorn's max_requests) publishes
            # what it holds first.
            timer = threading.Timer(_window_seconds(), self.close)
            try:
                timer.start()
            except RuntimeError:  # no thread to be had: publish in the caller instead
                logger.warning("could not start the publishing window; publishing at once")
            else:
                self.timer = timer
                return
        self.close()

    def close(self) -> None:
        while True:
            with self.lock:
                pending, self.ids = self.ids, defaultdict(list)
                if not pending:
                    self.timer = None
                    return
            _publish_each_stream(pending)


def _publish_each_stream(ids_by_stream: dict[str, list[int]]) -> None:
    for stream, ids in ids_by_stream.items():
        try:
            publish(ids, stream)
        except Exception:  # one stream's failure must not keep the others' back; the sweep sends them
            logger.exception("could not queue %d %s message(s); the outbox sweep will", len(ids), stream)


_window = _Window()


def _forget_window_in_child() -> None:
    # A forked child inherits the parent's ids (the parent publishes them) but not its timer thread.
    global _window
    _window = _Window()


os.register_at_fork(after_in_child=_forget_window_in_child)


@signals.task_postrun.connect
def _publish_before_the_task_ends(**_kwargs: Any) -> None:
    # Celery's pool processes end with os._exit, which waits for no thread: a task's mail leaves with it.
    _window.close()


def _window_seconds() -> float:
    from emails import tasks  # the tasks module imports the delivery code, which imports this one

    # Eagerly run tasks (tests, a laptop without a broker) deliver in the caller, at once.
    return 0.0 if tasks.deliver_transactional.app.conf.task_always_eager else settings.EMAIL_PUBLISH_WINDOW_SECONDS


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
    from emails import tasks

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
