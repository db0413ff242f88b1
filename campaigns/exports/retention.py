"""Deleting export files after SIGNATURE_EXPORT_RETENTION_DAYS, and failing exports lost with a worker."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from campaigns.exports.exporting import STALE_AFTER
from campaigns.exports.storage import export_storage
from campaigns.models import SignatureExport

Status = SignatureExport.Status


def purge_expired(now: dt.datetime) -> dict[str, int]:
    cutoff = now - dt.timedelta(days=settings.SIGNATURE_EXPORT_RETENTION_DAYS)
    return {
        "expired": _expire_files(cutoff),
        "orphans": _delete_orphans(cutoff),
        "lost": _fail_lost(now - STALE_AFTER, now),
    }


def _expire_files(cutoff: dt.datetime) -> int:
    storage = export_storage()
    expired = SignatureExport.objects.filter(finished_at__lt=cutoff).exclude(file_name="")
    count = 0
    for export in expired.only("pk", "file_name"):
        storage.delete(export.file_name)
        SignatureExport.objects.filter(pk=export.pk).update(status=Status.EXPIRED, file_name="")
        count += 1
    return count


def _delete_orphans(cutoff: dt.datetime) -> int:
    """Files no row names (their campaign was deleted, or a worker died saving one), once as old."""
    storage = export_storage()
    try:
        _dirs, files = storage.listdir("")
    except FileNotFoundError:
        return 0  # no export was ever written here
    named = set(SignatureExport.objects.exclude(file_name="").values_list("file_name", flat=True))
    orphans = [name for name in files if name not in named and storage.get_modified_time(name) < cutoff]
    for name in orphans:
        storage.delete(name)
    return len(orphans)


def _fail_lost(before: dt.datetime, now: dt.datetime) -> int:
    lost = SignatureExport.objects.filter(status__in=(Status.PENDING, Status.RUNNING), created__lt=before)
    reason = "It was lost before it finished (a worker stopped). Ask again."
    return lost.update(status=Status.FAILED, error=reason, finished_at=now)
