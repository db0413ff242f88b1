"""What a signer sends, checked alike by the API serializer and the web form.

Field rules (lengths, patterns, control characters) are declared here and used by both; the rules
that need several fields or the database (which place, the street address, the anti-bot checks)
run in signature_form(), which both call, and raise Django's ValidationError by field.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from campaigns.challenges import check_signing_challenge
from campaigns.disposable import flags_for
from campaigns.models import Campaign, LetterCampaign, OfficialsSee, Petition, Place, PlaceStatus
from campaigns.places_lookup import ZIP_CODE_PATTERN, candidates_for_zip
from campaigns.signing import SignatureForm

# A signature is a few hundred bytes; anything much larger is not a signer.
MAX_BODY_BYTES = 16 * 1024
NAME_MAX_LENGTH = 100
COMMENT_MAX_LENGTH = 1000
STREET_ADDRESS_MAX_LENGTH = 200
REFERRER_MAX_LENGTH = 40
MAX_PLACE_ID = 2**63 - 1  # the id column's range: a larger number is not a place, not a database error
# A field people never see: whatever fills it is a bot, answered as a signer but recorded nowhere.
HONEYPOT_FIELD = "website"

CLOSED_MESSAGE = _("This petition is closed: it no longer takes signatures.")
ACCEPTED_MESSAGE = _("Check your e-mail to confirm your signature.")
AMBIGUOUS_PLACE = "ambiguous_place"
# Session key: the petitions this visit signed (the web page thanks the visitor by it).
VISIT_PETITIONS_KEY = "campaigns.signed_petitions"

OFFICIALS_SEE_CHOICES = [
    (OfficialsSee.COUNT.value, _("Only that I signed, as part of the count")),
    (OfficialsSee.NAME_CITY.value, _("My name and city")),
    (OfficialsSee.NAME_ADDRESS.value, _("My name and full street address")),
]

# What a signer or a letter writer acts in: both name a campaign and one place of it, or every place.
Scope = Petition | LetterCampaign

# Bidirectional overrides and isolates: they make a name or comment display as something else.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = frozenset("\n\r\t")

zip_code_validator = RegexValidator(ZIP_CODE_PATTERN, message=_("Give a five-digit ZIP code, such as 07003."))
referrer_validator = RegexValidator(
    r"\A[A-Za-z0-9_-]*\Z", message=_("Use only letters, digits, hyphens and underscores.")
)


def reject_control_characters(value: str) -> None:
    if _has_control_characters(value, allowed=frozenset()):
        raise ValidationError(_("Remove the control characters from this text."), code="control_characters")


def reject_control_characters_but_line_breaks(value: str) -> None:
    """For the comment: several lines are fine, invisible or terminal characters are not."""
    if _has_control_characters(value, allowed=_LINE_BREAKS):
        raise ValidationError(_("Remove the control characters from this text."), code="control_characters")


@dataclass(frozen=True)
class SignerInput:
    """The fields, each already valid on its own."""

    email: str
    name: str
    place_id: int | None = None
    zip_code: str = ""
    comment: str = ""
    show_name: bool = False
    email_updates: bool = False
    officials_see: str = OfficialsSee.COUNT
    street_address: str = ""
    referrer: str = ""


def signature_form(
    *,
    petition: Petition,
    signer: SignerInput,
    language: str,
    ip_hash: str | None,
    sent: Mapping[str, Any],
    client_ip: str | None,
) -> SignatureForm:
    """The signature to record, or ValidationError by field.

    `sent` is the whole submission, for the anti-bot checks' own fields; they run last, once the
    rest is valid, because a captcha costs a request to its provider.
    """
    errors: dict[str, Any] = {}
    place: Place | None = None
    try:
        place = signer_place(petition, place_id=signer.place_id, zip_code=signer.zip_code)
    except ValidationError as error:
        errors.update(error.error_dict)
    wants_address = signer.officials_see == OfficialsSee.NAME_ADDRESS
    if wants_address and not signer.street_address:
        errors["street_address"] = [_("Give your street address, or choose what officials may see without it.")]
    if errors or place is None:
        raise ValidationError(errors)
    challenge_flags = check_signing_challenge(sent, ip=client_ip)
    return SignatureForm(
        petition=petition,
        email=signer.email,
        name=signer.name,
        place=place,
        language=language,
        comment=signer.comment,
        show_name=signer.show_name,
        email_updates=signer.email_updates,
        officials_see=signer.officials_see,
        # Asked only for officials who may see it; otherwise not even held until confirmation.
        street_address=signer.street_address if wants_address else "",
        referrer=signer.referrer,
        ip_hash=ip_hash,
        flags=[*flags_for(signer.email), *challenge_flags],
    )


def signer_place(petition: Scope, *, place_id: int | None, zip_code: str) -> Place:
    """The place given, or the one place the ZIP code means among those the petition is for."""
    if place_id is not None:
        found = _place(place_id) if place_id in _petition_place_ids(petition) else None
        if found is None:
            raise ValidationError({"place": [_not_for_this_petition(petition)]})
        return found
    if not zip_code:
        raise ValidationError({"zip": [_("Give your ZIP code, so your signature counts for your town.")]})
    places = places_for_zip(petition, zip_code)
    if not places:
        raise ValidationError({"zip": [_no_place_at(petition, zip_code)]})
    if len(places) > 1:
        listed = "; ".join(f"{place} ({place.pk})" for place in places)
        message = _("ZIP code %(zip)s covers more than one place; send the one you live in as place: %(places)s.")
        raise ValidationError(
            {"place": [ValidationError(message, code=AMBIGUOUS_PLACE, params={"zip": zip_code, "places": listed})]}
        )
    return places[0]


def places_for_zip(petition: Scope, zip_code: str) -> list[Place]:
    """The ZIP code's places that the petition is for, most likely first; none for a malformed code."""
    try:
        candidates = candidates_for_zip(zip_code)
    except ValidationError:
        return []
    allowed = _petition_place_ids(petition)
    return [candidate.place for candidate in candidates if candidate.place.pk in allowed]


def remember_in_visit(visit: MutableMapping[str, Any], petition: Petition) -> None:
    """Called on every accepted answer, honeypot included.

    sign_petition writes to the session only in some cases (a new confirmation); writing here
    every time makes the session cookie change alike, so not even it tells the cases apart.
    """
    signed = visit.get(VISIT_PETITIONS_KEY, [])
    visit[VISIT_PETITIONS_KEY] = sorted({*signed, petition.pk}) if isinstance(signed, list) else [petition.pk]


def is_honeypot_filled(sent: Any) -> bool:
    value = sent.get(HONEYPOT_FIELD) if isinstance(sent, Mapping) else None
    return value is not None and str(value).strip() != ""


# The places each campaign tracks, and the places signers named, per process for a moment: a burst
# of signers costs one query per campaign, and one per place, per process and TRACKED_PLACES_SECONDS
# instead of one each. Any save or delete of a campaign, place or tracked place in this process
# forgets them all; another process sees a place tracked or dropped at most TRACKED_PLACES_SECONDS late.
TRACKED_PLACES_SECONDS = 5.0
_tracked: dict[int, tuple[float, frozenset[int]]] = {}
_places: dict[int, tuple[float, Place]] = {}
# Bumped by every change: a load that a change overtook is returned but not kept.
_generation = [0]


def _petition_place_ids(petition: Scope) -> frozenset[int]:
    tracked = _tracked_place_ids(petition.campaign_id)
    if petition.place_id is None:
        return tracked
    return frozenset({petition.place_id}) & tracked


def _tracked_place_ids(campaign_id: int) -> frozenset[int]:
    now, generation = time.monotonic(), _generation[0]
    found = _tracked.get(campaign_id)
    if found is not None and now - found[0] < TRACKED_PLACES_SECONDS:
        return found[1]
    ids = frozenset(PlaceStatus.objects.filter(campaign_id=campaign_id).values_list("place_id", flat=True))
    if generation == _generation[0]:
        _tracked[campaign_id] = (now, ids)
    return ids


def _place(place_id: int) -> Place | None:
    now, generation = time.monotonic(), _generation[0]
    found = _places.get(place_id)
    if found is not None and now - found[0] < TRACKED_PLACES_SECONDS:
        return found[1]
    place = Place.objects.filter(pk=place_id).first()
    if place is not None and generation == _generation[0]:
        _places[place_id] = (now, place)
    return place


def _forget_places(**kwargs: Any) -> None:
    _generation[0] += 1
    _tracked.clear()
    _places.clear()


for _model in (Campaign, Place, PlaceStatus):
    post_save.connect(_forget_places, sender=_model, dispatch_uid=f"tracked-places-{_model.__name__}-saved")
    post_delete.connect(_forget_places, sender=_model, dispatch_uid=f"tracked-places-{_model.__name__}-deleted")


def _not_for_this_petition(petition: Scope) -> str:
    if petition.place is not None and isinstance(petition, LetterCampaign):
        return str(_("These letters are for people in %(place)s.") % {"place": petition.place})
    if petition.place is not None:
        return str(_("This petition is for people in %(place)s.") % {"place": petition.place})
    return str(_("This campaign does not follow that place."))


def _no_place_at(petition: Scope, zip_code: str) -> str:
    if petition.place is not None and isinstance(petition, LetterCampaign):
        message = _("These letters are for people in %(place)s, and ZIP code %(zip)s is not there.")
        return str(message % {"place": petition.place, "zip": zip_code})
    if petition.place is not None:
        message = _("This petition is for people in %(place)s, and ZIP code %(zip)s is not there.")
        return str(message % {"place": petition.place, "zip": zip_code})
    return str(_("This campaign follows no place at ZIP code %(zip)s yet.") % {"zip": zip_code})


def _has_control_characters(value: str, *, allowed: frozenset[str]) -> bool:
    return any(
        character not in allowed and (unicodedata.category(character) in ("Cc", "Cs") or character in _BIDI_CONTROLS)
        for character in value
    )
