"""The dashboard's buttons: moderation moves the tallies, briefings and mailings go through their
domain functions, each action at the role the API asks, audited, and refused cleanly on bad input."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import Client

from accounts.models import AuditEvent
from briefings.models import Edition
from briefings.storage import briefing_storage
from campaigns import tallies
from campaigns.models import Campaign, Membership, Official, Petition, Place, Review, Role, Signature
from emails.models import BulkSend, OutboundMessage, Status
from mailings.models import Mailing
from tests.conftest import sign_in_with_two_factors
from tests.web.pages import parse
from tests.web.test_dashboard import DASHBOARD, NOW, TODAY, World, make_world, on, place, sign, write

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _morning() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(user_factory: Any) -> World:
    return make_world(user_factory)


@pytest.fixture(autouse=True)
def _briefing_storage(settings: Any, tmp_path: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "briefings": {"BACKEND": "briefings.storage.UnservedFileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


def as_user(client: Client, user: Any) -> Client:
    return sign_in_with_two_factors(client, user)


def counted(world: World, where: Place) -> int:
    return tallies.place_count(campaign=world.campaign, place=where)


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def trail(action: str = AuditEvent.Action.UPDATE) -> list[tuple[str, str, dict[str, Any]]]:
    events = AuditEvent.objects.filter(action=action).order_by("pk")
    return [(event.actor_label, event.via, event.changes) for event in events]


# Moderation


def test_an_editor_approves_a_held_signature_and_it_counts(client, world):
    held = sign(world, world.bloomfield, confirmed=on(TODAY), review=Review.HELD, flags=("disposable",))
    assert counted(world, world.bloomfield) == 0

    response = as_user(client, world.editor).post(
        f"{DASHBOARD}signatures/{held.pk}/review/", {"decision": "approve"}, follow=True
    )

    assert response.redirect_chain == [(f"{DASHBOARD}#moderation", 302)]
    assert messages_of(response) == ["Signature approved."]
    held.refresh_from_db()
    assert held.review == Review.ACCEPTED
    assert counted(world, world.bloomfield) == 1
    assert response.context["queue"].size == 0
    assert trail() == [("editor@example.org", "web", {"review": ["held", "accepted"]})]


def test_an_editor_rejects_a_signature_and_it_stops_counting(client, world):
    counted_one = sign(world, world.maywood, confirmed=on(TODAY))
    assert counted(world, world.maywood) == 1

    response = as_user(client, world.editor).post(
        f"{DASHBOARD}signatures/{counted_one.pk}/review/", {"decision": "reject"}
    )

    assert response.status_code == 302
    assert Signature.objects.get(pk=counted_one.pk).review == Review.REJECTED
    assert counted(world, world.maywood) == 0
    assert trail() == [("editor@example.org", "web", {"review": ["accepted", "rejected"]})]


def test_an_owner_decides_on_held_letters(client, world):
    spam = write(world, world.bloomfield, confirmed=on(TODAY), review=Review.HELD, body="Visit spam.example.com")
    fine = write(world, world.bloomfield, confirmed=None, review=Review.HELD, body="Please end it, www.ring.example")
    owner = as_user(client, world.owner)

    assert owner.post(f"{DASHBOARD}letters/{spam.pk}/review/", {"decision": "reject"}).status_code == 302
    response = owner.post(f"{DASHBOARD}letters/{fine.pk}/review/", {"decision": "approve"}, follow=True)

    assert messages_of(response) == ["Letter rejected.", "Letter approved."]
    spam.refresh_from_db()
    fine.refresh_from_db()
    assert (spam.review, fine.review) == (Review.REJECTED, Review.ACCEPTED)
    assert trail() == [
        ("owner@example.org", "web", {"review": ["held", "rejected"]}),
        ("owner@example.org", "web", {"review": ["held", "accepted"]}),
    ]


def test_a_viewer_may_not_decide(client, world):
    held = sign(world, world.bloomfield, confirmed=on(TODAY), review=Review.HELD)
    letter = write(world, world.bloomfield, confirmed=on(TODAY), review=Review.HELD)
    viewer = as_user(client, world.viewer)

    assert viewer.post(f"{DASHBOARD}signatures/{held.pk}/review/", {"decision": "approve"}).status_code == 403
    assert viewer.post(f"{DASHBOARD}letters/{letter.pk}/review/", {"decision": "approve"}).status_code == 403
    held.refresh_from_db()
    letter.refresh_from_db()
    assert (held.review, letter.review) == (Review.HELD, Review.HELD)
    assert trail() == []


def test_another_campaigns_signature_or_an_unknown_one_is_not_found(client, world):
    other = Campaign.objects.create(slug="other", title="Other")
    elsewhere = Petition.objects.create(campaign=other, slug="p", title="P", text="P")
    world_petition, world.petition = world.petition, elsewhere
    theirs = sign(world, world.bloomfield, confirmed=on(TODAY), review=Review.HELD)
    world.petition = world_petition
    editor = as_user(client, world.editor)

    assert editor.post(f"{DASHBOARD}signatures/{theirs.pk}/review/", {"decision": "approve"}).status_code == 404
    assert editor.post(f"{DASHBOARD}signatures/999999/review/", {"decision": "approve"}).status_code == 404
    assert editor.post(f"{DASHBOARD}letters/999999/review/", {"decision": "approve"}).status_code == 404
    assert Signature.objects.get(pk=theirs.pk).review == Review.HELD


@pytest.mark.parametrize("body", [{}, {"decision": ""}, {"decision": "approve it"}, {"decision": "APPROVE"}])
def test_a_missing_or_garbled_decision_answers_400_and_changes_nothing(client, world, body):
    held = sign(world, world.bloomfield, confirmed=on(TODAY), review=Review.HELD)

    response = as_user(client, world.editor).post(f"{DASHBOARD}signatures/{held.pk}/review/", body)

    assert response.status_code == 400
    assert "Choose one of: approve, reject." in response.content.decode()
    assert DASHBOARD in parse(response).urls()
    assert Signature.objects.get(pk=held.pk).review == Review.HELD
    assert trail() == []


def test_strangers_anonymous_visitors_get_and_forged_posts_are_refused(client, world, user_factory):
    held = sign(world, world.bloomfield, confirmed=on(TODAY), review=Review.HELD)
    url = f"{DASHBOARD}signatures/{held.pk}/review/"

    anonymous = client.post(url, {"decision": "approve"})
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")

    stranger = user_factory("stranger@example.org")
    Membership.objects.create(user=stranger, campaign=Campaign.objects.create(slug="x", title="X"), role=Role.OWNER)
    assert as_user(Client(), stranger).post(url, {"decision": "approve"}).status_code == 404

    assert as_user(Client(), world.editor).get(url).status_code == 405
    forged = as_user(Client(enforce_csrf_checks=True), world.editor).post(url, {"decision": "approve"})
    assert forged.status_code == 403
    assert Signature.objects.get(pk=held.pk).review == Review.HELD


# Briefings


def done_edition(world: World, *, number: int = 1) -> Edition:
    name = briefing_storage().save(f"ring-{number}.pdf", ContentFile(b"%PDF-1.7 a briefing"))
    return Edition.objects.create(
        campaign=world.campaign,
        place=world.bloomfield,
        number=number,
        status=Edition.Status.DONE,
        pdf_name=name,
        figures={"campaign": {"title": "End Ring partnerships"}, "place": {"name": "Bloomfield"}, "organization": ""},
    )


def test_an_editor_previews_and_sends_a_done_briefing(client, world, mailoutbox):
    Official.objects.create(
        campaign=world.campaign, place=world.bloomfield, name="Ana Member", email="ana@bloomfield.example.gov"
    )
    edition = done_edition(world)
    editor = as_user(client, world.editor)

    page = editor.get(DASHBOARD)
    pdf = f"/api/v1/organizer/campaigns/ring/briefings/{edition.pk}/pdf/"
    assert pdf in parse(page).urls()
    download = editor.get(pdf)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]

    response = editor.post(f"{DASHBOARD}briefings/{edition.pk}/send/", follow=True)

    assert messages_of(response) == ["Briefing sent to Ana Member."]
    assert [(label, via) for label, via, _changes in trail(AuditEvent.Action.CREATE)] == [("editor@example.org", "web")]


def test_a_viewer_sees_briefings_but_neither_links_nor_buttons(client, world):
    edition = done_edition(world)
    viewer = as_user(client, world.viewer)

    page = viewer.get(DASHBOARD)

    assert f'data-edition="{edition.pk}"' in page.content.decode()
    assert not [url for url in parse(page).urls() if "/briefings/" in url]
    assert viewer.post(f"{DASHBOARD}briefings/{edition.pk}/send/").status_code == 403
    assert viewer.post(f"{DASHBOARD}briefings/", {"place": world.bloomfield.pk}).status_code == 403


def test_sending_an_edition_without_its_pdf_is_refused_with_the_reason(client, world):
    pending = Edition.objects.create(campaign=world.campaign, place=world.bloomfield, number=1)

    response = as_user(client, world.editor).post(f"{DASHBOARD}briefings/{pending.pk}/send/")

    assert response.status_code == 400
    assert "This edition has no PDF yet" in response.content.decode()


def test_an_editor_asks_for_a_new_briefing_of_a_tracked_place(client, world, django_capture_on_commit_callbacks):
    editor = as_user(client, world.editor)

    response = editor.post(f"{DASHBOARD}briefings/", {"place": world.bloomfield.pk}, follow=True)

    [edition] = Edition.objects.filter(campaign=world.campaign)
    assert (edition.place, edition.number, edition.requested_by) == (world.bloomfield, 1, world.editor)
    assert messages_of(response)[0].startswith("Briefing 1 for Bloomfield, NJ")


@pytest.mark.parametrize("value", ["", "abc", "-1", "99999999999999999999999"])
def test_a_briefing_for_no_place_or_an_untracked_one_answers_400(client, world, value):
    untracked = place("Elsewhere")
    editor = as_user(client, world.editor)

    garbled = editor.post(f"{DASHBOARD}briefings/", {"place": value})
    untracked_answer = editor.post(f"{DASHBOARD}briefings/", {"place": untracked.pk})

    assert garbled.status_code == 400
    assert "Give the number of one of the campaign" in garbled.content.decode()
    assert untracked_answer.status_code == 400
    assert "This campaign does not track that place." in untracked_answer.content.decode()
    assert not Edition.objects.exists()


# Mailings


def sending_mailing(world: World, *, sent: int, waiting: int) -> Mailing:
    bulk = BulkSend.objects.create(
        list_key=f"campaign:{world.campaign.pk}", kind="mailing", state=BulkSend.State.RUNNING, rate_per_minute=60
    )
    for n in range(sent + waiting):
        OutboundMessage.objects.create(
            idempotency_key=f"mailing-test-{n}",
            kind="mailing",
            stream="bulk",
            language="en",
            to_address=f"reader{n}@example.org",
            from_email="ring@example.org",
            subject="News",
            text_body="News",
            html_body="",
            message_id=f"<{n}@example.org>",
            bulk=bulk,
            status=Status.SENT if n < sent else Status.HELD,
        )
    return Mailing.objects.create(
        campaign=world.campaign,
        title="November news",
        state=Mailing.State.SENDING,
        bulk=bulk,
        recipients=sent + waiting,
    )


def test_it_shows_a_mailings_progress(client, world):
    sending_mailing(world, sent=3, waiting=7)

    page = as_user(client, world.viewer).get(DASHBOARD)

    [progress] = parse(page).all("progress")
    assert (progress.attrs["value"], progress.attrs["max"]) == ("3", "10")
    assert "Sent 3 of 10" in page.content.decode()
    assert not [form for form in parse(page).all("form") if "/mailings/" in (form.attrs.get("action") or "")]


def test_an_owner_pauses_resumes_and_cancels_a_mailing(client, world):
    mailing = sending_mailing(world, sent=3, waiting=7)
    owner = as_user(client, world.owner)
    steer = f"{DASHBOARD}mailings/{mailing.pk}/steer/"

    paused = owner.post(steer, {"step": "pause"}, follow=True)

    assert messages_of(paused) == ["Mailing “November news” paused."]
    assert [p.status for p in paused.context["mailings"]] == ["paused"]
    resumed = owner.post(steer, {"step": "resume"}, follow=True)
    assert [p.status for p in resumed.context["mailings"]] == ["sending"]
    cancelled = owner.post(steer, {"step": "cancel"}, follow=True)
    assert messages_of(cancelled) == ["Mailing “November news” cancelled."]
    assert [p.status for p in cancelled.context["mailings"]] == ["cancelled"]
    assert [(c["status"][0], c["status"][1]) for _label, _via, c in trail()] == [
        ("sending", "paused"),
        ("paused", "sending"),
        ("sending", "cancelled"),
    ]
    assert {via for _label, via, _changes in trail()} == {"web"}


def test_an_editor_may_not_steer_a_mailing_and_bad_steps_are_refused(client, world):
    mailing = sending_mailing(world, sent=0, waiting=2)
    steer = f"{DASHBOARD}mailings/{mailing.pk}/steer/"

    assert as_user(Client(), world.editor).post(steer, {"step": "pause"}).status_code == 403
    owner = as_user(client, world.owner)
    assert owner.post(steer, {"step": "explode"}).status_code == 400
    refused = owner.post(steer, {"step": "resume"})  # it is not paused
    assert refused.status_code == 400
    assert "This mailing is sending." in refused.content.decode()
    assert owner.post(f"{DASHBOARD}mailings/999999/steer/", {"step": "pause"}).status_code == 404
    assert BulkSend.objects.get().state == BulkSend.State.RUNNING
    assert trail() == []
