from __future__ import annotations

import pytest

from campaigns.models import Campaign

pytestmark = pytest.mark.django_db


def test_it_lists_only_public_campaigns(api_client):
    Campaign.objects.create(slug="ring", title="End Ring partnerships", is_public=True)
    Campaign.objects.create(slug="draft", title="Not yet", is_public=False)

    response = api_client.get("/api/v1/campaigns/")

    assert response.status_code == 200
    assert [c["slug"] for c in response.json()["results"]] == ["ring"]


def test_it_hides_a_draft_campaign_as_not_found(api_client):
    Campaign.objects.create(slug="draft", title="Not yet", is_public=False)

    response = api_client.get("/api/v1/campaigns/draft/")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Not found."}


def test_it_pages_with_an_opaque_cursor(api_client):
    for n in range(3):
        Campaign.objects.create(slug=f"c{n}", title=f"Campaign {n}", is_public=True)

    first = api_client.get("/api/v1/campaigns/?page_size=2").json()
    second = api_client.get(first["next"]).json()

    assert len(first["results"]) == 2
    assert len(second["results"]) == 1
    assert second["next"] is None
    seen = {c["slug"] for c in first["results"] + second["results"]}
    assert seen == {"c0", "c1", "c2"}
