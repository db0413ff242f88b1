"""Double opt-in: a link opens a page with a button; only its POST confirms, once per visit."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from emails.links import sign
from emails.models import OutboundMessage, Status
from supporters import confirming, signals
from supporters.models import Confirmation, Supporter
from tests.supporters.conftest import DANA, act, link_paths


@pytest.fixture
def signed(db, mailoutbox, django_capture_on_commit_callbacks) -> str:
    """Dana signed in a visit; the path of the confirmation link her mail carries."""
    with django_capture_on_commit_callbacks(execute=True):
        act(visit={})
    [message] = mailoutbox
    [path] = link_paths(message)
    return path


def test_it_mails_the_link_to_the_address_given(signed, mailoutbox):
    [message] = mailoutbox

    assert message.to == [DANA]
    assert "sign the petition for Bloomfield" in message.body
    assert signed.startswith("/confirm/")


def test_it_shows_a_button_on_get_and_confirms_nothing(client, signed):
    response = client.get(signed)

    assert response.status_code == 200
    assert b'<form method="post">' in response.content
    assert Confirmation.objects.get().confirmed_at is None
    assert Supporter.objects.get().confirmed_at is None


def test_it_confirms_on_the_pages_post(client, signed):
    response = client.post(signed)

    assert response.status_code == 200
    assert b"it counts now" in response.content
    confirmation = Confirmation.objects.get()
    assert confirmation.confirmed_at is not None
    supporter = confirmation.supporter
    assert supporter.confirmed_at == confirmation.confirmed_at
    assert supporter.name == "Dana Scully"
    # Copied to the supporter, so the confirmation no longer holds a copy.
    assert confirmation.name is None


def test_it_needs_the_pages_csrf_token_to_confirm(signed):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(signed)
    token = page.context["csrf_token"]

    assert browser.post(signed).status_code == 403
    assert Confirmation.objects.get().confirmed_at is None
    assert browser.post(signed, {"csrfmiddlewaretoken": token}).status_code == 200
    assert Confirmation.objects.get().confirmed_at is not None


def test_it_confirms_once_and_tells_listeners_once(client, signed):
    heard: list[int] = []

    def listener(sender, confirmation, **kwargs):
        heard.append(confirmation.pk)

    signals.confirmed.connect(listener)
    try:
        client.post(signed)
        client.post(signed)
    finally:
        signals.confirmed.disconnect(listener)

    assert heard == [Confirmation.objects.get().pk]
    assert b"already confirmed" in client.get(signed).content


def test_it_covers_everything_done_in_one_visit_with_one_confirmation(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    visit: dict = {}
    with django_capture_on_commit_callbacks(execute=True):
        first = act(visit=visit, action="sign the petition for Bloomfield")
        second = act("dana.scully@gmail.com", visit=visit, action="write to the Bloomfield council")

    assert first == second
    assert len(mailoutbox) == 1
    confirming.confirm(first)
    assert Confirmation.objects.get().is_confirmed


def test_it_lists_on_the_page_everything_the_confirmation_covers(client, signed, describe_actions):
    describe_actions(["Signed the petition for Bloomfield", "Wrote to 3 members of the Bloomfield council"])

    page = client.get(signed).content.decode()

    assert "Signed the petition for Bloomfield" in page
    assert "Wrote to 3 members of the Bloomfield council" in page


def test_it_asks_a_confirmed_address_again_for_a_new_visit(
    confirmed_dana, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        stranger = act(visit={}, action="write to the Bloomfield council")

    assert not stranger.is_confirmed
    assert stranger.supporter == confirmed_dana
    assert [message.to for message in mailoutbox] == [[DANA], [DANA]]
    assert confirmed_dana.confirmations.filter(confirmed_at__isnull=False).count() == 1


def test_it_starts_a_new_confirmation_in_a_visit_whose_confirmation_is_done(db, django_capture_on_commit_callbacks):
    visit: dict = {}
    with django_capture_on_commit_callbacks(execute=True):
        first = act(visit=visit)
        confirming.confirm(first)
        later = act(visit=visit, action="write to the Bloomfield council")

    assert later != first
    assert not later.is_confirmed


def test_it_changes_nothing_about_a_supporter_before_they_confirm(confirmed_dana, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        stranger = act(visit={}, name="Mallory", street_address="9 Other Road")

    confirmed_dana.refresh_from_db()
    assert (confirmed_dana.name, confirmed_dana.street_address) == ("Dana Scully", "1 Elm Street, Bloomfield NJ")
    confirming.confirm(stranger)
    confirmed_dana.refresh_from_db()
    assert (confirmed_dana.name, confirmed_dana.street_address) == ("Mallory", "9 Other Road")


def test_it_answers_400_to_a_tampered_link(client, signed):
    tampered = signed[:-3] + ("A" if signed[-3] != "A" else "B") + signed[-2:]

    for response in (client.get(tampered), client.post(tampered), client.get("/confirm/not-a-token/")):
        assert response.status_code == 400
        assert b"This link is not valid" in response.content
    assert Confirmation.objects.get().confirmed_at is None


def test_it_answers_400_to_a_signed_link_without_a_confirmation(db, client):
    token = sign(confirming.CONFIRM_PURPOSE, {"c": "1; DROP TABLE"})

    assert client.get(f"/confirm/{token}/").status_code == 400


def test_it_answers_400_to_a_link_made_for_another_purpose(db, client):
    token = sign("supporters.my-data.erase", {"c": 1})

    assert client.post(f"/confirm/{token}/").status_code == 400


def test_it_answers_410_to_an_expired_link_and_says_how_to_get_a_new_one(client, signed):
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, minutes=1)):
        responses = [client.get(signed), client.post(signed)]

    for response in responses:
        assert response.status_code == 410
        assert b"It has expired" in response.content
        assert b"we send a new link" in response.content
    assert Confirmation.objects.get().confirmed_at is None


def test_it_answers_410_when_what_it_confirmed_is_gone(client, signed):
    Confirmation.objects.all().delete()

    assert client.post(signed).status_code == 410


def test_it_sends_no_second_mail_for_a_visits_second_action(db, mailoutbox, django_capture_on_commit_callbacks):
    visit: dict = {}
    with django_capture_on_commit_callbacks(execute=True):
        for action in ("sign the petition", "write to the council", "share the petition"):
            act(visit=visit, action=action)

    assert len(mailoutbox) == 1
    assert OutboundMessage.objects.get().status == Status.SENT
