"""Delivers queued messages: claim each one just before it is handed to the mail server, send once."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection as db_connection
from django.db.models import F, Q
from django.utils import timezone

from emails import connections, kinds
from emails.failures import Failure, classify
from emails.mime import OutboxEmail
from emails.models import EVERY_LIST, BulkSend, OutboundMessage, Status, Suppression, Unsubscribe, history
from privacy.addresses import address_hashes

logger = logging.getLogger(__name__)


def deliver(ids: Sequence[int]) -> None:
    """Sends the deliverable messages among `ids` over the worker's mail connection (kept between
    tasks: emails/connections.py); a task may run this twice.

    A message the server accepted is marked sent in the same statement that claims the next one,
    so it costs one round trip to the database, and no message's DATA starts while an accepted
    one is unrecorded: a worker killed at any point leaves at most one message in doubt.
    """
    now = timezone.now()
    due = Q(status=Status.QUEUED) | Q(status=Status.RETRY, next_attempt_at__lte=now + dt.timedelta(seconds=1))
    messages = list(OutboundMessage.objects.filter(due, pk__in=ids).select_related("bulk").order_by("pk"))
    if not messages:
        return
    suppressed, unsubscribed = _blocked(messages)
    connection: BaseEmailBackend | None = None
    accepted: _Accepted | None = None  # by the server, and not yet marked sent
    healthy = True  # the connection may serve the next delivery
    _commit_without_waiting_for_disk(True)
    try:
        for message in messages:
            if not _still_wanted(message, suppressed, unsubscribed):
                continue
            if connection is None:
                connection = connections.borrow()
            claimed = _claim(message) if accepted is None else _record_sent_and_claim(accepted, message)
            accepted = None
            if not claimed:
                continue  # another worker has it
            outcome = _send(connection, message)
            if isinstance(outcome, _Accepted):
                accepted = outcome
                continue
            healthy = False  # after a refusal the connection is not trusted for the next task
            if outcome.connection_lost:
                break  # the rest stay queued for the sweep
    except OSError as error:
        healthy = False
        logger.warning("mail server unreachable (%s); the outbox sweep will retry", type(error).__name__)
    except BaseException:
        healthy = False
        raise
    finally:
        try:
            if accepted is not None:
                _record_sent(accepted.message, accepted.provider_id)
        finally:
            try:
                _commit_without_waiting_for_disk(False)
            except BaseException:
                # Kept for the next task otherwise (backend.celery), with commits that do not wait for
                # the disk: a session that could not be reset is closed instead.
                db_connection.close()
                raise
            if connection is not None:
                (connections.give_back if healthy else connections.discard)(connection)


@dataclass(frozen=True)
class _Accepted:
    message: OutboundMessage
    provider_id: str


def _commit_without_waiting_for_disk(on: bool) -> None:
    """Claims and "sent" marks commit without waiting for the WAL flush (PostgreSQL).

    Three commits per message otherwise wait on the disk, and that, not SMTP, bounds a worker.
    What this risks is only a PostgreSQL crash (not a worker's) losing the last fraction of a
    second of marks: those messages go out once more, with the same Message-ID. Row locks and the
    conditional claim work the same, so two workers still never both send one message.
    """
    if db_connection.vendor == "postgresql":
        with db_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF" if on else "RESET synchronous_commit")


def email_for(message: OutboundMessage) -> OutboxEmail:
    email = OutboxEmail(
        subject=message.subject,
        body=message.text_body,
        from_email=message.from_email,
        to=[message.to_address],
        reply_to=[message.reply_to] if message.reply_to else None,
        # The same Message-ID on a resend lets the receiving side recognize a duplicate.
        headers={"Message-ID": message.message_id, **message.headers},
    )
    email.attach_alternative(message.html_body, "text/html")
    return email


def _blocked(messages: list[OutboundMessage]) -> tuple[set[str], set[tuple[str, str]]]:
    # Every key's hash: suppressions and unsubscribes made before a key rotation still match.
    hashes = {digest for message in messages for digest in _hashes_of(message)}
    suppressed = set(Suppression.objects.filter(address_hash__in=hashes).values_list("address_hash", flat=True))
    unsubscribed = set(Unsubscribe.objects.filter(address_hash__in=hashes).values_list("address_hash", "list_key"))
    return suppressed, unsubscribed


def _still_wanted(message: OutboundMessage, suppressed: set[str], unsubscribed: set[tuple[str, str]]) -> bool:
    """Decided at the last moment, so a bounce or unsubscribe that came in meanwhile is honoured."""
    if message.bulk is not None and message.bulk.state != BulkSend.State.RUNNING:
        return False  # paused: stays queued until resumed; cancelling marks it itself
    hashes = _hashes_of(message)
    if suppressed.intersection(hashes) and not kinds.get(message.kind).to_officials:
        _finish(message, Status.SUPPRESSED, "the address bounced or complained before")
        return False
    lists = {(digest, key) for digest in hashes for key in (message.list_key, EVERY_LIST)}
    if message.list_key and lists & unsubscribed:
        _finish(message, Status.UNSUBSCRIBED, f"unsubscribed from {message.list_key}")
        return False
    return True


def _hashes_of(message: OutboundMessage) -> list[str]:
    return address_hashes(message.to_address)


def _claim(message: OutboundMessage) -> bool:
    # A conditional update: of two workers holding the same id, exactly one moves it to SENDING.
    claimed = OutboundMessage.objects.filter(pk=message.pk, status=message.status, attempts=message.attempts).update(
        status=Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    message.attempts += 1
    return claimed == 1


def _send(connection: BaseEmailBackend, message: OutboundMessage) -> _Accepted | Failure:
    email = email_for(message)
    try:
        connection.send_messages([email])
    except Exception as error:  # every backend raises its own family; classify() sorts them
        failure = classify(error)
        _record_failure(message, failure)
        return failure
    status = getattr(email, "anymail_status", None)
    provider_id = str((status.message_id if status is not None else None) or message.message_id)[:255]
    return _Accepted(message, provider_id)


# The status and its history row in one statement: one round trip, and they never disagree.
_SENT = """
WITH sent AS (
    UPDATE emails_outboundmessage SET status = %(sent)s, sent_at = %(now)s, provider_id = %(provider_id)s,
        last_error = '' WHERE id = %(id)s AND status = %(sending)s RETURNING id
)
INSERT INTO emails_messageevent (message_id, status, at, detail) SELECT id, %(sent)s, %(now)s, %(detail)s FROM sent
"""

# The same, and the next message's claim (the conditional update of _claim()): its row count is the claim's.
_SENT_AND_CLAIM = """
WITH sent AS (
    UPDATE emails_outboundmessage SET status = %(sent)s, sent_at = %(now)s, provider_id = %(provider_id)s,
        last_error = '' WHERE id = %(id)s AND status = %(sending)s RETURNING id
), sent_event AS (
    INSERT INTO emails_messageevent (message_id, status, at, detail) SELECT id, %(sent)s, %(now)s, %(detail)s FROM sent
)
UPDATE emails_outboundmessage SET status = %(sending)s, claimed_at = %(now)s, attempts = attempts + 1
    WHERE id = %(claim_id)s AND status = %(claim_status)s AND attempts = %(claim_attempts)s
"""


def _sent_parameters(message: OutboundMessage, provider_id: str) -> dict[str, Any]:
    return {
        "sent": Status.SENT.value,
        "sending": Status.SENDING.value,
        "now": timezone.now(),
        "provider_id": provider_id,
        "id": message.pk,
        "detail": f"provider id {provider_id}",
    }


def _record_sent(message: OutboundMessage, provider_id: str) -> None:
    if db_connection.vendor != "postgresql":  # SQLite runs no UPDATE inside a WITH
        OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
            status=Status.SENT, sent_at=timezone.now(), provider_id=provider_id, last_error=""
        )
        history(message, Status.SENT, f"provider id {provider_id}")
        return
    with db_connection.cursor() as cursor:
        cursor.execute(_SENT, _sent_parameters(message, provider_id))


def _record_sent_and_claim(accepted: _Accepted, message: OutboundMessage) -> bool:
    """Marks the accepted message sent and claims `message`, in one statement and one transaction."""
    if db_connection.vendor != "postgresql":
        _record_sent(accepted.message, accepted.provider_id)
        return _claim(message)
    parameters = _sent_parameters(accepted.message, accepted.provider_id)
    parameters |= {"claim_id": message.pk, "claim_status": message.status, "claim_attempts": message.attempts}
    with db_connection.cursor() as cursor:
        cursor.execute(_SENT_AND_CLAIM, parameters)
        claimed: bool = cursor.rowcount == 1
    message.attempts += 1
    return claimed


def _record_failure(message: OutboundMessage, failure: Failure) -> None:
    if failure.permanent or message.attempts >= settings.EMAIL_MAX_ATTEMPTS:
        reason = failure.reason if failure.permanent else f"gave up after {message.attempts} attempts: {failure.reason}"
        _finish(message, Status.FAILED, reason, claimed=True)
        return
    delay = retry_delay(message.attempts)
    OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=Status.RETRY, next_attempt_at=timezone.now() + delay, last_error=failure.reason
    )
    history(message, Status.RETRY, f"attempt {message.attempts} failed, next in {delay}: {failure.reason}")


def retry_delay(attempts: int) -> dt.timedelta:
    """1 min, 5 min, 15 min, 1 h, 3 h, 6 h…: long waits live in the row, never on the broker."""
    steps = settings.EMAIL_RETRY_DELAYS_SECONDS
    return dt.timedelta(seconds=steps[min(attempts, len(steps)) - 1])


def _finish(message: OutboundMessage, status: Status, reason: str, *, claimed: bool = False) -> None:
    current = Status.SENDING if claimed else message.status
    OutboundMessage.objects.filter(pk=message.pk, status=current).update(status=status, last_error=reason)
    history(message, status, reason)
