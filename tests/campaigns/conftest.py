"""Fixtures shared by the campaign tests. A test module that needs a different `ring` defines its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client

from accounts.models import User
from campaigns.models import Campaign, Membership, Role
from tests.campaigns import importing


@pytest.fixture
def ring(alice: User) -> Campaign:
    """The campaign, with Alice as its only owner."""
    campaign = Campaign.objects.create(slug="ring", title="End Ring partnerships")
    Membership.objects.create(user=alice, campaign=campaign, role=Role.OWNER)
    return campaign


@pytest.fixture
def owner(two_factor_client: Client, ring: Campaign) -> Client:
    """Alice, the campaign's owner, signed in with two factors."""
    return two_factor_client


@pytest.fixture
def loopback(tmp_path: Path) -> Iterator[str]:
    """`tmp_path` over HTTP on a free loopback port; the base URL, for the URL path of an import command."""
    with importing.serving(tmp_path) as url:
        yield url
