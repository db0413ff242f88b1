"""What letters hold about an address, declared to privacy (registered through CampaignsConfig.ready).

Export: every letter of the address's supporter with its text, choices, dates and state —
waiting, delivered, held or rejected — as the "my data" link shows it. Erasure deletes letters
never confirmed and anonymizes confirmed ones: their text and choices go; the drive, the place and
the dates stay, so figures and past briefings stay true. The outbox's copies of single letters lose
their Reply-To and text, and those not yet sent are cancelled; copies delivered are with the
officials. Retention deletes
letters never confirmed with the same age as signatures.

Letter.supporter is PROTECT, so this holder runs before "supporters".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.confirmed_records import UNCONFIRMED_RETENTION, ConfirmedRecords
from campaigns.mail_kinds import LETTER_MAIL
from campaigns.models import Letter, LetterDelivery, LettersSee, Review
from emails.models import UNFINISHED, OutboundMessage, Status
from privacy import facts, registry

LETTERS = ConfirmedRecords(Letter, "letters")

WAITING, DELIVERED, HELD, REJECTED = "waiting", "delivered", "held", "rejected"

KEPT_ON_ERASURE = {
    "letters": _(
        "Confirmed letters stay as anonymous counts — the letter drive, the place and the date, without "
        "your name, text or choices — so published figures and past briefings stay true. Officials keep "
        "the copies they received."
    ),
}


def state_of(letter: Letter) -> str:
    """What the writer sees: held or rejected by an organizer, delivered once a copy left, else waiting."""
    if letter.review == Review.REJECTED:
        return REJECTED
    if letter.review == Review.HELD:
        return HELD
    sent = [d for d in letter.deliveries.all() if d.message is not None and d.message.status == Status.SENT]
    return DELIVERED if sent else WAITING


def export(address_hashes: Sequence[str]) -> registry.Records:
    mine = (
        LETTERS.of(address_hashes)
        .select_related("letter_campaign__campaign", "place")
        .prefetch_related("deliveries__message")
        .order_by("created_at", "pk")
    )
    return LETTERS.split(mine, _letter)


@transaction.atomic
def erase(address_hashes: Sequence[str]) -> dict[str, int]:
    copies = _erase_outbox_copies(LETTERS.of(address_hashes))
    erased = LETTERS.erase(address_hashes, subject="", body="", officials_see=LettersSee.NAME_CITY, email_updates=False)
    return {**erased, "letter_copies": copies}


def _erase_outbox_copies(letters: QuerySet[Letter]) -> int:
    """The outbox's own copies of the writer's letters (Reply-To, text) go too; unsent ones never leave.

    Only messages carrying one letter: a digest also holds other writers' letters, and one not yet
    written leaves out letters of erased writers (digests.send_digest).
    """
    ids = LetterDelivery.objects.filter(letter__in=letters, message__kind=LETTER_MAIL).values_list("message_id")
    copies = OutboundMessage.objects.filter(pk__in=ids)
    copies.filter(status__in=UNFINISHED).update(status=Status.CANCELLED)
    return copies.update(reply_to="", subject="", text_body="", html_body="", body_purged_at=timezone.now())


@transaction.atomic
def purge(now: dt.datetime) -> dict[str, int]:
    """Deletes letters never confirmed whose confirmation expired with the supporters' retention."""
    return LETTERS.purge(now)


def _letter(letter: Letter) -> dict[str, Any]:
    deliveries = list(letter.deliveries.all())
    return {
        "campaign": letter.letter_campaign.campaign.title,
        "letter_drive": letter.letter_campaign.title,
        "place": f"{letter.place.name}, {letter.place.state}",
        "state": state_of(letter),
        "subject": letter.subject,
        "text": letter.body,
        "officials_see": letter.officials_see,
        "email_updates": letter.email_updates,
        "consent_version": letter.consent_version,
        "referrer": letter.referrer,
        "written_at": letter.consented_at.isoformat(),
        "created_at": letter.created_at.isoformat(),
        "confirmed_at": letter.confirmed_at.isoformat() if letter.confirmed_at else None,
        "officials_written_to": len(deliveries),
        "copies_delivered": sum(1 for d in deliveries if d.message is not None and d.message.status == Status.SENT),
        "no_official_in_office": letter.no_official_at is not None,
        "review": letter.review,
        "flags": list(letter.flags),
    }


def register_personal_data() -> None:
    LETTERS.register(
        holder="letters",
        export=export,
        erase=erase,
        purge=purge,
        kept_on_erasure=KEPT_ON_ERASURE,
        declared=_FACTS,
        ip_hash_what=_("A keyed hash of the network address you wrote from, never the address itself."),
        ip_hash_why=_("To notice a flood of letters from one network."),
    )


_UNCONFIRMED = UNCONFIRMED_RETENTION
_FACTS = (
    facts.Fact(
        model="campaigns.Letter",
        fields=("letter_campaign", "place", "created_at", "confirmed_at", "planned_at", "no_official_at"),
        what=_("That you wrote to your officials, for which place, and when you wrote and confirmed."),
        why=_("To deliver your letter to the officials of your place, once, and to count it."),
        retention=_(
            "If you never confirm, deleted after %(days)s days. Once confirmed, kept as an anonymous count "
            "when you erase your data, so published figures stay true."
        ),
        retention_setting="SUPPORTER_UNCONFIRMED_RETENTION_DAYS",
        who_can_see=_("Everyone sees the counts; the officials you wrote to see your letter."),
    ),
    facts.Fact(
        model="campaigns.Letter",
        fields=("subject", "body"),
        what=_("The letter you sent, as you edited it."),
        why=_("To deliver it to your officials, and to show it to you."),
        retention=_UNCONFIRMED,
        retention_setting="SUPPORTER_UNCONFIRMED_RETENTION_DAYS",
        who_can_see=_(
            "The officials you wrote to (letters to officials may become public records), the server "
            "operator and the campaign's organizers."
        ),
    ),
    facts.Fact(
        model="campaigns.Letter",
        fields=("officials_see", "email_updates", "consent_version", "consented_at"),
        what=_("The choices you made when you wrote, and the wording you agreed to."),
        why=_("To do only what you agreed to, and to show that you agreed."),
        retention=_UNCONFIRMED,
        retention_setting="SUPPORTER_UNCONFIRMED_RETENTION_DAYS",
        who_can_see=_("The server operator and the campaign's organizers."),
    ),
    facts.Fact(
        model="campaigns.Letter",
        fields=("review", "flags"),
        what=_("Whether your letter waits for an organizer's review, and why (for example, a link in it)."),
        why=_("To keep spam and abuse away from officials."),
        retention=_("As long as the letter is kept."),
        who_can_see=_("The server operator and the campaign's editors."),
    ),
)
