"""Unsubscribing: a header for mail clients (RFC 8058 one-click), a link in the mail, a page with a choice."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from emails import bulk, tasks
from emails.links import sign
from emails.models import EVERY_LIST, BulkSend, OutboundMessage, Status, Unsubscribe
from emails.outbox import UNSUBSCRIBE_PURPOSE, send
from privacy.addresses import address_hash
from tests.emails import sample_kinds

CAROL = "carol@example.org"
ONE_CLICK = "List-Unsubscribe=One-Click"
FORM = "application/x-www-form-urlencoded"
HEADER = re.compile(r"<(https://townhall\.example\.org/email/unsubscribe/[^/>]+/)>")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://townhall.example.org"


def hold(list_key: str, *addresses: str) -> BulkSend:
    """A bulk send to `addresses`, filled and not started: its messages are held."""
    mailing = bulk.create(list_key=list_key, kind=sample_kinds.NEWS.name)
    recipients = [bulk.Recipient(address=a, language="en", key=f"{list_key}:{a}") for a in addresses]
    bulk.add(mailing, recipients, context=sample_kinds.context())
    return mailing


def link_for(list_key: str, address: str = CAROL) -> str:
    """The path of the unsubscribe link in the held message to `address` on `list_key`."""
    message = OutboundMessage.objects.get(list_key=list_key, to_hash=address_hash(address))
    return urlsplit(header_link(message.headers["List-Unsubscribe"])).path


def header_link(value: str) -> str:
    match = HEADER.fullmatch(value)
    assert match, value
    return match[1]


def unsubscribed() -> list[tuple[str, str]]:
    return sorted(Unsubscribe.objects.values_list("address_hash", "list_key"))


def statuses(mailing: BulkSend) -> list[str]:
    return list(mailing.messages.values_list("status", flat=True))


def test_it_offers_one_click_unsubscribe_in_the_headers_and_both_parts_of_bulk_mail(
    mailoutbox, django_capture_on_commit_callbacks
):
    mailing = hold("campaign:1", CAROL)
    with django_capture_on_commit_callbacks(execute=True):
        bulk.start(mailing)

    [mail] = mailoutbox
    link = header_link(mail.extra_headers["List-Unsubscribe"])
    assert mail.extra_headers["List-Unsubscribe-Post"] == ONE_CLICK
    assert link in mail.body
    [(html, _)] = mail.alternatives
    assert f'href="{link}"' in html


def test_it_puts_no_unsubscribe_link_in_transactional_mail(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(sample_kinds.NOTICE.name, to=CAROL, context=sample_kinds.context(), language="en", key="receipt:1")

    [mail] = mailoutbox
    assert "List-Unsubscribe" not in mail.extra_headers
    assert "List-Unsubscribe-Post" not in mail.extra_headers
    assert "/email/unsubscribe/" not in mail.body
    assert "/email/unsubscribe/" not in mail.alternatives[0][0]


def test_it_shows_a_page_and_changes_nothing_when_the_link_is_opened(client):
    mailing = hold("campaign:1", CAROL)

    response = client.get(link_for("campaign:1"))

    assert response.status_code == 200
    assert b'name="scope" value="everything"' in response.content
    assert unsubscribed() == []
    assert statuses(mailing) == [Status.HELD]


def test_it_unsubscribes_from_that_list_alone_with_a_one_click_post():
    first, second = hold("campaign:1", CAROL), hold("campaign:2", CAROL)
    # A mail client posts without cookies or a CSRF token.
    mail_client = Client(enforce_csrf_checks=True)

    response = mail_client.post(link_for("campaign:1"), ONE_CLICK, content_type=FORM)

    assert response.status_code == 200
    assert unsubscribed() == [(address_hash(CAROL), "campaign:1")]
    assert statuses(first) == [Status.UNSUBSCRIBED]
    assert statuses(second) == [Status.HELD]


def test_it_unsubscribes_from_that_list_alone_when_asked_on_the_page(client):
    hold("campaign:1", CAROL)

    response = client.post(link_for("campaign:1"), {"scope": "list"})

    assert response.status_code == 200
    assert unsubscribed() == [(address_hash(CAROL), "campaign:1")]


def test_it_unsubscribes_from_every_list_when_asked_on_the_page(client):
    first, second = hold("campaign:1", CAROL), hold("campaign:2", CAROL, "dave@example.org")

    response = client.post(link_for("campaign:1"), {"scope": "everything"})

    assert response.status_code == 200
    assert unsubscribed() == [(address_hash(CAROL), EVERY_LIST)]
    assert statuses(first) == [Status.UNSUBSCRIBED]
    assert sorted(statuses(second)) == sorted([Status.UNSUBSCRIBED, Status.HELD])


def test_it_sends_nothing_more_to_an_address_once_it_unsubscribed(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    held = hold("campaign:1", CAROL, "dave@example.org")
    link = link_for("campaign:1")
    # Released to the queue, not yet delivered, when Carol unsubscribes.
    bulk.start(held)
    assert sorted(statuses(held)) == [Status.QUEUED, Status.QUEUED]

    client.post(link, ONE_CLICK, content_type=FORM)
    tasks.deliver_bulk(list(held.messages.values_list("pk", flat=True)))
    # A later mailing on the same list is held back too.
    later = hold("campaign:1", "Carol@Example.org")
    with django_capture_on_commit_callbacks(execute=True):
        bulk.start(later)

    assert [mail.to for mail in mailoutbox] == [["dave@example.org"]]
    assert held.messages.get(to_hash=address_hash(CAROL)).status == Status.UNSUBSCRIBED
    assert statuses(later) == [Status.UNSUBSCRIBED]


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(lambda good: good[:-1] + ("B" if good.endswith("A") else "A"), id="tampered"),
        pytest.param(lambda good: good[: len(good) // 2], id="cut short"),
        pytest.param(lambda good: "not-a-token", id="made up"),
        pytest.param(lambda good: sign("my-data", {"a": "x", "l": "campaign:1"}), id="made for another purpose"),
        pytest.param(lambda good: sign(UNSUBSCRIBE_PURPOSE, {"list": "campaign:1"}), id="without an address"),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_answers_a_bad_link_with_the_unusable_link_page(client, token, method):
    hold("campaign:1", CAROL)
    good = link_for("campaign:1").split("/")[-2]

    response = getattr(client, method)(f"/email/unsubscribe/{token(good)}/")

    assert response.status_code == 400
    assert b"<html" in response.content
    assert unsubscribed() == []
