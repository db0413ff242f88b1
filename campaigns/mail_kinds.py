"""The mail campaigns send, declared to the e-mail pipeline (registered in CampaignsConfig.ready)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from emails.kinds import Kind, Stream, register

INVITATION_MAIL = "campaigns.invitation"
LETTER_MAIL = "campaigns.letter"
LETTER_DIGEST_MAIL = "campaigns.letter_digest"
# The role as the invitation's sentence names it; lazy, so it is said in the mail's language.
ROLE_IN_SENTENCE: dict[str, Promise] = {
    "owner": pgettext_lazy("campaign role in a sentence", "owner"),
    "editor": pgettext_lazy("campaign role in a sentence", "editor"),
    "viewer": pgettext_lazy("campaign role in a sentence", "viewer"),
}


def _invitation_sample() -> dict[str, Any]:
    return {
        "campaign": {"title": "End Ring partnerships in Ohio"},
        "role_label": ROLE_IN_SENTENCE["editor"],
        "link": "https://townhall.example.org/invitations/inv_sample/",
        "expires_at": timezone.now() + dt.timedelta(days=7),
    }


def _letter_sample() -> dict[str, Any]:
    return {
        "subject": "Please end the Ring partnership",
        "body": "Dear Council Member Rivera,\n\nI live in Bloomfield, NJ, and I ask you to end it.\n\nDana Scully",
        "writer_name": "Dana Scully",
        "writer_place": "Bloomfield, NJ",
        "writer_address": "",
        "campaign_title": "End Ring partnerships",
        "position_link": "https://townhall.example.org/officials/position/sample/",
    }


def _letter_digest_sample() -> dict[str, Any]:
    letter = _letter_sample()
    return {
        "official_name": "Ana Rivera",
        "day": timezone.localdate(),
        "letters": [letter, {**letter, "writer_name": "Fox Mulder"}],
        "count": 2,
        "campaign_title": letter["campaign_title"],
        "position_link": letter["position_link"],
    }


def register_letter_kinds() -> None:
    """Letters to officials: on the bulk queue, so a flood never delays a confirmation; no unsubscribe
    link (an official asks for the digest instead), and a bounce flags the official."""
    register(
        Kind(
            name=LETTER_MAIL,
            stream=Stream.BULK,
            template="campaigns/emails/letter",
            description="A constituent's letter to one official, Reply-To the constituent.",
            sample_context=_letter_sample,
            to_officials=True,
        )
    )
    register(
        Kind(
            name=LETTER_DIGEST_MAIL,
            stream=Stream.BULK,
            template="campaigns/emails/letter_digest",
            description="One official's letters of one day, in one message.",
            sample_context=_letter_digest_sample,
            to_officials=True,
        )
    )


def register_kinds() -> None:
    register_letter_kinds()
    register(
        Kind(
            name=INVITATION_MAIL,
            stream=Stream.TRANSACTIONAL,
            template="campaigns/emails/invitation",
            description="An owner invites someone to organize a campaign.",
            sample_context=_invitation_sample,
        )
    )
