"""The registry of message kinds: each app declares the mail it sends, the pipeline knows only kinds.

An app registers its kinds in its AppConfig.ready(); the templates live with that app as a
triplet `<template>_subject.txt`, `<template>_message.txt` and `<template>_message.html`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Stream(StrEnum):
    """Transactional mail answers something a person just did; bulk mail is everything that may wait.

    Bulk covers news supporters asked for and letters to officials: both come in floods, and neither
    may delay a confirmation.
    """

    TRANSACTIONAL = "transactional"
    BULK = "bulk"


@dataclass(frozen=True)
class Kind:
    name: str
    stream: Stream
    template: str
    description: str
    # Sample data for the organizers' preview; a callable, so it is built when asked for.
    sample_context: Callable[[], dict[str, Any]] = field(default=dict)
    # Mail to an address nobody has confirmed yet (confirmation, "my data" links): limited per
    # address per day whichever form triggered it, so the forms cannot be used to bomb a mailbox.
    to_unconfirmed: bool = False
    # Letters to officials: a bounce flags the official for organizers instead of silencing them.
    to_officials: bool = False

    @property
    def unsubscribable(self) -> bool:
        # An official cannot unsubscribe from constituents; they may ask for a daily digest instead.
        return self.stream is Stream.BULK and not self.to_officials


class UnknownKind(LookupError):
    pass


_registry: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    existing = _registry.get(kind.name)
    if existing is not None and existing != kind:
        raise ValueError(f"Two different e-mail kinds are named {kind.name!r}.")
    _registry[kind.name] = kind
    return kind


def get(name: str) -> Kind:
    try:
        return _registry[name]
    except KeyError:
        raise UnknownKind(f"No e-mail kind is registered as {name!r}.") from None


def all_kinds() -> list[Kind]:
    return sorted(_registry.values(), key=lambda kind: kind.name)
