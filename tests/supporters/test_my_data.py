"""“My data”: ask by e-mail, get signed links; export everything, or erase all but what must stay."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator

import pytest
import time_machine
from django.utils import timezone

from emails.models import OutboundMessage, Status, Suppression, Unsubscribe
from privacy import registry
from privacy.addresses import address_hash, address_hashes
from privacy.models import DataRightsEvent
from supporters.models import Confirmation, Supporter
from tests.campaigns.database import rows_containing
from tests.supporters.conftest import DANA, act, link_paths

MAIN = re.compile(r"<main.*</main>", re.DOTALL)


def main_of(response) -> str:
    """The page's own content, without the header's per-request CSRF token."""
    return MAIN.findall(response.content.decode())[0]


def ask(client, email: str, capture):
    with capture(execute=True):
        return client.post("/my-data/", {"email": email})


@pytest.fixture
def links(client, confirmed_dana, mailoutbox, django_capture_on_commit_callbacks) -> dict[str, str]:
    """Dana asked for her data; the paths of the export and erase links in the mail she got."""
    ask(client, "dana.scully@gmail.com", django_capture_on_commit_callbacks)
    message = mailoutbox[-1]
    assert message.to == ["dana.scully@gmail.com"]
    export, erase = link_paths(message)
    return {"export": export, "erase": erase}


@pytest.fixture
def letters_holder() -> Iterator[list[str]]:
    """A holder as the letters app will register: what it was asked about, and one letter for Dana."""
    asked: list[str] = []

    def export(hashes):
        asked.extend(hashes)
        return {"letters": [{"to": "Bloomfield council"}] if address_hash(DANA) in hashes else []}

    registry.register(registry.PersonalDataHolder(name="tests.letters", export=export, erase=lambda hashes: {}))
    yield asked
    registry.unregister("tests.letters")


def download(client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    return json.loads(response.content)


def test_it_answers_the_same_whether_or_not_it_knows_the_address(
    client, confirmed_dana, mailoutbox, django_capture_on_commit_callbacks
):
    known = ask(client, "DANA.SCULLY@gmail.com", django_capture_on_commit_callbacks)
    unknown = ask(client, "nobody@example.org", django_capture_on_commit_callbacks)

    assert known.status_code == unknown.status_code == 200
    assert main_of(known) == main_of(unknown)
    assert "a link to export or erase it is on its way" in main_of(known)
    # The mail goes only to a mailbox we hold something about.
    assert [message.to for message in mailoutbox[1:]] == [["DANA.SCULLY@gmail.com"]]


def test_it_shows_a_form_and_refuses_what_is_not_an_address(client, db, mailoutbox):
    assert b'name="email"' in client.get("/my-data/").content

    response = client.post("/my-data/", {"email": "not an address"})

    assert response.status_code == 400
    assert b"valid email address" in response.content
    assert mailoutbox == []


def test_it_exports_everything_held_across_every_registered_app(client, links, letters_holder):
    Suppression.objects.create(address_hash=address_hash(DANA), reason=Suppression.Reason.COMPLAINT)

    export = download(client, links["export"])

    assert (
        set(export["held"])
        == {holder.name for holder in registry.holders()}
        >= {
            "emails",
            "supporters",
            "tests.letters",
        }
    )
    [supporter] = export["held"]["supporters"]["supporter"]
    assert (supporter["email"], supporter["name"]) == (DANA, "Dana Scully")
    assert supporter["street_address"] == "1 Elm Street, Bloomfield NJ"
    assert [c["confirmed_at"] is not None for c in export["held"]["supporters"]["confirmations"]] == [True]
    messages = export["held"]["emails"]["messages"]
    assert [m["kind"] for m in messages] == ["supporters.confirmation", "supporters.my_data"]
    assert messages[0]["subject"] == "Please confirm: it only counts once you do"
    assert export["held"]["tests.letters"] == {"letters": [{"to": "Bloomfield council"}]}
    [suppressed] = export["held"]["emails"]["suppression"]
    assert "never mailed again" in suppressed["kept_on_erasure"]
    assert {(kept["holder"], kept["records"]) for kept in export["kept_after_erasure"]} >= {
        ("emails", "suppression"),
        ("emails", "unsubscribes"),
    }
    # Every holder was asked by the address's hashes, never by the address.
    assert set(letters_holder) == set(address_hashes(DANA))


def test_it_shows_what_erasure_does_and_does_not_on_get_and_erases_nothing(client, links):
    page = client.get(links["erase"])

    assert page.status_code == 200
    text = page.content.decode()
    assert "Letters already delivered to officials cannot be recalled" in text
    assert "Donation bookkeeping" in text
    assert "keyed hash of your address stays" in text
    assert '<form method="post">' in text
    assert Supporter.objects.get().email == DANA


def test_it_keeps_after_erasure_only_what_it_says_it_keeps(client, links, mailoutbox):
    Suppression.objects.create(address_hash=address_hash(DANA), reason=Suppression.Reason.BOUNCE)
    Unsubscribe.objects.create(address_hash=address_hash(DANA), list_key="campaign:1")

    response = client.post(links["erase"])

    assert response.status_code == 200
    assert b"Your data is erased" in response.content
    export = download(client, links["export"])
    kept = {(kept["holder"], kept["records"]) for kept in export["kept_after_erasure"]}
    left = {
        (holder, kind): records for holder, held in export["held"].items() for kind, records in held.items() if records
    }
    assert set(left) == {("emails", "suppression"), ("emails", "unsubscribes")}
    assert set(left) <= kept
    for clear in ("Dana", "dana", "Scully", "Elm Street", "gmail.com"):
        assert rows_containing(clear) == [], clear
    holding_hash = {row.split(":")[0] for row in rows_containing(address_hash(DANA))}
    assert holding_hash == {"emails_suppression", "emails_unsubscribe"}


def test_it_keeps_what_was_confirmed_as_an_anonymous_count(client, links):
    client.post(links["erase"])

    supporter = Supporter.objects.get()
    assert (supporter.email, supporter.email_hash, supporter.name, supporter.street_address) == (None,) * 4
    assert supporter.erased_at is not None
    assert supporter.confirmations.filter(confirmed_at__isnull=False).count() == 1


def test_it_deletes_on_erasure_what_never_counted(client, links, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pending = act(visit={}, action="write to the council")
        never = act("fox.mulder@example.org", visit={})

    client.post(links["erase"])

    assert not Confirmation.objects.filter(pk=pending.pk).exists()
    assert Supporter.objects.filter(pk=never.supporter_id).exists()


def test_it_cancels_mail_still_on_its_way_to_the_address(client, links):
    act(visit={}, action="write to the council")  # not committed: its mail is still queued
    queued = OutboundMessage.objects.get(status=Status.QUEUED)

    client.post(links["erase"])

    queued.refresh_from_db()
    assert (queued.status, queued.to_address, queued.subject) == (Status.CANCELLED, "", "")


def test_it_lets_a_new_visit_after_erasure_start_afresh(client, links, django_capture_on_commit_callbacks):
    client.post(links["erase"])

    with django_capture_on_commit_callbacks(execute=True):
        again = act(visit={})

    assert again.supporter.email == DANA
    assert Supporter.objects.count() == 2


def test_it_logs_each_request_and_action_without_the_address(client, links):
    client.get(links["export"])
    client.post(links["erase"])

    events = list(DataRightsEvent.objects.values_list("action", flat=True))
    assert events == ["requested", "exported", "erased"]
    erased = DataRightsEvent.objects.get(action="erased")
    assert erased.counts["supporters"] == {"supporter": 1, "confirmations": 0}
    assert erased.counts["emails"] == {"messages": 2}
    for secret in (DANA, "dana", *address_hashes(DANA)):
        assert not [row for row in rows_containing(secret) if row.startswith("privacy_datarightsevent")]


@pytest.mark.parametrize("which", ["export", "erase"])
def test_it_answers_400_to_a_tampered_link(client, links, which):
    path = links[which]
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]

    assert client.get(tampered).status_code == 400
    assert Supporter.objects.get().email == DANA


def test_it_refuses_an_export_link_on_the_erase_page(client, links):
    token = links["export"].split("/")[-2]

    assert client.post(f"/my-data/erase/{token}/").status_code == 400
    assert Supporter.objects.get().email == DANA


@pytest.mark.parametrize("which", ["export", "erase"])
def test_it_answers_410_to_an_expired_link_with_a_way_to_a_new_one(client, links, which):
    with time_machine.travel(timezone.now() + dt.timedelta(days=1, minutes=1)):
        response = client.post(links[which]) if which == "erase" else client.get(links[which])

    assert response.status_code == 410
    assert b'href="/my-data/"' in response.content
    assert Supporter.objects.get().email == DANA


def test_it_holds_the_daily_limit_per_address_across_the_confirm_and_my_data_forms(
    client, db, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_UNCONFIRMED_DAILY_LIMIT = 3
    with django_capture_on_commit_callbacks(execute=True):
        for spelling in (DANA, "dana.scully@gmail.com", "DanaScully@gmail.com"):
            act(spelling, visit={})  # three visits, three confirmation mails
    ask(client, "dana.scully+data@gmail.com", django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 3
    refused = OutboundMessage.objects.get(status=Status.REFUSED)
    assert refused.kind == "supporters.my_data"


def test_it_limits_how_often_one_network_asks(client, db, settings, django_capture_on_commit_callbacks):
    settings.MY_DATA_REQUESTS_PER_IP = "2/hour"

    statuses = [ask(client, f"person{n}@example.org", django_capture_on_commit_callbacks).status_code for n in range(3)]

    assert statuses == [200, 200, 429]
    other_network = client.post("/my-data/", {"email": "person9@example.org"}, REMOTE_ADDR="198.51.100.7")
    assert other_network.status_code == 200


def test_it_takes_requests_through_the_api(api_client, confirmed_dana, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/v1/my-data/", {"email": "dana.scully@gmail.com"}, format="json")
        unknown = api_client.post("/api/v1/my-data/", {"email": "nobody@example.org"}, format="json")

    assert response.status_code == unknown.status_code == 202
    assert response.json() == unknown.json()
    assert [message.to for message in mailoutbox[1:]] == [["dana.scully@gmail.com"]]
    export, erase = link_paths(mailoutbox[-1])
    assert export.startswith("/my-data/export/") and erase.startswith("/my-data/erase/")


def test_it_answers_400_with_field_messages_to_a_bad_address_through_the_api(api_client, db):
    response = api_client.post("/api/v1/my-data/", {"email": "not an address"}, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {"email": ["Enter a valid email address."]}


def test_it_throttles_the_api_with_the_pages_limit(api_client, client, db, settings):
    settings.MY_DATA_REQUESTS_PER_IP = "1/hour"

    client.post("/my-data/", {"email": "person@example.org"})
    response = api_client.post("/api/v1/my-data/", {"email": "person@example.org"}, format="json")

    assert response.status_code == 429
