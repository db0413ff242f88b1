"""Owners' CSV export of a campaign's letters, streamed: rows are written as the database yields them.

Memory stays flat whatever the number of letters (a server-side cursor, 1,000 rows at a time);
contact details are given only for confirmed letters, as in signature exports.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.db.models import Count, Q, QuerySet

from campaigns.letters.personal_data import DELIVERED, HELD, REJECTED, WAITING
from campaigns.models import Campaign, Letter, LettersSee, Review
from emails.models import Status

HEADER = (
    "id",
    "letter_drive",
    "place",
    "state",
    "name",
    "email",
    "street_address",
    "officials_see",
    "email_updates",
    "text",
    "created_at",
    "confirmed_at",
    "review",
    "flags",
    "officials",
    "delivered",
)
CHUNK = 1000


def letters_for_export(campaign: Campaign) -> QuerySet[Letter]:
    return (
        Letter.objects.filter(letter_campaign__campaign=campaign)
        .select_related("letter_campaign", "place", "supporter")
        .annotate(
            officials=Count("deliveries"),
            delivered=Count("deliveries", filter=Q(deliveries__message__status=Status.SENT)),
        )
        .order_by("pk")
    )


def csv_lines(letters: QuerySet[Letter]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for number, letter in enumerate(letters.iterator(chunk_size=CHUNK)):
        writer.writerow(_row(letter))
        if number % 100 == 99:
            yield _drain(buffer)
    yield _drain(buffer)


def _row(letter: Letter) -> list[object]:
    confirmed = letter.confirmed_at is not None
    supporter = letter.supporter
    show_address = confirmed and letter.officials_see == LettersSee.NAME_ADDRESS
    return [
        letter.pk,
        letter.letter_campaign.slug,
        f"{letter.place.name}, {letter.place.state}",
        _state(letter),
        _safe(supporter.name or "") if confirmed else "",
        _safe(supporter.email or "") if confirmed else "",
        _safe(supporter.street_address or "") if show_address else "",
        letter.officials_see,
        letter.email_updates,
        _safe(letter.body),
        letter.created_at.isoformat(),
        letter.confirmed_at.isoformat() if letter.confirmed_at else "",
        letter.review,
        " ".join(letter.flags),
        getattr(letter, "officials", 0),
        getattr(letter, "delivered", 0),
    ]


def _state(letter: Letter) -> str:
    if letter.review == Review.REJECTED:
        return REJECTED
    if letter.review == Review.HELD:
        return HELD
    return DELIVERED if getattr(letter, "delivered", 0) else WAITING


def _safe(value: str) -> str:
    """A cell a spreadsheet would run as a formula (=, +, -, @) is quoted with a leading apostrophe."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
