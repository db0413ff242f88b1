"""“My data”: a person asks by e-mail and gets signed links to export or erase what we hold.

The request form answers the same whether or not we know the address; the mail goes only to an
address we hold something about, and only the mailbox's owner can open its links. The links
carry the address's keyed hashes, never the address (links end up in browser histories and logs).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction

from emails.links import LinkInvalid, absolute_url, sign, unsign
from emails.outbox import send
from privacy import rights
from privacy.addresses import address_hashes
from privacy.models import DataRightsEvent
from supporters.identity import clean_address
from supporters.mail_kinds import MY_DATA_MAIL

MY_DATA_LINK_AGE = dt.timedelta(days=1)
EXPORT_PURPOSE = "supporters.my-data.export"
ERASE_PURPOSE = "supporters.my-data.erase"


@transaction.atomic
def request_links(*, email: str, language: str) -> None:
    """Mails the export and erase links if we hold anything about the address; says nothing either way."""
    address = clean_address(email)
    hashes = address_hashes(address)
    rights.record(DataRightsEvent.Action.REQUESTED)
    if not rights.holds_anything(hashes):
        return
    context = {
        "export_link": absolute_url("my-data-export", token=sign(EXPORT_PURPOSE, {"h": hashes})),
        "erase_link": absolute_url("my-data-erase", token=sign(ERASE_PURPOSE, {"h": hashes})),
        "hours": int(MY_DATA_LINK_AGE.total_seconds() // 3600),
    }
    # Each request is its own message; the pipeline's daily limit per address bounds them.
    send(MY_DATA_MAIL, to=address, context=context, language=language, key=f"supporters.my_data:{uuid.uuid4().hex}")


def read_link(purpose: str, token: str) -> list[str]:
    """The address hashes an export or erase link was made for; LinkInvalid or LinkExpired otherwise."""
    payload = unsign(purpose, token, max_age=MY_DATA_LINK_AGE)
    hashes = payload.get("h")
    if not isinstance(hashes, list) or not hashes or not all(isinstance(value, str) for value in hashes):
        raise LinkInvalid("payload lacks address hashes")
    return hashes
