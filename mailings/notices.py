"""Status-change notices: when a place's status changes, its consenting supporters hear of it once."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import audit
from accounts.models import AuditEvent
from campaigns.models import Status, TimelineEvent
from mailings.models import Audience, Mailing
from mailings.sending import prepare_after_commit
from mailings.status_sentences import NOT_NEWS


def announce(*, event: TimelineEvent) -> Mailing | None:
    """The notice of `event`, made and queued the first time; None when the event is no news.

    The event is unique on the notice, so however often this runs for one change (a signal sent
    twice, a retried task), its supporters are mailed once.
    """
    if not event.status_after or event.status_after == event.status_before or event.status_after in NOT_NEWS:
        return None
    existing = Mailing.objects.filter(event=event).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            notice = Mailing.objects.create(
                campaign=event.campaign,
                kind=Mailing.Kind.STATUS_NOTICE,
                title=f"{event.place}: {Status(event.status_after).label}"[:200],
                audience=Audience.EVERYONE,
                place=event.place,
                event=event,
                default_language=settings.LANGUAGE_CODE,
                state=Mailing.State.PREPARING,
                send_at=timezone.now(),
                progressed_at=timezone.now(),
            )
            audit.record_write(
                actor=None,
                via="status-change",
                action=AuditEvent.Action.CREATE,
                instance=notice,
                campaign_id=notice.campaign_id,
                after={"status": "sent", "event": str(event.pk)},
            )
    except IntegrityError:
        return Mailing.objects.get(event=event)
    prepare_after_commit(notice.pk)
    return notice
