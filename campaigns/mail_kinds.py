"""The mail campaigns send, declared to the e-mail pipeline (registered in CampaignsConfig.ready)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from emails.kinds import Kind, Stream, register

INVITATION_MAIL = "campaigns.invitation"
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


def register_kinds() -> None:
    register(
        Kind(
            name=INVITATION_MAIL,
            stream=Stream.TRANSACTIONAL,
            template="campaigns/emails/invitation",
            description="An owner invites someone to organize a campaign.",
            sample_context=_invitation_sample,
        )
    )
