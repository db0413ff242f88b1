from __future__ import annotations

import json
from pathlib import Path

import pytest

from campaigns.models import Campaign, Official, Place
from tests.campaigns import importing
from tests.campaigns.importing import PROBLEMS_FOUND, write

pytestmark = pytest.mark.django_db

CHATHAM_BOROUGH = "ocd-division/country:us/state:nj/place:chatham"
CHATHAM_TOWNSHIP = "ocd-division/country:us/state:nj/county:morris/place:chatham"
UNKNOWN_ID_HINT = (
    "; check it against the OCD list (spellings differ between lists, e.g. winston-salem) or import that place first"
)
BLOOMFIELD = "ocd-division/country:us/state:nj/county:essex/place:bloomfield"
ANCHORAGE = "ocd-division/country:us/state:ak/place:anchorage"

OPEN_STATES_HEADER = (
    "ocd_person_id,name,given_name,family_name,role_type,role_start_date,role_end_date,ocd_jurisdiction_id,"
    "ocd_division_id,state,email,office_voice,office_address,links,sources,source_path"
)


@pytest.fixture
def ring(db: None) -> Campaign:
    return Campaign.objects.create(slug="ring", title="End Ring partnerships")


@pytest.fixture
def places(db: None) -> dict[str, Place]:
    made = [
        Place.objects.create(name="Chatham", kind=Place.Kind.BOROUGH, state="NJ", ocd_id=CHATHAM_BOROUGH),
        Place.objects.create(name="Chatham", kind=Place.Kind.TOWNSHIP, state="NJ", ocd_id=CHATHAM_TOWNSHIP),
        Place.objects.create(name="Bloomfield", kind=Place.Kind.TOWNSHIP, state="NJ", ocd_id=BLOOMFIELD),
        Place.objects.create(name="Anchorage", kind=Place.Kind.CITY, state="AK", ocd_id=ANCHORAGE),
    ]
    return {place.ocd_id: place for place in made}


def run(path: Path, *args: str) -> str:
    out, _ = importing.run("import_officials", path, "--campaign", "ring", *args)
    return out


def run_failing(path: Path) -> list[str]:
    return importing.run_failing("import_officials", path, "--campaign", "ring", match=PROBLEMS_FOUND).splitlines()


OUR_CSV = (
    "name,office,state,place,place_ocd_id,district,email,phone,term_start,term_end,active,external_id\n"
    "Nancy Drew,mayor,NJ,Bloomfield,,,nancy@bloomfieldnj.gov,973-555-0100,2022-01-01,2099-12-31,,\n"
    "Ned Nickerson,council_member,,,ocd-division/country:us/state:nj/place:chatham,Ward 2,,,,,true,ext-ned\n"
)


def test_it_imports_our_csv(tmp_path: Path, ring: Campaign, places: dict[str, Place]) -> None:
    out = run(write(tmp_path, "officials.csv", OUR_CSV))

    assert out.strip().endswith("2 were created, 0 were changed, 0 left as they were.")
    nancy = Official.objects.get(name="Nancy Drew")
    assert (nancy.campaign, nancy.place, nancy.office) == (ring, places[BLOOMFIELD], Official.Office.MAYOR)
    assert (nancy.email, nancy.phone, str(nancy.term_start), str(nancy.term_end)) == (
        "nancy@bloomfieldnj.gov",
        "973-555-0100",
        "2022-01-01",
        "2099-12-31",
    )
    assert nancy.is_active and nancy.external_id == ""
    ned = Official.objects.get(name="Ned Nickerson")
    assert (ned.place, ned.district, ned.external_id, ned.is_active) == (
        places[CHATHAM_BOROUGH],
        "Ward 2",
        "ext-ned",
        True,
    )


def test_every_bad_row_is_reported_and_nothing_is_written(
    tmp_path: Path, ring: Campaign, places: dict[str, Place]
) -> None:
    path = write(
        tmp_path,
        "bad.csv",
        "name,office,state,place,place_ocd_id,email,term_start,term_end,active\n"
        ",mayor,NJ,Bloomfield,,,,,\n"
        "Bad Mail,mayor,NJ,Bloomfield,,jane@,,,\n"
        "Bad Date,mayor,NJ,Bloomfield,,,2024-13-01,,\n"
        "Backwards,mayor,NJ,Bloomfield,,,2024-01-01,2023-12-31,\n"
        "Dog Catcher,dogcatcher,NJ,Bloomfield,,,,,\n"
        "Nobody,mayor,NJ,Atlantis,,,,,\n"
        "Which One,mayor,NJ,Chatham,,,,,\n"
        "Maybe,mayor,NJ,Bloomfield,,,,,maybe\n"
        "Lost,mayor,,,ocd-division/country:us/state:nj/place:nowhere,,,,\n"
        "No Place,mayor,NJ,,,,,,\n"
        "Wrong State,mayor,NY,,ocd-division/country:us/state:nj/place:chatham,,,,\n"
        "Good Row,mayor,NJ,Bloomfield,,,,,\n",
    )

    errors = run_failing(path)

    assert errors == [
        f"{path}:2: name: a value is required",
        f"{path}:3: email: not an e-mail address: 'jane@'",
        f"{path}:4: term_start: not a date: '2024-13-01'; write YYYY-MM-DD",
        f"{path}:5: term_end: the term ends (2023-12-31) before it starts (2024-01-01)",
        f"{path}:6: office: unknown value 'dogcatcher'; accepted: "
        "council_member, council_president, mayor, commissioner, supervisor, other",
        f"{path}:7: place: no place named “Atlantis” in NJ; check the name or give place_ocd_id",
        f"{path}:8: place: “Chatham” matches 2 places in NJ: "
        f"Chatham township ({CHATHAM_TOWNSHIP}); Chatham borough ({CHATHAM_BOROUGH}); give place_ocd_id",
        f"{path}:9: active: write true or false, not 'maybe'",
        f"{path}:10: place_ocd_id: no place has the OCD id "
        f"ocd-division/country:us/state:nj/place:nowhere{UNKNOWN_ID_HINT}",
        f"{path}:11: place: a value is required (or give place_ocd_id)",
        f"{path}:12: state: {CHATHAM_BOROUGH} is in NJ, not NY",
    ]
    assert not Official.objects.exists()


def test_a_missing_column_or_an_unknown_one_is_an_error_of_the_header(tmp_path: Path, ring: Campaign) -> None:
    path = write(tmp_path, "header.csv", "name,state,place,nickname\nNancy Drew,NJ,Bloomfield,Nan\n")

    errors = run_failing(path)

    assert errors == [
        f"{path}:1: nickname: unknown column; accepted: name, office, state, place, "
        "place_ocd_id, district, email, phone, term_start, term_end, active, external_id",
        f"{path}:1: office: required column missing from the header",
    ]


def test_a_file_may_name_an_official_once(tmp_path: Path, ring: Campaign, places: dict[str, Place]) -> None:
    path = write(
        tmp_path,
        "twice.csv",
        "name,office,state,place,external_id\n"
        "Nancy Drew,mayor,NJ,Bloomfield,\n"
        "Nancy Drew,mayor,NJ,Bloomfield,\n"
        "Ned Nickerson,mayor,NJ,Bloomfield,ext-1\n"
        "Edward Nickerson,mayor,NJ,Bloomfield,ext-1\n",
    )

    assert run_failing(path) == [
        f"{path}:3: name: the same place, name and office as line 2: each may appear once in a file",
        f"{path}:5: external_id: the same external_id as line 4: each may appear once in a file",
    ]


def test_importing_the_same_file_again_changes_nothing(
    tmp_path: Path, ring: Campaign, places: dict[str, Place]
) -> None:
    path = write(tmp_path, "officials.csv", OUR_CSV)
    run(path)

    out = run(path)

    assert out.strip() == "0 were created, 0 were changed, 2 left as they were."
    assert Official.objects.count() == 2


def test_a_changed_row_is_counted_as_changed(tmp_path: Path, ring: Campaign, places: dict[str, Place]) -> None:
    run(write(tmp_path, "officials.csv", OUR_CSV))
    changed = OUR_CSV.replace("973-555-0100", "973-555-0199").replace("Ned Nickerson", "Edward Nickerson")

    out = run(write(tmp_path, "changed.csv", changed))

    # Nancy is matched by place, name and office; Ned by his external id, so a new name is a change.
    assert out.strip() == "0 were created, 2 were changed, 0 left as they were."
    assert Official.objects.get(name="Nancy Drew").phone == "973-555-0199"
    assert Official.objects.get(external_id="ext-ned").name == "Edward Nickerson"


def test_a_missing_column_leaves_the_field_as_it_is(tmp_path: Path, ring: Campaign, places: dict[str, Place]) -> None:
    run(write(tmp_path, "officials.csv", OUR_CSV))

    out = run(write(tmp_path, "names.csv", "name,office,state,place\nNancy Drew,mayor,NJ,Bloomfield\n"))

    assert out.strip() == "0 were created, 0 were changed, 1 left as they were."
    assert Official.objects.get(name="Nancy Drew").email == "nancy@bloomfieldnj.gov"


def test_a_dry_run_writes_nothing(tmp_path: Path, ring: Campaign, places: dict[str, Place]) -> None:
    out = run(write(tmp_path, "officials.csv", OUR_CSV), "--dry-run")

    assert out.strip() == "Dry run: 2 would be created, 0 would be changed, 0 left as they were."
    assert not Official.objects.exists()


def test_an_ended_term_is_imported_as_inactive_and_reported(
    tmp_path: Path, ring: Campaign, places: dict[str, Place]
) -> None:
    path = write(
        tmp_path,
        "ended.csv",
        "name,office,state,place,term_end,active\n"
        "Nancy Drew,mayor,NJ,Bloomfield,2099-12-31,\n"
        "Jane Doe,council_member,NJ,Bloomfield,2020-12-31,true\n",
    )

    out = run(path)

    assert out.splitlines() == [
        "line 3: Jane Doe's term ended 2020-12-31: imported as inactive",
        "2 were created, 0 were changed, 0 left as they were.",
    ]
    assert not Official.objects.get(name="Jane Doe").is_active
    assert Official.objects.get(name="Nancy Drew").is_active


def jurisdiction(division: str) -> str:
    return division.replace("ocd-division/", "ocd-jurisdiction/") + "/government"


def open_states_line(
    person: str, name: str, role: str, end: str, division: str, *, only_jurisdiction: bool = False
) -> str:
    """A row shaped like openstates_municipal_officials.csv (some files give only the jurisdiction id)."""
    state = division.split("state:")[1][:2].upper()
    given, _, family = name.partition(" ")
    return (
        f"ocd-person/{person},{name},{given},{family},{role},,{end},{jurisdiction(division)},"
        f"{'' if only_jurisdiction else division},{state},{given.lower()}@example.gov,907-555-0100,"
        f'"1 Main St;Town, {state} 00000",https://example.gov/,https://example.gov/mayor,'
        f"data/{state.lower()}/municipalities/{given}-{person}.yml\n"
    )


def test_it_imports_the_open_states_csv(tmp_path: Path, ring: Campaign, places: dict[str, Place]) -> None:
    lines = [
        open_states_line("f18dfad6", "Suzanne LaFrance", "mayor", "2099-06-30", ANCHORAGE),
        open_states_line(
            "4196f1a1", "Frank Bracato", "councilmember", "2020-12-31", BLOOMFIELD, only_jurisdiction=True
        ),
        open_states_line("be7626e6", "Paul Finley", "clerk", "2099-12-31", CHATHAM_BOROUGH),
    ]
    path = write(tmp_path, "openstates_municipal_officials.csv", OPEN_STATES_HEADER + "\n" + "".join(lines))

    out = run(path)

    assert out.splitlines() == [
        "line 3: Frank Bracato's term ended 2020-12-31: imported as inactive",
        "3 were created, 0 were changed, 0 left as they were.",
    ]
    suzanne = Official.objects.get(external_id="ocd-person/f18dfad6")
    assert (suzanne.name, suzanne.office, suzanne.place) == ("Suzanne LaFrance", "mayor", places[ANCHORAGE])
    assert (suzanne.email, suzanne.phone, str(suzanne.term_end), suzanne.term_start) == (
        "suzanne@example.gov",
        "907-555-0100",
        "2099-06-30",
        None,
    )
    frank = Official.objects.get(external_id="ocd-person/4196f1a1")
    assert (frank.office, frank.place, frank.is_active) == ("council_member", places[BLOOMFIELD], False)
    assert Official.objects.get(external_id="ocd-person/be7626e6").office == Official.Office.OTHER
    assert run(path).splitlines()[-1] == "0 were created, 0 were changed, 3 left as they were."


def test_open_states_csv_errors_name_its_own_columns(tmp_path: Path, ring: Campaign, places: dict[str, Place]) -> None:
    ann_arbor = "ocd-division/country:us/state:mi/place:ann_arbor"
    lines = [
        open_states_line("a1", "Ann Arbor", "mayor", "2099-13-01", ann_arbor, only_jurisdiction=True),
        open_states_line("a2", "Bob Role", "", "2099-01-01", ANCHORAGE).replace("bob@", "bob@@"),
    ]
    path = write(tmp_path, "openstates.csv", OPEN_STATES_HEADER + "\n" + "".join(lines))

    assert run_failing(path) == [
        f"{path}:2: ocd_jurisdiction_id: no place has the OCD id {ann_arbor}{UNKNOWN_ID_HINT}",
        f"{path}:2: role_end_date: not a date: '2099-13-01'; write YYYY-MM-DD",
        f"{path}:3: email: not an e-mail address: 'bob@@example.gov'",
        f"{path}:3: role_type: a value is required",
    ]


def role(kind: str, division: str, end: str, **extra: str) -> dict[str, str]:
    return {"end_date": end, "type": kind, "jurisdiction": jurisdiction(division), **extra}


def open_states_person(person: str, name: str, roles: list[dict[str, str]], **extra: object) -> dict[str, object]:
    """A person shaped like openstates_municipal_officials.json."""
    return {
        "id": f"ocd-person/{person}",
        "name": name,
        "given_name": name.split()[0],
        "family_name": name.split()[-1],
        "roles": roles,
        "offices": [{"classification": "primary", "address": "1 Main St;Town, NJ 00000", "voice": "973-555-0100"}],
        "links": [{"url": "https://example.gov/"}],
        "sources": [{"url": "https://example.gov/mayor"}],
        "source_path": f"data/nj/municipalities/{name.replace(' ', '-')}-{person}.yml",
        **extra,
    }


NEW_JERSEY = "ocd-division/country:us/state:nj"
ATLANTIS = "ocd-division/country:us/state:nj/place:atlantis"


def test_it_imports_the_open_states_json(tmp_path: Path, ring: Campaign, places: dict[str, Place]) -> None:
    legislator = role("lower", NEW_JERSEY, "2020-12-07", district="78")
    mayor = role("mayor", BLOOMFIELD, "2099-12-11", start_date="2022-12-12")
    people = [
        open_states_person("aa858fde", "Ciara Smith", [legislator, mayor], email="ciara@bloomfieldnj.gov", party=[]),
        open_states_person("24f25040", "Mark Blank", [role("mayor", ANCHORAGE, "2024-12-31")]),
    ]
    path = write(tmp_path, "openstates_municipal_officials.json", json.dumps(people, indent=1))

    out = run(path)

    assert out.splitlines() == [
        "line 2: Mark Blank's term ended 2024-12-31: imported as inactive",
        "2 were created, 0 were changed, 0 left as they were.",
    ]
    ciara = Official.objects.get(external_id="ocd-person/aa858fde")
    assert (ciara.name, ciara.office, ciara.place, ciara.email, ciara.phone) == (
        "Ciara Smith",
        "mayor",
        places[BLOOMFIELD],
        "ciara@bloomfieldnj.gov",
        "973-555-0100",
    )
    assert (str(ciara.term_start), str(ciara.term_end), ciara.district, ciara.is_active) == (
        "2022-12-12",
        "2099-12-11",
        "",
        True,
    )
    mark = Official.objects.get(external_id="ocd-person/24f25040")
    assert (mark.email, mark.is_active, mark.place) == ("", False, places[ANCHORAGE])
    assert run(path).splitlines()[-1] == "0 were created, 0 were changed, 2 left as they were."


def test_open_states_json_errors_give_the_object_and_its_key(
    tmp_path: Path, ring: Campaign, places: dict[str, Place]
) -> None:
    odd_name = open_states_person("5", "Odd Name", [role("mayor", ANCHORAGE, "2099-01-01")])
    people = [
        open_states_person("1", "Only Legislator", [role("upper", NEW_JERSEY, "2099-01-01")]),
        "not a person",
        open_states_person("3", "Lost Mayor", [{"type": "lower"}, role("mayor", ATLANTIS, "2099-01-01")]),
        open_states_person(
            "4", "Bad Mail", [role("mayor", BLOOMFIELD, "2099-01-01", start_date="2100-01-01")], email="x@"
        ),
        {**odd_name, "name": {"first": "Odd"}},
    ]
    path = write(tmp_path, "people.json", json.dumps(people))

    assert run_failing(path) == [
        f"{path}:1: roles: no role in a place's government (state and federal roles are skipped)",
        f"{path}:2: -: expected an object (an Open States person)",
        f"{path}:3: roles[1].jurisdiction: no place has the OCD id {ATLANTIS}{UNKNOWN_ID_HINT}",
        f"{path}:4: email: not an e-mail address: 'x@'",
        f"{path}:4: roles[0].end_date: the term ends (2099-01-01) before it starts (2100-01-01)",
        f"{path}:5: name: expected text",
    ]


def test_bad_json_is_reported_at_the_parsers_line(tmp_path: Path, ring: Campaign) -> None:
    path = write(tmp_path, "people.json", '[\n {"id": "ocd-person/1",\n  "name": "Ann"\n  "roles": []}\n]\n')

    assert run_failing(path) == [f"{path}:4: -: not valid JSON: Expecting ',' delimiter (column 3)"]


def test_an_open_states_person_takes_over_the_same_official_typed_by_hand(
    tmp_path: Path, ring: Campaign, places: dict[str, Place]
) -> None:
    typed = Official.objects.create(campaign=ring, place=places[ANCHORAGE], name="Suzanne LaFrance", office="mayor")
    person = open_states_person("f18dfad6", "Suzanne LaFrance", [role("mayor", ANCHORAGE, "2099-06-30")])
    path = write(tmp_path, "people.json", json.dumps([person]))

    out = run(path)

    assert out.strip() == "0 were created, 1 were changed, 0 left as they were."
    typed.refresh_from_db()
    assert (typed.external_id, typed.phone, str(typed.term_end)) == (
        "ocd-person/f18dfad6",
        "973-555-0100",
        "2099-06-30",
    )
