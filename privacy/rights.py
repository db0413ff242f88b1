"""A person's data rights across every registered holder: export it all, erase it all.

Callers identify the person by the keyed hashes of their address (under every configured key),
as carried by a signed "my data" link; the address itself never reaches this module. Each request
and action leaves a DataRightsEvent with counts only.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from privacy.models import DataRightsEvent
from privacy.registry import holders

logger = logging.getLogger(__name__)


def holds_anything(address_hashes: Sequence[str]) -> bool:
    return any(records for holder in holders() for records in holder.export(address_hashes).values())


def export(address_hashes: Sequence[str]) -> dict[str, Any]:
    """Everything held about the address, by holder, each record marked when erasure keeps it."""
    sections: dict[str, Any] = {}
    kept: list[dict[str, str]] = []
    for holder in holders():
        records = holder.export(address_hashes)
        for kind, why in holder.kept_on_erasure.items():
            for item in records.get(kind, []):
                item["kept_on_erasure"] = str(why)
            kept.append({"holder": holder.name, "records": kind, "why": str(why)})
        sections[holder.name] = records
    record(DataRightsEvent.Action.EXPORTED, _counts(sections))
    return {"generated_at": timezone.now().isoformat(), "held": sections, "kept_after_erasure": kept}


@transaction.atomic
def erase(address_hashes: Sequence[str]) -> dict[str, dict[str, int]]:
    """Erases or anonymizes every holder's records, all or nothing; returns counts by holder."""
    counts = {holder.name: holder.erase(address_hashes) for holder in holders()}
    record(DataRightsEvent.Action.ERASED, counts)
    return counts


def record(action: DataRightsEvent.Action, counts: dict[str, Any] | None = None) -> DataRightsEvent:
    logger.info("data rights: %s %s", action, counts or {})
    return DataRightsEvent.objects.create(action=action, counts=counts or {})


def _counts(sections: dict[str, dict[str, list[Any]]]) -> dict[str, dict[str, int]]:
    return {name: {kind: len(items) for kind, items in records.items()} for name, records in sections.items()}
