"""The mail this app sends, declared to the e-mail pipeline (registered in MailingsConfig.ready)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy

from emails.kinds import Kind, Stream, register

MAILING_MAIL = "mailings.mailing"
STATUS_NOTICE_MAIL = "mailings.status_notice"


def _mailing_sample() -> dict[str, Any]:
    # Lazy: the preview shows what an organizer might write in each language.
    text = gettext_lazy(
        "Hello {{ first_name | friend }},\n\nThe council of {{ place }} meets on Tuesday. Come and speak!"
    )
    return {
        "subject": gettext_lazy("{{ place }}: the council meets on Tuesday"),
        "body_text": text,
        "body_html": "",  # made from the text, as when an organizer writes none
        "placeholders": {"first_name": "Dana", "place": "Bloomfield", "campaign": "End Ring partnerships"},
    }


def _status_notice_sample() -> dict[str, Any]:
    return {
        "campaign": "End Ring partnerships",
        "place": "Bloomfield",
        "status": "on_agenda",
        "title": "Ring partnership on the council agenda",
        "description": "The council discusses the partnership on 3 March at 7 pm, in the town hall.",
        "occurred_on": dt.date(2026, 3, 3),
    }


def register_kinds() -> None:
    register(
        Kind(
            name=MAILING_MAIL,
            stream=Stream.BULK,
            template="mailings/emails/mailing",
            description="A mailing an organizer composed, to the supporters of a campaign or a city.",
            sample_context=_mailing_sample,
        )
    )
    register(
        Kind(
            name=STATUS_NOTICE_MAIL,
            stream=Stream.BULK,
            template="mailings/emails/status_notice",
            description="A place's status changed: its supporters who asked for updates hear of it.",
            sample_context=_status_notice_sample,
        )
    )
