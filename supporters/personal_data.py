"""What supporters hold about an address, declared to privacy (registered in SupportersConfig.ready).

Erasure deletes what never counted (supporters and visits never confirmed, with their pending
actions) and anonymizes what did: the supporter row stays without a single personal field, so
the actions it confirmed still count, anonymously. Retention deletes what was never confirmed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy import facts, registry
from supporters.covered import describe
from supporters.models import Confirmation, Supporter


def export(address_hashes: Sequence[str]) -> registry.Records:
    mine = Supporter.objects.filter(email_hash__in=address_hashes)
    confirmations = Confirmation.objects.filter(supporter__in=mine).order_by("created_at", "pk")
    return {
        "supporter": [_supporter(supporter) for supporter in mine],
        "confirmations": [_confirmation(confirmation) for confirmation in confirmations],
    }


@transaction.atomic
def erase(address_hashes: Sequence[str]) -> dict[str, int]:
    mine = Supporter.objects.filter(email_hash__in=address_hashes)
    _, deleted = Confirmation.objects.filter(supporter__in=mine, confirmed_at__isnull=True).delete()
    _, deleted_supporters = mine.never_confirmed().delete()
    anonymized = mine.update(
        email=None, email_hash=None, name=None, street_address=None, language="", erased_at=timezone.now()
    )
    supporters = deleted_supporters.get(Supporter._meta.label, 0) + anonymized
    return {"supporter": supporters, "confirmations": deleted.get(Confirmation._meta.label, 0)}


@transaction.atomic
def purge(now: dt.datetime) -> dict[str, int]:
    """Deletes visits never confirmed, then supporters never confirmed with nothing left waiting."""
    cutoff = now - dt.timedelta(days=settings.SUPPORTER_UNCONFIRMED_RETENTION_DAYS)
    _, confirmations = Confirmation.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()
    stale = Supporter.objects.never_confirmed().filter(created_at__lt=cutoff, confirmations__isnull=True)
    _, supporters = stale.delete()
    return {
        "confirmations": confirmations.get(Confirmation._meta.label, 0),
        "supporters": supporters.get(Supporter._meta.label, 0),
    }


def _supporter(supporter: Supporter) -> dict[str, Any]:
    return {
        "email": supporter.email,
        "name": supporter.name,
        "street_address": supporter.street_address,
        "language": supporter.language,
        "created_at": supporter.created_at.isoformat(),
        "confirmed_at": supporter.confirmed_at.isoformat() if supporter.confirmed_at else None,
    }


def _confirmation(confirmation: Confirmation) -> dict[str, Any]:
    return {
        "created_at": confirmation.created_at.isoformat(),
        "confirmed_at": confirmation.confirmed_at.isoformat() if confirmation.confirmed_at else None,
        "pending_name": confirmation.name,
        "pending_street_address": confirmation.street_address,
        "covers": describe(confirmation),
    }


def register_personal_data() -> None:
    registry.register(registry.PersonalDataHolder(name="supporters", export=export, erase=erase, purge=purge))
    unconfirmed = _("Until you erase your data; if you never confirm, deleted after %(days)s days.")
    facts.register(
        facts.Fact(
            model="supporters.Supporter",
            fields=("email", "email_hash"),
            what=_("Your e-mail address, and a keyed hash of it that lets us find you without reading it."),
            why=_("To send you the confirmation link and what you asked for, and to count you once."),
            retention=unconfirmed,
            retention_setting="SUPPORTER_UNCONFIRMED_RETENTION_DAYS",
            who_can_see=_(
                "The server operator, and the officials you write to (their replies come to you). "
                "Organizers never see it."
            ),
        ),
        facts.Fact(
            model="supporters.Supporter",
            fields=("name",),
            what=_("Your name, once you confirm."),
            why=_("To sign your petition or letter with it, where you choose to."),
            retention=_("Until you erase your data."),
            who_can_see=_("The server operator, and whoever you chose to show it to (the public, officials)."),
        ),
        facts.Fact(
            model="supporters.Supporter",
            fields=("street_address",),
            what=_("Your street address, only if you chose to show it to officials."),
            why=_("Officials give more weight to a constituent whose address they can see."),
            retention=_("Until you erase your data."),
            who_can_see=_("The server operator and the officials you write to or petition."),
        ),
        facts.Fact(
            model="supporters.Supporter",
            fields=("language", "created_at", "confirmed_at"),
            what=_("Your language, when you first came and when you first confirmed."),
            why=_("To write to you in your language, and to delete what was never confirmed."),
            retention=unconfirmed,
            retention_setting="SUPPORTER_UNCONFIRMED_RETENTION_DAYS",
            who_can_see=_("The server operator."),
        ),
        facts.Fact(
            model="supporters.Confirmation",
            fields=("name", "street_address", "created_at", "confirmed_at"),
            what=_("A visit waiting for your confirmation, with the name and address typed in it."),
            why=_("Nothing typed about you takes effect until you confirm it from your mailbox."),
            retention=_("Deleted after %(days)s days if never confirmed; the name and address as soon as you confirm."),
            retention_setting="SUPPORTER_UNCONFIRMED_RETENTION_DAYS",
            who_can_see=_("The server operator."),
        ),
    )
