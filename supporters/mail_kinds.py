"""The mail supporters get, declared to the e-mail pipeline (registered in SupportersConfig.ready).

Both go to addresses nobody has confirmed yet, so the pipeline limits them per address per day,
whichever form asked: the forms cannot be used to flood a mailbox.
"""

from __future__ import annotations

from typing import Any

from emails.kinds import Kind, Stream, register

CONFIRMATION_MAIL = "supporters.confirmation"
MY_DATA_MAIL = "supporters.my_data"


def _confirmation_sample() -> dict[str, Any]:
    return {
        "action": "sign the petition to end the Ring partnership in Bloomfield",
        "link": "https://townhall.example.org/confirm/sample/",
        "days": 7,
    }


def _my_data_sample() -> dict[str, Any]:
    return {
        "export_link": "https://townhall.example.org/my-data/export/sample/",
        "erase_link": "https://townhall.example.org/my-data/erase/sample/",
        "hours": 24,
    }


def register_kinds() -> None:
    register(
        Kind(
            name=CONFIRMATION_MAIL,
            stream=Stream.TRANSACTIONAL,
            template="supporters/emails/confirmation",
            description="A supporter confirms what they did in one visit (sign, write) with a button.",
            sample_context=_confirmation_sample,
            to_unconfirmed=True,
        )
    )
    register(
        Kind(
            name=MY_DATA_MAIL,
            stream=Stream.TRANSACTIONAL,
            template="supporters/emails/my_data",
            description="Links to export or erase everything we hold about an address, as asked for.",
            sample_context=_my_data_sample,
            to_unconfirmed=True,
        )
    )
