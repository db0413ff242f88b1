"""Who holds personal data: each app declares how to export, erase and purge what it keeps.

An app registers a PersonalDataHolder in its AppConfig.ready(). privacy knows holders, never the
apps behind them, so a new app (petitions, letters, donations) joins "my data" by registering.
Holders are handed an address's keyed hashes (privacy.addresses.address_hashes), never the address.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

# Records by kind (e.g. "messages": [{...}, ...]): JSON-able values only.
Records = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class PersonalDataHolder:
    name: str
    # Everything held about the address, by kind of record; an empty list when nothing.
    export: Callable[[Sequence[str]], Records]
    # Erases or anonymizes what `export` returns, except the kinds in `kept_on_erasure`;
    # returns how many records of each kind it changed.
    erase: Callable[[Sequence[str]], dict[str, int]]
    # Kinds of record kept on purpose after erasure, and why (shown in the export and on the page).
    kept_on_erasure: Mapping[str, str | Promise] = field(default_factory=dict)
    # Retention: removes what has outlived its purpose as of `now`; returns counts by kind.
    purge: Callable[[dt.datetime], dict[str, int]] | None = None
    # Holders whose erase and purge must run after this one's: those whose rows this holder's
    # rows point at with PROTECT (a signature's supporter), which cannot go while they stay.
    runs_before: tuple[str, ...] = ()


_holders: dict[str, PersonalDataHolder] = {}


def register(holder: PersonalDataHolder) -> PersonalDataHolder:
    existing = _holders.get(holder.name)
    if existing is not None and existing != holder:
        raise ValueError(f"Two different personal-data holders are named {holder.name!r}.")
    _holders[holder.name] = holder
    return holder


def unregister(name: str) -> None:
    """For tests that register a holder of their own."""
    _holders.pop(name, None)


def holders() -> list[PersonalDataHolder]:
    """Every holder by name, except that each runs before the holders it names in `runs_before`."""
    waiting = sorted(_holders.values(), key=lambda holder: holder.name)
    ordered: list[PersonalDataHolder] = []
    while waiting:
        held_back = {name for holder in waiting for name in holder.runs_before}
        ready = next((holder for holder in waiting if holder.name not in held_back), None)
        if ready is None:
            raise ValueError(f"Personal-data holders wait for each other: {[h.name for h in waiting]}.")
        ordered.append(ready)
        waiting.remove(ready)
    return ordered
