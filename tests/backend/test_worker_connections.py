"""A worker keeps its PostgreSQL connection from task to task, and replaces one the server dropped."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from backend.celery import app
from tests.emails.celery_broker import celery_on_broker, throwaway_redis, worker_for

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TASK = "tests.backend.database_backend"
backends: list[int] = []


def _record_backend() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backends.append(cursor.fetchone()[0])


@pytest.fixture
def recording_task() -> Iterator[Any]:
    """A task of this test only, gone afterwards (every real task must have a route)."""
    backends.clear()
    task = app.task(name=TASK)(_record_backend)
    try:
        yield task
    finally:
        app.tasks.pop(TASK, None)


def run_on_worker(task: Any, times: int) -> None:
    expected = len(backends) + times
    for _ in range(times):
        task.apply_async(queue="transactional")
    deadline = time.monotonic() + 30
    while len(backends) < expected:
        assert time.monotonic() < deadline, f"{expected - len(backends)} task(s) did not run"
        time.sleep(0.01)


def test_a_worker_runs_its_tasks_on_one_database_connection(recording_task):
    with throwaway_redis() as broker, celery_on_broker(broker.url), worker_for("transactional"):
        run_on_worker(recording_task, 5)

    assert len(backends) == 5
    assert len(set(backends)) == 1, "a new PostgreSQL connection per task"


def test_a_connection_the_server_dropped_is_replaced_before_the_next_task(recording_task):
    with throwaway_redis() as broker, celery_on_broker(broker.url), worker_for("transactional"):
        run_on_worker(recording_task, 1)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backends[0]])
        run_on_worker(recording_task, 2)

    assert len(backends) == 3
    assert backends[1] != backends[0], "the dropped connection was used again"
    assert backends[2] == backends[1]
