"""The /healthz and /readyz endpoints against the real PostgreSQL and Redis, and against sockets that misbehave."""

from __future__ import annotations

import time
from contextlib import AbstractContextManager
from typing import Any
from unittest import mock

import pytest
from django.db import connection, connections
from django.test import Client
from pytest_django.fixtures import Settings

from tests.health.conftest import probe_threads

REAL_BROKER = "redis://127.0.0.1:6379/15"
SECRET = "s3cr3t-Pa55word"
NO_STORE = "no-store"


def use_broker(settings: Settings, url: str) -> None:
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False


def broker_url(scheme: str, port: int, *, password: str = "") -> str:
    auth = f"townhall:{password}@" if password else ""
    vhost = "//" if scheme == "amqp" else "/0"
    return f"{scheme}://{auth}127.0.0.1:{port}{vhost}"


def database_at(port: int, **extra: str) -> AbstractContextManager[Any]:
    """Points the default alias at a loopback port; only connections opened meanwhile go there."""
    return mock.patch.dict(connections.settings["default"], {"HOST": "127.0.0.1", "PORT": str(port), **extra})


def timed_get(client: Client, path: str) -> tuple[Any, float]:
    started = time.monotonic()
    response = client.get(path)
    return response, time.monotonic() - started


def test_it_answers_liveness_without_any_dependency(client: Client, settings: Settings, closed_port: int) -> None:
    # No django_db mark: pytest-django fails any database access, and the broker is unreachable.
    use_broker(settings, broker_url("redis", closed_port))

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert NO_STORE in response["Cache-Control"]
    assert client.head("/healthz").status_code == 200  # some load balancers probe with HEAD


@pytest.mark.django_db(transaction=True)
def test_it_is_ready_with_the_real_database_and_broker(client: Client, settings: Settings) -> None:
    use_broker(settings, REAL_BROKER)

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}
    assert NO_STORE in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("url", "eager"), [("", False), ("", True), (REAL_BROKER, True)])
def test_it_reports_an_in_process_broker_when_tasks_run_eagerly(
    client: Client, settings: Settings, url: str, eager: bool
) -> None:
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = eager

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "in-process"}}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("scheme", ["redis", "amqp"])
def test_it_names_a_black_holed_broker_within_two_seconds(
    client: Client, settings: Settings, black_hole: int, scheme: str
) -> None:
    use_broker(settings, broker_url(scheme, black_hole))

    response, elapsed = timed_get(client, "/readyz")

    assert elapsed < 2
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "ok", "broker": "timeout after 1.5s"}}
    assert NO_STORE in response["Cache-Control"]


@pytest.mark.postgres  # patches the database server's host and port
@pytest.mark.django_db(transaction=True)
def test_it_names_a_black_holed_database_within_two_seconds(
    client: Client, settings: Settings, black_hole: int
) -> None:
    use_broker(settings, REAL_BROKER)

    with database_at(black_hole):
        response, elapsed = timed_get(client, "/readyz")

    assert elapsed < 2
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "timeout after 1.5s", "broker": "ok"}}


@pytest.mark.postgres  # patches the database server's host and port
@pytest.mark.django_db(transaction=True)
def test_it_leaves_no_broken_connection_behind_after_a_database_failure(
    client: Client, settings: Settings, black_hole: int
) -> None:
    use_broker(settings, REAL_BROKER)
    with connection.cursor() as cursor:  # this thread's connection is open before the outage
        cursor.execute("SELECT 1")

    with database_at(black_hole):
        assert client.get("/readyz").status_code == 503

    with connection.cursor() as cursor:  # ...and still usable after it: the probe never touched it
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert connections.settings["default"]["PORT"] != str(black_hole)
    assert client.get("/readyz").status_code == 200  # a new probe thread connects afresh


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("scheme", ["redis", "amqp"])
def test_it_fails_fast_on_a_refused_broker(client: Client, settings: Settings, closed_port: int, scheme: str) -> None:
    use_broker(settings, broker_url(scheme, closed_port))

    response, elapsed = timed_get(client, "/readyz")

    assert elapsed < 1
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == "ok"
    assert checks["broker"].startswith("failed: ")


@pytest.mark.postgres  # patches the database server's host and port
@pytest.mark.django_db(transaction=True)
def test_it_fails_fast_on_a_refused_database(client: Client, settings: Settings, closed_port: int) -> None:
    use_broker(settings, REAL_BROKER)

    with database_at(closed_port):
        response, elapsed = timed_get(client, "/readyz")

    assert elapsed < 1
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"] == "ok"
    assert checks["database"].startswith("failed: ")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("scheme", ["redis", "amqp"])
@pytest.mark.parametrize("server", ["black_hole", "closed_port"])
def test_it_keeps_credentials_out_of_the_body_and_logs(
    client: Client,
    settings: Settings,
    request: pytest.FixtureRequest,
    caplog: pytest.LogCaptureFixture,
    scheme: str,
    server: str,
) -> None:
    port: int = request.getfixturevalue(server)
    use_broker(settings, broker_url(scheme, port, password=SECRET))
    caplog.set_level("DEBUG")

    with database_at(port, PASSWORD=SECRET):
        response = client.get("/readyz")
        for thread in probe_threads():  # let abandoned probes log whatever they will
            thread.join(timeout=5)

    body = response.content.decode()
    assert response.status_code == 503
    assert set(response.json()["checks"]) == {"database", "broker"}
    assert SECRET not in body
    assert str(port) not in body
    assert SECRET not in caplog.text


@pytest.mark.django_db(transaction=True)
def test_it_lets_abandoned_probes_end_on_their_own_timeouts(
    client: Client, settings: Settings, black_hole: int
) -> None:
    use_broker(settings, broker_url("redis", black_hole))
    started = time.monotonic()

    with database_at(black_hole):
        assert client.get("/readyz").status_code == 503
        # The black hole stays open: only the probes' own socket/connect timeouts can end them,
        # 2 s for the database (libpq's floor), up to 1.5 s for the broker; allow some slack.
        for thread in probe_threads():
            thread.join(timeout=max(0.0, started + 3.5 - time.monotonic()))

    assert probe_threads() == []


@pytest.mark.django_db(transaction=True)
def test_it_answers_plain_http_behind_the_ssl_redirect(client: Client, settings: Settings) -> None:
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    # Control: the override is in force, so the two answers above really were exempt.
    assert client.get("/admin/login/").status_code == 301
