"""The moderation queue as the dashboard shows it: held signatures and letters, oldest first.

What a decision needs and nothing more, as in the organizer API: the place, when, whether it was
confirmed and why it was held; for a letter, the start of its text. Never the supporter's name or
address (a signature's comment stays out too, as the API leaves it out).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from campaigns.models import Campaign, Letter, Review, Signature

SHOWN = 20


@dataclass(frozen=True)
class Queue:
    signatures: list[Signature]
    letters: list[Letter]
    held_signatures: int
    held_letters: int

    @property
    def size(self) -> int:
        return self.held_signatures + self.held_letters

    @property
    def has_more(self) -> bool:
        """More wait than are shown (SHOWN of each kind)."""
        return self.size > len(self.signatures) + len(self.letters)


def held_signatures(campaign: Campaign) -> QuerySet[Signature]:
    return Signature.objects.filter(petition__campaign=campaign, review=Review.HELD)


def held_letters(campaign: Campaign) -> QuerySet[Letter]:
    return Letter.objects.filter(letter_campaign__campaign=campaign, review=Review.HELD)


def queue_size(campaign: Campaign) -> Queue:
    """Only how many wait: what a viewer sees (the list itself is for editors, as in the API)."""
    return Queue([], [], held_signatures(campaign).count(), held_letters(campaign).count())


def queue(campaign: Campaign) -> Queue:
    signatures = held_signatures(campaign).select_related("petition", "place").order_by("created_at", "pk")
    letters = held_letters(campaign).select_related("letter_campaign", "place").order_by("created_at", "pk")
    size = queue_size(campaign)
    return Queue(list(signatures[:SHOWN]), list(letters[:SHOWN]), size.held_signatures, size.held_letters)
