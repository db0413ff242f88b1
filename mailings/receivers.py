"""What mailings does when the tracker announces something (connected in MailingsConfig.ready)."""

from __future__ import annotations

from typing import Any

from campaigns.models import TimelineEvent
from mailings.models import Mailing


def announce_status_change(sender: Any, *, event: TimelineEvent, **kwargs: Any) -> Mailing | None:
    # Sent after the tracker's commit: the notice is written in a transaction of its own.
    from mailings.notices import announce

    return announce(event=event)
