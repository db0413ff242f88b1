"""The campaign home (search, filters, map, list) and the place page, as served without JavaScript."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from campaigns.models import (
    Agency,
    Campaign,
    Citation,
    Official,
    OfficialPosition,
    Partnership,
    Place,
    PlaceStatus,
    Position,
    Program,
    Source,
    Status,
)
from tests.web.pages import parse
from web import page_cache, us_map

pytestmark = pytest.mark.django_db


def _place(name: str, state: str, kind: str = Place.Kind.TOWNSHIP, **extra: object) -> Place:
    slug = name.lower().replace(" ", "_")
    return Place.objects.create(
        ocd_id=f"ocd-division/country:us/state:{state.lower()}/place:{slug}", name=name, kind=kind, state=state, **extra
    )


@pytest.fixture
def ring() -> Campaign:
    campaign = Campaign.objects.create(slug="ring", title="End Ring partnerships", is_public=True, ask="End it.")
    bloomfield = _place("Bloomfield", "NJ", latitude=Decimal("40.8068"), longitude=Decimal("-74.1854"))
    fresno = _place("Fresno County", "CA", Place.Kind.COUNTY, latitude=Decimal("36.74"), longitude=Decimal("-119.78"))
    PlaceStatus.objects.create(campaign=campaign, place=bloomfield, status=Status.PARTNERSHIP_DOCUMENTED)
    PlaceStatus.objects.create(campaign=campaign, place=fresno, status=Status.PETITIONING)
    return campaign


def _text(response) -> str:
    return response.content.decode()


def test_it_lists_every_tracked_place_with_its_status_and_draws_each_on_the_map(client, ring):
    response = client.get("/campaigns/ring/")

    page = _text(response)
    assert response.status_code == 200
    assert "Bloomfield, NJ" in page and "Fresno County, CA" in page
    assert "Partnership documented" in page and "Petitioning" in page
    markers = [e for e in parse(response).elements if e.tag == "circle"]
    assert [m.attrs["class"] for m in markers] == [
        "marker marker--petitioning",
        "marker marker--partnership_documented",
    ]


def test_it_filters_by_state_and_status(client, ring):
    by_state = _text(client.get("/campaigns/ring/", {"state": "CA"}))
    by_status = _text(client.get("/campaigns/ring/", {"status": Status.PARTNERSHIP_DOCUMENTED}))

    assert "Fresno County, CA" in by_state and "Bloomfield, NJ" not in by_state
    assert "Bloomfield, NJ" in by_status and "Fresno County, CA" not in by_status


def test_a_zip_code_offers_the_places_it_covers_to_choose_from(client, ring):
    page = _text(client.get("/campaigns/ring/", {"q": "07003"}))

    assert "Choose your place" in page
    assert 'href="/campaigns/ring/places/' in page and "Bloomfield, NJ" in page
    assert "Fresno County, CA" not in page.split("Choose your place")[1].split("tracker-map")[0]


def test_a_name_with_a_typo_still_finds_the_place(client, ring):
    page = _text(client.get("/campaigns/ring/", {"q": "Blomfield"}))

    assert "Bloomfield, NJ" in page.split("Choose your place")[1]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"q": "0700"}, "q", "Give a five-digit ZIP code"),
        ({"state": "ZZ"}, "state", "Select a valid choice"),
        ({"status": "won"}, "status", "Select a valid choice"),
    ],
)
def test_bad_search_input_is_a_400_naming_the_field(client, ring, params, field, message):
    response = client.get("/campaigns/ring/", params)

    page = parse(response)
    assert response.status_code == 400
    assert message in _text(response)
    [summary] = [e for e in page.elements if "error-summary" in (e.attrs.get("class") or "")]
    assert summary.attrs["role"] == "alert"
    [widget] = [e for e in page.elements if e.attrs.get("name") == field and e.tag in ("input", "select")]
    assert widget.attrs["aria-invalid"] == "true"
    assert f"id_{field}_error" in (widget.attrs.get("aria-describedby") or "")
    assert f'href="#id_{field}"' in _text(response)


def test_a_draft_campaign_and_an_untracked_place_are_not_found(client, ring):
    Campaign.objects.create(slug="draft", title="Draft", is_public=False)
    elsewhere = _place("Maywood", "NJ")

    assert client.get("/campaigns/draft/").status_code == 404
    assert client.get(f"/campaigns/ring/places/{elsewhere.pk}/").status_code == 404


def test_the_place_page_shows_partnerships_with_dates_and_sources_officials_positions_and_counts(client, ring):
    place = Place.objects.get(name="Bloomfield")
    agency = Agency.objects.create(campaign=ring, name="Bloomfield Police Department")
    agency.places.add(place)
    partnership = Partnership.objects.create(
        agency=agency,
        program=Program.NEIGHBORS_PORTAL,
        started_on=dt.date(2019, 8, 1),
        started_precision="month",
        how_known="Listed on Ring's map of partner agencies.",
    )
    source = Source.objects.create(
        campaign=ring, title="Ring's partner map", publisher="Ring", url="https://ring.example/map"
    )
    Citation.objects.create(source=source, partnership=partnership, quote="Bloomfield Police Department")
    official = Official.objects.create(
        campaign=ring, place=place, name="Jenny Mundell", email="mundell@bloomfield.example", phone="555-0100"
    )
    OfficialPosition.objects.create(campaign=ring, official=official, position=Position.UNDECIDED, recorded_via="test")
    OfficialPosition.objects.create(
        campaign=ring, official=official, position=Position.SUPPORTS_ENDING, statement="Yes."
    )

    page = _text(client.get(f"/campaigns/ring/places/{place.pk}/"))

    assert "Bloomfield, NJ" in page and "Partnership documented" in page
    assert "Neighbors Portal video requests" in page and "since August 2019" in page
    assert 'href="https://ring.example/map"' in page and "not yet verified" in page
    assert "Jenny Mundell" in page and "supports ending the partnership" in page and "undecided" not in page
    assert "mundell@bloomfield.example" not in page and "555-0100" not in page  # for letters, never published
    assert 'data-count="signatures">0<' in page


def test_the_about_page_says_nothing_is_shared_with_police_or_vendors(client, ring):
    page = _text(client.get("/about/"))

    assert "Nothing is shared with police, with Amazon or with any vendor." in page
    assert "deleted\n    after 14 days" in page or "after 14 days" in " ".join(page.split())
    assert 'href="/campaigns/ring/"' in page


def test_the_projection_puts_places_inside_the_drawn_map_and_refuses_places_outside_the_us():
    bloomfield, fresno = us_map.project(-74.1854, 40.8068), us_map.project(-119.78, 36.74)
    anchorage, honolulu = us_map.project(-149.9, 61.2), us_map.project(-157.86, 21.31)

    assert bloomfield and fresno and anchorage and honolulu
    for point in (bloomfield, fresno, anchorage, honolulu):
        assert 0 <= point[0] <= us_map.WIDTH and 0 <= point[1] <= us_map.HEIGHT
    assert bloomfield[0] > 800 and fresno[0] < 150  # east coast right, California left
    assert anchorage[1] > 450 and honolulu[1] > 450  # the insets, bottom left
    assert us_map.project(2.35, 48.85) is None  # Paris


def _queries_for(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_campaign_home_costs_the_same_queries_for_2_places_or_12(client, ring):
    client.get("/campaigns/ring/")  # sessions, content types and the like warmed up
    page_cache.invalidate("ring")  # measured as rendered, not as served from the page cache
    with_two = _queries_for(client, "/campaigns/ring/")
    for n in range(10):
        place = _place(f"Town {n}", "NJ", latitude=Decimal("40.5"), longitude=Decimal(f"-74.{n}"))
        PlaceStatus.objects.create(campaign=ring, place=place)

    assert _queries_for(client, "/campaigns/ring/") == with_two
