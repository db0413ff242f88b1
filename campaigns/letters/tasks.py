"""Celery entry points of letters; each is a thin call into a plain function."""

from __future__ import annotations

from celery import shared_task

from campaigns.letters import delivery, digests


# acks_late: plan_deliveries claims the letter (planned_at, under a row lock) and the outbox key
# makes each message once, so a task redelivered after a worker died does nothing twice.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def plan_letter_deliveries(letter_id: int) -> int:
    return delivery.plan_deliveries(letter_id)


@shared_task
def send_letter_digests() -> int:
    return digests.send_due_digests()


@shared_task
def plan_missed_letters() -> int:
    return delivery.plan_missed()
