"""Redis down (cache and broker): signing answers within a second and loses nothing.

The throttles fail open (campaigns/throttles.py), so the signature is kept; its confirmation
waits in the outbox and goes out once Redis is back and the outbox sweep publishes it.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from rest_framework.test import APIClient

from campaigns.models import Signature
from emails import sweeps
from emails.models import OutboundMessage, Status
from tests.emails.celery_broker import celery_on_broker, throwaway_redis, worker_for
from tests.petitions.conftest import SIGN_URL, signer
from tests.petitions.test_sign_api import ACCEPTED

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("petition", "tracked"),
]

ANSWER_WITHIN_SECONDS = 1.0


@contextmanager
def cache_at(settings: Any, url: str) -> Iterator[None]:
    """The cache on `url`; the test's own cache comes back afterwards (its teardown cleans that one)."""
    saved = settings.CACHES
    settings.CACHES = {**saved, "default": {**saved["default"], "LOCATION": url}}
    try:
        yield
    finally:
        settings.CACHES = saved


@contextmanager
def unresponsive_server() -> Iterator[str]:
    """Accepts connections (the kernel does, from its backlog) and never answers: a frozen Redis."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"


def timed_post(body: dict[str, Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    response = APIClient().post(SIGN_URL, body, format="json")
    return response, time.perf_counter() - started


def wait_for_mail(mailoutbox: list[Any], count: int, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(mailoutbox) < count:
        time.sleep(0.05)


def test_it_keeps_the_signature_while_redis_is_down_and_mails_it_once_redis_is_back(settings, mailoutbox):
    settings.EMAIL_REPUBLISH_AFTER_SECONDS = 0
    with throwaway_redis() as redis_server, celery_on_broker(redis_server.url), cache_at(settings, redis_server.url):
        # A warm process, as in production: the first signature loads the ZIP code data and the
        # broker client, which has nothing to do with Redis being down.
        assert timed_post(signer(email="fox@example.org"))[0].status_code == 202
        redis_server.stop()

        response, seconds = timed_post(signer())

        assert (response.status_code, response.json()) == (202, ACCEPTED)
        assert seconds < ANSWER_WITHIN_SECONDS
        assert Signature.objects.count() == 2
        assert set(OutboundMessage.objects.values_list("status", flat=True)) == {Status.QUEUED}
        assert mailoutbox == []

        redis_server.start()
        report = sweeps.sweep_outbox()
        with worker_for("transactional"):
            wait_for_mail(mailoutbox, 2, timeout=60)

    assert report.published == 2
    # The message published before the outage and again by the sweep is still sent once.
    assert sorted(address for mail in mailoutbox for address in mail.to) == ["dana@example.org", "fox@example.org"]
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {Status.SENT}


def test_it_answers_within_a_second_when_redis_accepts_connections_but_never_answers(settings, mailoutbox):
    assert timed_post(signer(email="fox@example.org"))[0].status_code == 202  # a warm process
    with unresponsive_server() as url, cache_at(settings, url):
        response, seconds = timed_post(signer())

    assert response.status_code == 202
    assert seconds < ANSWER_WITHIN_SECONDS  # one cache timeout (0.25 s): the other limit does not wait again
    assert Signature.objects.count() == 2
    assert len(mailoutbox) == 2  # tasks run in-process here: only the cache hangs


def closed_port() -> int:
    """A port nothing listens on: connecting to it is refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        return int(placeholder.getsockname()[1])  # nothing listens once the socket closes


def test_it_answers_public_reads_while_the_cache_refuses_connections(settings):
    with cache_at(settings, f"redis://127.0.0.1:{closed_port()}/0"):
        started = time.perf_counter()
        campaigns = APIClient().get("/api/v1/campaigns/")
        petitions = APIClient().get("/api/v1/campaigns/ring/petitions/")
        elapsed = time.perf_counter() - started

    # The default rate limits fail open like the signing ones: a cache outage is not a 500.
    assert (campaigns.status_code, petitions.status_code) == (200, 200)
    assert elapsed < 2 * ANSWER_WITHIN_SECONDS
