from __future__ import annotations

import pytest

from accounts.models import AuditEvent
from campaigns.models import Campaign, Membership, Role
from tests.conftest import sign_in_with_two_factors

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaigns():
    return Campaign.objects.create(slug="ring", title="Ring"), Campaign.objects.create(slug="other", title="Other")


def staff_member(user_factory, campaign, role, email="staff@example.org"):
    user = user_factory(email, is_staff=True)
    Membership.objects.create(user=user, campaign=campaign, role=role)
    return user


def test_it_lists_only_the_staff_members_own_campaigns(client, user_factory, campaigns):
    ring, _ = campaigns
    sign_in_with_two_factors(client, staff_member(user_factory, ring, Role.EDITOR))

    page = client.get("/admin/campaigns/campaign/")

    assert page.status_code == 200
    assert list(page.context["cl"].queryset) == [ring]


def test_it_hides_another_campaigns_objects(client, user_factory, campaigns):
    ring, other = campaigns
    sign_in_with_two_factors(client, staff_member(user_factory, ring, Role.OWNER))

    response = client.get(f"/admin/campaigns/campaign/{other.pk}/change/")

    assert response.status_code == 302  # the admin's "no such object" redirect, nothing shown
    assert client.get(f"/admin/campaigns/campaign/{ring.pk}/change/").status_code == 200


def test_it_lets_a_viewer_look_but_not_change(client, user_factory, campaigns):
    ring, _ = campaigns
    sign_in_with_two_factors(client, staff_member(user_factory, ring, Role.VIEWER))

    response = client.post(f"/admin/campaigns/campaign/{ring.pk}/change/", {"title": "Hijacked", "slug": "ring"})

    assert response.status_code == 403
    ring.refresh_from_db()
    assert ring.title == "Ring"


def test_it_keeps_memberships_to_owners(client, user_factory, campaigns):
    ring, _ = campaigns
    sign_in_with_two_factors(client, staff_member(user_factory, ring, Role.EDITOR))

    assert client.get("/admin/campaigns/membership/").status_code == 403
    assert client.get("/admin/accounts/auditevent/").status_code == 403


def test_it_audits_a_change_made_in_the_admin(client, user_factory, campaigns):
    ring, _ = campaigns
    owner = staff_member(user_factory, ring, Role.OWNER)
    sign_in_with_two_factors(client, owner)

    response = client.post(
        f"/admin/campaigns/campaign/{ring.pk}/change/",
        {"title": "End Ring", "slug": "ring", "time_zone": "America/New_York"},
    )

    assert response.status_code == 302, response.context["adminform"].form.errors

    event = AuditEvent.objects.get(action="update")
    assert (event.actor, event.via, event.campaign_id) == (owner, "admin", ring.pk)
    assert event.changes["title"] == ["Ring", "End Ring"]


def test_it_lets_the_operator_see_everything(client, operator, campaigns):
    sign_in_with_two_factors(client, operator)

    page = client.get("/admin/campaigns/campaign/")

    assert set(page.context["cl"].queryset) == set(campaigns)
