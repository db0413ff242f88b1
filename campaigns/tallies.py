"""Counting confirmed signatures without a hot row: sharded tallies, summed on read.

Each change adds to one of TALLY_SLOTS rows picked at random, for the place and for the
petition's total. A read sums at most TALLY_SLOTS rows per petition (per place), whatever the
number of signatures: the cost of a count does not grow with the petition.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable

from django.db import connection
from django.db.models import Sum

from campaigns.models import Campaign, Petition, Place, SignatureTally
from campaigns.models.petitions import TALLY_SLOTS

_PLACE_UPSERT = """
INSERT INTO campaigns_signaturetally (petition_id, place_id, slot, confirmed) VALUES (%s, %s, %s, %s)
ON CONFLICT (petition_id, place_id, slot) WHERE place_id IS NOT NULL
DO UPDATE SET confirmed = campaigns_signaturetally.confirmed + excluded.confirmed
"""
_TOTAL_UPSERT = """
INSERT INTO campaigns_signaturetally (petition_id, place_id, slot, confirmed) VALUES (%s, NULL, %s, %s)
ON CONFLICT (petition_id, slot) WHERE place_id IS NULL
DO UPDATE SET confirmed = campaigns_signaturetally.confirmed + excluded.confirmed
"""


def add_to_tallies(changes: Iterable[tuple[int, int]], delta: int = 1) -> None:
    """Adds `delta` per (petition id, place id) pair, e.g. the signatures one confirmation confirmed."""
    by_place = Counter(changes)
    by_petition: Counter[int] = Counter()
    for (petition_id, _place_id), count in by_place.items():
        by_petition[petition_id] += count
    with connection.cursor() as cursor:
        # Sorted, so two transactions touching the same rows take their locks in the same order.
        for (petition_id, place_id), count in sorted(by_place.items()):
            cursor.execute(_PLACE_UPSERT, [petition_id, place_id, _slot(), count * delta])
        for petition_id, count in sorted(by_petition.items()):
            cursor.execute(_TOTAL_UPSERT, [petition_id, _slot(), count * delta])


def petition_count(petition: Petition) -> int:
    total = SignatureTally.objects.filter(petition=petition, place__isnull=True).aggregate(n=Sum("confirmed"))
    return int(total["n"] or 0)


def petition_counts(petitions: Iterable[Petition]) -> dict[int, int]:
    """petition_count of each, in one query: a list of petitions costs what one does."""
    totals = (
        SignatureTally.objects.filter(petition__in=list(petitions), place__isnull=True)
        .values("petition_id")
        .annotate(n=Sum("confirmed"))
    )
    return {row["petition_id"]: int(row["n"] or 0) for row in totals}


def place_count(*, campaign: Campaign, place: Place) -> int:
    total = SignatureTally.objects.filter(petition__campaign=campaign, place=place).aggregate(n=Sum("confirmed"))
    return int(total["n"] or 0)


def place_counts(campaign: Campaign) -> dict[int, int]:
    """place_count of every place of the campaign, in one query (the organizer dashboard's table)."""
    tallies = SignatureTally.objects.filter(petition__campaign=campaign, place__isnull=False)
    rows = tallies.values_list("place_id").annotate(n=Sum("confirmed")).order_by()
    return {place_id: int(count or 0) for place_id, count in rows}


def _slot() -> int:
    return random.randrange(TALLY_SLOTS)  # noqa: S311 (spreading writes, not a secret)
