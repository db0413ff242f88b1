"""Redis (cache and broker) stops while 200 supporters sign over HTTP, then comes back.

Each signature the site accepted is kept, and each of those signers gets exactly one confirmation,
sent after Redis returns; a signer turned away got a 503 and nothing of theirs was written.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.faults.stack import SIGN_PATH, SWEEP, Stack, signer

# django_db: the test database must exist, the cluster gets its schema from it.
pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.django_db]

SIGNERS = 200
STOP_AFTER = 50  # answers before Redis goes down
RESTART_AFTER = 150  # answers before it comes back


def test_signing_through_a_redis_outage_keeps_every_accepted_signature_and_mails_each_once(stack: Stack) -> None:
    stack.start_worker(wait=False)  # both boot at once
    stack.start_web()
    stack.wait_until_worker_ready()
    answered = 0
    lock = threading.Lock()
    down = threading.Event()
    back = threading.Event()
    results: dict[str, tuple[int, bool]] = {}

    def sign(n: int, client: httpx.Client) -> None:
        nonlocal answered
        email = f"signer{n}@example.org"
        response = client.post(SIGN_PATH, json=signer(email))
        with lock:
            results[email] = (response.status_code, down.is_set() and not back.is_set())
            answered += 1

    with httpx.Client(base_url=stack.base_url, timeout=30) as client, ThreadPoolExecutor(max_workers=6) as pool:
        futures = [pool.submit(sign, n, client) for n in range(SIGNERS)]
        while answered < STOP_AFTER:
            time.sleep(0.01)
        stack.redis.stop()
        down.set()
        while answered < RESTART_AFTER:
            time.sleep(0.01)
        stack.redis.start()
        back.set()
        for future in futures:
            future.result()

    statuses = Counter(status for status, _during in results.values())
    assert set(statuses) <= {202, 503}, statuses
    during_outage = [email for email, (_status, during) in results.items() if during]
    assert len(during_outage) >= 50, "the outage must have covered a good part of the run"

    accepted = sorted(email for email, (status, _during) in results.items() if status == 202)
    refused = sorted(email for email, (status, _during) in results.items() if status == 503)
    for email in accepted:
        assert stack.signatures_of(email) == 1, email
    for email in refused:
        assert stack.supporters_with(email) == 0, email

    # The worker lost its broker mid-run; kombu's Redis transport may end it with an "unrecoverable
    # error" while it reconnects, and its supervisor starts it again (docs/operations.md). That exit
    # can still be under way now, so the supervisor keeps watching while the mail drains.
    stack.restart_if_exited("worker", stack.start_worker)
    # Confirmations the broker never got wait in the outbox; beat's sweep publishes them.
    stack.shell(SWEEP)
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline and len(stack.sink.received) < len(accepted):
        stack.restart_if_exited("worker", stack.start_worker)
        time.sleep(0.2)
    time.sleep(1)  # anything sent twice would arrive now
    mailed = Counter(str(message.parsed()["To"]) for message in stack.sink.received)
    outbox = stack.query("SELECT status, count(*) FROM emails_outboundmessage GROUP BY status")
    assert sorted(mailed) == accepted, (outbox, stack.log("worker")[-4000:].decode(errors="replace"))
    assert set(mailed.values()) == {1}, [address for address, count in mailed.items() if count > 1]
    assert dict(outbox) == {"sent": len(accepted)}
