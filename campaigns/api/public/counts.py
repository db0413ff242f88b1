"""The figures shown with a tracked place, built in one place so each new feature adds its own."""

from __future__ import annotations

from campaigns import tallies
from campaigns.letters.figures import counted_letters
from campaigns.models import Campaign, Place


def place_counts(*, campaign: Campaign, place: Place) -> dict[str, int]:
    return {
        "signatures": tallies.place_count(campaign=campaign, place=place),
        "letters": counted_letters(campaign, place),
    }
