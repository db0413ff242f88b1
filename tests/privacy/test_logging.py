from __future__ import annotations

import logging
from collections.abc import Iterator
from io import StringIO

import pytest

from privacy.logging import RedactPersonalData, redact


@pytest.fixture
def log() -> Iterator[tuple[logging.Logger, StringIO]]:
    """A logger wired like settings.LOGGING's console handler: the filter on the handler."""
    stream = StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactPersonalData())
    logger = logging.getLogger("tests.privacy.redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def test_it_redacts_addresses_passed_as_arguments(log: tuple[logging.Logger, StringIO]) -> None:
    logger, stream = log

    logger.info("signup %s from %s via %s", "alice.b+news@example.org", "203.0.113.7", "2001:db8::8a2e:370:7334")

    assert stream.getvalue() == "signup [email] from [ip] via [ip]\n"


def test_it_redacts_addresses_written_into_the_message(log: tuple[logging.Logger, StringIO]) -> None:
    logger, stream = log

    logger.info("bounce for <Bob@Example.co.uk> at ::1 and ::ffff:192.0.2.1, then 10.0.0.1.")

    assert stream.getvalue() == "bounce for <[email]> at [ip] and [ip], then [ip].\n"


@pytest.mark.parametrize(
    "message",
    [
        "running version 1.2.3",
        "at 2025-03-04T12:34:56.789+00:00",
        "took 12:34:56",
        "interface 00:1a:2b:3c:4d:5e",
        "build 1.2.3.4.5",
        "score 999.1.1.1",
    ],
)
def test_it_leaves_lookalikes_alone(log: tuple[logging.Logger, StringIO], message: str) -> None:
    logger, stream = log

    logger.info(message)

    assert stream.getvalue() == f"{message}\n"


def test_it_redacts_a_traceback(log: tuple[logging.Logger, StringIO]) -> None:
    logger, stream = log

    try:
        raise ValueError("duplicate key (email)=(alice@example.org)")
    except ValueError:
        logger.exception("insert failed")

    assert "alice@example.org" not in stream.getvalue()
    assert "ValueError: duplicate key (email)=([email])" in stream.getvalue()


def test_it_drops_arguments_it_cannot_format(log: tuple[logging.Logger, StringIO]) -> None:
    logger, stream = log

    logger.info("only one %s", "alice@example.org", "extra")

    assert stream.getvalue() == "only one %s\n"


def test_it_masks_invitation_links_and_api_tokens():
    secret = "inv_" + "Ab3-_" * 8
    token = "th_" + "Zx9_-" * 8

    masked = redact(f"Bad Request: /invitations/{secret}/ with Bearer {token}")

    assert masked == "Bad Request: /invitations/inv_[secret]/ with Bearer th_[secret]"
