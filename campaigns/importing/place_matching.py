"""Finding the place a row means, by OCD id or by name and state — never by guessing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from campaigns.models import Place
from campaigns.models.places import search_form

# The last word of an OCD place name says what kind of place it is ("Chatham township").
KIND_WORDS = {
    "city": Place.Kind.CITY,
    "town": Place.Kind.TOWN,
    "township": Place.Kind.TOWNSHIP,
    "twp": Place.Kind.TOWNSHIP,
    "borough": Place.Kind.BOROUGH,
    "village": Place.Kind.VILLAGE,
    "county": Place.Kind.COUNTY,
    "parish": Place.Kind.COUNTY,
}


def split_kind(name: str) -> tuple[str, Place.Kind | None]:
    """("Chatham township") -> ("Chatham", township); a name without a kind word is left whole."""
    head, _, last = name.strip().rpartition(" ")
    kind = KIND_WORDS.get(last.lower()) if head else None
    return (head.strip(), kind) if kind else (name.strip(), None)


class PlaceIndex:
    """The places of the states a file names, loaded once, so matching costs no query per row."""

    def __init__(self, states: Iterable[str], ocd_ids: Iterable[str] = ()) -> None:
        places = Place.objects.filter(state__in={state.upper() for state in states}) | Place.objects.filter(
            ocd_id__in=set(ocd_ids)
        )
        self.by_ocd_id: dict[str, Place] = {}
        self.by_name: dict[tuple[str, str], list[Place]] = defaultdict(list)
        for place in places.distinct():
            self.by_ocd_id[place.ocd_id] = place
            self.by_name[(place.state, place.search_name)].append(place)

    def find(self, *, name: str, state: str, ocd_id: str = "") -> tuple[Place | None, str]:
        """The one place meant, or None and a reason that lists the candidates."""
        if ocd_id:
            place = self.by_ocd_id.get(ocd_id)
            if place is None:
                return None, (
                    f"no place has the OCD id {ocd_id}; check it against the OCD list "
                    "(spellings differ between lists, e.g. winston-salem) or import that place first"
                )
            return place, ""
        candidates = self._by_name(name, state.upper())
        if len(candidates) == 1:
            return candidates[0], ""
        if not candidates:
            return None, f"no place named “{name}” in {state.upper()}; check the name or give place_ocd_id"
        listed = "; ".join(f"{place.name} {place.get_kind_display().lower()} ({place.ocd_id})" for place in candidates)
        return None, f"“{name}” matches {len(candidates)} places in {state.upper()}: {listed}; give place_ocd_id"

    def _by_name(self, name: str, state: str) -> list[Place]:
        exact = self.by_name.get((state, search_form(name)), [])
        base, kind = split_kind(name)
        if kind is None:
            return sorted(exact, key=lambda place: place.ocd_id)
        # "Chatham borough" narrows "Chatham" to the borough.
        return [place for place in self.by_name.get((state, search_form(base)), []) if place.kind == kind] or exact
