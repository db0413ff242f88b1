"""Celery entry points of briefings (heavy queue): a thin call into briefings.editions."""

from __future__ import annotations

from celery import shared_task

from briefings import editions


# A claimed edition is marked running before any work, so a redelivery finds nothing to do.
@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=300, time_limit=330)
def generate_edition(edition_id: int) -> None:
    editions.generate_edition(edition_id)
