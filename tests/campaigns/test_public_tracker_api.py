from __future__ import annotations

import itertools
import time
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from campaigns import tracker
from campaigns.models import (
    Agency,
    Campaign,
    Citation,
    Official,
    Partnership,
    Place,
    PlaceStatus,
    Source,
    Status,
)
from campaigns.models.dates import DatePrecision
from campaigns.models.places import search_form

pytestmark = pytest.mark.django_db
# Typo tolerance is PostgreSQL's pg_trgm; elsewhere search is a plain substring match.
needs_trigrams = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs pg_trgm")

R = "/api/v1/campaigns/ring"
SECRETS = ("member@bloomfield.example.gov", "+1 973 555 0100", "former@bloomfield.example.gov", "973-555-0199")
_numbers = itertools.count()


def make_place(name: str, state: str = "NJ", kind: str = "city", **extra: Any) -> Place:
    slug = f"{name.lower().replace(' ', '_')}_{next(_numbers)}"
    return Place.objects.create(
        name=name, state=state, kind=kind, ocd_id=f"ocd-division/country:us/state:{state.lower()}/place:{slug}", **extra
    )


def track(campaign: Campaign, place: Place, status: str = Status.NOT_STARTED) -> PlaceStatus:
    return PlaceStatus.objects.create(campaign=campaign, place=place, status=status)


@pytest.fixture
def ring(db) -> Campaign:
    return Campaign.objects.create(slug="ring", title="End Ring partnerships", is_public=True)


@pytest.fixture
def world(ring, alice) -> dict[str, Any]:
    """Bloomfield, fully documented; Montclair without coordinates; Springfield, IL, petitioning."""
    bloomfield = make_place(
        "Bloomfield",
        kind="township",
        county_name="Essex County",
        census_geoid="3401306260",
        population=53_105,
        latitude=Decimal("40.803500"),
        longitude=Decimal("-74.189100"),
    )
    montclair = make_place("Montclair", kind="township", population=40_921)
    springfield = make_place(
        "Springfield", state="IL", population=114_394, latitude=Decimal("39.8"), longitude=Decimal("-89.6495")
    )
    make_place("Nutley", kind="township")  # not tracked
    track(ring, montclair)
    track(ring, springfield, Status.PETITIONING)

    news = Source.objects.create(
        campaign=ring,
        title="Amazon Is Coaching Cops",
        publisher="Motherboard",
        authors="Caroline Haskins",
        published_on=date(2019, 8, 1),
        published_precision="month",
        kind="news",
        url="https://example.org/coaching-cops",
        is_verified=True,
    )
    unverified = Source.objects.create(
        campaign=ring, title="Council agenda", kind="meeting", url="https://example.org/agenda", is_verified=False
    )
    internal = Source.objects.create(campaign=ring, title="Our call notes", kind="internal")

    police = Agency.objects.create(campaign=ring, name="Bloomfield Police Department")
    police.places.add(bloomfield)
    portal = Partnership.objects.create(
        agency=police,
        program="neighbors_portal",
        started_on=date(2019, 8, 1),
        started_precision="month",
        ended_on=date(2021, 1, 1),
        ended_precision="year",
        how_known="Emails obtained by public records request.",
    )
    Partnership.objects.create(
        agency=police, program="community_requests", started_on=date(2025, 3, 4), how_known="Axon announcement."
    )
    Citation.objects.create(source=news, partnership=portal, locator="p. 4", quote="Ring partners")
    Citation.objects.create(source=internal, partnership=portal, locator="call of 3 May")

    # Another campaign's agency and official for the same place must not show here.
    other = Campaign.objects.create(slug="flock", title="Flock", is_public=True)
    flock = Agency.objects.create(campaign=other, name="Bloomfield Police (Flock campaign)")
    flock.places.add(bloomfield)
    Partnership.objects.create(agency=flock, vendor="flock", program="flock_integration", how_known="Contract")
    Official.objects.create(campaign=other, place=bloomfield, name="Other Campaign Person")

    Official.objects.create(
        campaign=ring,
        place=bloomfield,
        name="A. Member",
        office="council_member",
        district="Ward 1",
        email=SECRETS[0],
        phone=SECRETS[1],
        term_start=date(2023, 1, 1),
    )
    Official.objects.create(
        campaign=ring,
        place=bloomfield,
        name="Former Member",
        email=SECRETS[2],
        phone=SECRETS[3],
        term_start=date(2015, 1, 1),
        term_end=date(2018, 12, 31),
    )
    Official.objects.create(campaign=ring, place=bloomfield, name="Resigned Member", is_active=False)

    tracker.change_status(
        campaign=ring,
        place=bloomfield,
        status=Status.PARTNERSHIP_DOCUMENTED,
        occurred_on=date(2019, 8, 1),
        precision=DatePrecision.MONTH,
        title="Emails published",
        description="Motherboard publishes the emails.",
        citations=[tracker.CitationInput(source=news, locator="p. 1"), tracker.CitationInput(source=internal)],
        actor=alice,
        via="test",
    )
    return {"bloomfield": bloomfield, "montclair": montclair, "springfield": springfield, "unverified": unverified}


def get(client: Client, path: str, **headers: str) -> Any:
    return client.get(path, headers=headers)


def names(response: Any) -> list[str]:
    return [f"{item['name']}, {item['state']}" for item in response.json()["results"]]


# --- The list


def test_it_lists_tracked_places_with_status_and_current_programs(client, world):
    response = get(client, f"{R}/places/")

    assert response.status_code == 200
    assert names(response) == ["Springfield, IL", "Bloomfield, NJ", "Montclair, NJ"]
    bloomfield = response.json()["results"][1]
    assert bloomfield == {
        "id": world["bloomfield"].pk,
        "name": "Bloomfield",
        "kind": "township",
        "state": "NJ",
        "ocd_id": world["bloomfield"].ocd_id,
        "census_geoid": "3401306260",
        "population": 53105,
        "latitude": 40.8035,
        "longitude": -74.1891,
        "status": "partnership_documented",
        "status_label": "Partnership documented",
        "status_changed_at": bloomfield["status_changed_at"],
        "agencies_count": 1,
        "current_programs": [
            {
                "vendor": "ring",
                "program": "community_requests",
                "program_label": "Community Requests through Axon Evidence (2025–)",
            }
        ],
        "how": None,
    }
    assert bloomfield["status_changed_at"]


def test_it_pages_places_by_state_then_name_with_a_cursor(client, ring):
    for name, state in [("Trenton", "NJ"), ("Albany", "NY"), ("Newark", "NJ"), ("Camden", "NJ"), ("Akron", "OH")]:
        track(ring, make_place(name, state=state))

    seen, url = [], f"{R}/places/?page_size=2"
    while url:
        page = get(client, url).json()
        seen += [f"{item['name']}, {item['state']}" for item in page["results"]]
        url = page["next"]

    assert seen == ["Camden, NJ", "Newark, NJ", "Trenton, NJ", "Albany, NY", "Akron, OH"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=nj", ["Bloomfield, NJ", "Montclair, NJ"]),
        ("status=petitioning", ["Springfield, IL"]),
        ("vendor=ring", ["Bloomfield, NJ"]),
        ("vendor=flock", []),  # the Flock partnership belongs to another campaign's agency
        ("program=neighbors_portal", ["Bloomfield, NJ"]),  # ended, but it was there
        ("program=community_requests&vendor=axon", []),  # both must hold for one partnership
        ("state=NJ&status=not_started", ["Montclair, NJ"]),
        ("status=&state=", ["Springfield, IL", "Bloomfield, NJ", "Montclair, NJ"]),  # blank is no filter
    ],
)
def test_it_filters(client, world, query, expected):
    response = get(client, f"{R}/places/?{query}")

    assert response.status_code == 200
    assert names(response) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=won", "status"),
        ("vendor=acme", "vendor"),
        ("program=drones", "program"),
        ("state=N1", "state"),
        ("state=NEW", "state"),
        ("zip=0700", "zip"),
        ("zip=07003-1234", "zip"),
        (f"q={'x' * 101}", "q"),
        ("q=a%00b", "q"),
        ("page_size=0", "page_size"),
        ("cursor=nonsense", "cursor"),
    ],
)
def test_it_answers_a_bad_parameter_with_400_naming_it(client, world, query, field):
    response = get(client, f"{R}/places/?{query}")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["fields"]) == [field]
    assert body["fields"][field][0]


@needs_trigrams
def test_it_searches_by_name_closest_first_forgiving_typos_and_accents(client, ring):
    for state, population in [("NJ", 17_000), ("MO", 169_000), ("IL", 114_000), ("MA", 155_000)]:
        track(ring, make_place("Springfield", state=state, population=population))
    track(ring, make_place("Cañon City", state="CO"))
    make_place("Springfield", state="OR", population=62_000)  # not tracked by this campaign

    typo = get(client, f"{R}/places/?q=Springfeld")
    accent = get(client, f"{R}/places/?q=canon")

    assert names(typo) == ["Springfield, MO", "Springfield, MA", "Springfield, IL", "Springfield, NJ"]
    assert typo.json()["next"] is None
    assert names(accent) == ["Cañon City, CO"]


@needs_trigrams
def test_a_search_with_filters_keeps_both(client, world):
    assert names(get(client, f"{R}/places/?q=bloomfeild&state=NJ")) == ["Bloomfield, NJ"]
    assert names(get(client, f"{R}/places/?q=bloomfeild&state=IL")) == []


def test_it_finds_the_places_of_a_zip_code_in_candidate_order(client, ring):
    # 07928 is "Chatham", also "Chatham Twp", in Morris County.
    county = make_place("Morris County", kind="county")
    township = make_place("Chatham", kind="township")
    borough = make_place("Chatham", kind="borough")
    for place in (county, township, borough):
        track(ring, place)

    response = get(client, f"{R}/places/?zip=07928")

    assert response.status_code == 200
    assert [(item["id"], item["how"]) for item in response.json()["results"]] == [
        (borough.pk, "zip_primary_city"),
        (township.pk, "zip_acceptable_city"),
        (county.pk, "zip_county"),
    ]


def test_a_zip_code_we_know_nothing_of_finds_nothing(client, world):
    response = get(client, f"{R}/places/?zip=00000")

    assert response.status_code == 200
    assert response.json() == {"next": None, "previous": None, "results": []}


# --- One place


def test_it_shows_a_place_with_agencies_partnerships_officials_and_timeline(client, world):
    response = get(client, f"{R}/places/{world['bloomfield'].pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Bloomfield"
    assert body["status"] == "partnership_documented"
    assert "how" not in body
    assert body["counts"] == {"signatures": 0, "letters": 0}

    [agency] = body["agencies"]
    assert agency["name"] == "Bloomfield Police Department"
    portal, requests = agency["partnerships"]
    assert portal["vendor"] == "ring"
    assert portal["program_label"] == "Neighbors Portal video requests (2018–2021)"
    assert portal["started"] == {"date": "2019-08-01", "precision": "month", "display": "August 2019"}
    assert portal["ended"] == {"date": "2021-01-01", "precision": "year", "display": "2021"}
    assert portal["period_display"] == "August 2019 – 2021"
    assert portal["how_known"] == "Emails obtained by public records request."
    # Our own records are for organizers; the public sees what anyone can check.
    [citation] = portal["citations"]
    assert citation["locator"] == "p. 4"
    assert citation["source"]["title"] == "Amazon Is Coaching Cops"
    assert citation["source"]["published"]["display"] == "August 2019"
    assert citation["source"]["is_verified"] is True
    assert requests["ended"] is None
    assert requests["started"]["display"] == "March 4, 2025"

    [official] = body["officials"]
    assert official == {
        "id": official["id"],
        "name": "A. Member",
        "office": "council_member",
        "office_label": "Council member",
        "district": "Ward 1",
        "term_start": "2023-01-01",
        "term_end": None,
        "position": None,
    }

    [event] = body["timeline"]
    assert event["title"] == "Emails published"
    assert event["occurred"] == {"date": "2019-08-01", "precision": "month", "display": "August 2019"}
    assert (event["status_before"], event["status_after"]) == ("not_started", "partnership_documented")
    assert event["status_after_label"] == "Partnership documented"
    assert [c["source"]["title"] for c in event["citations"]] == ["Amazon Is Coaching Cops"]


def test_an_untracked_or_unknown_place_is_not_found(client, world):
    nutley = Place.objects.get(name="Nutley")

    assert get(client, f"{R}/places/{nutley.pk}/").status_code == 404
    assert get(client, f"{R}/places/999999/").status_code == 404


# --- Privacy and drafts


def test_officials_email_and_phone_never_appear_in_any_public_answer(client, world):
    place = world["bloomfield"].pk
    paths = [
        "/api/v1/campaigns/",
        f"{R}/",
        f"{R}/places/",
        f"{R}/places/?q=bloomfield",
        f"{R}/places/?zip=07003",
        f"{R}/places/{place}/",
        f"{R}/places.geojson",
        f"{R}/sources/",
    ]
    for path in paths:
        response = get(client, path)
        assert response.status_code == 200, path
        text = response.content.decode()
        for secret in (*SECRETS, '"email"', '"phone"'):
            assert secret not in text, (path, secret)


@pytest.mark.parametrize("path", ["places/", "places/{place}/", "places.geojson", "sources/"])
def test_a_draft_campaign_answers_not_found(client, world, path):
    draft = Campaign.objects.create(slug="draft", title="Not yet")
    track(draft, world["bloomfield"])

    response = get(client, f"/api/v1/campaigns/draft/{path.format(place=world['bloomfield'].pk)}")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "not_found", "detail": "Not found."}


# --- Sources


def test_it_lists_public_sources_marking_the_unverified(client, world):
    response = get(client, f"{R}/sources/")

    assert response.status_code == 200
    results = response.json()["results"]
    assert [(s["title"], s["is_verified"]) for s in results] == [
        ("Council agenda", False),
        ("Amazon Is Coaching Cops", True),
    ]
    coaching = results[1]
    assert coaching["authors"] == "Caroline Haskins"
    assert coaching["published"] == {"date": "2019-08-01", "precision": "month", "display": "August 2019"}
    assert (coaching["kind"], coaching["kind_label"]) == ("news", "News report")
    assert set(coaching) >= {"url", "archived_url", "documentcloud_id", "retrieved_on", "publisher"}


def test_sources_page_with_a_cursor(client, ring):
    for n in range(5):
        Source.objects.create(campaign=ring, title=f"Report {n}", url=f"https://example.org/{n}")

    first = get(client, f"{R}/sources/?page_size=3").json()
    second = get(client, first["next"]).json()

    assert [s["title"] for s in first["results"] + second["results"]] == [f"Report {n}" for n in range(4, -1, -1)]
    assert second["next"] is None


# --- Caching


@pytest.mark.parametrize("path", ["places/", "places/{place}/", "places.geojson"])
def test_changing_figures_are_cached_briefly_and_revalidated_by_etag(client, ring, world, alice, path):
    url = f"{R}/{path.format(place=world['bloomfield'].pk)}"

    first = get(client, url)
    again = get(client, url, If_None_Match=first["ETag"])

    assert first.status_code == 200
    assert first["ETag"].startswith('"')  # strong, not W/"…"
    cache_control = dict(part.strip().partition("=")[::2] for part in first["Cache-Control"].split(","))
    assert "public" in cache_control
    assert cache_control["max-age"] == "0", "browsers revalidate: a new figure is never kept by them"
    assert 0 < int(cache_control["s-maxage"]) <= 2, "a shared cache keeps it a moment"
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]

    tracker.change_status(
        campaign=ring,
        place=world["bloomfield"],
        status=Status.ON_AGENDA,
        occurred_on=date(2026, 1, 5),
        title="On the agenda",
        citations=[tracker.CitationInput(source=Source.objects.get(title="Council agenda"))],
        actor=alice,
        via="test",
    )
    changed = get(client, url, If_None_Match=first["ETag"])

    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


# --- The map


def test_the_map_is_a_geojson_feature_collection_of_places_with_coordinates(client, world):
    response = get(client, f"{R}/places.geojson")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["features"] == [
        {
            "type": "Feature",
            "id": world["springfield"].pk,
            "geometry": {"type": "Point", "coordinates": [-89.6495, 39.8]},
            "properties": {
                "id": world["springfield"].pk,
                "name": "Springfield",
                "state": "IL",
                "status": "petitioning",
                "status_label": "Petitioning",
            },
        },
        {
            "type": "Feature",
            "id": world["bloomfield"].pk,
            "geometry": {"type": "Point", "coordinates": [-74.1891, 40.8035]},
            "properties": {
                "id": world["bloomfield"].pk,
                "name": "Bloomfield",
                "state": "NJ",
                "status": "partnership_documented",
                "status_label": "Partnership documented",
            },
        },
    ]


def test_the_map_also_answers_plain_json_when_asked(client, world):
    response = get(client, f"{R}/places.geojson", Accept="application/json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["type"] == "FeatureCollection"


# --- Query counts: fixed, however many places

LIST_QUERIES = 4  # campaign, page of places, their agencies, those agencies' partnerships
# campaign, place; agencies, partnerships, their citations; officials, their positions; events, their
# citations; signature tallies; counted letters
DETAIL_QUERIES = 11
MAP_QUERIES = 2  # campaign, rows


def track_with_police(campaign: Campaign, place: Place) -> None:
    """A tracked place policed by its own agency with two partnerships, as the list shows them."""
    track(campaign, place)
    agency = Agency.objects.create(campaign=campaign, name=f"Police of {place.name}")
    agency.places.add(place)
    Partnership.objects.create(agency=agency, program="neighbors_portal", how_known="Emails")
    Partnership.objects.create(agency=agency, program="community_requests", how_known="Axon")


def track_many(campaign: Campaign, count: int) -> None:
    for _ in range(count):
        track_with_police(campaign, make_place(f"Town {next(_numbers)}", latitude=Decimal(40), longitude=Decimal(-74)))


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("places/", LIST_QUERIES),
        ("places/?vendor=ring&state=NJ", LIST_QUERIES),
        ("places/?q=town", LIST_QUERIES),
        ("places/?zip=07003", LIST_QUERIES + 1),  # + the ZIP's candidate places
        ("places.geojson", MAP_QUERIES),
        ("sources/", 2),
    ],
)
def test_lists_take_as_many_queries_for_3_places_as_for_60(client, ring, django_assert_num_queries, path, queries):
    track_with_police(ring, make_place("Bloomfield", kind="township"))  # in ZIP 07003
    track_many(ring, 2)

    with django_assert_num_queries(queries):
        assert get(client, f"{R}/{path}").status_code == 200

    track_many(ring, 57)
    for n in range(57):
        Source.objects.create(campaign=ring, title=f"Report {n}", url=f"https://example.org/{n}")

    with django_assert_num_queries(queries):
        assert get(client, f"{R}/{path}").status_code == 200


def test_one_place_takes_as_many_queries_however_much_it_holds(client, world, alice, django_assert_num_queries):
    url = f"{R}/places/{world['bloomfield'].pk}/"
    with django_assert_num_queries(DETAIL_QUERIES):
        assert get(client, url).status_code == 200

    source = Source.objects.get(title="Amazon Is Coaching Cops")
    for n in range(10):
        agency = Agency.objects.create(campaign=Campaign.objects.get(slug="ring"), name=f"Agency {n}")
        agency.places.add(world["bloomfield"])
        partnership = Partnership.objects.create(agency=agency, program="neighbors_portal", how_known="Emails")
        Citation.objects.create(source=source, partnership=partnership)
        Official.objects.create(campaign=agency.campaign, place=world["bloomfield"], name=f"Member {n}")
        tracker.change_status(
            campaign=agency.campaign,
            place=world["bloomfield"],
            status=Status.PETITIONING,
            occurred_on=date(2026, 1, n + 1),
            title=f"Step {n}",
            citations=[tracker.CitationInput(source=source)],
            actor=alice,
            via="test",
        )

    with django_assert_num_queries(DETAIL_QUERIES):
        assert get(client, url).status_code == 200
    assert len(get(client, url).json()["timeline"]) == 11


BIG = 20_000


def test_a_campaign_of_20000_places_lists_a_page_in_the_same_queries(client, ring, django_assert_num_queries):
    started = time.monotonic()
    agency = Agency.objects.create(campaign=ring, name="State Police")
    Partnership.objects.create(agency=agency, program="community_requests", how_known="Axon")
    places = Place.objects.bulk_create(
        Place(
            name=f"Town {n:05}",
            search_name=search_form(f"Town {n:05}"),
            kind="town",
            state="NJ",
            ocd_id=f"ocd-division/country:us/state:nj/place:town_{n}",
            latitude=Decimal(40),
            longitude=Decimal(-74),
        )
        for n in range(BIG)
    )
    PlaceStatus.objects.bulk_create(PlaceStatus(campaign=ring, place=place) for place in places)
    Agency.places.through.objects.bulk_create(Agency.places.through(agency=agency, place=place) for place in places)
    setup_seconds = time.monotonic() - started

    with django_assert_num_queries(LIST_QUERIES):
        first = get(client, f"{R}/places/?page_size=200")
    with django_assert_num_queries(LIST_QUERIES):
        second = get(client, first.json()["next"])
    with django_assert_num_queries(LIST_QUERIES):
        search = get(client, f"{R}/places/?q=town 19999")
    with django_assert_num_queries(MAP_QUERIES):
        assert len(get(client, f"{R}/places.geojson").json()["features"]) == BIG

    assert [p["name"] for p in first.json()["results"]][:2] == ["Town 00000", "Town 00001"]
    assert second.json()["results"][0]["name"] == "Town 00200"
    assert search.json()["results"][0]["name"] == "Town 19999"
    assert first.json()["results"][0]["current_programs"][0]["program"] == "community_requests"
    assert setup_seconds < 30
