"""Which signatures an export holds: petition, place, confirmed or not, and days of signing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from campaigns.models import Campaign, Signature
from campaigns.models.petitions import SignatureQuerySet


@dataclass(frozen=True)
class ExportFilters:
    """Empty fields filter nothing. Days are the campaign's (Campaign.time_zone), both ends included."""

    petition_id: int | None = None
    place_id: int | None = None
    confirmed: bool | None = None
    created_from: dt.date | None = None
    created_to: dt.date | None = None

    def as_json(self) -> dict[str, Any]:
        """What SignatureExport.filters stores and the audit trail shows: only what was asked."""
        values = {
            "petition": self.petition_id,
            "place": self.place_id,
            "confirmed": self.confirmed,
            "created_from": self.created_from.isoformat() if self.created_from else None,
            "created_to": self.created_to.isoformat() if self.created_to else None,
        }
        return {name: value for name, value in values.items() if value is not None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExportFilters:
        return cls(
            petition_id=data.get("petition"),
            place_id=data.get("place"),
            confirmed=data.get("confirmed"),
            created_from=_date(data.get("created_from")),
            created_to=_date(data.get("created_to")),
        )

    def signatures(self, campaign: Campaign) -> SignatureQuerySet:
        found = Signature.objects.filter(petition__campaign=campaign)
        if self.petition_id is not None:
            found = found.filter(petition_id=self.petition_id)
        if self.place_id is not None:
            found = found.filter(place_id=self.place_id)
        if self.confirmed is not None:
            found = found.filter(confirmed_at__isnull=not self.confirmed)
        zone = ZoneInfo(campaign.time_zone)
        # Ranges on the column rather than created_at__date, which would hide it from an index; the
        # first and last day a date can name bound nothing (their edges in a zone may not exist in UTC).
        if self.created_from is not None and self.created_from > dt.date.min:
            found = found.filter(created_at__gte=_day_start(self.created_from, zone))
        if self.created_to is not None and self.created_to < dt.date.max:
            found = found.filter(created_at__lt=_day_start(self.created_to + dt.timedelta(days=1), zone))
        return found


def _day_start(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
