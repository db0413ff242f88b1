"""Mailings for the API permission matrix (tests/api/test_permission_matrix.py): one in each state steered."""

from __future__ import annotations

from typing import Any

from campaigns.models import Campaign
from emails import bulk
from mailings.models import Mailing, MailingVariant
from tests.emails import sample_kinds


def mailing_world(campaign: Campaign, owner: Any) -> dict[str, int]:
    """A draft (to read, change, preview, test, send, delete), one being sent and one paused."""
    draft = _mailing(campaign, owner, "Draft")
    sending = _mailing(campaign, owner, "Sending", state=Mailing.State.SENDING)
    paused = _mailing(campaign, owner, "Paused", state=Mailing.State.SENDING)
    bulk.start(sending.bulk)  # type: ignore[arg-type]
    bulk.start(paused.bulk)  # type: ignore[arg-type]
    bulk.pause(paused.bulk)  # type: ignore[arg-type]
    return {"draft_mailing": draft.pk, "sending_mailing": sending.pk, "paused_mailing": paused.pk}


def _mailing(campaign: Campaign, owner: Any, title: str, state: str = Mailing.State.DRAFT) -> Mailing:
    send = None
    if state != Mailing.State.DRAFT:
        # One held message, at a rate too slow to release it: the send stays under way.
        send = bulk.create(list_key=f"campaign:{campaign.pk}", kind=sample_kinds.NEWS.name, rate_per_minute=1)
        reader = bulk.Recipient(address="reader@example.org", language="en", key=f"matrix:{title}")
        bulk.add(send, [reader], context=sample_kinds.context())
    mailing = Mailing.objects.create(campaign=campaign, title=title, created_by=owner, state=state, bulk=send)
    MailingVariant.objects.create(mailing=mailing, language="en", subject="News", text="Hello {{ first_name }}.")
    return mailing
