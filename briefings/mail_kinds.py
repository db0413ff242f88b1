"""The mail briefings send, declared to the e-mail pipeline (registered in BriefingsConfig.ready)."""

from __future__ import annotations

from typing import Any

from emails.kinds import Kind, Stream, register

BRIEFING_MAIL = "briefings.briefing"


def _sample() -> dict[str, Any]:
    return {
        "official": {"name": "A. Member", "office": "Council member"},
        "campaign": {"title": "End Ring partnerships"},
        "place": {"name": "Bloomfield", "state": "NJ"},
        "organization": "Bloomfield Privacy Coalition",
        "edition": {"number": 2, "pages": 6},
        "pdf_url": "https://townhall.example.org/b/7K3M9QXA/pdf/sample/",
        "verify_url": "https://townhall.example.org/b/7K3M9QXA/",
        "changes": ["Verified constituents: 212 (was 180, +32)."],
    }


def register_kinds() -> None:
    register(
        Kind(
            name=BRIEFING_MAIL,
            stream=Stream.TRANSACTIONAL,
            template="briefings/emails/briefing",
            description="An organizer sends a briefing (a link to its PDF) to a place's officials.",
            sample_context=_sample,
            to_officials=True,
        )
    )
