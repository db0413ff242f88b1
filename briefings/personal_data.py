"""What briefings hold about an address, declared to privacy (registered in BriefingsConfig.ready).

An edition's PDF (and the HTML it was made from) prints, in its appendix, the names of the signers and
letter writers who chose to show them to officials, with their city or street address. Each edition
records whom it names (`NamedSupporter`: the supporter's id and what was shown, no clear data).

Export: the editions that name the address's supporter (campaign, place, edition, addressee,
generation date, what was shown, and whether the edition was withdrawn). Erasure withdraws every
such edition (briefings.withdrawals: its files deleted, a new edition queued for the place) and
forgets the link. It runs before "supporters", which is where the supporter's address hash, by which
the person is found here, goes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from briefings.models import Edition, NamedSupporter
from briefings.withdrawals import withdraw
from privacy import facts, registry

SHOWN: dict[str, str] = {
    NamedSupporter.Shown.NAME_CITY: "your name and city",
    NamedSupporter.Shown.NAME_ADDRESS: "your name and street address",
}


def _named(address_hashes: Sequence[str]) -> Any:
    return NamedSupporter.objects.filter(supporter__email_hash__in=address_hashes)


def export(address_hashes: Sequence[str]) -> registry.Records:
    rows = _named(address_hashes).select_related("edition__campaign", "edition__place", "edition__official")
    return {"briefing_editions": [_edition(row) for row in rows.order_by("edition__created", "edition_id")]}


@transaction.atomic
def erase(address_hashes: Sequence[str]) -> dict[str, int]:
    rows = _named(address_hashes)
    withdrawn = withdraw(Edition.objects.filter(pk__in=rows.values("edition_id")))
    rows.delete()
    return {"briefing_editions": withdrawn}


def _edition(row: NamedSupporter) -> dict[str, Any]:
    edition = row.edition
    return {
        "campaign": edition.campaign.title,
        "place": f"{edition.place.name}, {edition.place.state}",
        "addressed_to": edition.official.name if edition.official else "the council",
        "edition": edition.number,
        "code": edition.code,
        "generated_at": edition.generated_at.isoformat() if edition.generated_at else None,
        "shown": SHOWN.get(row.shown, row.shown),
        "withdrawn_at": edition.withdrawn_at.isoformat() if edition.withdrawn_at else None,
    }


def register_personal_data() -> None:
    registry.register(
        registry.PersonalDataHolder(name="briefings", export=export, erase=erase, runs_before=("supporters",))
    )
    facts.register(
        facts.Fact(
            model="briefings.NamedSupporter",
            fields=("edition", "supporter", "shown"),
            what=_(
                "Which briefings for officials printed your name, with your city or street address as you "
                "chose (the briefing's PDF itself holds them)."
            ),
            why=_("To withdraw those briefings when you erase your data."),
            retention=_(
                "Until you erase your data: the briefings that name you are then withdrawn, their PDFs "
                "deleted and new ones made without your name."
            ),
            who_can_see=_(
                "The server operator, the campaign's editors and the officials the briefing was sent to "
                "(copies they already received stay with them)."
            ),
        )
    )
