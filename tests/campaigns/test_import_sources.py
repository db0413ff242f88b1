from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import AuditEvent
from campaigns.models import Campaign, DatePrecision, Source
from tests.campaigns import importing
from tests.campaigns.importing import PROBLEMS_FOUND, write

pytestmark = pytest.mark.django_db

VICE = "https://www.vice.com/en/article/43kga3/amazon-is-coaching-cops"
CNET = "https://www.cnet.com/news/how-amazon-convinces-police-to-join-ring"

SOURCES_CSV = (
    "title,url,publisher,authors,date,archived_url,documentcloud_id,kind,retrieved_on,verified,summary\n"
    f"Amazon Is Coaching Cops,{VICE},Motherboard (Vice),Caroline Haskins,2019-08-05,"
    "https://web.archive.org/web/2019/https://www.vice.com/,,news,2024-05-01,true,Emails from Maywood NJ\n"
    f"How Amazon convinces police,{CNET},CNET,Alfred Ng,2019-08,,,,,,\n"
    "Call notes with Chatham PD,,,,2024,,,internal,,false,\n"
)


@pytest.fixture
def ring(db: None) -> Campaign:
    return Campaign.objects.create(slug="ring", title="End Ring partnerships")


def run(path: Path, *args: str) -> str:
    out, _ = importing.run("import_sources", path, "--campaign", "ring", *args)
    return out


def run_failing(path: Path) -> list[str]:
    return importing.run_failing("import_sources", path, "--campaign", "ring", match=PROBLEMS_FOUND).splitlines()


def test_it_imports_a_csv(tmp_path: Path, ring: Campaign) -> None:
    out = run(write(tmp_path, "sources.csv", SOURCES_CSV))

    assert out.strip() == "3 were created, 0 were changed, 0 left as they were."
    vice = Source.objects.get(url=VICE)
    assert (vice.campaign, vice.title, vice.publisher, vice.authors, vice.kind) == (
        ring,
        "Amazon Is Coaching Cops",
        "Motherboard (Vice)",
        "Caroline Haskins",
        Source.Kind.NEWS,
    )
    assert (vice.published_on, vice.published_precision, vice.retrieved_on, vice.is_verified) == (
        dt.date(2019, 8, 5),
        DatePrecision.DAY,
        dt.date(2024, 5, 1),
        True,
    )
    assert vice.archived_url == "https://web.archive.org/web/2019/https://www.vice.com/"
    cnet = Source.objects.get(url=CNET)
    assert (cnet.published_on, cnet.published_precision, cnet.kind, cnet.is_verified) == (
        dt.date(2019, 8, 1),
        DatePrecision.MONTH,
        Source.Kind.NEWS,
        False,
    )
    notes = Source.objects.get(title="Call notes with Chatham PD")
    assert (notes.url, notes.kind, notes.published_on, notes.published_precision) == (
        "",
        Source.Kind.INTERNAL,
        dt.date(2024, 1, 1),
        DatePrecision.YEAR,
    )
    assert AuditEvent.objects.get().details["import"]["created"] == 3


def test_it_imports_a_json_list_like_the_ring_bibliography(tmp_path: Path, ring: Campaign) -> None:
    entries = [
        {
            "title": "Amazon Is Coaching Cops",
            "publisher": "Motherboard (Vice)",
            "author": "Caroline Haskins",
            "date": "2019-08-05",
            "url": VICE,
            "summary": "Emails from the Maywood NJ and Bloomfield NJ police departments.",
            "verified": True,
        },
        {"title": "Ring's own post", "publisher": "Ring", "author": "", "date": "", "url": CNET, "verified": False},
        {"title": "A report", "authors": ["Dell Cameron", "Dhruv Mehrotra"], "date": "2019", "url": f"{CNET}/2"},
    ]
    path = write(tmp_path, "ring_sources.json", json.dumps(entries, indent=1))

    assert run(path).strip() == "3 were created, 0 were changed, 0 left as they were."
    vice = Source.objects.get(url=VICE)
    assert (vice.authors, vice.is_verified, vice.published_on) == ("Caroline Haskins", True, dt.date(2019, 8, 5))
    ring_post = Source.objects.get(url=CNET)
    assert (ring_post.published_on, ring_post.authors, ring_post.is_verified) == (None, "", False)
    report = Source.objects.get(title="A report")
    assert (report.authors, report.published_precision) == ("Dell Cameron, Dhruv Mehrotra", DatePrecision.YEAR)
    assert run(path).strip() == "0 were created, 0 were changed, 3 left as they were."


def test_every_bad_row_is_reported_and_nothing_is_written(tmp_path: Path, ring: Campaign) -> None:
    path = write(
        tmp_path,
        "bad.csv",
        "title,url,author,authors,date,archived_url,kind,retrieved_on,verified\n"
        f",{VICE},,,,,,,\n"
        "No link,,,,,,news,,\n"
        "Bad link,not a url,,,,ftp://example.org/x,,,\n"
        f"Bad date,{VICE}/1,,,2019-13,,,2019-08,\n"
        f"Odd kind,{VICE}/2,,,,,blog,,\n"
        f"Unsure,{VICE}/3,,,,,,,perhaps\n"
        f"Two bylines,{VICE}/4,Ann,Bob,,,,,\n"
        f"Fine,{VICE}/5,,,,,,,\n",
    )

    assert run_failing(path) == [
        f"{path}:2: title: a value is required",
        f"{path}:3: url: a value is required (only an internal source may go without)",
        f"{path}:4: archived_url: not an http(s) URL: 'ftp://example.org/x'",
        f"{path}:4: url: not an http(s) URL: 'not a url'",
        f"{path}:5: date: not a date: '2019-13'; write YYYY, YYYY-MM or YYYY-MM-DD",
        f"{path}:5: retrieved_on: not a date: '2019-08'; write YYYY-MM-DD",
        f"{path}:6: kind: unknown value 'blog'; accepted: "
        "news, public_record, government, meeting, vendor, advocacy, internal",
        f"{path}:7: verified: write true or false, not 'perhaps'",
        f"{path}:8: author: give authors or author, not both",
    ]
    assert not Source.objects.exists()


def test_the_models_own_rules_are_reported_by_column(tmp_path: Path, ring: Campaign) -> None:
    path = write(tmp_path, "long.csv", f"title,url,publisher\n{'T' * 401},{VICE},{'P' * 201}\n")

    assert run_failing(path) == [
        f"{path}:2: publisher: Ensure this value has at most 200 characters (it has 201).",
        f"{path}:2: title: Ensure this value has at most 400 characters (it has 401).",
    ]


def test_a_missing_title_column_or_an_unknown_column_is_an_error_of_the_header(tmp_path: Path, ring: Campaign) -> None:
    path = write(tmp_path, "header.csv", f"url,notes\n{VICE},x\n")

    assert run_failing(path) == [
        f"{path}:1: notes: unknown column; accepted: title, url, publisher, authors, author, date, "
        "archived_url, documentcloud_id, kind, retrieved_on, verified, summary",
        f"{path}:1: title: required column missing from the header",
    ]


def test_json_errors_give_the_objects_place_in_the_list_and_its_key(tmp_path: Path, ring: Campaign) -> None:
    entries = [
        {"title": "Fine", "url": VICE},
        "just a string",
        {"title": "Nested", "url": CNET, "author": {"name": "Ann"}},
        {"url": f"{CNET}/2", "verified": "sometimes", "pages": 4},
    ]
    path = write(tmp_path, "sources.json", json.dumps(entries))

    assert run_failing(path) == [
        f"{path}:2: -: expected an object",
        f"{path}:3: author: expected text, a number, true, false or null",
        f"{path}:4: pages: unknown key; accepted: title, url, publisher, authors, author, date, "
        "archived_url, documentcloud_id, kind, retrieved_on, verified, summary",
        f"{path}:4: title: a value is required",
        f"{path}:4: verified: write true or false, not 'sometimes'",
    ]


def test_bad_json_is_reported_at_the_parsers_line(tmp_path: Path, ring: Campaign) -> None:
    path = write(tmp_path, "sources.json", '[\n  {"title": "A", "url": "https://example.org/"},\n  {"title": }\n]\n')

    assert run_failing(path) == [f"{path}:3: -: not valid JSON: Expecting value (column 13)"]


def test_json_that_is_not_a_list_is_refused(tmp_path: Path, ring: Campaign) -> None:
    path = write(tmp_path, "sources.json", json.dumps({"title": "A", "url": VICE}))

    assert run_failing(path) == [f"{path}:1: -: expected a JSON list of objects"]


def test_a_file_may_name_a_source_once(tmp_path: Path, ring: Campaign) -> None:
    path = write(
        tmp_path,
        "twice.csv",
        f"title,url,kind\nFirst,{VICE},\nSecond,{VICE},\nNotes,,internal\nNotes,,internal\n",
    )

    assert run_failing(path) == [
        f"{path}:3: url: the same URL as line 2: each may appear once in a file",
        f"{path}:5: title: the same title as line 4: each may appear once in a file",
    ]


def test_two_sources_already_sharing_a_url_are_not_guessed_between(tmp_path: Path, ring: Campaign) -> None:
    first = Source.objects.create(campaign=ring, title="First", url=VICE)
    second = Source.objects.create(campaign=ring, title="Second", url=VICE)
    path = write(tmp_path, "sources.csv", f"title,url\nThird,{VICE}\n")

    assert run_failing(path) == [
        f"{path}:2: url: 2 sources in the campaign already match (ids {first.pk}, {second.pk}); "
        "cannot tell which to update"
    ]


def test_importing_the_same_file_again_changes_nothing(tmp_path: Path, ring: Campaign) -> None:
    path = write(tmp_path, "sources.csv", SOURCES_CSV)
    run(path)

    assert run(path).strip() == "0 were created, 0 were changed, 3 left as they were."
    assert Source.objects.count() == 3


def test_a_changed_row_is_counted_as_changed(tmp_path: Path, ring: Campaign) -> None:
    run(write(tmp_path, "sources.csv", SOURCES_CSV))
    changed = SOURCES_CSV.replace("How Amazon convinces police", "How Amazon Convinces Police")

    out = run(write(tmp_path, "changed.csv", changed))

    assert out.strip() == "0 were created, 1 were changed, 2 left as they were."
    assert Source.objects.get(url=CNET).title == "How Amazon Convinces Police"


def test_a_missing_column_leaves_the_field_as_it_is(tmp_path: Path, ring: Campaign) -> None:
    run(write(tmp_path, "sources.csv", SOURCES_CSV))

    out = run(write(tmp_path, "titles.csv", f"title,url\nAmazon Is Coaching Cops,{VICE}\n"))

    assert out.strip() == "0 were created, 0 were changed, 1 left as they were."
    assert Source.objects.get(url=VICE).is_verified


def test_a_dry_run_writes_nothing(tmp_path: Path, ring: Campaign) -> None:
    out = run(write(tmp_path, "sources.csv", SOURCES_CSV), "--dry-run")

    assert out.strip() == "Dry run: 3 would be created, 0 would be changed, 0 left as they were."
    assert not Source.objects.exists()
    assert not AuditEvent.objects.exists()


def test_sources_are_imported_into_the_campaign_named(tmp_path: Path, ring: Campaign) -> None:
    other = Campaign.objects.create(slug="other", title="Another campaign")
    Source.objects.create(campaign=other, title="Theirs", url=VICE)

    assert run(write(tmp_path, "sources.csv", SOURCES_CSV)).strip().startswith("3 were created")
    assert Source.objects.get(campaign=other).title == "Theirs"


def test_an_unknown_campaign_is_refused(tmp_path: Path, ring: Campaign) -> None:
    with pytest.raises(CommandError, match="No campaign has the slug 'nope'"):
        call_command("import_sources", str(write(tmp_path, "s.csv", SOURCES_CSV)), "--campaign", "nope")
