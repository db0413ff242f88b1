"""Signing a petition: one supporter, one signature, counted once its e-mail is confirmed."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns import tallies
from campaigns.models import OfficialsSee, Petition, Place, Review, Signature
from supporters.confirming import request_confirmation
from supporters.identity import find_or_create_supporter
from supporters.models import Confirmation, Supporter


@dataclass(frozen=True)
class SignatureForm:
    """What a signer sent, already validated (by the API serializer or the web form)."""

    petition: Petition
    email: str
    name: str
    place: Place
    language: str
    comment: str = ""
    show_name: bool = False
    email_updates: bool = False
    officials_see: str = OfficialsSee.COUNT
    street_address: str = ""
    referrer: str = ""
    ip_hash: str | None = None
    # Why the signature should wait for an organizer (disposable domain, …); empty: counted at once.
    flags: list[str] = field(default_factory=list)


@transaction.atomic
def sign_petition(form: SignatureForm, *, visit: MutableMapping[str, Any]) -> Signature:
    """Records the signature and asks the visit's confirmation for it.

    The caller answers the same whatever happened, so the answer never tells whether an address
    had signed: a new signature, an unconfirmed one signed again (this visit's choices win, and the
    address gets this visit's confirmation link), or a confirmed one (nothing changes, nothing is
    mailed: the address has already said yes to this petition).
    """
    supporter, new_supporter = find_or_create_supporter(email=form.email, language=form.language)
    if new_supporter:
        # Nobody can have signed for an address this transaction has just added, and no other
        # transaction sees it before we commit: the confirmation first, then one plain INSERT.
        confirmation = _ask_confirmation(form, supporter, visit)
        return Signature.objects.create(supporter=supporter, confirmation=confirmation, **_choices(form))
    signature, created = _signature_for(form, supporter_id=supporter.pk)
    if signature.confirmed_at is not None:
        return signature
    changed = ["confirmation"] if created else ["confirmation", *_take_choices(signature, form)]
    signature.confirmation = _ask_confirmation(form, supporter, visit)
    signature.save(update_fields=changed)
    return signature


def count_confirmed(confirmation: Confirmation) -> int:
    """The confirmation's signatures become confirmed; accepted ones join the public figures."""
    now = timezone.now()
    waiting = Signature.objects.select_for_update().filter(confirmation=confirmation, confirmed_at__isnull=True)
    signatures = list(waiting.values_list("pk", "petition_id", "place_id", "review"))
    Signature.objects.filter(pk__in=[pk for pk, *_rest in signatures]).update(confirmed_at=now)
    accepted = [(petition, place) for _pk, petition, place, review in signatures if review == Review.ACCEPTED]
    tallies.add_to_tallies(accepted)
    return len(signatures)


def _signature_for(form: SignatureForm, *, supporter_id: int) -> tuple[Signature, bool]:
    try:
        # A savepoint: of two POSTs racing for one supporter, the unique constraint lets one insert.
        with transaction.atomic():
            return Signature.objects.create(supporter_id=supporter_id, **_choices(form)), True
    except IntegrityError:
        found = Signature.objects.select_for_update().get(petition=form.petition, supporter_id=supporter_id)
        return found, False


def _ask_confirmation(form: SignatureForm, supporter: Supporter, visit: MutableMapping[str, Any]) -> Confirmation:
    wants_address = form.officials_see == OfficialsSee.NAME_ADDRESS and form.street_address
    return request_confirmation(
        supporter=supporter,
        visit=visit,
        action=_("sign the petition “%(title)s”") % {"title": form.petition.title},
        language=form.language,
        name=form.name,
        street_address=form.street_address if wants_address else None,
    )


def _take_choices(signature: Signature, form: SignatureForm) -> list[str]:
    """This visit's choices on an earlier signature; the names of the fields to save."""
    earlier_review, earlier_flags = signature.review, list(signature.flags)
    choices = _choices(form)
    for name, value in choices.items():
        setattr(signature, name, value)
    if earlier_review != Review.ACCEPTED:
        # Signing again undoes neither an organizer's rejection nor an earlier visit's reason to hold it.
        signature.review = earlier_review
        signature.flags = earlier_flags + [flag for flag in form.flags if flag not in earlier_flags]
    return list(choices)


def _choices(form: SignatureForm) -> dict[str, Any]:
    return {
        "petition": form.petition,
        "place": form.place,
        "comment": form.comment,
        "show_name": form.show_name,
        "email_updates": form.email_updates,
        "consent_version": form.petition.consent_version,
        "consented_at": timezone.now(),
        "officials_see": form.officials_see,
        "referrer": form.referrer,
        "ip_hash": form.ip_hash,
        "review": Review.HELD if form.flags else Review.ACCEPTED,
        "flags": form.flags,
    }
