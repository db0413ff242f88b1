"""Officials' positions: a private signed link in every letter and briefing, and what it records.

The link names the official and the campaign, signed for this purpose only, and works for
POSITION_LINK_AGE. Recording a position adds an OfficialPosition (the latest is the official's
position, shown by the tracker and read by briefings) and a dated event in the place's timeline.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import transaction
from django.utils import timezone

from campaigns.models import Campaign, Official, OfficialPosition, Position, TimelineEvent
from emails.links import LinkInvalid, absolute_url, sign, unsign

POSITION_PURPOSE = "campaigns.official-position"
POSITION_LINK_AGE = dt.timedelta(days=180)
STATEMENT_MAX_LENGTH = 1000


class PositionLinkGone(Exception):
    """A genuine link whose official or campaign has been deleted."""


def position_url(official: Official, campaign: Campaign) -> str:
    token = sign(POSITION_PURPOSE, {"o": official.pk, "c": campaign.pk})
    return absolute_url("web:official-position", token=token)


def read_position_link(token: str) -> Official:
    """The official the link was made for; raises LinkInvalid, LinkExpired or PositionLinkGone."""
    payload = unsign(POSITION_PURPOSE, token, max_age=POSITION_LINK_AGE)
    official_id, campaign_id = payload.get("o"), payload.get("c")
    if not isinstance(official_id, int) or not isinstance(campaign_id, int):
        raise LinkInvalid("payload lacks an official")
    found = Official.objects.select_related("campaign", "place").filter(pk=official_id, campaign_id=campaign_id).first()
    if found is None:
        raise PositionLinkGone(official_id)
    return found


def current_position(official: Official) -> OfficialPosition | None:
    return official.positions.order_by("-recorded_at", "-pk").first()


@transaction.atomic
def record_position(
    *, official: Official, position: Position, statement: str, via: str = "link", digest_only: bool | None = None
) -> OfficialPosition:
    """Records what the official said, and its event in the place's timeline."""
    now = timezone.now()
    statement = statement.strip()[:STATEMENT_MAX_LENGTH]
    event = TimelineEvent.objects.create(
        campaign=official.campaign,
        place=official.place,
        occurred_on=timezone.localtime(now, zoneinfo.ZoneInfo(official.campaign.time_zone)).date(),
        title=f"{official.name} ({official.get_office_display()}): {Position(position).label}"[:300],
        description=statement,
    )
    recorded = OfficialPosition.objects.create(
        campaign=official.campaign,
        official=official,
        position=position,
        statement=statement,
        recorded_at=now,
        recorded_via=via,
        timeline_event=event,
    )
    if digest_only is not None and digest_only != official.letters_digest_only:
        official.letters_digest_only = digest_only
        official.save(update_fields=["letters_digest_only"])
    return recorded
