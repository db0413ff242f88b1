"""What campaigns do when the e-mail pipeline reports something (connected in CampaignsConfig.ready)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from campaigns.models import Official
from emails.models import Suppression
from privacy.addresses import canonical_email
from supporters.models import Confirmation


def flag_officials(sender: Any, *, address: str, reason: str, at: dt.datetime, **kwargs: Any) -> int:
    """Flags every official at the rejected address for organizers; their letters keep going out."""
    matching = [pk for pk, email in _candidates(address) if canonical_email(email) == canonical_email(address)]
    return Official.objects.filter(pk__in=matching).update(
        mail_problem=Suppression.Reason(reason).label, mail_problem_at=at
    )


def _candidates(address: str) -> list[tuple[int, str]]:
    # Letters go to the address as stored, so the provider reports the same domain back; the
    # canonical comparison then settles case, tags and dots.
    domain = address.rpartition("@")[2]
    if not domain:
        return []
    officials = Official.objects.filter(email__iendswith=f"@{domain}")
    return list(officials.values_list("pk", "email"))


def count_confirmed_signatures(sender: Any, *, confirmation: Confirmation, **kwargs: Any) -> int:
    # Inside the confirming transaction: the signatures and the public count change together.
    from campaigns.signing import count_confirmed

    return count_confirmed(confirmation)
