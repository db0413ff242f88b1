"""One pipeline recipient per supporter: address, language, idempotency key and the message's context."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings

from emails.bulk import Recipient
from mailings.models import Mailing, MailingVariant
from supporters.models import Supporter

RecipientFor = Callable[[Supporter], Recipient]
SUPPORTED = {code for code, _name in settings.LANGUAGES}


def recipient_key(mailing: Mailing, supporter_id: int) -> str:
    # One message per supporter per mailing (and so per status change), whatever runs twice.
    return f"mailings:{mailing.pk}:{supporter_id}"


def preferred_language(supporter: Supporter, available: set[str], fallback: str) -> str:
    language = (supporter.language or "").lower()
    for candidate in (language, language.split("-")[0]):
        if candidate in available:
            return candidate
    return fallback


def first_name(name: str | None) -> str:
    words = (name or "").split()
    return words[0] if words else ""


def variant_context(variant: MailingVariant, values: dict[str, str]) -> dict[str, Any]:
    return {
        "subject": variant.subject,
        "body_text": variant.text,
        "body_html": variant.html,  # empty: made from the text when rendered
        "placeholders": values,
    }


def for_mailing(mailing: Mailing) -> RecipientFor:
    """The mailing in the supporter's language, or in its default language when it has no such variant."""
    variants = {variant.language: variant for variant in mailing.variants.all()}
    segment_place = mailing.place.name if mailing.place else ""

    def recipient(supporter: Supporter) -> Recipient:
        language = preferred_language(supporter, set(variants), mailing.default_language)
        values = {
            "first_name": first_name(supporter.name),
            "place": segment_place or getattr(supporter, "place_name", None) or "",
            "campaign": mailing.campaign.title,
        }
        return Recipient(
            address=str(supporter.email),
            language=language,
            key=recipient_key(mailing, supporter.pk),
            context=variant_context(variants[language], values),
        )

    return recipient


def for_status_notice(mailing: Mailing) -> RecipientFor:
    """The notice of the mailing's timeline event, in the supporter's language."""
    event = mailing.event
    place = mailing.place.name if mailing.place else ""
    context = {
        "campaign": mailing.campaign.title,
        "place": place,
        "status": event.status_after if event else "",
        "title": event.title if event else mailing.title,
        "description": event.description if event else "",
        "occurred_on": event.occurred_on if event else None,
    }

    def recipient(supporter: Supporter) -> Recipient:
        return Recipient(
            address=str(supporter.email),
            language=preferred_language(supporter, SUPPORTED, settings.LANGUAGE_CODE),
            key=recipient_key(mailing, supporter.pk),
            context=context,
        )

    return recipient
