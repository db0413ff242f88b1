"""What letters do when supporters report something (connected in CampaignsConfig.ready)."""

from __future__ import annotations

from typing import Any

from supporters.models import Confirmation


def confirm_letters(sender: Any, *, confirmation: Confirmation, **kwargs: Any) -> int:
    # Inside the confirming transaction: the letters are confirmed with it, planned after commit.
    from campaigns.letters.writing import confirm_letters as confirm

    return confirm(confirmation)


def connect() -> None:
    from campaigns.letters import tasks  # noqa: F401  (workers learn the letter tasks at start-up)
    from campaigns.letters.personal_data import register_personal_data
    from supporters.signals import confirmed

    register_personal_data()
    confirmed.connect(confirm_letters, dispatch_uid="campaigns.letters.receivers.confirm_letters")
