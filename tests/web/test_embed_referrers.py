"""Referrer codes on letters: the public letter API takes one as signatures' does (a partner's own
form may send it), with the same rule."""

from __future__ import annotations

from typing import Any

import pytest

from campaigns.models import Letter
from tests.web.embed_world import World, make_world, writer

WRITE_API = "/api/v1/campaigns/ring/letters/end-ring/letters/"


@pytest.fixture
def world(db: Any) -> World:
    return make_world()


def test_the_letter_api_records_a_referrer(world, api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(WRITE_API, writer(referrer="partner-site"), format="json")

    assert response.status_code == 202
    assert Letter.objects.get().referrer == "partner-site"


def test_the_letter_api_refuses_a_malformed_referrer_and_writes_nothing(world, api_client):
    response = api_client.post(WRITE_API, writer(referrer="no spaces <b>"), format="json")

    assert response.status_code == 400
    assert response.json()["fields"]["referrer"] == ["Use only letters, digits, hyphens and underscores."]
    assert not Letter.objects.exists()


def test_a_letter_without_a_referrer_has_none(world, api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post(WRITE_API, writer(), format="json")

    assert Letter.objects.get().referrer == ""
