"""The figures shown with a tracked place, built in one place so each new feature adds its own."""

from __future__ import annotations

from campaigns.models import Campaign, Place


def place_counts(*, campaign: Campaign, place: Place) -> dict[str, int]:
    # Signatures and letters arrive with their features; until then there are none to count.
    return {"signatures": 0, "letters": 0}
