"""Organizers preview every kind of mail with sample data, in each language; nobody else does."""

from __future__ import annotations

import pytest
from django.test import Client

from campaigns.models import Campaign, Membership, Role
from emails import kinds
from tests.conftest import sign_in_with_two_factors
from tests.web.pages import csp_directives, is_same_origin, parse

pytestmark = pytest.mark.django_db

INDEX = "/organizer/mail/"


@pytest.fixture
def member(client, alice) -> Client:
    """Alice, a viewer of one campaign, signed in with two factors."""
    campaign = Campaign.objects.create(slug="ring", title="End Ring partnerships")
    Membership.objects.create(user=alice, campaign=campaign, role=Role.VIEWER)
    return sign_in_with_two_factors(client, alice)


def test_it_sends_anonymous_visitors_to_the_login(client):
    response = client.get(INDEX)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/organizer/mail/"


def test_it_asks_for_the_second_factor_first(client, alice):
    Membership.objects.create(user=alice, campaign=Campaign.objects.create(slug="ring", title="Ring"), role=Role.OWNER)
    client.force_login(alice)  # a session that has not shown the second factor

    response = client.get(INDEX)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/"


def test_it_refuses_a_signed_in_user_who_organizes_nothing(client, user_factory):
    stranger = sign_in_with_two_factors(client, user_factory("stranger@example.org"))

    assert stranger.get(INDEX).status_code == 403
    assert stranger.get(f"{INDEX}account.password_reset_key/").status_code == 403
    assert stranger.get(f"{INDEX}account.password_reset_key/html/").status_code == 403


def test_it_lets_the_operator_in_without_a_campaign(client, operator):
    assert sign_in_with_two_factors(client, operator).get(INDEX).status_code == 200


def test_it_lists_every_kind_with_a_preview_link_per_language(member):
    response = member.get(INDEX)

    assert response.status_code == 200
    links = parse(response).urls()
    for kind in kinds.all_kinds():
        assert f"{INDEX}{kind.name}/?language=en" in links
        assert f"{INDEX}{kind.name}/?language=es" in links


@pytest.mark.parametrize("language", ["en", "es"])
def test_it_shows_every_kind_in_both_languages(member, language):
    for kind in kinds.all_kinds():
        page = member.get(f"{INDEX}{kind.name}/", {"language": language})
        html = member.get(f"{INDEX}{kind.name}/html/", {"language": language})

        assert page.status_code == 200, kind.name
        message = page.context["message"]
        assert message.subject in page.content.decode()
        assert [frame.attrs["src"] for frame in parse(page).all("iframe")] == [
            f"{INDEX}{kind.name}/html/?language={language}"
        ]
        assert html.status_code == 200, kind.name
        assert html.content.decode() == message.html
        assert f'lang="{language}"' in message.html


def test_it_shows_the_parts_of_a_message(member):
    page = member.get(f"{INDEX}account.password_reset_key/", {"language": "es"})

    body = page.content.decode()
    assert "[Townhall] Correo electrónico para restablecer contraseña" in body
    assert '<pre lang="es">¡Hola de parte de Townhall!' in body
    assert "/accounts/password/reset/key/" in body


def test_it_frames_the_html_part_sandboxed_and_alone(member):
    page = member.get(f"{INDEX}campaigns.invitation/")
    html = member.get(f"{INDEX}campaigns.invitation/html/")

    [frame] = parse(page).all("iframe")
    assert "sandbox" in frame.attrs
    assert not frame.attrs["sandbox"]  # no allowances: no scripts, an opaque origin
    policy = csp_directives(html)
    assert "sandbox" in policy
    assert policy["default-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert html["X-Frame-Options"] == "SAMEORIGIN"
    # The page around it keeps the site's strict policy, which lets it frame its own origin only.
    assert "'unsafe-inline'" not in str(csp_directives(page))
    assert csp_directives(page)["frame-ancestors"] == ["'none'"]
    assert all(is_same_origin(url) for url in parse(page).urls())


def test_it_answers_404_for_a_kind_nobody_declared(member):
    assert member.get(f"{INDEX}no.such_kind/").status_code == 404
