"""Celery entry points of the pipeline; each is a thin call into a plain function."""

from __future__ import annotations

from celery import shared_task

from emails import bulk, delivery, retention, sweeps


@shared_task(acks_late=True)
def deliver_transactional(ids: list[int]) -> None:
    # acks_late: a worker lost mid-batch leaves the task to be redelivered; claims make that safe.
    delivery.deliver(ids)


@shared_task(acks_late=True)
def deliver_bulk(ids: list[int]) -> None:
    delivery.deliver(ids)


@shared_task
def sweep_outbox() -> dict[str, int]:
    report = sweeps.sweep_outbox()
    return {"published": report.published, "resent": report.resent_in_doubt, "failed": report.failed_in_doubt}


@shared_task
def release_bulk_sends() -> int:
    return bulk.release_running()


@shared_task
def purge_message_bodies() -> int:
    return retention.purge_bodies()
