"""What petitions hold about an address, declared to privacy (registered in CampaignsConfig.ready).

Export: every signature of the address's supporter, with its petition, place, comment, choices,
dates and review. Erasure deletes the signatures never confirmed (they never counted) and
anonymizes the confirmed ones: their comment, choices and IP hash go; their petition, place and
dates stay, so published figures and past briefings stay true. Retention deletes signatures never
confirmed once their confirmation has expired.

Signature.supporter is PROTECT, so both must happen before supporters deletes the supporters
never confirmed: the holder runs before "supporters" (PersonalDataHolder.runs_before).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from campaigns.confirmed_records import UNCONFIRMED_RETENTION, ConfirmedRecords
from campaigns.models import OfficialsSee, Signature
from privacy import facts, registry

SIGNATURES = ConfirmedRecords(Signature, "signatures")

KEPT_ON_ERASURE = {
    "signatures": _(
        "Confirmed signatures stay as anonymous counts — the petition, the place and the date, without "
        "your name, address, comment or choices — so published figures and past briefings stay true."
    ),
}


def export(address_hashes: Sequence[str]) -> registry.Records:
    mine = SIGNATURES.of(address_hashes).select_related("petition__campaign", "place").order_by("created_at", "pk")
    return SIGNATURES.split(mine, _signature)


@transaction.atomic
def erase(address_hashes: Sequence[str]) -> dict[str, int]:
    return SIGNATURES.erase(
        address_hashes, comment="", show_name=False, email_updates=False, officials_see=OfficialsSee.COUNT
    )


@transaction.atomic
def purge(now: dt.datetime) -> dict[str, int]:
    """Deletes signatures never confirmed whose confirmation expired with the supporters' retention."""
    return SIGNATURES.purge(now)


def _signature(signature: Signature) -> dict[str, Any]:
    return {
        "campaign": signature.petition.campaign.title,
        "petition": signature.petition.title,
        "place": f"{signature.place.name}, {signature.place.state}",
        "comment": signature.comment,
        "show_name": signature.show_name,
        "email_updates": signature.email_updates,
        "officials_see": signature.officials_see,
        "consent_version": signature.consent_version,
        "referrer": signature.referrer,
        "signed_at": signature.consented_at.isoformat(),
        "created_at": signature.created_at.isoformat(),
        "confirmed_at": signature.confirmed_at.isoformat() if signature.confirmed_at else None,
        "review": signature.review,
        "flags": list(signature.flags),
    }


def register_personal_data() -> None:
    SIGNATURES.register(
        holder="petitions",
        export=export,
        erase=erase,
        purge=purge,
        kept_on_erasure=KEPT_ON_ERASURE,
        declared=_FACTS,
        ip_hash_what=_("A keyed hash of the network address you signed from, never the address itself."),
        ip_hash_why=_("To notice a flood of signatures from one network."),
    )


_UNCONFIRMED = UNCONFIRMED_RETENTION
_FACTS = (
    facts.Fact(
        model="campaigns.Signature",
        fields=("petition", "place", "created_at", "confirmed_at"),
        what=_("That you signed a petition, for which place, and when you signed and confirmed."),
        why=_("To count you once in the petition's figures for your place."),
        retention=_(
            "If you never confirm, deleted after %(days)s days. Once confirmed, kept as an anonymous count "
            "when you erase your data, so published figures stay true."
        ),
        retention_setting="SUPPORTER_UNCONFIRMED_RETENTION_DAYS",
        who_can_see=_("Everyone sees the counts; nobody sees who is behind them unless you chose to show your name."),
    ),
    facts.Fact(
        model="campaigns.Signature",
        fields=("comment",),
        what=_("The comment you added to your signature, if any."),
        why=_("To pass your words on with the petition."),
        retention=_UNCONFIRMED,
        retention_setting="SUPPORTER_UNCONFIRMED_RETENTION_DAYS",
        who_can_see=_("The server operator and the campaign's organizers."),
    ),
    facts.Fact(
        model="campaigns.Signature",
        fields=("show_name", "email_updates", "officials_see", "consent_version", "consented_at"),
        what=_("The choices you made when you signed, and the wording you agreed to."),
        why=_("To do only what you agreed to, and to show that you agreed."),
        retention=_UNCONFIRMED,
        retention_setting="SUPPORTER_UNCONFIRMED_RETENTION_DAYS",
        who_can_see=_("The server operator and the campaign's organizers."),
    ),
    facts.Fact(
        model="campaigns.Signature",
        fields=("review", "flags"),
        what=_("Whether your signature waits for an organizer's review, and why (for example, a throwaway address)."),
        why=_("To keep bots and fake signatures out of the figures."),
        retention=_("As long as the signature is kept."),
        who_can_see=_("The server operator, and the campaign's editors without your name, address or comment."),
    ),
)
