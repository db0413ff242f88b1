"""What changed between two editions of a briefing, in sentences printed on the new one."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def changes_since(previous: dict[str, Any] | None, current: dict[str, Any]) -> list[str]:
    if previous is None:
        return []
    found = _status(previous, current) + _support(previous, current) + _letters(previous, current)
    found += _partnerships(previous, current) + _events(previous, current) + _sources(previous, current)
    found += _positions(previous, current)
    return found or [_("No figure or source changed; this edition repeats the previous one's content.")]


def _status(previous: dict[str, Any], current: dict[str, Any]) -> list[str]:
    before, after = previous["status"]["label"], current["status"]["label"]
    if before == after:
        return []
    return [_("Status changed from “%(before)s” to “%(after)s”.") % {"before": before, "after": after}]


def _delta(before: int, after: int, one: str, many: str) -> list[str]:
    if before == after:
        return []
    return [ngettext(one, many, after) % {"before": before, "after": after, "delta": f"{after - before:+d}"}]


def _support(previous: dict[str, Any], current: dict[str, Any]) -> list[str]:
    return _delta(
        previous["support"]["constituents"],
        current["support"]["constituents"],
        "Verified constituents: %(after)d (was %(before)d, %(delta)s).",
        "Verified constituents: %(after)d (was %(before)d, %(delta)s).",
    ) + _delta(
        previous["support"]["signatures"],
        current["support"]["signatures"],
        "Confirmed signatures: %(after)d (was %(before)d, %(delta)s).",
        "Confirmed signatures: %(after)d (was %(before)d, %(delta)s).",
    )


def _letters(previous: dict[str, Any], current: dict[str, Any]) -> list[str]:
    before, after = previous.get("letters") or {}, current.get("letters") or {}
    if not after:
        return []
    return _delta(
        int(before.get("writers", 0)),
        int(after["writers"]),
        "Verified letter writers: %(after)d (was %(before)d, %(delta)s).",
        "Verified letter writers: %(after)d (was %(before)d, %(delta)s).",
    )


def _facts(figures: dict[str, Any]) -> dict[str, str]:
    return {
        fact["key"]: f"{agency['name']}, {fact['program']} ({fact['period']})"
        for agency in figures["agencies"]
        for fact in agency["partnerships"]
    }


def _partnerships(previous: dict[str, Any], current: dict[str, Any]) -> list[str]:
    before, after = _facts(previous), _facts(current)
    added = [_("New partnership fact: %(fact)s.") % {"fact": after[key]} for key in after if key not in before]
    changed = [
        _("Partnership fact updated: %(fact)s.") % {"fact": after[key]}
        for key in after
        if key in before and before[key] != after[key]
    ]
    removed = [_("Partnership fact withdrawn: %(fact)s.") % {"fact": before[key]} for key in before if key not in after]
    return added + changed + removed


def _events(previous: dict[str, Any], current: dict[str, Any]) -> list[str]:
    known = {event["id"] for event in previous["timeline"]}
    return [
        _("New in the timeline: %(date)s, %(title)s.") % {"date": event["date"], "title": event["title"]}
        for event in current["timeline"]
        if event["id"] not in known
    ]


def _sources(previous: dict[str, Any], current: dict[str, Any]) -> list[str]:
    before = {entry["id"]: entry["title"] for entry in previous["bibliography"]}
    after = {entry["id"]: entry["title"] for entry in current["bibliography"]}
    added = [_("New source: %(title)s.") % {"title": title} for key, title in after.items() if key not in before]
    removed = [_("Source no longer cited: %(title)s.") % {"title": t} for key, t in before.items() if key not in after]
    return added + removed


def _positions(previous: dict[str, Any], current: dict[str, Any]) -> list[str]:
    before = {person["id"]: person.get("position", "") for person in previous["officials"]}
    return [
        _("%(name)s's recorded position: %(position)s.") % {"name": person["name"], "position": person["position"]}
        for person in current["officials"]
        if person.get("position") and before.get(person["id"]) != person["position"]
    ]
