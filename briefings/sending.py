"""Sending an edition to the place's officials in office: a signed link to its PDF, with a delivery log.

The e-mail pipeline carries no attachments, so each official gets a link that opens the PDF without
an account (signed, for that edition and that official, valid LINK_LIFETIME). Sending twice to the
same official is a no-op: the delivery (and its message key) already exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditEvent, User
from briefings.editions import verify_url
from briefings.mail_kinds import BRIEFING_MAIL
from briefings.models import Delivery, Edition
from campaigns.models import Official
from emails import links
from emails.outbox import send

LINK_LIFETIME = dt.timedelta(days=120)
_PURPOSE = "briefing-pdf"


def pdf_token(edition: Edition, official: Official) -> str:
    return links.sign(_PURPOSE, {"e": edition.pk, "o": official.pk})


def check_pdf_token(edition: Edition, token: str) -> int:
    """The official the link was made for; raises links.LinkInvalid or links.LinkExpired."""
    payload = links.unsign(_PURPOSE, token, max_age=LINK_LIFETIME)
    if payload.get("e") != edition.pk or not isinstance(payload.get("o"), int):
        raise links.LinkInvalid("the link is for another briefing")
    return int(payload["o"])


def recipients(edition: Edition, official_ids: Iterable[int] | None = None) -> list[Official]:
    """The place's officials in office with an address (the addressee only, for an addressed edition)."""
    officials = Official.objects.current().filter(campaign=edition.campaign, place=edition.place).exclude(email="")
    if edition.official_id is not None:
        officials = officials.filter(pk=edition.official_id)
    if official_ids is not None:
        wanted = set(official_ids)
        unknown = wanted - set(officials.values_list("pk", flat=True))
        if unknown:
            message = _("Not an official in office for this place with an e-mail address: %(ids)s.")
            raise ValidationError({"officials": [message % {"ids": ", ".join(map(str, sorted(unknown)))}]})
        officials = officials.filter(pk__in=wanted)
    return list(officials.order_by("pk"))


@transaction.atomic
def send_edition(
    *, edition: Edition, actor: User | None, via: str, official_ids: Iterable[int] | None = None
) -> list[Delivery]:
    if edition.is_withdrawn:
        message = _("This edition was withdrawn: a person it named erased their data. Send the edition replacing it.")
        raise ValidationError({"edition": [message]})
    if not edition.is_done:
        raise ValidationError({"edition": [_("This edition has no PDF yet: wait until it is done.")]})
    officials = recipients(edition, official_ids)
    if not officials:
        raise ValidationError({"officials": [_("No official in office for this place has an e-mail address.")]})
    return [_deliver(edition, official, actor=actor, via=via) for official in officials]


def _deliver(edition: Edition, official: Official, *, actor: User | None, via: str) -> Delivery:
    existing = Delivery.objects.filter(edition=edition, official=official).first()
    if existing is not None:
        return existing
    message = send(
        BRIEFING_MAIL,
        to=official.email,
        context=_context(edition, official),
        language="en",
        key=f"briefing:{edition.pk}:{official.pk}",
    )
    delivery = Delivery.objects.create(
        edition=edition, official=official, official_name=official.name, message=message, sent_by=actor
    )
    audit.record_write(
        actor=actor, via=via, action=AuditEvent.Action.CREATE, instance=delivery, campaign_id=edition.campaign_id
    )
    return delivery


def _context(edition: Edition, official: Official) -> dict[str, object]:
    figures = edition.figures
    return {
        "official": {"name": official.name, "office": official.get_office_display()},
        "campaign": figures["campaign"],
        "place": figures["place"],
        "organization": figures["organization"],
        "edition": {"number": edition.number, "pages": edition.page_count},
        "pdf_url": links.absolute_url("briefing-pdf", code=edition.code, token=pdf_token(edition, official)),
        "verify_url": verify_url(edition),
        "changes": edition.changes,
    }
