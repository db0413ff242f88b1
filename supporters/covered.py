"""What a confirmation covers, in words, for the page that asks the person to confirm it.

Apps whose actions wait on a confirmation (petitions, letters) register a describer; the page
lists every action the visit attached, so nobody confirms more than they can see.
"""

from __future__ import annotations

from collections.abc import Callable

from django_stubs_ext import StrOrPromise

from supporters.models import Confirmation

Describer = Callable[[Confirmation], list[StrOrPromise]]

_describers: dict[str, Describer] = {}


def register(name: str, describer: Describer) -> None:
    _describers[name] = describer


def unregister(name: str) -> None:
    """For tests that register a describer of their own."""
    _describers.pop(name, None)


def describe(confirmation: Confirmation) -> list[str]:
    return [str(line) for name in sorted(_describers) for line in _describers[name](confirmation)]
