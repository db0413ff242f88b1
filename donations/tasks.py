"""Celery entry points of donations; each is a thin call into a plain function."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from donations import processing


# Idempotent by its claim (processing.process_event), so it may be acknowledged late.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def process_stripe_event(event_pk: int) -> None:
    processing.process_event(event_pk)


@shared_task
def sweep_stripe_events() -> int:
    due = processing.sweep(timezone.now())
    for event_pk in due:
        process_stripe_event.delay(event_pk)
    return len(due)
