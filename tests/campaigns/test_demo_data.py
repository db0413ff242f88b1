from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from io import StringIO

import pytest
import zipcodes
from django.core.management import call_command

from accounts.models import AuditEvent, User
from campaigns import demo_data
from campaigns.demo import DEMO_SLUG, load_demo_campaign, zip_centroid
from campaigns.models import (
    Agency,
    Campaign,
    Citation,
    DatePrecision,
    Membership,
    Official,
    Partnership,
    Place,
    PlaceStatus,
    Source,
    Status,
    TimelineEvent,
)
from campaigns.models.places import OCD_PLACE_ID
from campaigns.tracker import CitationInput, change_status
from tests.conftest import sign_in_with_two_factors

pytestmark = pytest.mark.django_db

DEMO_MODELS = (Campaign, Place, Agency, Partnership, Source, Citation, PlaceStatus, TimelineEvent, Official)
# Census state FIPS codes: a GEOID starts with its state's.
STATE_FIPS = {"CA": "06", "IL": "17", "KS": "20", "NJ": "34", "OR": "41"}


@pytest.fixture
def organizer(user_factory) -> User:
    return user_factory("organizer@example.org")


@pytest.fixture
def demo(organizer) -> Campaign:
    return load_demo_campaign(organizer=organizer)


def rows() -> dict[str, list[tuple[object, ...]]]:
    """Every demo row with all its values, timestamps included."""
    return {
        model.__name__: sorted(tuple(row.values()) for row in model.objects.values())  # type: ignore[attr-defined]
        for model in DEMO_MODELS
    }


def test_loading_again_changes_nothing(demo, organizer):
    before, audit_events = rows(), AuditEvent.objects.count()

    load_demo_campaign(organizer=organizer)

    assert rows() == before
    assert AuditEvent.objects.count() == audit_events
    assert {name: len(values) for name, values in before.items()} == {
        "Campaign": 1,
        "Place": len(demo_data.PLACES),
        "Agency": len(demo_data.PLACES),
        "Partnership": len(demo_data.PLACES),
        "Source": len(demo_data.SOURCES),
        "Citation": len(before["Citation"]),
        "PlaceStatus": len(demo_data.PLACES),
        "TimelineEvent": len(demo_data.PLACES),
        "Official": 2,
    }


def test_the_campaign_is_the_ring_campaign(demo):
    assert demo.slug == DEMO_SLUG == "end-ring-police-partnerships"
    assert demo.title == "End police partnerships with Amazon Ring"
    assert demo.is_public
    assert demo.ask and demo.description
    assert demo.signature_goal and demo.letter_goal
    assert demo.time_zone == "America/New_York"


def test_every_row_passes_the_model_rules(demo):
    for model in DEMO_MODELS:
        for instance in model.objects.all():  # type: ignore[attr-defined]
            instance.full_clean()


def test_dates_are_stored_as_precisely_as_they_are_known(demo):
    partnerships = Partnership.objects.all()
    unknown_start = partnerships.filter(started_on__isnull=True)
    month_start = partnerships.filter(started_precision=DatePrecision.MONTH)

    assert {p.agency.name for p in month_start} == {
        "Chula Vista Police Department",
        "Los Angeles Police Department",
        "Chicago Police Department",
        "Tigard Police Department",
    }
    assert all(p.started_on and p.started_on.day == 1 for p in month_start)
    assert Partnership.objects.get(agency__name="Chula Vista Police Department").period_display == "since May 2019"
    # No source says when these joined: the date stays empty rather than guessed.
    assert {p.agency.name for p in unknown_start} >= {"Maywood Police Department", "Bloomfield Police Department"}
    assert all("not reported" in p.how_known for p in unknown_start)
    assert all(p.started_precision == DatePrecision.DAY for p in unknown_start)
    assert Source.objects.filter(published_precision=DatePrecision.MONTH).exists()
    assert Source.objects.get(url__contains="bet.com").published_display == "2025"


def test_every_partnership_and_status_change_is_cited_from_a_findable_source(demo):
    for partnership in Partnership.objects.all():
        assert partnership.citations.exists(), partnership
        assert partnership.vendor == "ring" and partnership.program == "neighbors_portal"
        assert partnership.how_known
    events = TimelineEvent.objects.all()
    assert events.count() == len(demo_data.PLACES)
    for event in events:
        assert event.citations.exists(), event
        assert event.citations.public().exists(), event
    for source in Source.objects.filter(citations__isnull=False).distinct():
        assert source.url or source.archived_url, source
        assert source.is_public and source.is_verified, source
    assert all(len(c.quote) < 300 for c in Citation.objects.all())


def test_quotes_are_the_sources_words_and_summaries_say_they_are_not(demo):
    for citation in Citation.objects.all():
        assert citation.quote or citation.note, citation
        if citation.quote:
            assert citation.source.url == demo_data.SOURCES["motherboard-coaching"].url
    summarised = Citation.objects.filter(note__startswith="Summary, not the source's words:")
    assert summarised.exists()
    assert not summarised.exclude(quote="").exists()


def test_sources_match_their_bibliography_entries(demo):
    for facts in demo_data.SOURCES.values():
        source = Source.objects.get(campaign=demo, url=facts.url)
        assert (source.title, source.is_verified, source.kind) == (facts.title, facts.is_verified, facts.kind)
    motherboard = Source.objects.get(url__contains="43kga3")
    assert motherboard.authors == "Caroline Haskins"
    assert motherboard.published_display == "August 5, 2019"


def test_places_carry_real_ocd_ids_matching_their_state(demo):
    for place in Place.objects.all():
        OCD_PLACE_ID(place.ocd_id)
        assert place.ocd_id.startswith(f"ocd-division/country:us/state:{place.state.lower()}/"), place
        assert re.fullmatch(r"\d{5}|\d{7}|\d{10}", place.census_geoid), place
        assert place.census_geoid.startswith(STATE_FIPS[place.state]), place
        assert place.population is None and place.population_source == ""
    bloomfield = Place.objects.get(name="Bloomfield")
    assert bloomfield.ocd_id == "ocd-division/country:us/state:nj/county:essex/place:bloomfield"
    assert bloomfield.kind == Place.Kind.TOWNSHIP


def test_coordinates_are_the_zip_centroid_they_name(demo):
    for place in Place.objects.all():
        zip_code = re.fullmatch(r"zipcodes ZIP centroid (\d{5})", place.location_source).group(1)  # type: ignore[union-attr]
        (match,) = zipcodes.matching(zip_code)
        assert match["state"] == place.state
        assert place.county_name == match["county"]
        assert (place.latitude, place.longitude) == (Decimal(match["lat"]), Decimal(match["long"]))


def test_a_zip_code_in_another_state_is_refused():
    with pytest.raises(ValueError, match="07003"):
        zip_centroid("07003", state="IL")


def test_each_place_is_documented_by_the_organizer_and_policed_by_its_agency(demo, organizer):
    for status in PlaceStatus.objects.filter(campaign=demo):
        assert status.status == Status.PARTNERSHIP_DOCUMENTED
        assert status.place.agencies.filter(campaign=demo).count() == 1
    events = TimelineEvent.objects.filter(campaign=demo)
    assert set(events.values_list("status_before", "status_after", "recorded_by")) == {
        (Status.NOT_STARTED, Status.PARTNERSHIP_DOCUMENTED, organizer.pk)
    }
    assert Agency.objects.get(name="Fresno County Sheriff's Office").kind == Agency.Kind.SHERIFF
    assert events.get(place__name="Maywood").occurred_on == dt.date(2019, 8, 5)


def test_officials_are_named_only_from_public_data_and_have_no_email(demo):
    officials = {(o.name, o.place.name, o.office) for o in Official.objects.all()}

    assert officials == {("Karen Bass", "Los Angeles", "mayor"), ("Brandon Johnson", "Chicago", "mayor")}
    assert not Official.objects.exclude(email="").exists()


def test_loading_again_keeps_a_step_an_organizer_took(demo, organizer):
    maywood = Place.objects.get(name="Maywood")
    change_status(
        campaign=demo,
        place=maywood,
        status=Status.PETITIONING,
        occurred_on=dt.date(2026, 11, 1),
        title="Petition opened",
        citations=[CitationInput(source=Source.objects.filter(campaign=demo).first())],  # type: ignore[arg-type]
        actor=organizer,
        via="test",
    )

    load_demo_campaign(organizer=organizer)

    assert PlaceStatus.objects.get(place=maywood).status == Status.PETITIONING
    assert TimelineEvent.objects.filter(place=maywood).count() == 2


def test_the_public_and_organizer_apis_show_the_demo_campaign(api_client, client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stdout=StringIO())
    organizer = Membership.objects.get(campaign__slug=DEMO_SLUG).user

    public = api_client.get("/api/v1/campaigns/").json()["results"]
    detail = api_client.get(f"/api/v1/campaigns/{DEMO_SLUG}/")
    mine = sign_in_with_two_factors(client, organizer).get("/api/v1/organizer/campaigns/").json()["results"]

    assert [c["slug"] for c in public] == [DEMO_SLUG]
    assert detail.json()["title"] == "End police partnerships with Amazon Ring"
    assert [(c["slug"], c["my_role"]) for c in mine] == [(DEMO_SLUG, "owner")]
