"""The table of a campaign's places: status, counted signatures and letters, and the latest event.

Four queries for any number of places: the places with their status, signatures per place from
the sharded tallies, counted letters per place, and each place's latest timeline event (DISTINCT ON
the place, on the (campaign, place, occurred_on) index). Sorting happens here, on the rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from campaigns import tallies
from campaigns.models import Campaign, Letter, Place, PlaceStatus, Status, TimelineEvent

STATUS_ORDER = {status.value: rank for rank, status in enumerate(Status)}


@dataclass(frozen=True)
class PlaceRow:
    place: Place
    status: str
    status_label: str
    signatures: int
    letters: int
    last_event: TimelineEvent | None


@dataclass(frozen=True)
class Sorting:
    column: str
    descending: bool

    @property
    def param(self) -> str:
        return f"-{self.column}" if self.descending else self.column

    def toggled(self, column: str) -> str:
        """The ?sort= value a column's header links to: its reverse when it is the sorted one."""
        if column == self.column:
            return column if self.descending else f"-{column}"
        return f"-{column}" if column in NUMERIC_FIRST_DESCENDING else column


def _event_key(row: PlaceRow) -> tuple[dt.date, int]:
    event = row.last_event
    return (event.occurred_on, event.pk) if event else (dt.date.min, 0)


SORT_KEYS: dict[str, Callable[[PlaceRow], Any]] = {
    "place": lambda row: (row.place.name.casefold(), row.place.state),
    "status": lambda row: STATUS_ORDER.get(row.status, -1),
    "signatures": lambda row: row.signatures,
    "letters": lambda row: row.letters,
    "last_event": _event_key,
}
# Counts and dates are read biggest and newest first; names and statuses in their order.
NUMERIC_FIRST_DESCENDING = frozenset({"signatures", "letters", "last_event"})
DEFAULT_SORTING = Sorting("signatures", descending=True)


def sorting_from(param: str) -> Sorting:
    """?sort=letters, ?sort=-letters…; anything else is the default order."""
    column = param.removeprefix("-")
    if column not in SORT_KEYS:
        return DEFAULT_SORTING
    return Sorting(column, descending=param.startswith("-"))


def place_rows(campaign: Campaign, sorting: Sorting = DEFAULT_SORTING) -> list[PlaceRow]:
    statuses = PlaceStatus.objects.for_campaign(campaign).select_related("place")
    signatures, letters, events = tallies.place_counts(campaign), _letters(campaign), _last_events(campaign)
    rows = [
        PlaceRow(
            place=tracked.place,
            status=tracked.status,
            status_label=tracked.get_status_display(),
            signatures=signatures.get(tracked.place_id, 0),
            letters=letters.get(tracked.place_id, 0),
            last_event=events.get(tracked.place_id),
        )
        for tracked in statuses
    ]
    # Ties in their usual order (by name), whichever way the column goes.
    rows.sort(key=SORT_KEYS["place"])
    rows.sort(key=SORT_KEYS[sorting.column], reverse=sorting.descending)
    return rows


def _letters(campaign: Campaign) -> dict[int, int]:
    counted = Letter.objects.counted().filter(letter_campaign__campaign=campaign)
    return dict(counted.values_list("place_id").annotate(n=Count("pk")).order_by())


def _last_events(campaign: Campaign) -> dict[int, TimelineEvent]:
    latest = (
        TimelineEvent.objects.filter(campaign=campaign)
        .order_by("place_id", "-occurred_on", "-pk")
        .distinct("place_id")
        .only("place_id", "occurred_on", "occurred_precision", "title")
    )
    return {event.place_id: event for event in latest}
