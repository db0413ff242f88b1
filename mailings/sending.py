"""Sending a mailing: schedule or start it, write one held message per recipient, then hand it to a bulk send.

Preparing goes through the segment by supporter id in chunks, each chunk in its own transaction
with the mailing's row locked, and remembers where it got to: a task that stops is resumed by
beat's sweep from the last chunk, and idempotency keys make a repeated chunk add no one twice.
Once every recipient has a held message, the bulk send starts and releases them at its rate.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditEvent, User
from emails import bulk
from mailings import recipients, segments
from mailings.mail_kinds import MAILING_MAIL, STATUS_NOTICE_MAIL
from mailings.models import Mailing
from mailings.tasks import prepare_mailing as prepare_mailing_task

CHUNK = 500
# A mailing preparing without progress for this long lost its task; beat's sweep starts another.
STALLED_AFTER = dt.timedelta(minutes=5)


@transaction.atomic
def send_mailing(*, mailing: Mailing, actor: User, via: str, send_at: dt.datetime | None = None) -> Mailing:
    """Starts preparing the draft now, or schedules it for `send_at`."""
    mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
    if not mailing.is_editable:
        raise ValidationError({"state": [_("This mailing has been sent or scheduled already.")]})
    now = timezone.now()
    later = send_at is not None and send_at > now
    mailing.state = Mailing.State.SCHEDULED if later else Mailing.State.PREPARING
    mailing.send_at, mailing.sent_by, mailing.progressed_at = send_at or now, actor, now
    mailing.save(update_fields=["state", "send_at", "sent_by", "progressed_at", "updated_at"])
    size = segments.size(segments.Segment.of(mailing))
    _audit(mailing, actor, via, was="draft", now="scheduled" if later else "sent", segment_size=size)
    if not later:
        prepare_after_commit(mailing.pk)
    return mailing


def prepare_after_commit(mailing_id: int) -> None:
    # robust: a broker that is down must not undo the organizer's send; beat's sweep starts it later.
    transaction.on_commit(lambda: prepare_mailing_task.delay(mailing_id), robust=True)


def prepare(mailing_id: int) -> None:
    while not _prepare_chunk(mailing_id):
        pass


def _prepare_chunk(mailing_id: int) -> bool:
    """Adds the next chunk of recipients; True once there is nothing more to do."""
    now = timezone.now()
    with transaction.atomic():
        mailing = (
            Mailing.objects.select_for_update(of=("self",))
            .filter(pk=mailing_id)
            .select_related("campaign", "place")
            .first()
        )
        if mailing is None or mailing.state != Mailing.State.PREPARING:
            return True
        if mailing.bulk is None:
            kind = STATUS_NOTICE_MAIL if mailing.kind == Mailing.Kind.STATUS_NOTICE else MAILING_MAIL
            mailing.bulk = bulk.create(list_key=mailing.list_key, kind=kind, rate_per_minute=mailing.rate_per_minute)
        members = segments.members(segments.Segment.of(mailing)).filter(pk__gt=mailing.fill_cursor)
        chunk = list(members.only("pk", "email", "name", "language")[:CHUNK])
        recipient_for = _recipient_maker(mailing)
        mailing.recipients += bulk.add(mailing.bulk, (recipient_for(supporter) for supporter in chunk))
        mailing.fill_cursor = chunk[-1].pk if chunk else mailing.fill_cursor
        mailing.progressed_at = now
        done = len(chunk) < CHUNK
        if done:
            mailing.state, mailing.started_at = Mailing.State.SENDING, now
            bulk.start(mailing.bulk)
        mailing.save(update_fields=["bulk", "recipients", "fill_cursor", "progressed_at", "state", "started_at"])
    return done


def _recipient_maker(mailing: Mailing) -> recipients.RecipientFor:
    if mailing.kind == Mailing.Kind.STATUS_NOTICE:
        return recipients.for_status_notice(mailing)
    return recipients.for_mailing(mailing)


def start_due() -> int:
    """Beat: scheduled mailings whose time has come, and preparations whose task was lost."""
    now = timezone.now()
    started = 0
    for pk in Mailing.objects.due().values_list("pk", flat=True):
        moved = Mailing.objects.filter(pk=pk, state=Mailing.State.SCHEDULED).update(
            state=Mailing.State.PREPARING, progressed_at=now
        )
        if moved:
            prepare_after_commit(pk)
            started += 1
    stalled = Mailing.objects.filter(state=Mailing.State.PREPARING, progressed_at__lt=now - STALLED_AFTER)
    for pk in stalled.values_list("pk", flat=True):
        prepare_after_commit(pk)
        started += 1
    return started


@transaction.atomic
def pause_mailing(*, mailing: Mailing, actor: User, via: str) -> Mailing:
    mailing = _locked(mailing)
    if mailing.state != Mailing.State.SENDING or mailing.bulk is None:
        raise ValidationError({"state": [_("Only a mailing that is being sent can be paused.")]})
    _bulk_step(bulk.pause, mailing)
    _audit(mailing, actor, via, was="sending", now="paused")
    return mailing


@transaction.atomic
def resume_mailing(*, mailing: Mailing, actor: User, via: str) -> Mailing:
    mailing = _locked(mailing)
    if mailing.state != Mailing.State.SENDING or mailing.bulk is None:
        raise ValidationError({"state": [_("Only a paused mailing can be resumed.")]})
    _bulk_step(bulk.resume, mailing)
    _audit(mailing, actor, via, was="paused", now="sending")
    return mailing


@transaction.atomic
def cancel_mailing(*, mailing: Mailing, actor: User, via: str) -> int:
    """Nothing more of it is sent; the number of messages that will not go out."""
    mailing = _locked(mailing)
    if mailing.state in (Mailing.State.DRAFT, Mailing.State.CANCELLED):
        raise ValidationError({"state": [_("Only a scheduled mailing or one being sent can be cancelled.")]})
    was = mailing.status
    stopped = 0
    if mailing.bulk is not None:
        stopped = _bulk_step(bulk.cancel, mailing)
    mailing.state = Mailing.State.CANCELLED
    mailing.save(update_fields=["state", "updated_at"])
    _audit(mailing, actor, via, was=was, now="cancelled", not_sent=stopped)
    return stopped


def _bulk_step(step: Any, mailing: Mailing) -> Any:
    assert mailing.bulk is not None  # noqa: S101 (checked by every caller)
    try:
        return step(mailing.bulk)
    except bulk.BulkStateError:
        raise ValidationError(
            {"state": [_("This mailing is %(status)s.") % {"status": mailing.status_label}]}
        ) from None


def _locked(mailing: Mailing) -> Mailing:
    return Mailing.objects.select_for_update(of=("self",)).select_related("bulk").get(pk=mailing.pk)


def _audit(mailing: Mailing, actor: User | None, via: str, *, was: str, now: str, **details: Any) -> None:
    """A send, a schedule, a pause…: what happened, to whom (the segment), how many so far."""
    audit.record_write(
        actor=actor,
        via=via,
        action=AuditEvent.Action.UPDATE,
        instance=mailing,
        campaign_id=mailing.campaign_id,
        before={"status": was},
        after={"status": now, **{name: str(value) for name, value in details.items()}},
    )
