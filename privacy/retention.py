"""The daily retention purge: every holder's own purge, then every declared IP-hash column."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from privacy import ip_hashes
from privacy.models import DataRightsEvent
from privacy.registry import holders
from privacy.rights import record


def purge_expired(now: dt.datetime) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for holder in holders():
        if holder.purge is not None:
            # One transaction per holder: a failing holder leaves the others' purges done.
            with transaction.atomic():
                counts[holder.name] = holder.purge(now)
    with transaction.atomic():
        counts["ip_hashes"] = ip_hashes.purge_ip_hashes(now)
    record(DataRightsEvent.Action.PURGED, counts)
    return counts
