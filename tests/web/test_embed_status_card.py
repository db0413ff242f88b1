"""A place's status card for partners' pages: public figures only, framed by the campaign's partners."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from campaigns import tracker
from campaigns.models import Agency, Citation, Partnership, Source, Status
from tests.web.embed_world import PARTNER, World, make_world
from tests.web.pages import csp_directives, parse


@pytest.fixture
def world(db: Any) -> World:
    return make_world()


def source(world: World, title: str, kind: str = "news") -> Source:
    return Source.objects.create(campaign=world.campaign, title=title, kind=kind, url="https://example.org/a")


def test_it_shows_status_sources_figures_and_a_call_to_action(world, client, alice):
    news, minutes, internal = (
        source(world, "News"),
        source(world, "Minutes", "meeting"),
        source(world, "Ours", "internal"),
    )
    agency = Agency.objects.create(campaign=world.campaign, name="Bloomfield Police Department")
    agency.places.add(world.bloomfield)
    partnership = Partnership.objects.create(agency=agency, program="neighbors_portal", how_known="Emails")
    Citation.objects.create(source=news, partnership=partnership)
    Citation.objects.create(source=internal, partnership=partnership)  # our own records stay ours
    tracker.change_status(
        campaign=world.campaign,
        place=world.bloomfield,
        status=Status.PARTNERSHIP_DOCUMENTED,
        occurred_on=date(2019, 8, 5),
        title="Emails published",
        citations=[tracker.CitationInput(source=news), tracker.CitationInput(source=minutes)],
        actor=alice,
        via="test",
    )

    response = client.get(world.card)

    page = parse(response)
    counts = {e.attrs["data-count"]: e for e in page.all("dd")}
    assert response.status_code == 200
    assert "Bloomfield, NJ" in response.text
    assert str(Status.PARTNERSHIP_DOCUMENTED.label) in response.text
    assert set(counts) == {"sources", "signatures", "letters"}
    assert '<dd data-count="sources">2</dd>' in response.text
    assert '<dd data-count="signatures">0</dd>' in response.text
    (action,) = [a for a in page.all("a") if a.attrs.get("class") == "button"]
    assert action.attrs["href"] == f"http://testserver/campaigns/ring/places/{world.bloomfield.pk}/"
    assert (action.attrs["target"], action.attrs["rel"]) == ("_blank", "noopener")


def test_it_is_framed_by_the_campaigns_partners_and_sets_no_cookie(world, client):
    response = client.get(world.card)

    assert csp_directives(response)["frame-ancestors"] == [PARTNER]
    assert "X-Frame-Options" not in response
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.text


def test_a_shared_cache_keeps_it_apart_per_language_cookie(world, client):
    """The language may come from its cookie: a proxy must not give one reader's Spanish to all."""
    spanish = client.get(world.card, headers={"cookie": "django_language=es"})

    assert '<html lang="es">' in spanish.text
    assert "public" in spanish["Cache-Control"]
    assert {"Cookie", "Accept-Language"} <= {part.strip() for part in spanish["Vary"].split(",")}


def test_an_untracked_place_is_not_found(world, client):
    assert client.get(f"/embed/campaigns/ring/places/{world.bloomfield.pk + 1}/").status_code == 404
