from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEvent
from campaigns.models import Campaign, Membership, Role, Source
from tests.conftest import sign_in_with_two_factors

pytestmark = pytest.mark.django_db
URL = "/api/v1/organizer/campaigns/ring/imports/sources/"
GOOD = b"title,url,kind\nCouncil minutes,https://example.org/minutes,meeting\nNews,https://example.org/news,news\n"
BAD = (
    b"title,url,kind\n,https://example.org/a,news\nFine,https://example.org/b,news\nOdd,https://example.org/c,rumour\n"
)


@pytest.fixture
def editor_client(client, alice):
    ring = Campaign.objects.create(slug="ring", title="Ring")
    Membership.objects.create(user=alice, campaign=ring, role=Role.EDITOR)
    return sign_in_with_two_factors(client, alice)


def upload(client, content: bytes, *, dry_run: bool = False, url: str = URL):
    return client.post(url, {"file": SimpleUploadedFile("sources.csv", content), "dry_run": str(dry_run).lower()})


def test_it_imports_an_uploaded_file_and_audits_it_once(editor_client):
    response = upload(editor_client, GOOD)

    assert response.status_code == 200
    assert response.json() | {"notes": []} == {
        "created": 2,
        "changed": 0,
        "unchanged": 0,
        "notes": [],
        "dry_run": False,
    }
    assert Source.objects.count() == 2
    event = AuditEvent.objects.get(details__has_key="import")
    assert (event.via, event.details["import"]["created"]) == ("api", 2)


def test_it_reports_the_same_file_again_as_unchanged(editor_client):
    upload(editor_client, GOOD)

    again = upload(editor_client, GOOD).json()

    assert (again["created"], again["changed"], again["unchanged"]) == (0, 0, 2)


def test_it_writes_nothing_in_a_dry_run(editor_client):
    response = upload(editor_client, GOOD, dry_run=True)

    assert response.json()["dry_run"] is True
    assert response.json()["created"] == 2
    assert not Source.objects.exists()
    assert not AuditEvent.objects.filter(details__has_key="import").exists()


def test_it_lists_every_bad_row_by_line_and_column_and_writes_nothing(editor_client):
    response = upload(editor_client, BAD)

    assert response.status_code == 400
    problems = response.json()["fields"]["file"]
    assert [problem.split(":")[:3] for problem in problems] == [
        ["sources.csv", "2", " title"],
        ["sources.csv", "4", " kind"],
    ]
    assert not Source.objects.exists()


def test_it_refuses_an_unknown_kind_and_a_json_body(editor_client):
    assert upload(editor_client, GOOD, url="/api/v1/organizer/campaigns/ring/imports/petitions/").status_code == 404
    assert editor_client.post(URL, {"file": "x"}, content_type="application/json").status_code == 415


def test_it_refuses_a_file_that_is_not_utf8(editor_client):
    response = upload(editor_client, "title,url\nCaf\xe9,https://example.org/x\n".encode("latin-1"))

    assert response.status_code == 400
    assert "not UTF-8" in response.json()["fields"]["file"][0]


def test_it_keeps_imports_from_viewers(client, alice):
    ring = Campaign.objects.create(slug="ring", title="Ring")
    Membership.objects.create(user=alice, campaign=ring, role=Role.VIEWER)
    sign_in_with_two_factors(client, alice)

    assert upload(client, GOOD).status_code == 403
    assert not Source.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("huge-header.csv", b'"' + b"a" * 200_000 + b'"\n'),
        ("deep.json", b"[" * 100_000 + b"]" * 100_000),
        ("long-number.json", b"9" * 5000),
    ],
)
def test_it_answers_a_hostile_file_with_a_400_not_a_crash(editor_client, name, content):
    response = editor_client.post(URL, {"file": SimpleUploadedFile(name, content)})

    assert response.status_code == 400
    assert response.json()["fields"]["file"][0].startswith(f"{name}:1: -: not ")
    assert not Source.objects.exists()
