"""Kinds for the pipeline's own tests, reusing the invitation templates (any triplet will do)."""

from __future__ import annotations

from typing import Any

from campaigns.mail_kinds import _invitation_sample
from emails.kinds import Kind, Stream, register

TEMPLATE = "campaigns/emails/invitation"

NEWS = register(Kind("tests.news", Stream.BULK, TEMPLATE, "a mailing", sample_context=_invitation_sample))
CONFIRM = register(
    Kind("tests.confirm", Stream.TRANSACTIONAL, TEMPLATE, "a confirmation", _invitation_sample, to_unconfirmed=True)
)
NOTICE = register(Kind("tests.notice", Stream.TRANSACTIONAL, TEMPLATE, "a receipt", _invitation_sample))
LETTER = register(
    Kind(
        "tests.letter", Stream.TRANSACTIONAL, TEMPLATE, "a letter to an official", _invitation_sample, to_officials=True
    )
)


def context() -> dict[str, Any]:
    return _invitation_sample()
