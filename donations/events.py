"""Reading Stripe objects out of stored events: ids, metadata and times, whatever shape they come in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from campaigns.models import Campaign
from supporters.models import Supporter


class MalformedEvent(ValueError):
    """The event lacks what its type always carries: a bug or a forgery, not worth retrying."""


def data_object(event: dict[str, Any]) -> dict[str, Any]:
    found = as_dict(event.get("data")).get("object")
    if not isinstance(found, dict):
        raise MalformedEvent("no data.object")
    return found


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def stamp(event: dict[str, Any]) -> str:
    """Orders snapshots: the event's time, then its id to break ties the same way every time."""
    return f"{int(event.get('created') or 0):012d}:{event.get('id', '')}"


def object_id(value: Any) -> str | None:
    """An expandable field: an id, or the expanded object carrying one."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def required_id(obj: dict[str, Any], name: str) -> str:
    found = object_id(obj.get(name))
    if found is None:
        raise MalformedEvent(f"no {name}")
    return found


def amount(obj: dict[str, Any], name: str) -> int:
    value = obj.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise MalformedEvent(f"{name} is not an amount")
    return value


def currency(obj: dict[str, Any]) -> str:
    value = obj.get("currency")
    if not isinstance(value, str) or len(value) != 3:
        raise MalformedEvent("no currency")
    return value.lower()


def moment(value: Any) -> dt.datetime | None:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        return None
    return dt.datetime.fromtimestamp(value, tz=dt.UTC)


def text(value: Any, limit: int = 300) -> str | None:
    return value[:limit] if isinstance(value, str) and value.strip() else None


@dataclass(frozen=True)
class Attribution:
    """Who and what a payment is for, from the metadata we put on every Stripe object we create."""

    campaign: Campaign | None
    supporter: Supporter | None
    language: str

    @classmethod
    def from_metadata(cls, metadata: Any) -> Attribution:
        metadata = metadata if isinstance(metadata, dict) else {}
        return cls(
            campaign=_row(Campaign, metadata.get("townhall_campaign")),
            supporter=_row(Supporter, metadata.get("townhall_supporter")),
            language=str(metadata.get("townhall_language") or "")[:10],
        )


def _row(model: Any, value: Any) -> Any:
    if not isinstance(value, str) or not value.isdigit() or len(value) > 18:
        return None
    return model.objects.filter(pk=int(value)).first()
