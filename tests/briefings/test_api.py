"""Organizers ask for a briefing, preview it, download it and send it to the place's officials."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

import pytest
from django.core import mail

from accounts.models import AuditEvent
from briefings.models import Delivery, Edition
from campaigns.models import Citation, Membership, Official, Role
from emails.models import OutboundMessage
from tests.briefings.conftest import add_signer, generated, pdf_text
from tests.conftest import sign_in_with_two_factors

B = "/api/v1/organizer/campaigns/ring/briefings/"


@pytest.fixture
def owner_client(world, client):
    return sign_in_with_two_factors(client, world.owner)


def test_an_editor_asks_for_a_briefing_and_downloads_the_pdf(world, owner_client, django_capture_on_commit_callbacks):
    add_signer(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(B, {"place": world.place.pk}, content_type="application/json")
    assert response.status_code == 202, response.content
    edition = Edition.objects.get()
    assert response.json()["id"] == edition.pk and response.json()["verify_url"].endswith(f"/b/{edition.code}/")

    detail = owner_client.get(f"{B}{edition.pk}/").json()
    pdf = b"".join(owner_client.get(f"{B}{edition.pk}/pdf/").streaming_content)

    assert detail["status"] == "done" and detail["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert "1 verified constituent of Bloomfield supports this request" in pdf_text(pdf)
    preview = owner_client.get(f"{B}{edition.pk}/preview/")
    assert preview["Content-Type"].startswith("text/html") and b"Partnership facts" in preview.content
    assert AuditEvent.objects.filter(action=AuditEvent.Action.READ_PERSONAL_DATA).count() == 2


def test_asking_again_with_nothing_changed_returns_the_same_edition(world, owner_client):
    edition = generated(world)
    response = owner_client.post(B, {"place": world.place.pk}, content_type="application/json")
    assert response.json()["id"] == edition.pk and Edition.objects.count() == 1


def test_bad_requests_answer_400_with_the_field_and_write_nothing(world, owner_client):
    Citation.objects.filter(partnership=world.partnership).delete()
    answers = {
        "place": owner_client.post(B, {"place": world.other_place.pk}, content_type="application/json"),
        "citations": owner_client.post(B, {"place": world.place.pk}, content_type="application/json"),
        "official": owner_client.post(
            B, {"place": world.place.pk, "official": 999999}, content_type="application/json"
        ),
    }
    for field, response in answers.items():
        assert response.status_code == 400, response.content
        assert field in response.json()["fields"], response.json()
    assert "Neighbors Portal" in answers["citations"].json()["fields"]["citations"][0]
    assert Edition.objects.count() == 0


def test_it_sends_a_signed_link_to_each_official_in_office_and_logs_it(
    world, owner_client, client, django_capture_on_commit_callbacks
):
    edition = generated(world)
    Official.objects.create(campaign=world.campaign, place=world.place, name="No Address")  # cannot be mailed

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(f"{B}{edition.pk}/send/", {}, content_type="application/json")
    again = owner_client.post(f"{B}{edition.pk}/send/", {}, content_type="application/json")

    assert response.status_code == 201, response.content
    assert [row["official_name"] for row in response.json()] == ["Ana Member"]
    assert again.json()[0]["id"] == response.json()[0]["id"]  # sent once
    message = OutboundMessage.objects.get(kind="briefings.briefing")
    assert message.to_address == "ana.member@example.gov"
    log = owner_client.get(f"{B}{edition.pk}/deliveries/").json()
    assert log[0]["official_name"] == "Ana Member" and log[0]["status"] in {"queued", "sent"}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ana.member@example.gov"]
    link = next(word for word in mail.outbox[0].body.split() if "/pdf/" in word)
    opened = client.get(urlsplit(link).path)
    assert opened.status_code == 200
    assert hashlib.sha256(b"".join(opened.streaming_content)).hexdigest() == edition.sha256
    assert client.get(urlsplit(link).path[:-3] + "xx/").status_code == 404  # tampered


def test_sending_to_someone_not_in_office_is_refused(world, owner_client):
    edition = generated(world)
    former = Official.objects.get(name="Former Member")
    response = owner_client.post(f"{B}{edition.pk}/send/", {"officials": [former.pk]}, content_type="application/json")
    assert response.status_code == 400 and "officials" in response.json()["fields"]
    assert Delivery.objects.count() == 0


def test_a_viewer_reads_the_list_but_not_the_names_in_the_pdf(world, user_factory, client):
    viewer = user_factory("viewer@example.org")
    Membership.objects.create(user=viewer, campaign=world.campaign, role=Role.VIEWER)
    edition = generated(world)
    viewer_client = sign_in_with_two_factors(client, viewer)
    assert viewer_client.get(B).status_code == 200
    assert viewer_client.get(f"{B}{edition.pk}/pdf/").status_code == 403
    assert viewer_client.get(f"{B}{edition.pk}/preview/").status_code == 403


def test_organizers_set_how_unverified_sources_are_shown_and_the_support_step(world, owner_client):
    url = "/api/v1/organizer/campaigns/ring/briefing-preferences/"
    assert owner_client.get(url).json() == {"organization": "", "unverified_sources": "mark", "support_step": None}
    bad = owner_client.patch(url, {"unverified_sources": "hide"}, content_type="application/json")
    assert bad.status_code == 400 and "unverified_sources" in bad.json()["fields"]
    good = owner_client.patch(url, {"unverified_sources": "omit", "support_step": 100}, content_type="application/json")
    assert good.json()["support_step"] == 100
    assert owner_client.get(url).json()["unverified_sources"] == "omit"
