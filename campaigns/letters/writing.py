"""Writing a letter: one supporter, one letter per drive, sent once its e-mail is confirmed."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.letters.moderation import text_flags
from campaigns.models import Letter, LetterCampaign, LettersSee, Place, Review
from supporters.confirming import request_confirmation
from supporters.identity import supporter_for
from supporters.models import Confirmation


@dataclass(frozen=True)
class LetterForm:
    """What a writer sent, already validated (by the API serializer or the web form)."""

    letter_campaign: LetterCampaign
    email: str
    name: str
    place: Place
    body: str
    language: str
    officials_see: str = LettersSee.NAME_CITY
    street_address: str = ""
    email_updates: bool = False
    referrer: str = ""
    ip_hash: str | None = None
    # Why the letter waits for an organizer before anything else (disposable domain, challenge…).
    flags: list[str] = field(default_factory=list)


@transaction.atomic
def write_letter(form: LetterForm, *, visit: MutableMapping[str, Any]) -> Letter:
    """Records the letter and asks the visit's confirmation for it.

    As with signatures, the caller answers the same whatever happened: a new letter, an
    unconfirmed one written again (this visit's text and choices win), or a confirmed one
    (nothing changes and nothing is mailed: that letter has gone or is going out already).
    """
    supporter = supporter_for(email=form.email, language=form.language)
    letter, created = _letter_for(form, supporter_id=supporter.pk)
    if letter.confirmed_at is not None:
        return letter
    if not created:
        _take_choices(letter, form)
    wants_address = form.officials_see == LettersSee.NAME_ADDRESS and form.street_address
    confirmation = request_confirmation(
        supporter=supporter,
        visit=visit,
        action=_("send your letter “%(title)s” to your officials") % {"title": form.letter_campaign.title},
        language=form.language,
        name=form.name,
        street_address=form.street_address if wants_address else None,
    )
    letter.confirmation = confirmation
    letter.save()
    return letter


def confirm_letters(confirmation: Confirmation) -> int:
    """The confirmation's letters become confirmed; accepted ones are planned for delivery after commit."""
    from campaigns.letters.delivery import plan_after_commit

    now = timezone.now()
    waiting = list(Letter.objects.select_for_update().filter(confirmation=confirmation, confirmed_at__isnull=True))
    Letter.objects.filter(pk__in=[letter.pk for letter in waiting]).update(confirmed_at=now)
    for letter in waiting:
        if letter.review == Review.ACCEPTED:
            plan_after_commit(letter)
    return len(waiting)


def _letter_for(form: LetterForm, *, supporter_id: int) -> tuple[Letter, bool]:
    try:
        # A savepoint: of two POSTs racing for one supporter, the unique constraint lets one insert.
        with transaction.atomic():
            return Letter.objects.create(supporter_id=supporter_id, **_choices(form)), True
    except IntegrityError:
        found = Letter.objects.select_for_update().get(letter_campaign=form.letter_campaign, supporter_id=supporter_id)
        return found, False


def _take_choices(letter: Letter, form: LetterForm) -> None:
    earlier_review, earlier_flags = letter.review, list(letter.flags)
    for name, value in _choices(form).items():
        setattr(letter, name, value)
    if earlier_review == Review.REJECTED:
        # Writing again does not undo an organizer's rejection.
        letter.review = earlier_review
        letter.flags = earlier_flags + [flag for flag in letter.flags if flag not in earlier_flags]


def _choices(form: LetterForm) -> dict[str, Any]:
    campaign = form.letter_campaign
    flags = [*form.flags, *text_flags(campaign, form.body)]
    return {
        "letter_campaign": campaign,
        "place": form.place,
        "subject": campaign.subject_template,
        "body": form.body,
        "officials_see": form.officials_see,
        "email_updates": form.email_updates,
        "referrer": form.referrer,
        "consent_version": campaign.consent_version,
        "consented_at": timezone.now(),
        "ip_hash": form.ip_hash,
        "review": Review.HELD if flags else Review.ACCEPTED,
        "flags": flags,
    }
