"""Officials record their position through a private signed link; the tracker shows it, the timeline records it."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.core import signing
from django.utils import timezone

from campaigns.letters import positions
from campaigns.models import OfficialPosition, Position, TimelineEvent
from tests.letters.conftest import letters_to, write_and_confirm


def path_of(url: str) -> str:
    return url.split("testserver", 1)[-1] if "testserver" in url else "/" + url.split("/", 3)[3]


def test_a_letter_carries_the_officials_own_link(drive, officials, bloomfield, mailoutbox, on_commit, client):
    write_and_confirm(drive, bloomfield, mailoutbox, on_commit)
    mail = letters_to(mailoutbox, "rivera@bloomfield.example.gov")[0]
    link = next(line for line in mail.body.splitlines() if "/officials/position/" in line)

    page = client.get(path_of(link.strip()))
    assert page.status_code == 200
    assert "Ana Rivera" in page.content.decode()


def test_it_records_a_position_in_the_tracker_and_the_timeline(officials, client, ring, bloomfield):
    url = path_of(positions.position_url(officials["rivera"], ring))
    response = client.post(url, {"position": "supports_ending", "statement": "Warrants first.", "digest_only": "on"})

    assert response.status_code == 200
    recorded = OfficialPosition.objects.get()
    assert (recorded.official, recorded.position, recorded.statement) == (
        officials["rivera"],
        "supports_ending",
        "Warrants first.",
    )
    event = TimelineEvent.objects.get(campaign=ring, place=bloomfield)
    assert event.title == "Ana Rivera (Council member): supports ending the partnership"
    assert event.description == "Warrants first."
    officials["rivera"].refresh_from_db()
    assert officials["rivera"].letters_digest_only is True

    detail = client.get(f"/api/v1/campaigns/ring/places/{bloomfield.pk}/").json()
    shown = {o["name"]: o["position"] for o in detail["officials"]}
    assert shown["Ana Rivera"]["position"] == "supports_ending"
    assert shown["Ana Rivera"]["statement"] == "Warrants first."
    assert shown["Li Chen"] is None
    assert "Ana Rivera (Council member): supports ending the partnership" in [e["title"] for e in detail["timeline"]]


def test_the_latest_statement_is_the_position(officials, ring):
    positions.record_position(official=officials["chen"], position=Position.UNDECIDED, statement="")
    positions.record_position(official=officials["chen"], position=Position.OPPOSES, statement="Cameras help.")
    current = positions.current_position(officials["chen"])
    assert current is not None and current.position == "opposes"
    latest = OfficialPosition.objects.latest_per_official()
    assert [(p.official_id, p.position) for p in latest] == [(officials["chen"].pk, "opposes")]


def test_a_tampered_link_records_nothing(officials, client, ring):
    url = path_of(positions.position_url(officials["rivera"], ring))
    tampered = url[:-3] + ("aaa" if not url.endswith("aaa/") else "bbb") + "/"
    assert client.get(tampered).status_code == 400
    assert client.post(tampered, {"position": "opposes"}).status_code == 400
    # A link for another purpose (say, a confirmation) never opens this page.
    other = signing.dumps({"o": officials["rivera"].pk, "c": ring.pk}, salt="townhall.links.supporters.confirm")
    assert client.post(f"/officials/position/{other}/", {"position": "opposes"}).status_code == 400
    assert not OfficialPosition.objects.exists()


def test_an_expired_link_says_so(officials, client, ring):
    url = path_of(positions.position_url(officials["rivera"], ring))
    later = timezone.now() + positions.POSITION_LINK_AGE + dt.timedelta(days=1)
    with mock.patch("time.time", return_value=later.timestamp()):
        response = client.post(url, {"position": "opposes"})
    assert response.status_code == 410
    assert not OfficialPosition.objects.exists()


def test_a_position_needs_a_choice(officials, client, ring):
    url = path_of(positions.position_url(officials["rivera"], ring))
    response = client.post(url, {"position": "maybe", "statement": "x" * 2000})
    assert response.status_code == 400
    assert not OfficialPosition.objects.exists()
