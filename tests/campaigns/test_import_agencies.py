from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEvent
from campaigns.importing.agencies import parse_partial_date
from campaigns.models import Agency, Campaign, Citation, DatePrecision, Partnership, Place, Source
from tests.campaigns import importing
from tests.campaigns.importing import import_events

pytestmark = pytest.mark.django_db

CHATHAM_TOWNSHIP = "ocd-division/country:us/state:nj/county:morris/place:chatham"
CHATHAM_BOROUGH = "ocd-division/country:us/state:nj/place:chatham"
AURORA_CITY = "ocd-division/country:us/state:il/place:aurora"
AURORA_TOWNSHIP = "ocd-division/country:us/state:il/county:kane/place:aurora"
MAYWOOD = "ocd-division/country:us/state:nj/place:maywood"
ATLANTIS = "ocd-division/country:us/state:nj/place:atlantis"
MINUTES = "https://example.org/maywood-minutes"
HEADER = (
    "agency,state,place,place_ocd_id,agency_kind,website,vendor,program,started_on,started_precision,"
    "ended_on,ended_precision,how_known,source_url,source_title,quote,locator"
)
GOOD = "\n".join(
    (
        HEADER,
        "Maywood Police Department,NJ,Maywood,,police,https://maywoodpd.example.org,ring,neighbors_portal,"
        f'2019-05,,2021-06-07,,Ring\'s map of partners,{MINUTES},,"Approved the agreement",p. 4',
        "Maywood Police Department,NJ,Maywood,,,,ring,request_for_assistance,"
        "2021,,,,Ring's list,https://example.org/ring-list,Ring RFA list,,",
        "Chatham Borough Police,NJ,Chatham borough,,,,ring,neighbors_portal,2020-01-01,month,,,Council minutes,,,,",
        f"Chatham Township Police,nj,Chatham,{CHATHAM_TOWNSHIP},,,,,,,,,,,,,",
        "Aurora Police Department,IL,Aurora city;Aurora township,,,,,,,,,,,,,,",
        "",
    )
)


@pytest.fixture
def campaign() -> Campaign:
    return Campaign.objects.create(slug="ring", title="End Ring partnerships")


@pytest.fixture(autouse=True)
def places() -> None:
    for ocd_id, name, kind, state in (
        (CHATHAM_TOWNSHIP, "Chatham", Place.Kind.TOWNSHIP, "NJ"),
        (CHATHAM_BOROUGH, "Chatham", Place.Kind.BOROUGH, "NJ"),
        (AURORA_CITY, "Aurora", Place.Kind.CITY, "IL"),
        (AURORA_TOWNSHIP, "Aurora", Place.Kind.TOWNSHIP, "IL"),
        (MAYWOOD, "Maywood", Place.Kind.BOROUGH, "NJ"),
    ):
        Place.objects.create(ocd_id=ocd_id, name=name, kind=kind, state=state)


@pytest.fixture
def library(campaign: Campaign) -> Source:
    return Source.objects.create(campaign=campaign, title="Maywood council minutes", url=MINUTES)


def write(tmp_path: Path, text: str, name: str = "agencies.csv") -> str:
    return str(importing.write(tmp_path, name, text))


def run(location: str, *args: str) -> str:
    out, _ = importing.run("import_agencies", location, "--campaign", "ring", *args)
    return out


def failing(location: str) -> list[str]:
    return importing.run_failing("import_agencies", location, "--campaign", "ring").splitlines()


def counts() -> tuple[int, ...]:
    models = (Agency, Agency.places.through, Partnership, Citation, Source)
    return tuple(model.objects.count() for model in models)


def rows(*lines: str, header: str = HEADER) -> str:
    return "\n".join((header, *lines)) + "\n"


def test_it_imports_agencies_places_partnerships_and_citations(tmp_path, library):
    out = run(write(tmp_path, GOOD))

    assert "Agencies: 4 created, 0 changed, 0 left as they were." in out
    assert "Partnerships: 3 created, 0 changed, 0 left as they were." in out
    assert "Citations: 2 created, 0 changed, 0 left as they were." in out
    assert "Sources: 1 added to the library (from source_title)." in out
    assert "10 were created, 0 were changed, 0 left as they were." in out
    maywood = Agency.objects.get(name="Maywood Police Department")
    assert (maywood.kind, maywood.website) == (Agency.Kind.POLICE, "https://maywoodpd.example.org")
    assert list(maywood.places.values_list("ocd_id", flat=True)) == [MAYWOOD]
    portal = maywood.partnerships.get(program="neighbors_portal")
    assert (portal.started_on, portal.started_precision) == (dt.date(2019, 5, 1), DatePrecision.MONTH)
    assert (portal.ended_on, portal.ended_precision) == (dt.date(2021, 6, 7), DatePrecision.DAY)
    citation = portal.citations.get()
    assert (citation.source, citation.quote, citation.locator) == (library, "Approved the agreement", "p. 4")
    rfa = maywood.partnerships.get(program="request_for_assistance")
    assert (rfa.started_on, rfa.started_precision) == (dt.date(2021, 1, 1), DatePrecision.YEAR)
    assert rfa.citations.get().source.title == "Ring RFA list"
    assert Source.objects.get(url="https://example.org/ring-list").campaign.slug == "ring"


def test_places_are_matched_by_name_kind_word_or_ocd_id(tmp_path, library):
    run(write(tmp_path, GOOD))

    def ocd_ids(agency: str) -> list[str]:
        return sorted(Agency.objects.get(name=agency).places.values_list("ocd_id", flat=True))

    assert ocd_ids("Chatham Borough Police") == [CHATHAM_BOROUGH]
    assert ocd_ids("Chatham Township Police") == [CHATHAM_TOWNSHIP]
    assert ocd_ids("Aurora Police Department") == sorted([AURORA_CITY, AURORA_TOWNSHIP])
    borough = Partnership.objects.get(agency__name="Chatham Borough Police")
    assert (borough.started_on, borough.started_precision) == (dt.date(2020, 1, 1), DatePrecision.MONTH)


def test_an_ambiguous_place_lists_the_candidates_and_never_guesses(tmp_path, campaign):
    path = write(
        tmp_path,
        rows(
            "Chatham Police,NJ,Chatham" + "," * 14,
            "Aurora Police,IL,Aurora" + "," * 14,
            "Nowhere Police,NJ,Atlantis" + "," * 14,
        ),
    )

    errors = failing(path)

    # The wording is place_matching's; what matters here is where, and that every candidate is listed.
    chatham, aurora, atlantis = errors
    assert chatham.startswith(f"{path}:2: place: “Chatham” matches 2 places in NJ: ")
    assert CHATHAM_BOROUGH in chatham and CHATHAM_TOWNSHIP in chatham
    assert aurora.startswith(f"{path}:3: place: “Aurora” matches 2 places in IL: ")
    assert AURORA_CITY in aurora and AURORA_TOWNSHIP in aurora
    assert atlantis.startswith(f"{path}:4: place: no place named “Atlantis” in NJ")
    assert counts() == (0, 0, 0, 0, 0)


def test_place_ocd_ids_pair_with_the_place_names_in_order(tmp_path, campaign):
    header = "agency,state,place,place_ocd_id"
    path = write(
        tmp_path,
        rows(
            f"Chatham Police,NJ,Chatham;Maywood,{CHATHAM_BOROUGH};",
            f"Mixed Up Police,NJ,Chatham borough;Maywood,{CHATHAM_TOWNSHIP};",
            f"Short Police,NJ,Chatham;Maywood,{CHATHAM_BOROUGH}",
            f"Unknown Police,NJ,Chatham,{ATLANTIS}",
            header=header,
        ),
    )

    errors = failing(path)

    assert errors[:2] == [
        f"{path}:3: place_ocd_id: {CHATHAM_TOWNSHIP} is Chatham township, NJ, not “Chatham borough” in NJ",
        f"{path}:4: place_ocd_id: 1 OCD id(s) for 2 place(s): give one per place, in the same order "
        "(an empty one between semicolons matches that place by name)",
    ]
    assert errors[2].startswith(f"{path}:5: place_ocd_id: no place has the OCD id {ATLANTIS}")
    assert len(errors) == 3
    run(write(tmp_path, rows(f"Chatham Police,NJ,Chatham;Maywood,{CHATHAM_BOROUGH};", header=header), "ok.csv"))
    places = Agency.objects.get(name="Chatham Police").places.values_list("ocd_id", flat=True)
    assert sorted(places) == sorted([CHATHAM_BOROUGH, MAYWOOD])


BAD_ROWS = [
    # line 2: a date that is not one
    "A,NJ,Maywood,,,,ring,neighbors_portal,May 2019,,,,How,,,,",
    # line 3: a day-precise date said to be known only to the month
    "B,NJ,Maywood,,,,ring,neighbors_portal,2019-05-14,month,,,How,,,,",
    # line 4: a year said to be known to the day
    "C,NJ,Maywood,,,,ring,neighbors_portal,2019,day,,,How,,,,",
    # line 5: unknown vendor and program
    "D,NJ,Maywood,,,,doorbell,spying,,,,,How,,,,",
    # line 6: a program without how_known
    "E,NJ,Maywood,,,,ring,neighbors_portal,,,,,,,,,",
    # line 7: a source the library does not have
    "F,NJ,Maywood,,,,ring,neighbors_portal,,,,,How,https://example.org/unknown,,,",
    # line 8: a program without a vendor, and a precision without a date
    "G,NJ,Maywood,,,,,neighbors_portal,,year,,,How,,,,",
    # line 9: partnership columns without a partnership; an unknown agency kind; a bad website
    "H,NJ,Maywood,,marshal,not a url,,,2019,,,,How,,,,",
    # line 10: ends before it starts; a bad state; an unreal date
    "I,New Jersey,Maywood,,,,ring,neighbors_portal,2020,,2019-02-30,,How,,,,",
    # line 11: no agency and no place
    ",NJ,,,,,,,,,,,,,,,",
    # line 12: ends before it starts
    "J,NJ,Maywood,,,,ring,neighbors_portal,2020,,2019,,How,,,,",
]


def test_every_bad_row_is_reported_and_nothing_is_written(tmp_path, library):
    run(write(tmp_path, GOOD, "good.csv"))
    before, events = counts(), import_events()
    path = write(tmp_path, rows(*BAD_ROWS))

    errors = failing(path)

    assert errors == [
        f"{path}:2: started_on: “May 2019” is not a date written YYYY, YYYY-MM or YYYY-MM-DD",
        f"{path}:3: started_precision: “2019-05-14” does not fit the precision month: "
        "a date known to the month is written YYYY-MM",
        f"{path}:4: started_precision: “2019” does not fit the precision day: "
        "a date known to the day is written YYYY-MM-DD",
        f"{path}:5: program: “spying” is not one of neighbors_portal, request_for_assistance, community_requests, "
        "flock_integration, license_plate_readers, other",
        f"{path}:5: vendor: “doorbell” is not one of ring, flock, axon, other",
        f"{path}:6: how_known: required of a new partnership: say which record or report shows it",
        f"{path}:7: source_url: no source in this campaign's library has this URL: add it first, or give source_title",
        f"{path}:8: started_precision: a precision without a date in started_on",
        f"{path}:8: vendor: required with a partnership: give vendor and program, or neither",
        f"{path}:9: agency_kind: “marshal” is not one of police, sheriff, other",
        f"{path}:9: how_known: only with a partnership: give vendor and program too",
        f"{path}:9: started_on: only with a partnership: give vendor and program too",
        f"{path}:9: website: “not a url” is not an http(s) URL of at most 200 characters",
        f"{path}:10: ended_on: “2019-02-30” is not a real date",
        f"{path}:10: state: “New Jersey” is not a two-letter state code such as NJ",
        f"{path}:11: agency: required",
        f"{path}:11: place: required",
        f"{path}:12: ended_on: 2019-01-01 is before the partnership started (2020-01-01)",
    ]
    assert counts() == before
    assert import_events() == events


def test_unknown_and_missing_columns_are_errors_of_line_1(tmp_path, campaign):
    path = write(tmp_path, "agency,place,vendor_name\nMaywood Police,Maywood,ring\n")

    errors = failing(path)

    assert errors[0] == f"{path}:1: state: required column missing from the header"
    assert errors[1].startswith(f"{path}:1: vendor_name: unknown column; accepted: agency, state, place, place_ocd_id")
    assert len(errors) == 2


def test_rows_about_one_agency_or_partnership_may_add_but_not_contradict(tmp_path, library):
    path = write(
        tmp_path,
        rows(
            "Maywood PD,NJ,Maywood,,police,,ring,neighbors_portal,2019,,,,Map,,,,",
            "Maywood PD,NJ,Maywood,,sheriff,,ring,neighbors_portal,2019-01-01,,,,Map,,,,",
            f"Maywood PD,NJ,Maywood,,,,ring,neighbors_portal,,,,,Map,{MINUTES},,Quote one,p. 1",
            f"Maywood PD,NJ,Maywood,,,,ring,neighbors_portal,,,,,Map,{MINUTES},,Quote two,p. 1",
            "Maywood PD,NJ,Maywood,,,,ring,other,,,,,Another,https://example.org/new,New title,,",
            "Maywood PD,NJ,Maywood,,,,ring,flock_integration,,,,,Another,https://example.org/new,Other title,,",
        ),
    )

    errors = failing(path)

    assert errors == [
        f"{path}:3: agency_kind: differs from “police” on line 2 for the same agency",
        f"{path}:3: started_precision: differs from “year” on line 2 for the same partnership",
        f"{path}:5: quote: differs from the quote for this source on line 4",
        f"{path}:7: source_title: differs from “New title” on line 6",
    ]


def test_several_rows_add_partnerships_places_and_citations_to_one_agency(tmp_path, library):
    path = write(
        tmp_path,
        rows(
            f"Borough PD,NJ,Maywood,,,,ring,neighbors_portal,2019,,,,Map,{MINUTES},,,p. 1",
            f"Borough PD,NJ,Chatham borough,,,,ring,neighbors_portal,,,,,,{MINUTES},,,p. 2",
            "Borough PD,NJ,Maywood,,,,flock,license_plate_readers,2023-03,,,,Contract,,,,",
        ),
    )

    out = run(path)

    assert "Agencies: 1 created" in out
    agency = Agency.objects.get(name="Borough PD")
    assert sorted(agency.places.values_list("ocd_id", flat=True)) == sorted([MAYWOOD, CHATHAM_BOROUGH])
    assert agency.partnerships.count() == 2
    portal = agency.partnerships.get(program="neighbors_portal")
    assert sorted(portal.citations.values_list("locator", flat=True)) == ["p. 1", "p. 2"]


def test_a_second_import_of_the_same_file_changes_nothing(tmp_path, library):
    path = write(tmp_path, GOOD)
    run(path)
    before = counts()

    out = run(path)

    assert "0 were created, 0 were changed, 9 left as they were." in out
    assert counts() == before


def test_a_changed_row_counts_as_changed_and_empty_cells_keep_what_is_stored(tmp_path, library):
    run(write(tmp_path, GOOD))
    changed = GOOD.replace("2021-06-07,,Ring's map", "2021-07,,Ring's map").replace(
        '"Approved the agreement"', '"Approved it"'
    )
    changed += "Maywood Police Department,NJ,Chatham borough" + "," * 14 + "\n"

    out = run(write(tmp_path, changed, "changed.csv"))

    assert "Agencies: 0 created, 1 changed, 3 left as they were." in out
    assert "Partnerships: 0 created, 1 changed, 2 left as they were." in out
    assert "Citations: 0 created, 1 changed, 1 left as they were." in out
    portal = Partnership.objects.get(agency__name="Maywood Police Department", program="neighbors_portal")
    assert (portal.ended_on, portal.ended_precision) == (dt.date(2021, 7, 1), DatePrecision.MONTH)
    assert portal.citations.get().quote == "Approved it"
    maywood = Agency.objects.get(name="Maywood Police Department")
    assert maywood.website == "https://maywoodpd.example.org"
    assert maywood.places.count() == 2


def test_agencies_of_other_campaigns_are_left_alone(tmp_path, library):
    other = Campaign.objects.create(slug="other", title="Other")
    Agency.objects.create(campaign=other, name="Maywood Police Department", kind=Agency.Kind.SHERIFF)

    run(write(tmp_path, GOOD))

    assert Agency.objects.get(campaign=other).kind == Agency.Kind.SHERIFF
    assert Agency.objects.filter(name="Maywood Police Department").count() == 2


def test_a_dry_run_prints_what_would_happen_and_writes_nothing(tmp_path, library):
    before = counts()

    out = run(write(tmp_path, GOOD), "--dry-run")

    assert "Dry run: 10 would be created, 0 would be changed, 0 left as they were." in out
    assert counts() == before
    assert import_events() == 0


def test_a_successful_import_writes_one_audit_event_and_a_failed_one_none(tmp_path, library):
    failing(write(tmp_path, rows(BAD_ROWS[0]), "bad.csv"))
    assert import_events() == 0

    run(write(tmp_path, GOOD))

    event = AuditEvent.objects.get(details__has_key="import")
    assert (event.campaign_id, event.via, event.details["import"]["created"]) == (library.campaign_id, "command", 10)
    assert event.target_type is not None and event.target_type.model == "agency"


def test_an_unknown_campaign_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="No campaign has the slug 'ring'"):
        run(write(tmp_path, GOOD))


@pytest.mark.postgres  # SQLite batches bulk inserts differently
def test_the_number_of_queries_does_not_grow_with_the_rows(tmp_path, library):
    def agencies(count: int) -> str:
        return rows(
            *(
                f"Agency {n},NJ,Maywood;Chatham borough,,,,ring,neighbors_portal,2019,,,,Map,{MINUTES},,Quote,p. {n}"
                for n in range(count)
            )
        )

    with CaptureQueriesContext(connection) as small:
        run(write(tmp_path, agencies(3), "small.csv"))
    with CaptureQueriesContext(connection) as large:
        run(write(tmp_path, agencies(300), "large.csv"))

    assert len(large) <= len(small) <= 20  # the first run also looks up content types
    assert Citation.objects.count() == 300


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019", (dt.date(2019, 1, 1), DatePrecision.YEAR)),
        ("2019-05", (dt.date(2019, 5, 1), DatePrecision.MONTH)),
        ("2019-05-14", (dt.date(2019, 5, 14), DatePrecision.DAY)),
    ],
)
def test_a_date_s_precision_comes_from_how_it_is_written(text, expected):
    assert parse_partial_date(text) == expected


@pytest.fixture
def served(tmp_path: Path, loopback: str) -> str:
    """The fixture directory over HTTP on a free loopback port, for the URL path of the command."""
    write(tmp_path, GOOD)
    return loopback


def test_it_imports_from_a_url(served, library):
    out = run(f"{served}/agencies.csv")

    assert "10 were created" in out
    assert Agency.objects.count() == 4
    assert AuditEvent.objects.get(details__has_key="import").details["import"]["file"] == f"{served}/agencies.csv"


def test_an_import_makes_the_campaigns_cached_pages_render_anew(tmp_path, library):
    """Bulk writes send no per-row signal: the importer says so itself (campaigns.signals.tracker_imported)."""
    from web import page_cache

    before = page_cache.generation("ring")
    run(write(tmp_path, GOOD))

    assert page_cache.generation("ring") != before
