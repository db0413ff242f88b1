"""Double opt-in: one e-mailed link per visit makes everything the visit did for an address count.

A visit is the browser session. Its first action for an address creates a Confirmation and mails
the link; later actions in the same visit join that open confirmation. Confirming is a POST from
the page the link opens (mail scanners follow links; a GET never confirms). An address confirmed
before still gets a new confirmation for a new visit's actions: otherwise anyone who knows an
address could act in its name.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_stubs_ext import StrOrPromise

from emails.links import LinkInvalid, absolute_url, sign, unsign
from emails.outbox import send
from supporters import signals
from supporters.mail_kinds import CONFIRMATION_MAIL
from supporters.models import CONFIRMATION_LINK_AGE, Confirmation, Supporter

CONFIRM_PURPOSE = "supporters.confirm"
# Session key: {supporter id: id of this visit's open confirmation for them}.
VISIT_KEY = "supporters.confirmations"


class ConfirmationGone(Exception):
    """The link was genuine, but its confirmation was purged or its supporter erased their data."""


# No savepoint of its own (two statements less per signature): an error here is the caller's error.
@transaction.atomic(savepoint=False)
def request_confirmation(
    *,
    supporter: Supporter,
    visit: MutableMapping[str, Any],
    action: StrOrPromise,
    language: str,
    name: str | None = None,
    street_address: str | None = None,
) -> Confirmation:
    """This visit's open confirmation for the supporter, or a new one with its link mailed.

    `action` says in the mail what the link confirms ("sign the petition for Bloomfield"); pass a
    gettext_lazy string so it is rendered in the mail's language. The details go on the
    confirmation (the latest ones of the visit win) until it is confirmed.
    """
    if supporter.email is None:
        raise ValueError("An erased supporter cannot be asked to confirm.")
    current = _open_confirmation(visit, supporter)
    if current is not None:
        _hold_details(current, name=name, street_address=street_address)
        return current
    confirmation = Confirmation.objects.create(
        supporter=supporter, name=name, street_address=street_address, language=language
    )
    visit[VISIT_KEY] = {**visit.get(VISIT_KEY, {}), str(supporter.pk): confirmation.pk}
    send(
        CONFIRMATION_MAIL,
        to=supporter.email,
        context={"link": confirm_url(confirmation), "action": action, "days": CONFIRMATION_LINK_AGE.days},
        language=language,
        key=f"supporters.confirmation:{confirmation.pk}",
    )
    return confirmation


def confirm_url(confirmation: Confirmation) -> str:
    return absolute_url("supporter-confirm", token=sign(CONFIRM_PURPOSE, {"c": confirmation.pk}))


def read_link(token: str) -> Confirmation:
    """Raises LinkInvalid (tampered), LinkExpired (too old) or ConfirmationGone."""
    payload = unsign(CONFIRM_PURPOSE, token, max_age=CONFIRMATION_LINK_AGE)
    confirmation_id = payload.get("c")
    if not isinstance(confirmation_id, int):
        raise LinkInvalid("payload lacks a confirmation")
    found = Confirmation.objects.select_related("supporter").filter(pk=confirmation_id).first()
    if found is None or found.supporter.erased_at is not None:
        raise ConfirmationGone(confirmation_id)
    return found


@transaction.atomic
def confirm(confirmation: Confirmation) -> Confirmation:
    """Confirms once: a second click finds it confirmed and changes nothing, sends nothing."""
    # Locked with its supporter: two clicks at once must not both copy the details and signal.
    locked = Confirmation.objects.select_for_update().select_related("supporter").get(pk=confirmation.pk)
    if locked.confirmed_at is not None:
        return locked
    now = timezone.now()
    supporter = locked.supporter
    supporter.confirmed_at = supporter.confirmed_at or now
    supporter.language = locked.language
    if locked.name:
        supporter.name = locked.name
    if locked.street_address:
        supporter.street_address = locked.street_address
    supporter.save(update_fields=["confirmed_at", "language", "name", "street_address"])
    # The supporter holds the details now; a second copy would be one more thing to protect.
    locked.confirmed_at, locked.name, locked.street_address = now, None, None
    locked.save(update_fields=["confirmed_at", "name", "street_address"])
    signals.confirmed.send(sender=Confirmation, confirmation=locked)
    return locked


def _open_confirmation(visit: MutableMapping[str, Any], supporter: Supporter) -> Confirmation | None:
    confirmation_id = visit.get(VISIT_KEY, {}).get(str(supporter.pk))
    if not isinstance(confirmation_id, int):
        return None
    return Confirmation.objects.open().filter(pk=confirmation_id, supporter=supporter).first()


def _hold_details(confirmation: Confirmation, *, name: str | None, street_address: str | None) -> None:
    changed = []
    if name is not None:
        confirmation.name = name
        changed.append("name")
    if street_address is not None:
        confirmation.street_address = street_address
        changed.append("street_address")
    if changed:
        confirmation.save(update_fields=changed)
