"""Celery entry points of campaigns; each is a thin call into a plain function."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from campaigns.exports import exporting, retention


# Time limits of their own: a million rows take longer than the default minute. Both stay under
# the broker's visibility timeout and under exporting.STALE_AFTER.
@shared_task(soft_time_limit=1800, time_limit=1860)
def export_signatures(export_id: int) -> None:
    exporting.run_export(export_id)


@shared_task
def purge_signature_exports() -> dict[str, int]:
    return retention.purge_expired(timezone.now())
