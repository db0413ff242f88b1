"""The export's columns, and its rows read from the database one chunk at a time.

What each column holds, and why an owner gets it, is in docs/signature-exports.md. Two columns
hold personal data only where the signer agreed to its use: the street address only when they
chose to show it to officials (`officials_see = name_address`), the e-mail address only when they
asked for e-mail updates. The database returns NULL for the others, so they are never decrypted.

Speed: a million rows feel every per-cell step. Encrypted columns are read as their raw tokens and
decrypted here with each field's own context, without the field's converter chain; times are read
as the database's ISO text, which datetime.fromisoformat parses in C, rather than through the
driver's Python datetime loader. bench/signature_export.py measures the difference.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Case, ExpressionWrapper, F, Model, QuerySet, TextField, When
from django.db.models.functions import Cast

from campaigns.models import OfficialsSee, Signature
from campaigns.models.petitions import SignatureQuerySet
from privacy import crypto
from privacy.fields import EncryptedTextField
from supporters.models import Supporter

HEADER = (
    "created",
    "confirmed",
    "petition",
    "place",
    "state",
    "name",
    "email",
    "street_address",
    "comment",
    "show_name",
    "email_updates",
    "officials_see",
    "referrer",
    "review",
)
# Rows fetched per round trip through the server-side cursor: memory stays flat whatever the total.
CHUNK_SIZE = 2000
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_STARTS = frozenset("=+-@\t\r")
_YES_NO = {True: "yes", False: "no"}


def signature_rows(
    signatures: SignatureQuerySet, *, zone: ZoneInfo, chunk_size: int = CHUNK_SIZE
) -> Iterator[list[str]]:
    """Each signature as CSV cells, in the order of HEADER; times in `zone`, ISO 8601 with offset."""
    names, emails = _context(Supporter, "name"), _context(Supporter, "email")
    streets, comments = _context(Supporter, "street_address"), _context(Signature, "comment")
    for row in export_values(signatures).iterator(chunk_size=chunk_size):
        created, confirmed, petition, place, state, name, email, street, comment, *choices = row
        show_name, email_updates, officials_see, referrer, review = choices
        yield [
            local_time(created, zone),
            local_time(confirmed, zone),
            petition,
            guard(place),
            state,
            guard(_plain(name, names)),
            guard(_plain(email, emails)),
            guard(_plain(street, streets)),
            guard(_plain(comment, comments)),
            _YES_NO[show_name],
            _YES_NO[email_updates],
            officials_see,
            guard(referrer),
            review,
        ]


def export_values(signatures: SignatureQuerySet) -> QuerySet[Signature, tuple[Any, ...]]:
    """The values behind HEADER's columns: times as text, encrypted columns as their tokens."""
    text: TextField[str, str] = TextField()
    return signatures.order_by("pk").values_list(
        Cast("created_at", text),
        Cast("confirmed_at", text),
        "petition__slug",
        "place__name",
        "place__state",
        ExpressionWrapper(F("supporter__name"), output_field=text),
        # Contact details only once confirmed: an unconfirmed signature may have been typed by a stranger.
        Case(When(email_updates=True, confirmed_at__isnull=False, then=F("supporter__email")), output_field=text),
        Case(
            When(
                officials_see=OfficialsSee.NAME_ADDRESS, confirmed_at__isnull=False, then=F("supporter__street_address")
            ),
            output_field=text,
        ),
        ExpressionWrapper(F("comment"), output_field=text),
        "show_name",
        "email_updates",
        "officials_see",
        "referrer",
        "review",
    )


def local_time(text: str | None, zone: ZoneInfo) -> str:
    """A stored time, as the database writes it, in `zone` to the second ("" for none)."""
    if not text:
        return ""
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)  # SQLite keeps UTC without an offset
    return moment.astimezone(zone).isoformat(timespec="seconds")


def guard(cell: str | None) -> str:
    """The cell as text a spreadsheet shows rather than runs: a leading ' keeps a formula inert."""
    if not cell:
        return ""
    return f"'{cell}" if cell[0] in _FORMULA_STARTS else cell


def _plain(token: str | None, context: str) -> str | None:
    return None if token is None else crypto.decrypt(token, context=context)


def _context(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, EncryptedTextField):
        raise TypeError(f"{model._meta.label}.{name} is not encrypted")
    return field.context
