from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from celery import beat
from celery.schedules import schedule
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.tasks import purge_expired_sessions
from backend.celery import BrokerDelayTooLong, app


def test_it_speaks_json_only_with_explicit_time_limits():
    conf = app.conf

    assert conf.task_serializer == conf.result_serializer == "json"
    assert conf.accept_content == ["json"]
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_acks_late is False


def test_it_declares_three_queues_and_routes_every_task_to_one(settings):
    app.loader.import_default_modules()
    queues = {queue.name for queue in app.conf.task_queues}
    ours = [name for name in app.tasks if not name.startswith("celery.")]

    assert queues == {"transactional", "bulk", "heavy"}
    assert ours, "expected project tasks to be registered"
    assert sorted(set(ours) - set(settings.CELERY_TASK_ROUTES)) == [], "tasks without a route"
    assert {name: app.amqp.router.route({}, name)["queue"].name for name in ours}.keys() == set(ours)
    assert {app.amqp.router.route({}, name)["queue"].name for name in ours} <= queues


def test_it_refuses_long_countdowns_on_the_broker():
    with pytest.raises(BrokerDelayTooLong, match="store the schedule in the database"):
        purge_expired_sessions.apply_async(countdown=3600)


def test_it_refuses_a_far_eta_on_the_broker():
    with pytest.raises(BrokerDelayTooLong):
        purge_expired_sessions.apply_async(eta=timezone.now() + dt.timedelta(hours=2))


def test_it_rejects_arguments_a_real_broker_could_not_carry():
    # Eager mode would pass a datetime through untouched; the JSON round trip makes it fail here too.
    with pytest.raises(TypeError, match="not JSON serializable"):
        purge_expired_sessions.delay(timezone.now())  # type: ignore[call-arg]


@pytest.mark.django_db
def test_it_runs_beat_sweeps_in_process_without_a_broker():
    expired = SessionStore()
    expired.set_expiry(-60)
    expired.create()
    app.loader.import_default_modules()
    celery_app: Any = app
    scheduler = beat.Scheduler(celery_app, lazy=True)
    entry = beat.ScheduleEntry(
        name="sweep", task="accounts.tasks.purge_expired_sessions", schedule=schedule(60), app=celery_app
    )

    result = scheduler.apply_async(entry, producer=scheduler.producer)

    assert result.result == 1
    assert not Session.objects.exists()


def test_it_schedules_the_session_purge_daily():
    entry = app.conf.beat_schedule["purge-expired-sessions"]

    assert entry["task"] == "accounts.tasks.purge_expired_sessions"
    assert entry["schedule"].hour == {3}


def test_it_keeps_djangos_logging_and_its_redaction_in_workers():
    assert app.conf.worker_hijack_root_logger is False
