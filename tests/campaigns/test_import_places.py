from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management.base import CommandError

from accounts.models import AuditEvent
from campaigns.importing.places import EXAMPLE_ID, read_place_rows, validate_places
from campaigns.models import Place
from tests.campaigns import importing
from tests.campaigns.importing import import_events

pytestmark = pytest.mark.django_db

CHATHAM_TOWNSHIP = "ocd-division/country:us/state:nj/county:morris/place:chatham"
CHATHAM_BOROUGH = "ocd-division/country:us/state:nj/place:chatham"
GOOD = f"""id,name,census_geoid
{CHATHAM_TOWNSHIP},Chatham township,place-3402712130
{CHATHAM_BOROUGH},Chatham borough,place-3412100
ocd-division/country:us/state:il/county:kane/place:aurora,Aurora township,place-1708903025
ocd-division/country:us/state:il/place:aurora,Aurora city,place-1703012
ocd-division/country:us/state:nj/county:morris,Morris County,place-34027
ocd-division/country:us/state:ak/place:anchorage,Anchorage municipality,place-0203000
"""
BAD = f"""id,name,census_geoid
{CHATHAM_TOWNSHIP},Chatham township,place-3402712130
ocd-division/country:us/place:nowhere,Nowhere city,place-0000001
ocd-division/country:ca/province:on/place:toronto,Toronto city,place-72001
ocd-division/country:us/state:nj/place:maywood,,place-3444880
ocd-division/country:us/state:nj/place:teaneck,Teaneck township,3472420
ocd-division/country:us/state:nj/place:hoboken,Hoboken city,place-34AB
{CHATHAM_TOWNSHIP},Chatham township,place-3402712130
not an id,,nonsense
"""


def write(tmp_path: Path, text: str, name: str = "places.csv") -> str:
    return str(importing.write(tmp_path, name, text))


def run(location: str, *args: str) -> tuple[str, str]:
    return importing.run("import_places", location, *args)


def failing(location: str, *args: str) -> str:
    return importing.run_failing("import_places", location, *args)


def test_it_imports_places_splitting_the_kind_word_off_the_name(tmp_path):
    out, _ = run(write(tmp_path, GOOD))

    assert "6 were created, 0 were changed, 0 left as they were" in out
    township = Place.objects.get(ocd_id=CHATHAM_TOWNSHIP)
    assert (township.name, township.kind, township.state, township.census_geoid) == (
        "Chatham",
        Place.Kind.TOWNSHIP,
        "NJ",
        "3402712130",
    )
    assert township.search_name == "chatham"
    assert Place.objects.get(census_geoid="34027").kind == Place.Kind.COUNTY
    aurora_city = Place.objects.get(ocd_id="ocd-division/country:us/state:il/place:aurora")
    assert (aurora_city.name, aurora_city.kind, aurora_city.state) == ("Aurora", Place.Kind.CITY, "IL")


def test_a_name_without_a_kind_word_is_kept_whole_with_the_kind_other(tmp_path):
    out, _ = run(write(tmp_path, GOOD))

    anchorage = Place.objects.get(ocd_id="ocd-division/country:us/state:ak/place:anchorage")
    assert (anchorage.name, anchorage.kind, anchorage.search_name) == (
        "Anchorage municipality",
        Place.Kind.OTHER,
        "anchorage municipality",
    )
    assert "1 place name(s) end in no kind word" in out


def test_it_reports_every_bad_row_and_writes_nothing(tmp_path):
    Place.objects.create(
        name="Maywood", kind=Place.Kind.BOROUGH, state="NJ", ocd_id="ocd-division/country:us/state:nj/place:maywood"
    )
    path = write(tmp_path, BAD)

    err = failing(path)

    not_an_id = "is not an OCD id of a place in a state, such as " + EXAMPLE_ID
    not_a_geoid = "is not a Census GEOID written place-<digits>, e.g. place-3412100"
    assert err.splitlines() == [
        f"{path}:3: id: “ocd-division/country:us/place:nowhere” {not_an_id}",
        f"{path}:4: id: “ocd-division/country:ca/province:on/place:toronto” {not_an_id}",
        f"{path}:5: name: required",
        f"{path}:6: census_geoid: “3472420” {not_a_geoid}",
        f"{path}:7: census_geoid: “place-34AB” {not_a_geoid}",
        f"{path}:8: id: {CHATHAM_TOWNSHIP} is already on line 2",
        f"{path}:9: census_geoid: “nonsense” {not_a_geoid}",
        f"{path}:9: id: “not an id” {not_an_id}",
        f"{path}:9: name: required",
    ]
    assert Place.objects.count() == 1
    assert import_events() == 0


def test_it_reports_unknown_and_missing_columns_on_line_1(tmp_path):
    path = write(tmp_path, "id,name,population\nocd-division/country:us/state:nj/place:chatham,Chatham borough,9000\n")

    err = failing(path)

    assert err.splitlines() == [
        f"{path}:1: census_geoid: required column missing from the header",
        f"{path}:1: population: unknown column; accepted: id, name, census_geoid",
    ]
    assert not Place.objects.exists()


def test_a_second_import_of_the_same_file_changes_nothing(tmp_path):
    path = write(tmp_path, GOOD)
    run(path)

    out, _ = run(path)

    assert "0 were created, 0 were changed, 6 left as they were" in out
    assert Place.objects.count() == 6
    assert import_events() == 2


def test_a_changed_row_counts_as_changed_and_keeps_what_the_list_does_not_set(tmp_path):
    run(write(tmp_path, GOOD))
    Place.objects.filter(ocd_id=CHATHAM_BOROUGH).update(population=8962)
    renamed = GOOD.replace("Chatham borough,place-3412100", "Chatham Borough,place-3412101")

    out, _ = run(write(tmp_path, renamed, "renamed.csv"))

    assert "0 were created, 1 were changed, 5 left as they were" in out
    borough = Place.objects.get(ocd_id=CHATHAM_BOROUGH)
    assert (borough.name, borough.kind, borough.census_geoid, borough.population) == (
        "Chatham",
        Place.Kind.BOROUGH,
        "3412101",
        8962,
    )


def test_a_renamed_place_gets_a_new_search_name(tmp_path):
    run(write(tmp_path, GOOD))

    run(write(tmp_path, GOOD.replace("Aurora city", "Aurora-on-Fox city"), "renamed.csv"))

    place = Place.objects.get(ocd_id="ocd-division/country:us/state:il/place:aurora")
    assert (place.name, place.search_name) == ("Aurora-on-Fox", "aurora on fox")


def test_a_dry_run_prints_what_would_happen_and_writes_nothing(tmp_path):
    out, _ = run(write(tmp_path, GOOD), "--dry-run")

    assert "Dry run: 6 would be created, 0 would be changed, 0 left as they were." in out
    assert not Place.objects.exists()
    assert import_events() == 0


def test_a_successful_import_writes_exactly_one_audit_event(tmp_path):
    run(write(tmp_path, GOOD))

    event = AuditEvent.objects.get(details__has_key="import")
    assert event.via == "command"
    assert event.target_type is not None and event.target_type.model == "place"
    assert (event.details["import"]["created"], event.details["import"]["file"]) == (6, str(tmp_path / "places.csv"))


def test_a_duplicate_id_names_the_earlier_line():
    rows = read_place_rows(GOOD + f"{CHATHAM_BOROUGH},Chatham borough,place-3412100\n", file="x.csv")

    with pytest.raises(Exception, match=r"x.csv:8: id: .* is already on line 3"):
        validate_places(rows, file="x.csv")


def test_an_empty_census_geoid_is_allowed():
    rows = read_place_rows(f"id,name,census_geoid\n{CHATHAM_BOROUGH},Chatham borough,\n", file="x.csv")

    assert validate_places(rows, file="x.csv")[CHATHAM_BOROUGH]["census_geoid"] == ""


@pytest.fixture
def served(tmp_path: Path, loopback: str) -> str:
    """The fixture directory over HTTP on a free loopback port, for the URL path of the command."""
    write(tmp_path, GOOD)
    return loopback


def test_it_imports_from_a_url(served):
    out, _ = run(f"{served}/places.csv")

    assert "6 were created" in out
    assert Place.objects.count() == 6
    assert AuditEvent.objects.get(details__has_key="import").details["import"]["file"] == f"{served}/places.csv"


def test_a_url_that_cannot_be_read_is_a_command_error_without_an_audit_event(served):
    with pytest.raises(CommandError, match="cannot read"):
        run(f"{served}/missing.csv")

    assert import_events() == 0
