"""Status-change notices: one per consenting supporter of the place, once per change, in their language."""

from __future__ import annotations

import collections
import datetime as dt

import pytest

from campaigns import tracker
from campaigns.models import Campaign, Place, Source, Status, TimelineEvent
from emails import bulk
from mailings.models import Mailing
from mailings.notices import announce
from tests.mailings.conftest import MAILINGS, sign, signer, writer

pytestmark = pytest.mark.django_db


@pytest.fixture
def minutes(ring: Campaign) -> Source:
    return Source.objects.create(
        campaign=ring, title="Council agenda", kind="meeting", url="https://example.org/agenda", is_verified=True
    )


def change(ring: Campaign, place: Place, status: Status, source: Source, alice, capture, title: str) -> TimelineEvent:
    with capture(execute=True):
        return tracker.change_status(
            campaign=ring,
            place=place,
            status=status,
            occurred_on=dt.date(2026, 3, 3),
            title=title,
            description="Public comment opens at 7 pm.",
            citations=[tracker.CitationInput(source=source)],
            actor=alice,
            via="test",
        )


def test_it_tells_each_consenting_supporter_of_the_place_once(
    ring, alice, petition, second_petition, bloomfield, maywood, minutes, mailoutbox, django_capture_on_commit_callbacks
):
    dana = signer(petition, bloomfield, "dana@example.org")
    signer(second_petition, bloomfield, "dana+again@example.org", updates=True)
    sign(dana, second_petition, bloomfield)  # two signatures for the place: still one notice
    signer(petition, bloomfield, "ana@example.org", language="es")
    signer(petition, bloomfield, "quiet@example.org", updates=False)
    signer(petition, bloomfield, "unsure@example.org", confirmed=False)
    signer(petition, maywood, "maywood@example.org")
    writer(ring, bloomfield, "fox@example.org")
    writer(ring, bloomfield, "quiet-writer@example.org", updates=False)

    event = change(
        ring, bloomfield, Status.ON_AGENDA, minutes, alice, django_capture_on_commit_callbacks, "On the agenda"
    )

    received = collections.Counter(address for mail in mailoutbox for address in mail.to)
    assert received == {"dana@example.org": 1, "dana+again@example.org": 1, "ana@example.org": 1, "fox@example.org": 1}
    mails = {mail.to[0]: mail for mail in mailoutbox}
    assert mails["dana@example.org"].subject == "Bloomfield: on the council agenda"
    assert "The council of Bloomfield has put the police partnership on its agenda." in mails["dana@example.org"].body
    assert "Public comment opens at 7 pm." in mails["dana@example.org"].body
    html, _type = mails["ana@example.org"].alternatives[0]
    assert 'lang="es"' in html
    assert mails["ana@example.org"].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The signal again (a retry, a second listener run): no one hears twice.
    with django_capture_on_commit_callbacks(execute=True):
        announce(event=event)
    assert len(mailoutbox) == 4
    assert Mailing.objects.filter(event=event).count() == 1


def test_it_tells_them_again_at_the_next_change(
    ring, alice, petition, bloomfield, minutes, mailoutbox, django_capture_on_commit_callbacks
):
    signer(petition, bloomfield, "dana@example.org")

    change(ring, bloomfield, Status.ON_AGENDA, minutes, alice, django_capture_on_commit_callbacks, "On the agenda")
    change(ring, bloomfield, Status.COUNCIL_VOTED, minutes, alice, django_capture_on_commit_callbacks, "Vote taken")

    assert [mail.subject for mail in mailoutbox] == [
        "Bloomfield: on the council agenda",
        "Bloomfield: the council voted",
    ]


def test_it_sends_nothing_when_the_status_does_not_change_or_goes_back_to_the_start(
    ring, alice, petition, bloomfield, minutes, mailoutbox, django_capture_on_commit_callbacks
):
    signer(petition, bloomfield, "dana@example.org")
    change(ring, bloomfield, Status.ON_AGENDA, minutes, alice, django_capture_on_commit_callbacks, "On the agenda")

    change(ring, bloomfield, Status.ON_AGENDA, minutes, alice, django_capture_on_commit_callbacks, "Still on it")
    change(ring, bloomfield, Status.NOT_STARTED, minutes, alice, django_capture_on_commit_callbacks, "Correction")

    assert len(mailoutbox) == 1


def test_it_shows_notices_to_organizers_with_their_figures(
    owner, ring, alice, petition, bloomfield, minutes, django_capture_on_commit_callbacks
):
    signer(petition, bloomfield, "dana@example.org")
    change(ring, bloomfield, Status.ON_AGENDA, minutes, alice, django_capture_on_commit_callbacks, "On the agenda")
    bulk.release_running()  # beat's next tick finds nothing left and finishes the send

    [notice] = owner.get(MAILINGS).json()["results"]

    assert notice["kind"] == "status_notice"
    assert notice["status"] == "finished"
    assert notice["figures"]["sent"] == 1


def test_it_notifies_once_when_an_editor_changes_the_status_through_the_api(
    editor, ring, petition, bloomfield, minutes, mailoutbox, django_capture_on_commit_callbacks
):
    signer(petition, bloomfield, "dana@example.org")
    signer(petition, bloomfield, "ana@example.org", language="es")
    body = {
        "status": "partnership_ended",
        "occurred_on": "2026-04-01",
        "title": "Council ends the partnership",
        "citations": [{"source_id": minutes.pk}],
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            f"/api/v1/organizer/campaigns/ring/places/{bloomfield.pk}/status/", body, content_type="application/json"
        )

    assert response.status_code == 201, response.content
    assert sorted(address for mail in mailoutbox for address in mail.to) == ["ana@example.org", "dana@example.org"]
    english = next(mail for mail in mailoutbox if mail.to == ["dana@example.org"])
    assert "Bloomfield has ended its police partnership." in english.body
    notice = Mailing.objects.get(kind=Mailing.Kind.STATUS_NOTICE)
    assert notice.event is not None
    assert notice.event.title == "Council ends the partnership"
