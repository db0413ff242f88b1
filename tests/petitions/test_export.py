"""Signature exports: owners only, the rows each filter asks for, signed short-lived links, audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from pathlib import Path
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent, User
from campaigns.exports import retention
from campaigns.exports.rows import HEADER, guard, local_time
from campaigns.exports.storage import export_storage
from campaigns.models import Campaign, Membership, OfficialsSee, Petition, Place, Review, Role, Signature
from campaigns.models import SignatureExport as Export
from supporters.models import Supporter
from tests.conftest import sign_in_with_two_factors

URL = "/api/v1/organizer/campaigns/ring/signature-exports/"
NOON = dt.datetime(2026, 3, 10, 17, 0, tzinfo=dt.UTC)  # 13:00 in New York, the campaign's zone


@pytest.fixture(autouse=True)
def _exports_dir(settings: Any, tmp_path: Path) -> None:
    """Each test's files in a directory of their own, so the retention sweep sees only them."""
    storage = settings.STORAGES["signature_exports"]
    exports = {**storage, "OPTIONS": {**storage["OPTIONS"], "location": tmp_path / "exports"}}
    settings.STORAGES = {**settings.STORAGES, "signature_exports": exports}


@pytest.fixture
def owner(alice: User, ring: Campaign) -> Client:
    return sign_in_with_two_factors(Client(), alice)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> Any:
    return django_capture_on_commit_callbacks


@pytest.fixture
def signatures(petition: Petition, bloomfield: Place, maywood: Place) -> dict[str, Signature]:
    """Four signers: confirmed or not, two places, two petitions, three days."""
    other = Petition.objects.create(campaign=petition.campaign, slug="other", title="Other", text="…")
    return {
        "dana": signature_of("Dana Scully", petition, bloomfield, created=NOON, confirmed=True),
        "fox": signature_of("Fox Mulder", petition, maywood, created=NOON + dt.timedelta(days=1), confirmed=True),
        "walter": signature_of("Walter Skinner", petition, bloomfield, created=NOON + dt.timedelta(days=2)),
        "monica": signature_of("Monica Reyes", other, bloomfield, created=NOON + dt.timedelta(days=1), confirmed=True),
    }


def signature_of(
    name: str, petition: Petition, place: Place, *, created: dt.datetime, confirmed: bool = False, **choices: Any
) -> Signature:
    email = f"{name.split()[0].lower()}@example.org"
    supporter = Supporter.objects.create(email=email, name=name, street_address=f"1 {name} Street", language="en")
    return Signature.objects.create(
        petition=petition,
        supporter=supporter,
        place=place,
        consent_version="2026-11",
        created_at=created,
        confirmed_at=created + dt.timedelta(minutes=5) if confirmed else None,
        **choices,
    )


def export(client: Client, on_commit: Any, **filters: Any) -> dict[str, Any]:
    """Asks for an export, lets the (in-process) task write it, and answers its status."""
    with on_commit(execute=True):
        asked = client.post(URL, filters, content_type="application/json")
    assert asked.status_code == 202, asked.content
    assert asked.json()["status"] == "pending"
    answer = client.get(f"{URL}{asked.json()['id']}/")
    assert answer.status_code == 200
    data: dict[str, Any] = answer.json()
    return data


def download(client: Client, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert not rows or tuple(rows[0]) == HEADER
    return rows


def names_in(client: Client, on_commit: Any, **filters: Any) -> set[str]:
    status = export(client, on_commit, **filters)
    assert status["status"] == "done", status
    rows = download(client, status["download_url"])
    assert status["row_count"] == len(rows)
    return {row["name"] for row in rows}


def test_it_exports_the_campaigns_signatures_to_an_owner(owner, on_commit, signatures):
    status = export(owner, on_commit)

    assert status["status"] == "done"
    assert status["row_count"] == 4
    assert status["download_url"].startswith("http://testserver/api/v1/organizer/campaigns/ring/signature-exports/")
    dana = next(row for row in download(owner, status["download_url"]) if row["name"] == "Dana Scully")
    assert dana == {
        "created": "2026-03-10T13:00:00-04:00",
        "confirmed": "2026-03-10T13:05:00-04:00",
        "petition": "end-ring",
        "place": "Bloomfield",
        "state": "NJ",
        "name": "Dana Scully",
        "email": "",  # she did not ask for e-mail updates
        "street_address": "",  # nor to show her address to officials
        "comment": "",
        "show_name": "no",
        "email_updates": "no",
        "officials_see": "count",
        "referrer": "",
        "review": "accepted",
    }


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        pytest.param({}, {"Dana Scully", "Fox Mulder", "Walter Skinner", "Monica Reyes"}, id="everything"),
        pytest.param({"petition": "end-ring"}, {"Dana Scully", "Fox Mulder", "Walter Skinner"}, id="petition"),
        pytest.param({"place": "maywood"}, {"Fox Mulder"}, id="place"),
        pytest.param({"confirmed": True}, {"Dana Scully", "Fox Mulder", "Monica Reyes"}, id="confirmed"),
        pytest.param({"confirmed": False}, {"Walter Skinner"}, id="unconfirmed"),
        pytest.param({"created_from": "2026-03-11"}, {"Fox Mulder", "Walter Skinner", "Monica Reyes"}, id="from"),
        pytest.param({"created_to": "2026-03-11"}, {"Dana Scully", "Fox Mulder", "Monica Reyes"}, id="to"),
        pytest.param(
            {"created_from": "2026-03-11", "created_to": "2026-03-11", "confirmed": True, "place": "bloomfield"},
            {"Monica Reyes"},
            id="together",
        ),
    ],
)
def test_it_exports_the_rows_each_filter_asks_for(owner, on_commit, signatures, filters, expected):
    by_slug = {"end-ring": signatures["dana"].petition_id}
    places = {"bloomfield": signatures["dana"].place_id, "maywood": signatures["fox"].place_id}
    if "petition" in filters:
        filters["petition"] = by_slug[filters["petition"]]
    if "place" in filters:
        filters["place"] = places[filters["place"]]

    assert names_in(owner, on_commit, **filters) == expected


def test_it_counts_days_in_the_campaigns_time_zone(owner, on_commit, petition, bloomfield):
    # 02:00 UTC on the 11th is still the 10th in New York.
    signature_of("Late Night", petition, bloomfield, created=dt.datetime(2026, 3, 11, 2, 0, tzinfo=dt.UTC))

    assert names_in(owner, on_commit, created_to="2026-03-10") == {"Late Night"}
    assert names_in(owner, on_commit, created_from="2026-03-11") == set()


def test_it_gives_the_address_and_e_mail_only_where_the_signer_agreed_to_their_use(
    owner, on_commit, petition, bloomfield
):
    both: dict[str, Any] = {"officials_see": OfficialsSee.NAME_ADDRESS, "email_updates": True}
    signature_of("Both", petition, bloomfield, created=NOON, confirmed=True, **both)
    signature_of("City Only", petition, bloomfield, created=NOON, officials_see=OfficialsSee.NAME_CITY)
    # Anyone can type someone's address into the form: nothing of it leaves before it is confirmed.
    signature_of("Unconfirmed", petition, bloomfield, created=NOON, **both)

    rows = {row["name"]: row for row in download(owner, export(owner, on_commit)["download_url"])}

    assert (rows["Both"]["street_address"], rows["Both"]["email"]) == ("1 Both Street", "both@example.org")
    assert (rows["Both"]["officials_see"], rows["Both"]["email_updates"]) == ("name_address", "yes")
    assert (rows["City Only"]["street_address"], rows["City Only"]["email"]) == ("", "")
    assert (rows["Unconfirmed"]["street_address"], rows["Unconfirmed"]["email"]) == ("", "")


def test_it_keeps_cells_from_running_as_spreadsheet_formulas(owner, on_commit, petition, bloomfield):
    signature_of(
        "=HYPERLINK(evil)",
        petition,
        bloomfield,
        created=NOON,
        confirmed=True,
        comment="+1 and more",
        referrer="@cmd",
        officials_see=OfficialsSee.NAME_ADDRESS,
    )

    (row,) = download(owner, export(owner, on_commit)["download_url"])

    assert row["name"] == "'=HYPERLINK(evil)"
    assert (row["comment"], row["referrer"], row["street_address"]) == (
        "'+1 and more",
        "'@cmd",
        "1 =HYPERLINK(evil) Street",
    )
    assert [guard(cell) for cell in ("-2", "\tx", "\rx", "a=b", "", None)] == ["'-2", "'\tx", "'\rx", "a=b", "", ""]


def test_it_leaves_out_other_campaigns_and_refuses_their_petitions(owner, on_commit, signatures, bloomfield):
    elsewhere = Campaign.objects.create(slug="elsewhere", title="Elsewhere")
    theirs = Petition.objects.create(campaign=elsewhere, slug="theirs", title="Theirs", text="…")
    signature_of("Someone Else", theirs, bloomfield, created=NOON, confirmed=True)

    assert "Someone Else" not in names_in(owner, on_commit)
    refused = owner.post(URL, {"petition": theirs.pk}, content_type="application/json")
    assert refused.status_code == 400
    assert "petition" in refused.json()["fields"]


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"created_from": "2026-03-12", "created_to": "2026-03-11"}, "created_to"),
        ({"place": 999999}, "place"),
        ({"confirmed": "maybe"}, "confirmed"),
    ],
)
def test_it_refuses_filters_that_make_no_sense(owner, filters, field):
    answer = owner.post(URL, filters, content_type="application/json")

    assert answer.status_code == 400
    assert list(answer.json()["fields"]) == [field]
    assert not Export.objects.exists()


@pytest.mark.parametrize(("role", "refused"), [(Role.EDITOR, 403), (Role.VIEWER, 403), (None, 404)])
def test_it_refuses_everyone_but_owners(owner, on_commit, signatures, user_factory, ring, role, refused):
    done = export(owner, on_commit)
    someone = user_factory("someone@example.org")
    if role is not None:
        Membership.objects.create(user=someone, campaign=ring, role=role)
    client = sign_in_with_two_factors(Client(), someone)

    assert client.post(URL, {}, content_type="application/json").status_code == refused
    assert client.get(URL).status_code == refused
    assert client.get(f"{URL}{done['id']}/").status_code == refused
    assert client.get(done["download_url"]).status_code == refused


def test_it_refuses_the_link_to_an_owner_who_is_no_longer_one(owner, on_commit, signatures, alice, ring):
    done = export(owner, on_commit)
    Membership.objects.filter(user=alice, campaign=ring).update(role=Role.EDITOR)

    assert owner.get(done["download_url"]).status_code == 403


def test_it_refuses_an_expired_link_with_a_clear_error(owner, on_commit, signatures):
    done = export(owner, on_commit)

    with time_machine.travel(timezone.now() + dt.timedelta(hours=1, minutes=1)):
        answer = owner.get(done["download_url"])

    assert answer.status_code == 410
    assert answer.json()["code"] == "link_expired"
    # A fresh status gives a fresh link.
    assert download(owner, owner.get(f"{URL}{done['id']}/").json()["download_url"])


@pytest.mark.parametrize("tamper", ["cut", "altered", "missing", "another_export"])
def test_it_refuses_a_tampered_link_with_a_clear_error(owner, on_commit, signatures, tamper):
    first = export(owner, on_commit)
    second = export(owner, on_commit, confirmed=False)
    url = {
        "cut": first["download_url"][:-3],
        "altered": first["download_url"][:-1] + ("A" if first["download_url"][-1] != "A" else "B"),
        "missing": first["download_url"].split("?")[0],
        # The signed link of one export does not open another.
        "another_export": first["download_url"].replace(f"/{first['id']}/", f"/{second['id']}/"),
    }[tamper]

    answer = owner.get(url)

    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"
    assert "not valid" in answer.json()["fields"]["token"][0]


def test_it_keeps_the_file_out_of_any_public_url(owner, on_commit, signatures, client):
    done = export(owner, on_commit)
    name = Export.objects.get(pk=done["id"]).file_name
    path = Path(export_storage().path(name))

    assert path.is_file()
    assert not path.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not path.resolve().is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)
    with pytest.raises(NotImplementedError):
        export_storage().url(name)
    assert client.get(f"{settings.MEDIA_URL}{name}").status_code == 404
    # Signed, but without a signed-in owner the link opens nothing.
    assert client.get(done["download_url"]).status_code == 401


def test_it_audits_the_request_and_each_download(owner, on_commit, signatures, alice, ring):
    done = export(owner, on_commit, confirmed=True)
    download(owner, done["download_url"])
    download(owner, done["download_url"])

    asked = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, target_label=f"signature export {done['id']}")
    assert (asked.actor, asked.campaign_id) == (alice, ring.pk)
    assert asked.changes["filters"] == [None, {"confirmed": True}]
    downloads = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT_PERSONAL_DATA)
    assert downloads.count() == 2
    assert {(event.actor, event.row_count, event.campaign_id) for event in downloads} == {(alice, 3, ring.pk)}
    assert downloads[0].details == {"filters": {"signature_export": done["id"], "confirmed": True}}


def test_it_writes_one_export_at_a_time_per_campaign(owner, signatures):
    # Without running the commit callbacks the task never runs: the first export stays pending.
    assert owner.post(URL, {}, content_type="application/json").status_code == 202
    again = owner.post(URL, {}, content_type="application/json")

    assert again.status_code == 409
    assert again.json()["code"] == "export_in_progress"
    pending = Export.objects.get()
    assert owner.get(f"{URL}{pending.pk}/").json()["download_url"] is None


def test_it_records_a_failed_export_for_the_owner(owner, on_commit, signatures):
    with mock.patch("campaigns.exports.writing.signature_rows", side_effect=RuntimeError("boom")):
        status = export(owner, on_commit)

    assert status["status"] == "failed"
    assert "RuntimeError" in status["error"]
    assert status["download_url"] is None


def test_it_deletes_files_after_the_retention_and_fails_lost_exports(owner, on_commit, signatures, ring):
    done = Export.objects.get(pk=export(owner, on_commit)["id"])
    orphan = export_storage().save("signature-export-0-orphan.csv", io.BytesIO(b"created\n"))
    lost = Export.objects.create(campaign=ring, status=Export.Status.RUNNING)
    Export.objects.filter(pk=lost.pk).update(created=timezone.now() - dt.timedelta(hours=2))
    later = timezone.now() + dt.timedelta(days=settings.SIGNATURE_EXPORT_RETENTION_DAYS, minutes=1)
    old = (later - dt.timedelta(days=30)).timestamp()
    os.utime(export_storage().path(orphan), (old, old))

    assert retention.purge_expired(later) == {"expired": 1, "orphans": 1, "lost": 1}

    done.refresh_from_db()
    assert (done.status, done.file_name) == (Export.Status.EXPIRED, "")
    assert Export.objects.get(pk=lost.pk).status == Export.Status.FAILED
    assert not export_storage().exists(orphan)
    answer = owner.get(f"{URL}{done.pk}/")
    assert (answer.json()["status"], answer.json()["download_url"]) == ("expired", None)


def test_it_answers_a_link_to_a_deleted_file_with_a_conflict(owner, on_commit, signatures):
    done = export(owner, on_commit)
    retention.purge_expired(timezone.now() + dt.timedelta(days=settings.SIGNATURE_EXPORT_RETENTION_DAYS + 1))

    answer = owner.get(done["download_url"])

    assert answer.status_code == 409
    assert answer.json()["code"] == "export_not_ready"


def test_it_lists_the_campaigns_exports_newest_first(owner, on_commit, signatures):
    first = export(owner, on_commit)
    second = export(owner, on_commit, confirmed=True)

    listed = owner.get(URL).json()["results"]

    assert [row["id"] for row in listed] == [second["id"], first["id"]]
    assert listed[0]["filters"] == {"confirmed": True}


def test_it_exports_a_held_signature_with_its_review(owner, on_commit, petition, bloomfield):
    signature_of("Held Back", petition, bloomfield, created=NOON, review=Review.HELD)

    (row,) = download(owner, export(owner, on_commit)["download_url"])

    assert row["review"] == "held"


def test_it_writes_times_in_the_campaigns_zone_to_the_second_from_either_database():
    new_york = ZoneInfo("America/New_York")

    assert local_time("2026-03-10 17:00:00.123456+00", new_york) == "2026-03-10T13:00:00-04:00"  # PostgreSQL
    assert local_time("2026-03-10 17:00:00.123456", new_york) == "2026-03-10T13:00:00-04:00"  # SQLite: UTC
    assert local_time(None, new_york) == ""
