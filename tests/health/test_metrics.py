"""/metrics: who may read it, what the built-in gauges say, and how other apps add theirs."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families
from pytest_django.fixtures import Settings

from accounts.models import User
from backend.celery import app
from emails.models import OutboundMessage
from health import metrics
from tests.conftest import sign_in_with_two_factors
from tests.emails.celery_broker import celery_on_broker, free_port, throwaway_redis

TOKEN = "metrics-token-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(autouse=True)
def _token(settings: Settings) -> None:
    settings.METRICS_TOKEN = TOKEN


def samples(response: Any) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    found = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def message(status: str, *, stream: str = "transactional", due_ago: dt.timedelta = dt.timedelta(0)) -> OutboundMessage:
    key = uuid.uuid4().hex
    return OutboundMessage.objects.create(
        idempotency_key=key,
        kind="test.kind",
        stream=stream,
        language="en",
        to_address="someone@example.org",
        from_email="Townhall <noreply@townhall.localhost>",
        subject="Hello",
        text_body="Hello",
        html_body="<p>Hello</p>",
        message_id=f"<{key}@townhall.localhost>",
        status=status,
        next_attempt_at=timezone.now() - due_ago,
    )


@pytest.mark.django_db
class TestWhoMayRead:
    def test_anonymous_is_asked_for_a_token(self, client: Client) -> None:
        response = client.get("/metrics")
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
        assert b"townhall_" not in response.content

    def test_a_wrong_token_is_refused(self, client: Client) -> None:
        response = client.get("/metrics", headers={"Authorization": "Bearer not-the-token"})
        assert response.status_code == 403
        assert b"townhall_" not in response.content

    def test_no_token_configured_refuses_every_bearer(self, client: Client, settings: Settings) -> None:
        settings.METRICS_TOKEN = ""
        assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 403

    def test_the_scraper_token_reads_them(self, client: Client) -> None:
        found = samples(client.get("/metrics", headers=AUTH))
        assert ("townhall_outbox_failed_messages", ()) in found

    def test_staff_with_two_factors_reads_them(self, client: Client, operator: User) -> None:
        sign_in_with_two_factors(client, operator)
        assert client.get("/metrics").status_code == 200

    def test_staff_without_the_second_factor_is_sent_to_set_it_up(self, client: Client, operator: User) -> None:
        client.force_login(operator)
        response = client.get("/metrics")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/"

    def test_an_organizer_who_is_not_staff_is_refused(self, client: Client, alice: User) -> None:
        sign_in_with_two_factors(client, alice)
        assert client.get("/metrics").status_code == 403

    def test_only_get_and_head(self, client: Client) -> None:
        assert client.post("/metrics", headers=AUTH).status_code == 405

    def test_served_over_plain_http_for_the_scraper(self, client: Client, settings: Settings) -> None:
        settings.SECURE_SSL_REDIRECT = True
        assert client.get("/metrics", headers=AUTH).status_code == 200


@pytest.mark.django_db
class TestOutboxGauges:
    def test_depth_per_status_failed_and_oldest_due(self, client: Client) -> None:
        message("queued", due_ago=dt.timedelta(minutes=5))
        message("queued")
        message("retry", stream="bulk", due_ago=dt.timedelta(minutes=30))
        message("retry", stream="bulk", due_ago=-dt.timedelta(minutes=10))  # not due yet
        message("failed")
        message("sent")

        found = samples(client.get("/metrics", headers=AUTH))

        assert found[("townhall_outbox_messages", (("status", "queued"),))] == 2
        assert found[("townhall_outbox_messages", (("status", "retry"),))] == 2
        assert found[("townhall_outbox_messages", (("status", "sent"),))] == 1
        assert found[("townhall_outbox_messages", (("status", "held"),))] == 0
        assert found[("townhall_outbox_failed_messages", ())] == 1
        transactional = found[("townhall_outbox_oldest_due_seconds", (("stream", "transactional"),))]
        bulk = found[("townhall_outbox_oldest_due_seconds", (("stream", "bulk"),))]
        assert 300 <= transactional < 360
        assert 1800 <= bulk < 1860

    def test_nothing_waiting_reads_zero(self, client: Client) -> None:
        message("sent")
        found = samples(client.get("/metrics", headers=AUTH))
        assert found[("townhall_outbox_oldest_due_seconds", (("stream", "transactional"),))] == 0
        assert found[("townhall_metrics_source_up", (("gauge", "townhall_outbox_messages"),))] == 1


@pytest.mark.django_db
class TestCeleryQueueGauges:
    def test_in_process_tasks_have_empty_queues(self, client: Client) -> None:
        found = samples(client.get("/metrics", headers=AUTH))
        for queue in ("transactional", "bulk", "heavy"):
            assert found[("townhall_celery_queue_length", (("queue", queue),))] == 0

    @pytest.mark.postgres  # a throwaway redis-server: installed with the PostgreSQL run's packages
    def test_waiting_tasks_are_counted_per_queue(self, client: Client, settings: Settings) -> None:
        with throwaway_redis() as redis_server, celery_on_broker(redis_server.url):
            settings.CELERY_BROKER_URL = redis_server.url
            settings.CELERY_TASK_ALWAYS_EAGER = False
            # No worker runs: published tasks wait on the broker.
            for _ in range(3):
                app.send_task("emails.tasks.sweep_outbox", queue="transactional")
            app.send_task("emails.tasks.release_bulk_sends", queue="bulk")
            app.send_task("emails.tasks.release_bulk_sends", queue="bulk", priority=6)

            found = samples(client.get("/metrics", headers=AUTH))

        assert found[("townhall_celery_queue_length", (("queue", "transactional"),))] == 3
        assert found[("townhall_celery_queue_length", (("queue", "bulk"),))] == 2
        assert found[("townhall_celery_queue_length", (("queue", "heavy"),))] == 0
        assert found[("townhall_metrics_source_up", (("gauge", "townhall_celery_queue_length"),))] == 1

    def test_broker_down_marks_that_gauge_and_keeps_the_others(self, client: Client, settings: Settings) -> None:
        settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
        settings.CELERY_TASK_ALWAYS_EAGER = False
        message("failed")

        found = samples(client.get("/metrics", headers=AUTH))

        assert found[("townhall_metrics_source_up", (("gauge", "townhall_celery_queue_length"),))] == 0
        assert not any(name == "townhall_celery_queue_length" for name, _ in found)
        assert found[("townhall_outbox_failed_messages", ())] == 1


@pytest.fixture
def scratch_gauges() -> Iterator[list[str]]:
    names: list[str] = []
    yield names
    for name in names:
        metrics.unregister_gauge(name)


@pytest.mark.django_db
class TestRegistration:
    def test_an_app_adds_a_labelled_gauge(self, client: Client, scratch_gauges: list[str]) -> None:
        scratch_gauges.append("townhall_test_widgets")
        metrics.register_gauge(
            "townhall_test_widgets", "Widgets by colour.", lambda: {("red",): 2, ("blue",): 5}, labels=("colour",)
        )
        found = samples(client.get("/metrics", headers=AUTH))
        assert found[("townhall_test_widgets", (("colour", "blue"),))] == 5
        assert found[("townhall_test_widgets", (("colour", "red"),))] == 2

    def test_registering_again_from_a_second_ready_is_harmless(self, scratch_gauges: list[str]) -> None:
        scratch_gauges.append("townhall_test_once")

        def read() -> int:
            return 1

        metrics.register_gauge("townhall_test_once", "Once.", read)
        metrics.register_gauge("townhall_test_once", "Once.", read)
        assert [gauge.name for gauge in metrics.registered()].count("townhall_test_once") == 1

    def test_a_name_taken_by_another_reader_is_refused(self, scratch_gauges: list[str]) -> None:
        scratch_gauges.append("townhall_test_taken")
        metrics.register_gauge("townhall_test_taken", "Taken.", lambda: 1)
        with pytest.raises(metrics.MetricsError, match="already registered"):
            metrics.register_gauge("townhall_test_taken", "Taken.", lambda: 2)

    @pytest.mark.parametrize("name", ["widgets", "townhall_Widgets", "townhall-widgets", "townhall_metrics_source_up"])
    def test_bad_names_are_refused(self, name: str) -> None:
        with pytest.raises(metrics.MetricsError):
            metrics.register_gauge(name, "Bad.", lambda: 1)
        assert name not in [gauge.name for gauge in metrics.registered()]

    def test_bad_label_names_are_refused(self) -> None:
        with pytest.raises(metrics.MetricsError, match="label"):
            metrics.register_gauge("townhall_test_labels", "Bad.", lambda: 1, labels=("bad-label",))

    def test_a_failing_or_malformed_reader_spoils_only_its_own_gauge(
        self, client: Client, scratch_gauges: list[str]
    ) -> None:
        def broken() -> int:
            raise ConnectionError("redis://user:secret@10.0.0.5:6379 unreachable")

        scratch_gauges += ["townhall_test_broken", "townhall_test_malformed"]
        metrics.register_gauge("townhall_test_broken", "Broken.", broken)
        metrics.register_gauge("townhall_test_malformed", "Labels missing.", lambda: {("a", "b"): 1}, labels=("x",))

        found = samples(client.get("/metrics", headers=AUTH))

        assert found[("townhall_metrics_source_up", (("gauge", "townhall_test_broken"),))] == 0
        assert found[("townhall_metrics_source_up", (("gauge", "townhall_test_malformed"),))] == 0
        assert found[("townhall_metrics_source_up", (("gauge", "townhall_outbox_messages"),))] == 1
        assert not any(name.startswith("townhall_test_") for name, _ in found)
