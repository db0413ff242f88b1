"""An export's life: an owner asks for it, a heavy task writes it, and it ends done or failed."""

from __future__ import annotations

import datetime as dt
import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import AuditEvent, User
from campaigns.exports import writing
from campaigns.exports.filters import ExportFilters
from campaigns.models import Campaign, SignatureExport

logger = logging.getLogger(__name__)
# Longer than the task's hard time limit plus a wait in the heavy queue: an export still pending
# or running after this was lost with its worker, and stops blocking the next one.
STALE_AFTER = dt.timedelta(hours=1)
Status = SignatureExport.Status


class ExportInProgress(Exception):
    """The campaign already has an export being written: one at a time per campaign."""


@transaction.atomic
def request_export(*, campaign: Campaign, filters: ExportFilters, actor: User, via: str) -> SignatureExport:
    # Locks the campaign row, so two requests racing each see the other's export (one at a time).
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    waiting = SignatureExport.objects.filter(campaign=campaign).in_progress(since=timezone.now() - STALE_AFTER)
    if waiting.exists():
        raise ExportInProgress
    export = SignatureExport.objects.create(campaign=campaign, requested_by=actor, filters=filters.as_json())
    audit.record_write(
        actor=actor,
        via=via,
        action=AuditEvent.Action.CREATE,
        instance=export,
        campaign_id=campaign.pk,
        after=audit.snapshot(export),
    )
    from campaigns.tasks import export_signatures  # the tasks module imports this one

    export_id = export.pk
    # robust: with the broker down the request still succeeds; the export stays pending until the
    # sweep fails it as lost (retention.purge_expired), and the owner asks again.
    transaction.on_commit(lambda: export_signatures.delay(export_id), robust=True)
    return export


def run_export(export_id: int) -> None:
    """Claims the export, writes its file and records the outcome on the row."""
    # The claim comes first: a task delivered twice, or one for an export the sweep gave up on, does nothing.
    if SignatureExport.objects.filter(pk=export_id, status=Status.PENDING).update(status=Status.RUNNING) != 1:
        return
    export = SignatureExport.objects.select_related("campaign").get(pk=export_id)
    try:
        name, count = writing.write_csv(export)
    except SoftTimeLimitExceeded:
        _fail(export_id, "It took longer than the time limit. Narrow the filters, or ask the operator.")
        return
    except Exception as error:
        # Whatever went wrong, the owner must see that it failed rather than wait; the log has the traceback.
        logger.exception("signature export %s failed", export_id)
        _fail(
            export_id,
            f"It stopped on an error ({type(error).__name__}). Ask again; if it fails again, tell the operator.",
        )
        return
    done = {"status": Status.DONE, "file_name": name, "row_count": count, "finished_at": timezone.now()}
    SignatureExport.objects.filter(pk=export_id).update(**done)


def _fail(export_id: int, reason: str) -> None:
    SignatureExport.objects.filter(pk=export_id).update(status=Status.FAILED, error=reason, finished_at=timezone.now())
