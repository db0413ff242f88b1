"""What a letter writer sends, checked alike by the API serializer and the web form.

The field rules are those of signatures (campaigns.signature_input) where they are the same
(name, e-mail, ZIP code, place, street address, control characters, honeypot, challenges);
the letter's own are its text's limits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaigns import signature_input as rules
from campaigns.challenges import check_signing_challenge
from campaigns.disposable import flags_for
from campaigns.letters.writing import LetterForm
from campaigns.models import LetterCampaign, LettersSee, Place

# A letter is a few kilobytes of text; anything much larger is not a letter writer.
MAX_BODY_BYTES = 32 * 1024
BODY_MIN_LENGTH = 20
BODY_MAX_LENGTH = 5000
CLOSED_MESSAGE = _("These letters are closed: no more are being sent.")
ACCEPTED_MESSAGE = _("Check your e-mail to confirm your letter. It goes out once you confirm.")
PUBLIC_RECORD_NOTICE = _(
    "Letters to officials may become public records: a city may publish them or hand them out on request."
)
VISIT_LETTERS_KEY = "campaigns.written_letters"

LETTERS_SEE_CHOICES = [
    (LettersSee.NAME_CITY.value, _("My name and city")),
    (LettersSee.NAME_ADDRESS.value, _("My name and full street address")),
]


@dataclass(frozen=True)
class WriterInput:
    """The fields, each already valid on its own."""

    email: str
    name: str
    body: str
    place_id: int | None = None
    zip_code: str = ""
    officials_see: str = LettersSee.NAME_CITY
    street_address: str = ""
    email_updates: bool = False
    referrer: str = ""  # a shared link's or a partner's code (signature_input.referrer_validator)


def letter_form(
    *,
    letter_campaign: LetterCampaign,
    writer: WriterInput,
    language: str,
    ip_hash: str | None,
    sent: Mapping[str, Any],
    client_ip: str | None,
) -> LetterForm:
    """The letter to record, or ValidationError by field; the anti-bot checks run last."""
    errors: dict[str, Any] = {}
    place: Place | None = None
    try:
        place = rules.signer_place(letter_campaign, place_id=writer.place_id, zip_code=writer.zip_code)
    except ValidationError as error:
        errors.update(error.error_dict)
    wants_address = writer.officials_see == LettersSee.NAME_ADDRESS
    if wants_address and not writer.street_address.strip():
        errors["street_address"] = [_("Give your street address, or choose to show only your name and city.")]
    if not writer.body.strip():
        errors["text"] = [_("Write your letter, or keep the one we prepared.")]
    if errors or place is None:
        raise ValidationError(errors)
    challenge_flags = check_signing_challenge(sent, ip=client_ip)
    return LetterForm(
        letter_campaign=letter_campaign,
        email=writer.email,
        name=writer.name,
        place=place,
        body=writer.body.strip(),
        language=language,
        officials_see=writer.officials_see,
        street_address=writer.street_address if wants_address else "",
        email_updates=writer.email_updates,
        referrer=writer.referrer,
        ip_hash=ip_hash,
        flags=[*flags_for(writer.email), *challenge_flags],
    )


def remember_in_visit(visit: Any, letter_campaign: LetterCampaign) -> None:
    """Called on every accepted answer, honeypot included, so the session changes alike."""
    written = visit.get(VISIT_LETTERS_KEY, [])
    visit[VISIT_LETTERS_KEY] = sorted({*written, letter_campaign.pk}) if isinstance(written, list) else []
