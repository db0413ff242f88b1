from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from campaigns.models import Place
from campaigns.places_lookup import How, candidates_for_zip, search_places

pytestmark = pytest.mark.django_db
# Typo tolerance is PostgreSQL's pg_trgm; elsewhere search is a plain substring match.
needs_trigrams = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs pg_trgm")

_numbers = itertools.count()


@pytest.fixture
def place():
    def make(name: str, state: str = "NJ", kind: str = "city", **extra) -> Place:
        slug = f"{name.lower().replace(' ', '_').replace('.', '')}_{next(_numbers)}"
        ocd_id = f"ocd-division/country:us/state:{state.lower()}/place:{slug}"
        return Place.objects.create(name=name, state=state, kind=kind, ocd_id=ocd_id, **extra)

    return make


def found(zip_code: str) -> list[tuple[str, str, str]]:
    return [(c.place.name, c.place.kind, c.how) for c in candidates_for_zip(zip_code)]


def test_it_ranks_the_zip_city_first_then_its_county(place):
    place("Essex County", kind="county")
    place("Bloomfield", kind="township", county_name="Essex County")

    candidates = candidates_for_zip("07003")

    assert [(c.rank, c.place.name, c.how) for c in candidates] == [
        (1, "Bloomfield", How.ZIP_PRIMARY_CITY),
        (2, "Essex County", How.ZIP_COUNTY),
    ]


def test_it_lists_both_chathams_of_an_ambiguous_zip_each_with_how_it_was_found(place):
    # 07928 is "Chatham", also known as "Chatham Twp", in Morris County.
    place("Morris County", kind="county")
    place("Chatham", kind="township", population=10983)
    place("Chatham", kind="borough", population=9212)
    place("Chatham", state="IL", population=14000)

    assert found("07928") == [
        ("Chatham", "borough", How.ZIP_PRIMARY_CITY),
        ("Chatham", "township", How.ZIP_ACCEPTABLE_CITY),
        ("Morris County", "county", How.ZIP_COUNTY),
    ]


def test_it_finds_a_township_named_with_its_suffix(place):
    place("Chatham Township", kind="township")
    place("Chatham", kind="borough")

    assert found("07928") == [
        ("Chatham", "borough", How.ZIP_PRIMARY_CITY),
        ("Chatham Township", "township", How.ZIP_ACCEPTABLE_CITY),
    ]


def test_it_lists_every_town_a_zip_spans_once(place):
    # 07006 is Caldwell, also North Caldwell ("N Caldwell") and West Caldwell ("W Caldwell").
    place("Essex County", kind="county")
    place("West Caldwell", kind="township")
    place("North Caldwell", kind="borough")
    place("Caldwell", kind="borough")

    assert found("07006") == [
        ("Caldwell", "borough", How.ZIP_PRIMARY_CITY),
        ("North Caldwell", "borough", How.ZIP_ACCEPTABLE_CITY),
        ("West Caldwell", "township", How.ZIP_ACCEPTABLE_CITY),
        ("Essex County", "county", How.ZIP_COUNTY),
    ]


def test_it_reads_township_of_and_saint_as_the_postal_service_writes_them(place):
    place("Washington", kind="township", county_name="Bergen County")
    place("St. Louis", state="MO")

    assert found("07676") == [("Washington", "township", How.ZIP_PRIMARY_CITY)]
    assert found("63101") == [("St. Louis", "city", How.ZIP_PRIMARY_CITY)]


def test_it_skips_a_town_of_the_same_name_in_another_county(place):
    # 07882 is Washington in Warren County; Morris County has a Washington Township too.
    place("Washington", kind="township", county_name="Morris County")
    warren = place("Washington", kind="borough", county_name="Warren County")

    assert [c.place for c in candidates_for_zip("07882")] == [warren]


def test_it_never_invents_a_place(place):
    place("Bloomfield", state="CT")

    assert candidates_for_zip("07003") == []


def test_an_unknown_zip_has_no_candidates(place):
    place("Bloomfield", kind="township")

    assert candidates_for_zip("00000") == []


@pytest.mark.parametrize("zip_code", ["", "0700", "070031", "abcde", "07003-1234", "０７００３"])
def test_it_refuses_anything_but_five_digits(zip_code):
    with pytest.raises(ValidationError) as raised:
        candidates_for_zip(zip_code)

    assert list(raised.value.message_dict) == ["zip"]


@pytest.fixture
def springfields(place):
    place("Springfield", state="NJ", kind="township", population=17_000)
    place("Springfield", state="MO", population=169_000)
    place("Springfield", state="IL", population=114_000)
    place("Springfield", state="MA", population=155_000)
    place("West Springfield", state="MA", population=28_000)
    place("Bloomfield", kind="township", population=53_000)


@needs_trigrams
def test_it_forgives_a_typo_and_lists_the_springfields_by_population(springfields):
    results = search_places(Place.objects.all(), "Springfeld")

    assert [(p.name, p.state) for p in results[:4]] == [
        ("Springfield", "MO"),
        ("Springfield", "MA"),
        ("Springfield", "IL"),
        ("Springfield", "NJ"),
    ]
    assert [p.name for p in results[4:]] == ["West Springfield"]


@needs_trigrams
def test_it_finds_bloomfield_from_a_misspelling_and_from_its_beginning(springfields):
    assert [p.name for p in search_places(Place.objects.all(), "Bloomfeild")] == ["Bloomfield"]
    assert [p.name for p in search_places(Place.objects.all(), "bloom")] == ["Bloomfield"]


def test_it_ignores_accents_both_ways(place):
    canon = place("Cañon City", state="CO")
    espanola = place("Espanola", state="NM")

    assert list(search_places(Place.objects.all(), "Canon City")) == [canon]
    assert list(search_places(Place.objects.all(), "Española")) == [espanola]


def test_it_finds_nothing_for_text_without_letters_or_digits(springfields):
    assert list(search_places(Place.objects.all(), " ?! ")) == []


def test_it_falls_back_to_a_substring_match_off_postgresql(springfields, monkeypatch):
    monkeypatch.setattr(connections["default"], "vendor", "sqlite")

    results = search_places(Place.objects.all(), "SPRINGFIELD")

    assert [(p.name, p.state) for p in results] == [
        ("Springfield", "MO"),
        ("Springfield", "MA"),
        ("Springfield", "IL"),
        ("West Springfield", "MA"),
        ("Springfield", "NJ"),
    ]
