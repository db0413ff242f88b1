"""The Celery app: JSON only, three queues, enqueue after commit, no long waits on the broker."""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

from celery import Celery, Task, signals
from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")


class BrokerDelayTooLong(ValueError):
    """A countdown/ETA beyond a few minutes belongs in the database, swept by beat."""


class TownhallTask(Task[Any, Any]):
    """Base task: refuses long broker delays and round-trips arguments through JSON when eager.

    Eager mode runs tasks in-process (laptop, tests); the JSON round trip keeps it honest, so
    a task that would fail to serialize on a real broker fails here too.
    """

    def apply_async(self, args: Any = None, kwargs: Any = None, **options: Any) -> Any:  # type: ignore[override]
        _refuse_long_delay(options)
        if self.app.conf.task_always_eager:
            args = json.loads(json.dumps(list(args or ())))
            kwargs = json.loads(json.dumps(dict(kwargs or {})))
        return super().apply_async(args, kwargs, **options)


def _refuse_long_delay(options: dict[str, Any]) -> None:
    limit = settings.TOWNHALL_MAX_BROKER_DELAY_SECONDS
    countdown = options.get("countdown")
    eta = options.get("eta")
    if countdown is not None and countdown > limit:
        raise BrokerDelayTooLong(f"countdown {countdown}s exceeds {limit}s; store the schedule in the database.")
    if isinstance(eta, dt.datetime) and (eta - timezone.now()).total_seconds() > limit:
        raise BrokerDelayTooLong(f"eta {eta.isoformat()} is more than {limit}s away; store it in the database.")


app = Celery("townhall", task_cls=TownhallTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue(name) for name in settings.CELERY_TASK_QUEUES_NAMES]
app.autodiscover_tasks()


@signals.task_prerun.connect
@signals.task_postrun.connect
def _recycle_database_connections(task: Task[Any, Any] | None = None, **_kwargs: Any) -> None:
    """A task's database connections live as a request's do: kept, unless broken or CONN_MAX_AGE old.

    Celery's Django fixup closes them around every task unless CELERY_DB_REUSE_MAX is set, and a
    new PostgreSQL connection (a forked backend, authentication, Django's setup) cost more than a
    confirmation's delivery itself. With CONN_HEALTH_CHECKS, a kept connection that the server
    dropped meanwhile is replaced at its first use.
    """
    if task is not None and task.request.is_eager:
        return  # in the caller's process and transaction, which owns the connection
    close_old_connections()
