"""Per-mailing figures for organizers: how many were sent, bounced, unsubscribed, and what is left.

Three queries for any number of mailings, so a page of the list costs the same as one mailing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from anymail.signals import EventType
from django.db.models import Count, Exists, OuterRef, Q

from emails.models import EVERY_LIST, MessageEvent, OutboundMessage, Status, Unsubscribe
from mailings.models import Mailing

PENDING = (Status.HELD, Status.QUEUED, Status.SENDING, Status.RETRY)
NAMES = ("recipients", "sent", "pending", "failed", "skipped", "cancelled", "bounced", "complained", "unsubscribed")


def figures(mailing: Mailing) -> dict[str, int]:
    return figures_for([mailing])[mailing.pk]


def figures_for(mailings: Sequence[Mailing]) -> dict[int, dict[str, int]]:
    """recipients: messages written; pending: not yet out; skipped: not sent because the address was
    suppressed or unsubscribed meanwhile; bounced and complained: as the provider reported;
    unsubscribed: recipients who left the campaign's list (or everything) since it went out."""
    bulk_ids = [mailing.bulk_id for mailing in mailings if mailing.bulk_id is not None]
    statuses, events, left = _statuses(bulk_ids), _events(bulk_ids), _unsubscribed(bulk_ids)
    answer = {}
    for mailing in mailings:
        counts = statuses.get(mailing.bulk_id or 0, {})
        reported = events.get(mailing.bulk_id or 0, {})
        answer[mailing.pk] = {
            "recipients": mailing.recipients,
            "sent": counts.get(Status.SENT, 0),
            "pending": sum(counts.get(status, 0) for status in PENDING),
            "failed": counts.get(Status.FAILED, 0),
            "skipped": counts.get(Status.SUPPRESSED, 0) + counts.get(Status.UNSUBSCRIBED, 0),
            "cancelled": counts.get(Status.CANCELLED, 0),
            "bounced": reported.get(EventType.BOUNCED, 0),
            "complained": reported.get(EventType.COMPLAINED, 0),
            "unsubscribed": left.get(mailing.bulk_id or 0, 0),
        }
    return answer


def _statuses(bulk_ids: list[int]) -> dict[int, dict[str, int]]:
    rows = OutboundMessage.objects.filter(bulk_id__in=bulk_ids).values_list("bulk_id", "status").annotate(n=Count("pk"))
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for bulk_id, status, count in rows.order_by():
        found[bulk_id][status] = count
    return found


def _events(bulk_ids: list[int]) -> dict[int, dict[str, int]]:
    reported = MessageEvent.objects.filter(
        message__bulk_id__in=bulk_ids, status__in=(EventType.BOUNCED, EventType.COMPLAINED)
    )
    rows = reported.values_list("message__bulk_id", "status").annotate(n=Count("message_id", distinct=True))
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for bulk_id, status, count in rows.order_by():
        found[bulk_id][status] = count
    return found


def _unsubscribed(bulk_ids: list[int]) -> dict[int, int]:
    since_it_went_out = Unsubscribe.objects.filter(
        Q(list_key=OuterRef("list_key")) | Q(list_key=EVERY_LIST),
        address_hash=OuterRef("to_hash"),
        created_at__gte=OuterRef("bulk__mailing__started_at"),
    )
    sent = OutboundMessage.objects.filter(bulk_id__in=bulk_ids, status=Status.SENT)
    rows = sent.filter(Exists(since_it_went_out)).values_list("bulk_id").annotate(n=Count("pk"))
    return dict(rows.order_by())
