"""Sending: at the bulk rate, paused, resumed, cancelled, scheduled, in each language; no one twice, no one skipped."""

from __future__ import annotations

import collections
import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from anymail.signals import EventType
from django.db import reset_queries
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent
from emails import bulk
from emails.models import BulkSend, MessageEvent, OutboundMessage, Status, Unsubscribe
from mailings import sending
from mailings.models import Mailing
from privacy.addresses import address_hash
from tests.mailings.conftest import MAILINGS, mailing_body, many_signers, signer, variant

pytestmark = pytest.mark.django_db
UNSUBSCRIBE_LINK = re.compile(r"<(https?://[^>]+)>")


def compose(client: Client, **fields) -> Mailing:
    response = client.post(MAILINGS, mailing_body(**fields), content_type="application/json")
    assert response.status_code == 201, response.content
    return Mailing.objects.get(pk=response.json()["id"])


def act(client: Client, mailing: Mailing, action: str, body: dict | None = None, expected: int = 200) -> dict:
    response = client.post(f"{MAILINGS}{mailing.pk}/{action}/", body or {}, content_type="application/json")
    assert response.status_code == expected, response.content
    return response.json()


def recipients_of(mailoutbox) -> collections.Counter[str]:
    return collections.Counter(address for mail in mailoutbox for address in mail.to)


def tick(mailing: Mailing, at: dt.datetime, capture) -> None:
    """What beat's release does every ten seconds, at `at`."""
    with time_machine.travel(at, tick=False), capture(execute=True):
        bulk.release_running()


def test_it_sends_1000_once_each_across_a_pause_and_resume(
    owner, petition, bloomfield, mailoutbox, django_capture_on_commit_callbacks
):
    readers = many_signers(petition, bloomfield, 1000)
    mailing = compose(owner, rate_per_minute=600)
    now = timezone.now()

    with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
        answer = act(owner, mailing, "send", expected=202)
    assert answer["status"] == "preparing"  # answered before the preparation runs
    detail = owner.get(f"{MAILINGS}{mailing.pk}/").json()
    assert detail["status"] == "sending"
    assert detail["figures"]["recipients"] == 1000
    assert len(mailoutbox) == 100  # 600 a minute: a ten-second tick's worth at once

    tick(mailing, now + dt.timedelta(seconds=10), django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 200
    with (
        time_machine.travel(now + dt.timedelta(seconds=15), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert act(owner, mailing, "pause")["status"] == "paused"
    for seconds in (20, 30, 40):
        tick(mailing, now + dt.timedelta(seconds=seconds), django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 200  # paused: nothing more goes out

    with (
        time_machine.travel(now + dt.timedelta(seconds=45), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert act(owner, mailing, "resume")["status"] == "sending"
    for step in range(1, 20):
        tick(mailing, now + dt.timedelta(seconds=45 + 10 * step), django_capture_on_commit_callbacks)

    received = recipients_of(mailoutbox)
    assert [address for address, times in received.items() if times > 1] == []  # no one twice
    assert set(received) == {str(reader.email) for reader in readers}  # no one skipped
    detail = owner.get(f"{MAILINGS}{mailing.pk}/").json()
    assert detail["status"] == "finished"
    assert detail["figures"]["sent"] == 1000
    assert detail["figures"]["pending"] == 0
    steps = AuditEvent.objects.filter(target_id=str(mailing.pk), action="update").values_list("changes", flat=True)
    assert sorted(change["status"][1] for change in steps) == ["paused", "sending", "sent"]


def test_it_writes_each_supporter_in_their_language_with_a_fallback(
    owner, petition, bloomfield, mailoutbox, django_capture_on_commit_callbacks
):
    signer(petition, bloomfield, "ana@example.org", language="es", name="Ana García")
    signer(petition, bloomfield, "dana@example.org", language="en", name="Dana Scully")
    signer(petition, bloomfield, "jean@example.org", language="fr", name="")
    mailing = compose(owner)

    with django_capture_on_commit_callbacks(execute=True):
        act(owner, mailing, "send", expected=202)

    mails = {mail.to[0]: mail for mail in mailoutbox}
    assert mails["ana@example.org"].subject == "Noticias de Bloomfield"
    assert "Hola Ana, el concejo se reúne." in mails["ana@example.org"].body
    assert mails["dana@example.org"].subject == "News from Bloomfield"
    assert "Hello Dana, the council meets." in mails["dana@example.org"].body
    # No French variant: the default language; no name: the placeholder's fallback.
    assert "Hello friend, the council meets." in mails["jean@example.org"].body
    html, _type = mails["ana@example.org"].alternatives[0]
    assert "Hola Ana" in html
    assert 'lang="es"' in html


def test_it_escapes_placeholder_values_in_html(
    owner, petition, bloomfield, mailoutbox, django_capture_on_commit_callbacks
):
    signer(petition, bloomfield, "x@example.org", name="<script>alert(1)</script>")
    mailing = compose(owner, variants=[variant("en", html="<p>Hi {{ first_name }}</p>")])

    with django_capture_on_commit_callbacks(execute=True):
        act(owner, mailing, "send", expected=202)

    [mail] = mailoutbox
    html, _type = mail.alternatives[0]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_it_schedules_a_mailing_and_starts_it_when_due(
    owner, petition, bloomfield, mailoutbox, django_capture_on_commit_callbacks
):
    signer(petition, bloomfield, "dana@example.org")
    mailing = compose(owner)
    later = timezone.now() + dt.timedelta(hours=2)

    answer = act(owner, mailing, "send", {"send_at": later.isoformat()}, expected=202)
    assert answer["status"] == "scheduled"
    assert answer["segment_size"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.start_due() == 0
    assert mailoutbox == []

    with (
        time_machine.travel(later + dt.timedelta(seconds=30), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sending.start_due() == 1
    assert recipients_of(mailoutbox) == {"dana@example.org": 1}


def test_it_resumes_a_preparation_whose_task_was_lost(
    owner, petition, bloomfield, mailoutbox, django_capture_on_commit_callbacks
):
    many_signers(petition, bloomfield, 3)
    mailing = compose(owner)
    # The send was recorded but its task never ran (a broker outage).
    act(owner, mailing, "send", expected=202)
    mailing.refresh_from_db()
    assert mailing.state == Mailing.State.PREPARING

    with (
        time_machine.travel(timezone.now() + dt.timedelta(minutes=6), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sending.start_due()

    assert len(mailoutbox) == 3


def test_it_prepares_in_chunks_without_adding_anyone_twice(owner, petition, bloomfield, monkeypatch):
    monkeypatch.setattr(sending, "CHUNK", 7)
    many_signers(petition, bloomfield, 20)
    mailing = compose(owner)
    Mailing.objects.filter(pk=mailing.pk).update(state=Mailing.State.PREPARING)

    # A chunk, then the task is lost and another runs the whole preparation twice.
    assert sending._prepare_chunk(mailing.pk) is False
    sending.prepare(mailing.pk)
    sending.prepare(mailing.pk)

    mailing.refresh_from_db()
    assert mailing.recipients == 20
    assert mailing.bulk is not None
    assert mailing.bulk.messages.count() == 20
    assert mailing.bulk.state == BulkSend.State.RUNNING


def test_it_cancels_what_has_not_gone_out(owner, petition, bloomfield, mailoutbox, django_capture_on_commit_callbacks):
    many_signers(petition, bloomfield, 30)
    mailing = compose(owner, rate_per_minute=60)

    with django_capture_on_commit_callbacks(execute=True):
        act(owner, mailing, "send", expected=202)
    answer = act(owner, mailing, "cancel")

    assert answer["status"] == "cancelled"
    assert answer["figures"]["sent"] == 10
    assert answer["figures"]["cancelled"] == 20
    tick(mailing, timezone.now() + dt.timedelta(minutes=1), django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 10
    act(owner, mailing, "resume", expected=400)


def test_it_honours_a_one_click_unsubscribe_at_once(
    owner, ring, petition, bloomfield, mailoutbox, django_capture_on_commit_callbacks
):
    many_signers(petition, bloomfield, 20)
    mailing = compose(owner, rate_per_minute=60)
    with django_capture_on_commit_callbacks(execute=True):
        act(owner, mailing, "send", expected=202)
    waiting = OutboundMessage.objects.filter(bulk__mailing=mailing, status=Status.HELD).order_by("pk")[0]
    match = UNSUBSCRIBE_LINK.fullmatch(waiting.headers["List-Unsubscribe"])
    assert match is not None
    link = match[1]

    response = Client().post(
        urlsplit(link).path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    tick(mailing, timezone.now() + dt.timedelta(minutes=1), django_capture_on_commit_callbacks)
    tick(mailing, timezone.now() + dt.timedelta(minutes=2), django_capture_on_commit_callbacks)

    assert waiting.to_address not in recipients_of(mailoutbox)
    assert len(mailoutbox) == 19
    assert Unsubscribe.objects.filter(list_key=f"campaign:{ring.pk}").count() == 1


def test_it_counts_sent_bounced_and_unsubscribed(
    owner, ring, petition, bloomfield, mailoutbox, django_capture_on_commit_callbacks
):
    many_signers(petition, bloomfield, 5)
    mailing = compose(owner)
    with django_capture_on_commit_callbacks(execute=True):
        act(owner, mailing, "send", expected=202)
    first, second, *_rest = OutboundMessage.objects.filter(bulk__mailing=mailing).order_by("pk")
    MessageEvent.objects.create(message=first, status=EventType.BOUNCED)
    Unsubscribe.objects.create(address_hash=address_hash(second.to_address), list_key=f"campaign:{ring.pk}")

    figures = owner.get(f"{MAILINGS}{mailing.pk}/").json()["figures"]

    assert figures["recipients"] == 5
    assert figures["sent"] == 5
    assert figures["bounced"] == 1
    assert figures["unsubscribed"] == 1


def test_it_refuses_to_send_twice_or_to_change_a_sent_mailing(
    owner, petition, bloomfield, django_capture_on_commit_callbacks
):
    signer(petition, bloomfield, "dana@example.org")
    mailing = compose(owner)
    with django_capture_on_commit_callbacks(execute=True):
        act(owner, mailing, "send", expected=202)

    assert "state" in act(owner, mailing, "send", expected=400)["fields"]
    patch = owner.patch(f"{MAILINGS}{mailing.pk}/", {"title": "Changed"}, content_type="application/json")
    assert patch.status_code == 400
    assert owner.delete(f"{MAILINGS}{mailing.pk}/").status_code == 400


@pytest.mark.parametrize("action", ["pause", "resume", "cancel"])
def test_it_answers_400_to_steering_a_draft(owner, petition, action):
    mailing = compose(owner)

    assert "state" in act(owner, mailing, action, expected=400)["fields"]


def test_it_answers_400_to_a_bad_send_time(owner, petition):
    mailing = compose(owner)

    assert "send_at" in act(owner, mailing, "send", {"send_at": "tomorrow-ish"}, expected=400)["fields"]
    mailing.refresh_from_db()
    assert mailing.state == Mailing.State.DRAFT


def test_it_lets_only_owners_send(editor, petition):
    mailing = compose(editor)

    act(editor, mailing, "send", expected=403)


def test_it_lists_mailings_with_their_figures_in_a_fixed_number_of_queries(
    owner, petition, bloomfield, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    many_signers(petition, bloomfield, 3)
    with django_capture_on_commit_callbacks(execute=True):
        act(owner, compose(owner), "send", expected=202)
    reset_queries()  # the log keeps 9,000 queries: a full one counts none
    with django_assert_max_num_queries(100) as one:
        assert len(owner.get(MAILINGS).json()["results"]) == 1
    queries_for_one = len(one)
    for _ in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            act(owner, compose(owner), "send", expected=202)

    reset_queries()
    with django_assert_max_num_queries(queries_for_one):
        listed = owner.get(MAILINGS).json()["results"]

    assert [mailing["figures"]["sent"] for mailing in listed] == [3] * 5


def test_it_cancels_a_scheduled_mailing_before_it_starts(
    owner, petition, bloomfield, mailoutbox, django_capture_on_commit_callbacks
):
    signer(petition, bloomfield, "dana@example.org")
    mailing = compose(owner)
    later = timezone.now() + dt.timedelta(hours=1)
    act(owner, mailing, "send", {"send_at": later.isoformat()}, expected=202)

    assert act(owner, mailing, "cancel")["status"] == "cancelled"
    with (
        time_machine.travel(later + dt.timedelta(minutes=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sending.start_due() == 0
    assert mailoutbox == []


def test_it_stops_preparing_a_mailing_cancelled_midway(owner, petition, bloomfield, mailoutbox, monkeypatch):
    monkeypatch.setattr(sending, "CHUNK", 5)
    many_signers(petition, bloomfield, 12)
    mailing = compose(owner)
    Mailing.objects.filter(pk=mailing.pk).update(state=Mailing.State.PREPARING)
    assert sending._prepare_chunk(mailing.pk) is False
    act(owner, mailing, "pause", expected=400)  # nothing is being sent yet

    answer = act(owner, mailing, "cancel")
    sending.prepare(mailing.pk)

    assert answer["status"] == "cancelled"
    assert answer["figures"]["cancelled"] == 5
    mailing.refresh_from_db()
    assert mailing.recipients == 5
    assert mailoutbox == []
