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

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.mail_kinds import LETTER_MAIL
from campaigns.models import Letter, LetterDelivery, LettersSee, Review
from campaigns.models.letters import LetterQuerySet
from emails.models import UNFINISHED, OutboundMessage, Status
from privacy import facts, ip_hashes, registry

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
        _letters_of(address_hashes)
        .select_related("letter_campaign__campaign", "place")
        .prefetch_related("deliveries__message")
        .order_by("created_at", "pk")
    )
    return {
        "letters": [_letter(letter) for letter in mine if letter.confirmed_at is not None],
        "unconfirmed_letters": [_letter(letter) for letter in mine if letter.confirmed_at is None],
    }


@transaction.atomic
def erase(address_hashes: Sequence[str]) -> dict[str, int]:
    mine = _letters_of(address_hashes)
    _, deleted = mine.filter(confirmed_at__isnull=True).delete()
    copies = _erase_outbox_copies(mine)
    anonymized = mine.update(subject="", body="", officials_see=LettersSee.NAME_CITY, email_updates=False, ip_hash=None)
    return {"letters": anonymized, "unconfirmed_letters": deleted.get(Letter._meta.label, 0), "letter_copies": copies}


def _erase_outbox_copies(letters: LetterQuerySet) -> int:
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
    cutoff = now - dt.timedelta(days=settings.SUPPORTER_UNCONFIRMED_RETENTION_DAYS)
    expired = Q(confirmation__isnull=True) | Q(confirmation__created_at__lt=cutoff)
    _, deleted = Letter.objects.filter(expired, confirmed_at__isnull=True).delete()
    return {"unconfirmed_letters": deleted.get(Letter._meta.label, 0)}


def _letters_of(address_hashes: Sequence[str]) -> LetterQuerySet:
    return Letter.objects.filter(supporter__email_hash__in=address_hashes)


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
    registry.register(
        registry.PersonalDataHolder(
            name="letters",
            export=export,
            erase=erase,
            kept_on_erasure=KEPT_ON_ERASURE,
            purge=purge,
            runs_before=("supporters",),
        )
    )
    ip_hashes.register_column(
        ip_hashes.IpHashColumn(model="campaigns.Letter", field="ip_hash", recorded_at="created_at")
    )
    facts.register(*_FACTS)


_UNCONFIRMED = _("Until you erase your data; if you never confirm, deleted after %(days)s days.")
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
    facts.Fact(
        model="campaigns.Letter",
        fields=("ip_hash",),
        what=_("A keyed hash of the network address you wrote from, never the address itself."),
        why=_("To notice a flood of letters from one network."),
        retention=_("Deleted after %(days)s days."),
        retention_setting="IP_HASH_RETENTION_DAYS",
        who_can_see=_("Nobody reads it: it can only be compared with another hash made with our key."),
    ),
)
