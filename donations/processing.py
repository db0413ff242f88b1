"""Handling stored Stripe events: claim one, run its handler in a transaction, record the outcome."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from donations import stripe_api
from donations.events import MalformedEvent
from donations.handlers import HANDLERS
from donations.models import StripeEvent

logger = logging.getLogger(__name__)
RETRY_DELAYS = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30), dt.timedelta(hours=3))
# A worker killed mid-event leaves it "processing"; longer than any task may run, it is taken back.
STALE_CLAIM = dt.timedelta(minutes=10)
REPUBLISH_AFTER = dt.timedelta(minutes=2)


def process_event(event_pk: int) -> None:
    """Runs the event's handler once, however often the task is delivered."""
    now = timezone.now()
    waiting = Q(status=StripeEvent.Status.RECEIVED) | Q(status=StripeEvent.Status.RETRY, next_attempt_at__lte=now)
    claimed = StripeEvent.objects.filter(waiting, pk=event_pk).update(
        status=StripeEvent.Status.PROCESSING, claimed_at=now, attempts=F("attempts") + 1
    )
    if claimed != 1:
        return
    event = StripeEvent.objects.get(pk=event_pk)
    try:
        with transaction.atomic():
            HANDLERS[event.type](event.data(), event)
            StripeEvent.objects.filter(pk=event.pk).update(
                status=StripeEvent.Status.PROCESSED, processed_at=timezone.now(), payload=None, handler_error={}
            )
    except stripe_api.StripeUnavailable as error:
        _retry_or_fail(event, str(error))
    except OperationalError as error:
        # The database went away mid-event (failover, restart): the same payload will work later.
        _retry_or_fail(event, f"database: {type(error).__name__}")
    except (MalformedEvent, stripe_api.StripeRefused, stripe_api.NotConfigured) as error:
        _fail(event, f"{type(error).__name__}: {error}")
    except Exception as error:
        # A bug of ours: recorded on the row and in the error log; retrying the same payload won't help.
        logger.exception("Stripe event %s (%s) failed", event.event_id, event.type)
        _fail(event, f"{type(error).__name__}: {error}")


def sweep(now: dt.datetime) -> list[int]:
    """Event ids to publish again: received but never handled (lost task), retries now due, stale claims."""
    StripeEvent.objects.filter(status=StripeEvent.Status.PROCESSING, claimed_at__lt=now - STALE_CLAIM).update(
        status=StripeEvent.Status.RECEIVED
    )
    due = Q(status=StripeEvent.Status.RECEIVED, received_at__lt=now - REPUBLISH_AFTER) | Q(
        status=StripeEvent.Status.RETRY, next_attempt_at__lte=now
    )
    return list(StripeEvent.objects.filter(due).order_by("received_at").values_list("pk", flat=True)[:1000])


def requeue_failed(event_ids: list[str] | None) -> int:
    """Failed events (all, or these) back to `received`, each published after commit."""
    from donations.tasks import process_stripe_event

    failed = StripeEvent.objects.filter(status=StripeEvent.Status.FAILED, payload__isnull=False)
    if event_ids is not None:
        failed = failed.filter(event_id__in=event_ids)
    pks = list(failed.values_list("pk", flat=True))
    with transaction.atomic():
        StripeEvent.objects.filter(pk__in=pks).update(status=StripeEvent.Status.RECEIVED, handler_error={})
        for pk in pks:
            transaction.on_commit(lambda pk=pk: process_stripe_event.delay(pk), robust=True)  # type: ignore[misc]
    return len(pks)


def _retry_or_fail(event: StripeEvent, reason: str) -> None:
    attempts = StripeEvent.objects.values_list("attempts", flat=True).get(pk=event.pk)
    if attempts > len(RETRY_DELAYS):
        _fail(event, reason)
        return
    StripeEvent.objects.filter(pk=event.pk).update(
        status=StripeEvent.Status.RETRY,
        next_attempt_at=timezone.now() + RETRY_DELAYS[attempts - 1],
        handler_error={"error": reason, "attempts": attempts},
    )


def _fail(event: StripeEvent, reason: str) -> None:
    logger.error("Stripe event %s (%s) needs the operator: %s", event.event_id, event.type, reason)
    StripeEvent.objects.filter(pk=event.pk).update(
        status=StripeEvent.Status.FAILED, handler_error={"error": reason[:1000]}
    )
