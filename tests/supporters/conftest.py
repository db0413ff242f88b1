"""Supporters, their visits and the links their mail carries, for the tests in this package."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.mail import EmailMessage

from supporters import confirming, covered
from supporters.identity import supporter_for
from supporters.models import Confirmation, Supporter

_URL = re.compile(r"https?://[^\s\"<>]+")

DANA = "Dana.Scully+townhall@gmail.com"


def link_paths(message: EmailMessage) -> list[str]:
    """The paths of the links in a message's text part, in order."""
    return [urlsplit(url).path for url in _URL.findall(str(message.body))]


def act(
    email: str = DANA,
    *,
    visit: dict[str, Any],
    action: str = "sign the petition for Bloomfield",
    name: str | None = "Dana Scully",
    street_address: str | None = None,
    language: str = "en",
) -> Confirmation:
    """What a petition or letter form will do for each action: find the supporter, ask to confirm."""
    supporter = supporter_for(email=email, language=language)
    return confirming.request_confirmation(
        supporter=supporter, visit=visit, action=action, language=language, name=name, street_address=street_address
    )


@pytest.fixture
def confirmed_dana(db: Any, django_capture_on_commit_callbacks: Any) -> Supporter:
    """Dana, who signed once and confirmed it; her confirmation mail is delivered."""
    with django_capture_on_commit_callbacks(execute=True):
        confirmation = act(visit={}, street_address="1 Elm Street, Bloomfield NJ")
        confirming.confirm(confirmation)
    return Supporter.objects.get(pk=confirmation.supporter_id)


@pytest.fixture
def describe_actions() -> Iterator[Callable[[list[str]], None]]:
    """Registers what a confirmation covers, as petitions and letters will."""

    def register(lines: list[str]) -> None:
        covered.register("tests", lambda confirmation: list(lines))

    yield register
    covered.unregister("tests")
