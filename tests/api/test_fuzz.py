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
from hypothesis import HealthCheck, settings
from schemathesis.pytest import from_fixture
from schemathesis.specs.openapi.checks import positive_data_acceptance

from backend.wsgi import application
from campaigns.models import Campaign

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

FUZZ_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

# An opaque pagination cursor is a string no schema can narrow down, so a random one is
# "schema-valid" yet rightly answered 400; every other check stays on.
EXCLUDED_CHECKS = [positive_data_acceptance]


@pytest.fixture
def api_schema(db: Any) -> Iterator[Any]:
    Campaign.objects.create(slug="ring", title="End Ring partnerships", is_public=True)
    # Like Django's test client: keep the test's connection (and its transaction) across requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = from_fixture("api_schema")


def _session_cookie(user: Any) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}


@schema.parametrize()
@FUZZ_SETTINGS
def test_it_survives_anonymous_fuzzing(case: Any) -> None:
    case.call_and_validate(excluded_checks=EXCLUDED_CHECKS)


@schema.parametrize()
@FUZZ_SETTINGS
def test_it_survives_fuzzing_as_a_superuser(case: Any, operator: Any) -> None:
    case.call_and_validate(headers=_session_cookie(operator), excluded_checks=EXCLUDED_CHECKS)
