"""Celery entry points of privacy; each is a thin call into a plain function."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from privacy import retention


@shared_task
def purge_expired_personal_data() -> dict[str, dict[str, int]]:
    return retention.purge_expired(timezone.now())
