"""Schemathesis over every documented endpoint, in-process: anonymous and as a superuser.

Fails on any 5xx, a response that breaks the schema, or a status code the schema does not
document. New endpoints are fuzzed as soon as they appear in the schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, settings
from schemathesis.pytest import from_fixture
from schemathesis.specs.openapi.checks import positive_data_acceptance

from backend.wsgi import application
from campaigns.models import Campaign, Membership, Role
from tests.conftest import sign_in_with_two_factors

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

FUZZ_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

# An opaque pagination cursor is a string no schema can narrow down, so a random one is
# "schema-valid" yet rightly answered 400; every other check stays on.
EXCLUDED_CHECKS = [positive_data_acceptance]


@pytest.fixture
def fuzz_world(db: Any, user_factory: Any) -> dict[str, str]:
    """Campaigns to find and an owner who passed two factors, with a CSRF pair for writes."""
    ring = Campaign.objects.create(slug="ring", title="End Ring partnerships", is_public=True)
    Campaign.objects.create(slug="draft", title="A draft", is_public=False)
    owner = user_factory("owner@example.org")
    Membership.objects.create(user=owner, campaign=ring, role=Role.OWNER)
    session = sign_in_with_two_factors(Client(), owner).cookies["sessionid"].value
    csrf = get_random_string(32)
    # The fuzzer must really be signed in, or it would only ever see 401s.
    assert Client(HTTP_COOKIE=f"sessionid={session}").get("/api/v1/organizer/me/").status_code == 200
    return {"Cookie": f"sessionid={session}; csrftoken={csrf}", "X-CSRFToken": csrf}


@pytest.fixture
def api_schema(fuzz_world: dict[str, str]) -> Iterator[Any]:
    # Like Django's test client: keep the test's connection (and its transaction) across requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = from_fixture("api_schema")


@schema.parametrize()
@FUZZ_SETTINGS
def test_it_survives_anonymous_fuzzing(case: Any) -> None:
    case.call_and_validate(excluded_checks=EXCLUDED_CHECKS)


@schema.parametrize()
@FUZZ_SETTINGS
def test_it_survives_fuzzing_as_an_owner_with_two_factors(case: Any, fuzz_world: dict[str, str]) -> None:
    case.call_and_validate(headers=fuzz_world, excluded_checks=EXCLUDED_CHECKS)
