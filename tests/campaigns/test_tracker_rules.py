"""The tracker's rules as the organizer API enforces them: evidence for every status change,
public sources for public facts, dates as precise as they claim, one campaign's library, and a
true before→after chain under concurrent changes."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from accounts.models import AuditEvent
from campaigns.models import (
    Agency,
    Campaign,
    Citation,
    Membership,
    Official,
    Partnership,
    Place,
    PlaceStatus,
    Role,
    Source,
    Status,
    TimelineEvent,
)
from campaigns.signals import place_status_changed
from tests.conftest import sign_in_with_two_factors

RING = "/api/v1/organizer/campaigns/ring"
JSON = "application/json"
PUBLIC_FACTS = ["partnership_documented", "on_agenda", "council_voted", "partnership_ended", "lost"]
INTERNAL_STEPS = ["petitioning", "ask_delivered"]


@pytest.fixture
def ring(db: Any) -> Campaign:
    return Campaign.objects.create(slug="ring", title="End Ring partnerships")


@pytest.fixture
def place(ring: Campaign) -> Place:
    bloomfield = Place.objects.create(
        name="Bloomfield", kind="township", state="NJ", ocd_id="ocd-division/country:us/state:nj/place:bloomfield"
    )
    PlaceStatus.objects.create(campaign=ring, place=bloomfield)
    return bloomfield


@pytest.fixture
def news(ring: Campaign) -> Source:
    return Source.objects.create(campaign=ring, title="Council votes", kind="news", url="https://example.org/vote")


@pytest.fixture
def our_records(ring: Campaign) -> Source:
    return Source.objects.create(campaign=ring, title="Petition delivery receipt", kind="internal")


@pytest.fixture
def editor(user_factory: Any, ring: Campaign) -> Client:
    user = user_factory("editor@example.org")
    Membership.objects.create(user=user, campaign=ring, role=Role.EDITOR)
    return sign_in_with_two_factors(Client(), user)


def change(client: Client, place: Place, status: str, *sources: Source, **fields: Any) -> Any:
    body = {
        "status": status,
        "occurred_on": "2024-03-05",
        "title": f"Now {status}",
        "citations": [{"source_id": s.pk, "locator": "p. 1"} for s in sources],
        **fields,
    }
    return client.post(f"{RING}/places/{place.pk}/status/", body, content_type=JSON)


def nothing_recorded(place: Place) -> bool:
    status = PlaceStatus.objects.get(place=place).status
    return status == Status.NOT_STARTED and not TimelineEvent.objects.exists() and not AuditEvent.objects.exists()


# --- Evidence


@pytest.mark.django_db
def test_it_refuses_a_status_change_without_a_citation(editor: Client, place: Place):
    response = change(editor, place, "petitioning")

    assert response.status_code == 400
    assert response.json()["fields"]["citations"] == ["A status change cites its evidence: add at least one source."]
    assert nothing_recorded(place)


@pytest.mark.django_db
@pytest.mark.parametrize("status", PUBLIC_FACTS)
def test_it_needs_a_public_source_for_a_public_fact(editor: Client, place: Place, our_records, news, status):
    refused = change(editor, place, status, our_records)

    assert refused.status_code == 400
    assert "public source" in refused.json()["fields"]["citations"][0]
    assert nothing_recorded(place)
    assert change(editor, place, status, our_records, news).status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("status", INTERNAL_STEPS)
def test_it_accepts_our_own_records_for_an_internal_step(editor: Client, place: Place, our_records, status):
    response = change(editor, place, status, our_records)

    assert response.status_code == 201, response.content
    assert response.json()["citations"][0]["source"]["is_public"] is False


@pytest.mark.django_db
def test_it_refuses_to_cite_another_campaigns_source(editor: Client, place: Place, news: Source):
    other = Campaign.objects.create(slug="other", title="Other")
    theirs = Source.objects.create(campaign=other, title="Their report", kind="news", url="https://example.org/x")

    response = change(editor, place, "on_agenda", theirs)

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "citations.0.source_id": [f"No source has the id {theirs.pk} in this campaign."]
    }
    assert nothing_recorded(place)


@pytest.mark.django_db
def test_it_refuses_another_campaigns_source_for_a_partnership(editor: Client, ring: Campaign, place: Place):
    other = Campaign.objects.create(slug="other", title="Other")
    theirs = Source.objects.create(campaign=other, title="Their report", kind="news", url="https://example.org/x")
    agency = Agency.objects.create(campaign=ring, name="Bloomfield PD")
    partnership = Partnership.objects.create(agency=agency, program="neighbors_portal", how_known="Emails")

    response = editor.post(
        f"{RING}/partnerships/{partnership.pk}/citations/", {"source_id": theirs.pk}, content_type=JSON
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["source_id"]
    assert not Citation.objects.exists()


# --- What a status change records


@pytest.mark.django_db
def test_it_records_a_status_change_with_its_evidence_audit_and_one_signal(
    editor: Client, ring: Campaign, place: Place, news: Source, django_capture_on_commit_callbacks: Any
):
    heard: list[dict[str, Any]] = []

    def listener(sender: Any, **kwargs: Any) -> None:
        heard.append(kwargs)

    place_status_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = change(editor, place, "on_agenda", news, description="Item 7", precision="day")
            assert heard == []  # nothing announced before the commit
    finally:
        place_status_changed.disconnect(listener)

    assert response.status_code == 201, response.content
    event = TimelineEvent.objects.get()
    assert response.json()["id"] == event.pk
    assert (event.status_before, event.status_after, event.description) == ("not_started", "on_agenda", "Item 7")
    assert [(c.source, c.locator) for c in event.citations.all()] == [(news, "p. 1")]
    assert PlaceStatus.objects.get(place=place).status == Status.ON_AGENDA
    audit = AuditEvent.objects.get(action="update")
    assert (audit.via, audit.campaign_id, audit.changes["status"]) == ("api", ring.pk, ["not_started", "on_agenda"])
    assert len(heard) == 1
    assert (heard[0]["event"], heard[0]["place"], heard[0]["campaign"]) == (event, place, ring)
    assert (heard[0]["status_before"], heard[0]["status_after"]) == ("not_started", "on_agenda")


@pytest.mark.django_db(transaction=True)
def test_it_keeps_a_true_before_after_chain_under_concurrent_changes(user_factory: Any):
    ring = Campaign.objects.create(slug="ring", title="Ring")
    place = Place.objects.create(name="Bloomfield", state="NJ", ocd_id="ocd-division/country:us/state:nj/place:b")
    PlaceStatus.objects.create(campaign=ring, place=place)
    news = Source.objects.create(campaign=ring, title="Report", kind="news", url="https://example.org/r")
    user = user_factory("editor@example.org")
    Membership.objects.create(user=user, campaign=ring, role=Role.EDITOR)
    clients = [sign_in_with_two_factors(Client(), user) for _ in range(6)]
    statuses = ["petitioning", "ask_delivered", "on_agenda", "council_voted", "partnership_ended", "lost"]
    start = threading.Barrier(len(clients))
    answers: list[int] = []

    def post(client: Client, status: str) -> None:
        try:
            start.wait()
            answers.append(change(client, place, status, news).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=pair) for pair in zip(clients, statuses, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == [201] * len(statuses)
    events = list(TimelineEvent.objects.order_by("pk"))
    chain = [(e.status_before, e.status_after) for e in events]
    assert chain[0][0] == "not_started"
    assert all(chain[n][0] == chain[n - 1][1] for n in range(1, len(chain)))
    assert sorted(after for _, after in chain) == sorted(statuses)
    assert PlaceStatus.objects.get(place=place).status == chain[-1][1]


# --- Dates as precise as they claim


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("occurred_on", "precision", "accepted"),
    [
        ("2024-03-05", "day", True),
        ("2024-03-01", "month", True),
        ("2024-03-05", "month", False),
        ("2024-01-01", "year", True),
        ("2024-03-01", "year", False),
    ],
)
def test_it_checks_the_precision_of_an_events_date(editor, place, news, occurred_on, precision, accepted):
    response = change(editor, place, "on_agenda", news, occurred_on=occurred_on, precision=precision)

    if accepted:
        assert response.status_code == 201
        assert TimelineEvent.objects.get().occurred_precision == precision
    else:
        assert response.status_code == 400
        assert list(response.json()["fields"]) == ["occurred_on"]
        assert nothing_recorded(place)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"started_on": "2019-08-05", "started_precision": "month"}, "started_on"),
        ({"started_on": "2019-08-01", "started_precision": "year"}, "started_on"),
        ({"ended_on": "2021-06-15", "ended_precision": "month"}, "ended_on"),
        ({"started_on": "2021-01-01", "ended_on": "2020-12-31"}, "ended_on"),
    ],
)
def test_it_checks_a_partnerships_dates(editor: Client, ring: Campaign, dates: dict[str, str], field: str):
    agency = Agency.objects.create(campaign=ring, name="Bloomfield PD")
    body = {"agency": agency.pk, "program": "neighbors_portal", "how_known": "Emails", **dates}

    response = editor.post(f"{RING}/partnerships/", body, content_type=JSON)

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]
    assert not Partnership.objects.exists()


@pytest.mark.django_db
def test_it_accepts_a_partnership_known_to_the_month_and_the_year(editor: Client, ring: Campaign):
    agency = Agency.objects.create(campaign=ring, name="Bloomfield PD")
    body = {
        "agency": agency.pk,
        "program": "neighbors_portal",
        "how_known": "Emails",
        "started_on": "2019-01-01",
        "started_precision": "year",
        "ended_on": "2021-06-01",
        "ended_precision": "month",
    }

    response = editor.post(f"{RING}/partnerships/", body, content_type=JSON)

    assert response.status_code == 201, response.content
    assert response.json()["period_display"] == "2019 – June 2021"


@pytest.mark.django_db
def test_it_checks_a_sources_publication_date(editor: Client, news: Source):
    body = {"published_on": "2019-08-05", "published_precision": "year"}

    response = editor.patch(f"{RING}/sources/{news.pk}/", body, content_type=JSON)

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["published_on"]
    news.refresh_from_db()
    assert news.published_on is None


@pytest.mark.django_db
def test_it_checks_an_officials_term(editor: Client, place: Place):
    body = {"place": place.pk, "name": "A. Member", "term_start": "2024-01-01", "term_end": "2023-12-31"}

    response = editor.post(f"{RING}/officials/", body, content_type=JSON)

    assert response.status_code == 400
    assert response.json()["fields"] == {"term_end": ["A term ends on or after the day it starts."]}
    assert not Official.objects.exists()
