"""Which partner sites may frame the widget: the organizer API and the widget settings page.
Viewers read; owners add, change and remove, every write audited; origins are canonical and valid."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accounts.models import AuditEvent
from campaigns.models import Campaign, EmbedOrigin, Membership, Role
from tests.conftest import sign_in_with_two_factors
from tests.web.embed_world import PARTNER, World, make_world
from tests.web.pages import parse

API = "/api/v1/organizer/campaigns/ring/embed-origins/"
PAGE = "/organizer/campaigns/ring/widget/"
JSON = "application/json"


@pytest.fixture
def world(db: Any) -> World:
    return make_world()


@pytest.fixture
def member(world: World, user_factory: Any) -> Any:
    def signed_in(role: Role) -> Client:
        user = user_factory(f"{role}@example.org")
        Membership.objects.create(user=user, campaign=world.campaign, role=role)
        return sign_in_with_two_factors(Client(), user)

    return signed_in


@pytest.fixture
def owner(member: Any) -> Client:
    return member(Role.OWNER)


@pytest.fixture
def viewer(member: Any) -> Client:
    return member(Role.VIEWER)


# --- The API


def test_owners_add_origins_canonical_and_audited(world, owner):
    response = owner.post(
        API, {"origin": " HTTPS://Friends.Example.ORG:443/ ", "referrer": "friends"}, content_type=JSON
    )

    assert response.status_code == 201, response.content
    assert response.json()["origin"] == "https://friends.example.org"
    event = AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).latest("pk")
    created = EmbedOrigin.objects.get(origin="https://friends.example.org")
    assert (event.campaign_id, event.target_id, event.via) == (world.campaign.pk, str(created.pk), "api")


@pytest.mark.parametrize(
    ("origin", "message"),
    [
        ("partner.example.org", "Give an origin such as https://partner.example.org."),
        ("https://partner.example.org/page", "An origin is a scheme and a host only, without a path."),
        ("https://*.example.org", "An origin is a scheme and a host only, without a path."),
        ("http://partner.example.org", "Partner sites must use https (plain http only on localhost)."),
        ("https://partner.example.org:99999", "The port is not a number from 1 to 65535."),
        ("https://PARTNER.example.org:443", "This origin is already on the campaign's list."),
        # Characters a Content-Security-Policy header cannot carry as they are.
        ("https://partner,evil.example.org", "An origin is a scheme and a host only, without a path."),
        ("https://partner example.org", "An origin is a scheme and a host only, without a path."),
    ],
)
def test_it_refuses_bad_or_duplicate_origins_with_a_field_message(world, owner, origin, message):
    response = owner.post(API, {"origin": origin}, content_type=JSON)

    assert response.status_code == 400
    assert response.json()["fields"]["origin"] == [message]
    assert EmbedOrigin.objects.count() == 1


def test_an_internationalised_name_is_kept_in_its_ascii_form(world, owner, client):
    response = owner.post(API, {"origin": "https://Bücher.example"}, content_type=JSON)

    assert response.status_code == 201
    assert response.json()["origin"] == "https://xn--bcher-kva.example"


def test_plain_http_is_fine_on_loopback(world, owner):
    response = owner.post(API, {"origin": "http://localhost:8001"}, content_type=JSON)

    assert response.status_code == 201
    assert response.json()["origin"] == "http://localhost:8001"


def test_a_bad_referrer_code_is_refused(world, owner):
    response = owner.post(API, {"origin": "https://a.example.org", "referrer": "no spaces"}, content_type=JSON)

    assert response.status_code == 400
    assert response.json()["fields"]["referrer"] == ["Use only letters, digits, hyphens and underscores."]


def test_owners_change_the_referrer_and_remove_an_origin_audited(world, owner):
    url = f"{API}{world.partner.pk}/"

    changed = owner.patch(url, {"referrer": "renamed", "note": "Friends"}, content_type=JSON)
    removed = owner.delete(url)

    assert changed.status_code == 200 and changed.json()["referrer"] == "renamed"
    assert removed.status_code == 204
    assert not EmbedOrigin.objects.exists()
    events = AuditEvent.objects.filter(campaign_id=world.campaign.pk).order_by("pk")
    actions = list(events.values_list("action", flat=True))
    assert actions[-2:] == [AuditEvent.Action.UPDATE, AuditEvent.Action.DELETE]


def test_viewers_read_but_do_not_write(world, viewer):
    listed = viewer.get(API)

    assert listed.status_code == 200
    assert [row["origin"] for row in listed.json()["results"]] == [PARTNER]
    assert viewer.post(API, {"origin": "https://a.example.org"}, content_type=JSON).status_code == 403
    assert viewer.delete(f"{API}{world.partner.pk}/").status_code == 403
    assert EmbedOrigin.objects.count() == 1


def test_another_campaigns_origin_is_not_found(world, owner):
    other = Campaign.objects.create(slug="other", title="Other")
    theirs = EmbedOrigin.objects.create(campaign=other, origin="https://other.example.org")

    assert owner.delete(f"{API}{theirs.pk}/").status_code == 404
    assert EmbedOrigin.objects.filter(pk=theirs.pk).exists()


# --- The settings page


def test_anonymous_visitors_are_sent_to_sign_in_and_strangers_find_nothing(world, client, user_factory):
    assert client.get(PAGE).status_code == 302
    stranger = user_factory("stranger@example.org")
    Membership.objects.create(user=stranger, campaign=Campaign.objects.create(slug="x", title="X"), role=Role.OWNER)

    assert sign_in_with_two_factors(Client(), stranger).get(PAGE).status_code == 404


def test_viewers_see_origins_and_snippets_without_forms(world, viewer):
    response = viewer.get(PAGE)

    assert response.status_code == 200
    assert PARTNER in response.text
    assert "/embed/campaigns/ring/petitions/end-ring/?ref=partner" in response.text
    assert "/embed/campaigns/ring/letters/end-ring/?ref=partner" in response.text
    assert f"/embed/campaigns/ring/places/{world.bloomfield.pk}/" in response.text
    assert "embed-host.js" in response.text
    posted = [f for f in parse(response).all("form") if f.attrs.get("method") == "post"]
    assert posted == []
    assert viewer.post(PAGE, {"origin": "https://a.example.org"}).status_code == 403
    assert viewer.post(f"{PAGE}origins/{world.partner.pk}/delete/").status_code == 403
    assert EmbedOrigin.objects.count() == 1


def test_with_several_partners_the_snippets_carry_a_code_only_once_one_is_chosen(world, viewer):
    other = EmbedOrigin.objects.create(campaign=world.campaign, origin="https://other.example.org", referrer="other")

    unchosen = viewer.get(PAGE).text
    chosen = viewer.get(f"{PAGE}?origin={other.pk}").text

    assert "?ref=" not in unchosen  # no partner's signatures credited to another
    assert "/embed/campaigns/ring/petitions/end-ring/?ref=other" in chosen
    assert "?ref=partner" not in chosen


def test_owners_add_and_remove_origins_on_the_page(world, owner):
    added = owner.post(PAGE, {"origin": "https://Friends.example.org/", "referrer": "friends"})
    new = EmbedOrigin.objects.get(origin="https://friends.example.org")
    removed = owner.post(f"{PAGE}origins/{new.pk}/delete/")

    assert (added.status_code, added["Location"]) == (302, PAGE)
    assert removed.status_code == 302
    assert list(EmbedOrigin.objects.values_list("origin", flat=True)) == [PARTNER]
    events = (
        AuditEvent.objects.filter(campaign_id=world.campaign.pk, via="web")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert list(events) == [AuditEvent.Action.CREATE, AuditEvent.Action.DELETE]


def test_the_page_shows_field_messages_for_a_bad_origin(world, owner):
    response = owner.post(PAGE, {"origin": "http://partner.example.org", "referrer": "a b"})

    assert response.status_code == 400
    assert "Partner sites must use https" in response.text
    assert "Use only letters, digits, hyphens and underscores." in response.text
    assert EmbedOrigin.objects.count() == 1


def test_the_pages_forms_are_csrf_protected(world, member):
    owner = member(Role.OWNER)
    owner.handler.enforce_csrf_checks = True  # type: ignore[attr-defined]

    assert owner.post(PAGE, {"origin": "https://a.example.org"}).status_code == 403
    assert EmbedOrigin.objects.count() == 1
