"""PostgreSQL restarts while supporters sign over HTTP: requests fail cleanly, then everything recovers.

Cleanly: gunicorn keeps answering, each failure is the API's JSON 500 (or 503), nothing is
half-written, a signer who tries again is signed and mailed once, /readyz reports the database, and
once the server is back every request succeeds.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass

import httpx
import pytest

from tests.faults.stack import SIGN_PATH, Stack, signer

# django_db: the test database must exist, the cluster gets its schema from it.
pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.django_db]

SIGNING_THREADS = 4
DOWN_SECONDS = 3.0


@dataclass(frozen=True)
class Answer:
    email: str
    status: int
    body: bytes
    started: float


def test_a_postgres_restart_fails_requests_cleanly_and_then_recovers(stack: Stack) -> None:
    stack.start_web()
    stop = threading.Event()
    answers: list[Answer] = []
    readiness: list[tuple[float, int, str]] = []
    transport_errors: list[str] = []
    numbers = itertools.count()
    lock = threading.Lock()

    def keep_signing() -> None:
        with httpx.Client(base_url=stack.base_url, timeout=30) as client:
            while not stop.is_set():
                email = f"restart{next(numbers)}@example.org"
                started = time.monotonic()
                try:
                    response = client.post(SIGN_PATH, json=signer(email))
                except httpx.TransportError as error:
                    transport_errors.append(type(error).__name__)
                    continue
                with lock:
                    answers.append(Answer(email, response.status_code, response.content, started))

    def keep_probing() -> None:
        with httpx.Client(base_url=stack.base_url, timeout=30) as client:
            while not stop.is_set():
                response = client.get("/readyz")
                readiness.append((time.monotonic(), response.status_code, response.json()["checks"]["database"]))
                time.sleep(0.2)

    threads = [threading.Thread(target=keep_signing) for _ in range(SIGNING_THREADS)]
    threads.append(threading.Thread(target=keep_probing))
    for thread in threads:
        thread.start()
    try:
        while len(answers) < 20:
            time.sleep(0.05)
        stack.postgres.stop("fast")  # every backend is told to quit: open transactions roll back
        down_at = time.monotonic()
        time.sleep(DOWN_SECONDS)
        # Certainly down until here: the server accepts connections a moment before start() returns.
        starting_at = time.monotonic()
        stack.postgres.start()  # returns once the server accepts connections
        up_at = time.monotonic()
        while len([answer for answer in answers if answer.started > up_at]) < 20:
            time.sleep(0.05)
        time.sleep(0.5)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

    assert transport_errors == [], "gunicorn must keep answering while the database is away"
    failed = [answer for answer in answers if answer.status != 202]
    assert failed, "the restart must have been noticed by some requests"
    for answer in failed:
        assert answer.status in {500, 503}, answer
        assert answer.body.startswith(b"{") and b"Traceback" not in answer.body  # the API's error, not a page
        assert answer.started <= up_at + 0.5, "a request after the restart failed"
    # Recovered: once the server is back, every request succeeds (stale connections are health-checked).
    after = [answer for answer in answers if answer.started > up_at + 0.5]
    assert len(after) >= 10
    assert {answer.status for answer in after} == {202}

    # Nothing half-written: a signature, its supporter and its confirmation are one transaction.
    # An accepted one has all three; a failed one has none, or all three when the database went
    # away after the commit (the visit's session is saved as the response leaves).
    for answer in answers:
        rows = (
            stack.supporters_with(answer.email),
            stack.signatures_of(answer.email),
            stack.confirmations_to(answer.email),
        )
        assert rows == (1, 1, 1) if answer.status == 202 else rows in {(0, 0, 0), (1, 1, 1)}, (answer, rows)

    # A signer who saw the error and tries again is signed once. The retry is a new visit, and each
    # visit of an unconfirmed address gets its own link: mailed once, or twice when the first
    # attempt had committed before the database went away.
    committed_before = {answer.email: stack.signatures_of(answer.email) == 1 for answer in failed}
    with httpx.Client(base_url=stack.base_url, timeout=30) as client:
        for answer in failed:
            assert client.post(SIGN_PATH, json=signer(answer.email)).status_code == 202
    for answer in failed:
        assert stack.signatures_of(answer.email) == 1, answer
        expected_mail = 2 if committed_before[answer.email] else 1
        assert stack.confirmations_to(answer.email) == expected_mail, answer

    outage = [status for at, status, _detail in readiness if down_at + 0.5 < at < starting_at]
    assert outage and set(outage) == {503}
    assert any("failed" in detail for at, _status, detail in readiness if down_at + 0.5 < at < starting_at)
    assert readiness[-1][1] == 200
