"""What the campaign sent or is sending: the latest briefing editions and mailings, with their progress."""

from __future__ import annotations

from dataclasses import dataclass

from briefings.models import Edition
from campaigns.models import Campaign
from mailings.figures import figures_for
from mailings.models import Mailing

LATEST = 5
# Which steering buttons a mailing's status offers (the rest would only be refused).
PAUSABLE = frozenset({"sending"})
RESUMABLE = frozenset({"paused"})
CANCELLABLE = frozenset({"scheduled", "preparing", "sending", "paused"})


def latest_editions(campaign: Campaign) -> list[Edition]:
    return list(Edition.objects.filter(campaign=campaign).select_related("place", "official")[:LATEST])


@dataclass(frozen=True)
class MailingProgress:
    mailing: Mailing
    recipients: int
    sent: int
    pending: int
    failed: int
    bounced: int

    @property
    def status(self) -> str:
        return self.mailing.status

    @property
    def can_pause(self) -> bool:
        return self.status in PAUSABLE

    @property
    def can_resume(self) -> bool:
        return self.status in RESUMABLE

    @property
    def can_cancel(self) -> bool:
        return self.status in CANCELLABLE

    @property
    def steerable(self) -> bool:
        return self.can_pause or self.can_resume or self.can_cancel


def latest_mailings(campaign: Campaign) -> list[MailingProgress]:
    """The latest mailings with their figures: four queries, however many mailings."""
    mailings = list(Mailing.objects.filter(campaign=campaign).select_related("bulk")[:LATEST])
    figures = figures_for(mailings)
    return [
        MailingProgress(
            mailing=mailing,
            recipients=figures[mailing.pk]["recipients"],
            sent=figures[mailing.pk]["sent"],
            pending=figures[mailing.pk]["pending"],
            failed=figures[mailing.pk]["failed"],
            bounced=figures[mailing.pk]["bounced"],
        )
        for mailing in mailings
    ]
