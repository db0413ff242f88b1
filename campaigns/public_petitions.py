"""What anyone may read of a public campaign's petitions: the petitions, and who signed lately."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from campaigns.models import Campaign, Petition, Signature

RECENT_SIGNERS = 20


@dataclass(frozen=True)
class RecentSigner:
    """A counted signer who chose to show their name: first name and last initial, never more."""

    first_name: str
    last_initial: str
    place_name: str
    confirmed_on: dt.date

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_initial}".strip()


def petitions_of(campaign: Campaign) -> QuerySet[Petition]:
    return Petition.objects.filter(campaign=campaign).select_related("place")


def public_petition(*, campaign_slug: str, petition_slug: str) -> Petition:
    """The petition of a public campaign, or 404 (a draft campaign's petitions too)."""
    petitions = Petition.objects.filter(campaign__in=Campaign.objects.public()).select_related("campaign", "place")
    return get_object_or_404(petitions, campaign__slug=campaign_slug, slug=petition_slug)


def recent_signers(petition: Petition, *, limit: int = RECENT_SIGNERS) -> list[RecentSigner]:
    """Counted signatures whose signer consented to show their name, latest confirmation first."""
    shown = (
        Signature.objects.counted()
        .filter(petition=petition, show_name=True, supporter__erased_at__isnull=True)
        .select_related("supporter", "place")
        # Only the name is decrypted: the address is neither read nor shown.
        .only("confirmed_at", "supporter__name", "place__name")
        .order_by("-confirmed_at", "-pk")
    )
    found = (_recent_signer(signature) for signature in shown[:limit])
    return [signer for signer in found if signer is not None]


def _recent_signer(signature: Signature) -> RecentSigner | None:
    words = (signature.supporter.name or "").split()
    if not words or signature.confirmed_at is None:
        return None
    last_initial = f"{words[-1][0]}." if len(words) > 1 else ""
    return RecentSigner(
        first_name=words[0],
        last_initial=last_initial,
        place_name=signature.place.name,
        confirmed_on=signature.confirmed_at.date(),
    )
