"""Which places a supporter may mean: from a ZIP code (offline) or from a typed name (typo-tolerant)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import zipcodes
from django.contrib.postgres.search import TrigramSimilarity
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import F, Q, QuerySet

from campaigns.models import Place
from campaigns.models.places import search_form

M = TypeVar("M", bound=models.Model)

ZIP_CODE_PATTERN = r"^[0-9]{5}$"
ZIP_CODE_MESSAGE = "Give a five-digit ZIP code, such as 07003."

TOWNSHIP_WORDS = ("township", "twp", "twps")
COUNTY_WORDS = ("county", "parish", "borough", "census area", "municipality", "city and borough")
# The Postal Service abbreviates where a place's own name does not, and the other way round
# ("N Caldwell", "Saint Louis" for St. Louis); only a name's first word is tried both ways.
FIRST_WORD_SPELLINGS = {
    "n": ("north",),
    "s": ("south",),
    "e": ("east",),
    "w": ("west",),
    "saint": ("st",),
    "st": ("saint",),
    "mount": ("mt",),
    "mt": ("mount",),
    "fort": ("ft",),
    "ft": ("fort",),
}


class How(models.TextChoices):
    """How a place was found for a supporter; later features store it next to the place."""

    ZIP_PRIMARY_CITY = "zip_primary_city", "The city the ZIP code is named for"
    ZIP_ACCEPTABLE_CITY = "zip_acceptable_city", "Another place name the ZIP code goes by"
    ZIP_COUNTY = "zip_county", "The county the ZIP code lies in"


@dataclass(frozen=True)
class PlaceCandidate:
    place: Place
    rank: int
    how: How


@dataclass(frozen=True)
class _CityName:
    """A city name as the Postal Service writes it, in the spellings Place.search_name may hold."""

    how: How
    spellings: frozenset[str]
    says_township: bool

    def keys(self) -> set[str]:
        return {*self.spellings, *(f"{name} {word}" for name in self.spellings for word in TOWNSHIP_WORDS)}

    def matches(self, place: Place) -> bool:
        if place.kind == Place.Kind.COUNTY or place.search_name not in self.keys():
            return False
        # "Chatham Twp" is not the borough of Chatham, though "Chatham" may be either.
        return not self.says_township or place.search_name not in self.spellings or place.kind == Place.Kind.TOWNSHIP

    @property
    def identity(self) -> tuple[frozenset[str], bool]:
        # "N Caldwell" and "North Caldwell" are one name; "Chatham Twp" is not "Chatham".
        return (self.spellings, self.says_township)

    def sort_key(self, place: Place) -> tuple[bool, int, int]:
        return (place.search_name not in self.spellings, -(place.population or 0), place.pk)


def candidates_for_zip(zip_code: str) -> list[PlaceCandidate]:
    """The places a ZIP code may mean, most likely first; never a place we do not have.

    1. The city the ZIP is named for, then the other names it goes by, then its county
       (a city's ZIP also lies in its county, whose sheriff may be the one partnering).
    2. A name that says township ("Chatham Twp") claims the township, so the bare name
       ("Chatham") then stands for the borough: an ambiguous ZIP lists both, each with its how.
    3. A place whose county we know must lie in the ZIP's county: states repeat town names.
    """
    zip_code = zip_code.strip()
    if not re.fullmatch(ZIP_CODE_PATTERN, zip_code):
        raise ValidationError({"zip": [ZIP_CODE_MESSAGE]})
    records: list[dict[str, Any]] = zipcodes.matching(zip_code)  # type: ignore[no-untyped-call]
    # The package holds one record per ZIP code.
    return _candidates_for_record(records[0]) if records else []


def load_zip_codes() -> None:
    """Loads the ZIP code data now rather than in the first request that needs it.

    The package reads it on first use: a quarter second on an idle machine, several seconds on a
    busy one, and about 55 MB. Web processes call this once at start (backend/wsgi.py), so with
    gunicorn's preload_app the master loads it once and every worker shares it; Celery workers and
    management commands never pay for it.
    """
    zipcodes.matching("00501")  # type: ignore[no-untyped-call]  # any code: the first lookup loads every record


def _candidates_for_record(record: dict[str, Any]) -> list[PlaceCandidate]:
    names = _city_names(record)
    county = _county_spellings(record.get("county") or "")
    keys = set(county).union(*(name.keys() for name in names))
    rows = Place.objects.filter(state=record["state"], search_name__in=keys)
    places = [place for place in rows if place.kind == Place.Kind.COUNTY or _lies_in(place, county)]
    claimed = {place.pk for name in names if name.says_township for place in places if name.matches(place)}
    found: dict[int, How] = {}
    for name in names:
        for place in sorted(filter(name.matches, places), key=name.sort_key):
            if name.says_township or place.pk not in claimed:
                found.setdefault(place.pk, name.how)
    for place in places:
        if place.kind == Place.Kind.COUNTY and place.search_name in county:
            found.setdefault(place.pk, How.ZIP_COUNTY)
    by_pk = {place.pk: place for place in places}
    return [PlaceCandidate(place=by_pk[pk], rank=rank, how=how) for rank, (pk, how) in enumerate(found.items(), 1)]


def _city_names(record: dict[str, Any]) -> list[_CityName]:
    named = [(How.ZIP_PRIMARY_CITY, record["city"])]
    named += [(How.ZIP_ACCEPTABLE_CITY, city) for city in record.get("acceptable_cities") or ()]
    names: list[_CityName] = []
    for how, city in named:
        name = _city_name(how, city)
        if name.spellings and name.identity not in {n.identity for n in names}:
            names.append(name)
    return names


def _city_name(how: How, text: str) -> _CityName:
    words = search_form(text).split()
    says_township = False
    if words and words[-1] in TOWNSHIP_WORDS:
        words, says_township = words[:-1], True
    elif words and words[0] in TOWNSHIP_WORDS:  # "Township Of Washington", "Twp Washington"
        words, says_township = words[2:] if words[1:2] == ["of"] else words[1:], True
    return _CityName(how=how, spellings=frozenset(_spellings(words)), says_township=says_township)


def _spellings(words: list[str]) -> Iterable[str]:
    if not words:
        return []
    first, rest = words[0], words[1:]
    return [" ".join([spelling, *rest]) for spelling in (first, *FIRST_WORD_SPELLINGS.get(first, ()))]


def _county_spellings(county: str) -> frozenset[str]:
    base = _without_county_word(search_form(county))
    if not base:
        return frozenset()
    return frozenset({base, *(f"{base} {word}" for word in COUNTY_WORDS)})


def _without_county_word(name: str) -> str:
    for word in COUNTY_WORDS:
        if name.endswith(f" {word}"):
            return name.removesuffix(f" {word}")
    return name


def _lies_in(place: Place, county: frozenset[str]) -> bool:
    return not place.county_name or search_form(place.county_name) in county


def search_places(queryset: QuerySet[M], text: str, *, prefix: str = "") -> QuerySet[M]:
    """Places whose name looks like `text`, closest first, then the most populous.

    Compares search forms, so accents and case never matter ("Cañon" finds "Canon"). On
    PostgreSQL trigrams (GIN-indexed, migration 0004) forgive typos ("Springfeld"), and word
    similarity finds a name from its beginning ("Bloom"); elsewhere it is a plain substring
    match. `prefix` reaches the place through a relation, e.g. "place__" from a PlaceStatus.
    """
    form = search_form(text)
    if not form:
        return queryset.none()
    name, population = f"{prefix}search_name", f"{prefix}population"
    then = (F(population).desc(nulls_last=True), f"{prefix}state", name, "pk")
    if connections[queryset.db].vendor != "postgresql":
        return queryset.filter(Q(**{f"{name}__icontains": form})).order_by(*then)
    similar = Q(**{f"{name}__trigram_similar": form}) | Q(**{f"{name}__trigram_word_similar": form})
    ranked: QuerySet[M] = queryset.filter(similar).annotate(search_rank=TrigramSimilarity(name, form))
    return ranked.order_by("-search_rank", *then)
