from __future__ import annotations

import pytest
from django.test import Client

from tests.web.pages import parse

pytestmark = pytest.mark.django_db


def test_it_speaks_english_by_default(client):
    response = client.get("/")

    page = parse(response)
    assert page.all("html")[0].attrs["lang"] == "en"
    assert "Skip to content" in response.text
    assert "Public campaigns" in response.text


def test_it_speaks_spanish_to_a_spanish_browser(client):
    response = client.get("/", headers={"accept-language": "es"})

    page = parse(response)
    assert page.all("html")[0].attrs["lang"] == "es"
    assert "Saltar al contenido" in response.text
    assert "Campañas públicas" in response.text
    assert "Todavía no hay campañas públicas" in response.text
    assert "Skip to content" not in response.text


def _language_form(client: Client, path: str = "/") -> tuple[str, dict[str, str]]:
    """The language switch as a browser would submit it: its action and its hidden fields."""
    page = parse(client.get(path))
    (form,) = [f for f in page.all("form") if f.attrs.get("action") == "/language/"]
    assert form.attrs["method"] == "get"
    fields = {str(e.attrs["name"]): str(e.attrs.get("value") or "") for e in page.all("input") if e.attrs.get("name")}
    return str(form.attrs["action"]), fields


def test_it_switches_to_spanish_through_the_form():
    browser = Client(enforce_csrf_checks=True)
    action, fields = _language_form(browser)

    response = browser.get(action, {**fields, "language": "es"})

    assert fields == {"next": "/"}, "the form carries no CSRF token: the page is the same for everyone"
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = browser.get("/")
    assert 'lang="es"' in page.text
    assert "Saltar al contenido" in page.text


def test_it_returns_to_the_page_it_was_switched_from():
    browser = Client()
    action, fields = _language_form(browser, "/?page=2")

    response = browser.get(action, {**fields, "language": "es"})

    assert fields["next"] == "/?page=2"
    assert response.headers["Location"] == "/?page=2"


def test_it_never_sends_a_visitor_to_another_site(client):
    elsewhere_ones = ("https://evil.example/", "//evil.example/", "///evil.example/", "/\\evil.example/")
    for elsewhere in (*elsewhere_ones, "https:evil.example", "javascript:alert(1)", ""):
        response = client.get("/language/", {"next": elsewhere, "language": "es"})

        assert response.status_code == 302
        assert response.headers["Location"] == "/"
    same_site_over_http = client.get("/language/", {"next": "http://testserver/about/", "language": "es"}, secure=True)
    assert same_site_over_http.headers["Location"] == "/", "a page served over HTTPS never sends back to HTTP"


def test_it_keeps_the_choice_in_a_cookie_no_cache_keeps(client, settings):
    response = client.get("/language/", {"next": "/about/", "language": "es"})

    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "es"
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 365 * 24 * 60 * 60, "a chosen language outlives the browser session"
    assert "no-store" in response.headers["Cache-Control"]


def test_it_answers_400_for_an_unknown_or_missing_language(client, settings):
    for asked in ({"language": "xx", "next": "/"}, {"next": "/"}, {"language": "ES"}, {"language": "es-mx"}):
        response = client.get("/language/", asked)

        assert response.status_code == 400
        assert "language: choose one of en, es." in response.text
        assert "no-store" in response.headers["Cache-Control"]
        assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert "Skip to content" in client.get("/").text
    in_spanish = client.get("/language/", {"language": "xx"}, headers={"accept-language": "es"})
    assert "idioma: elija uno de en, es." in in_spanish.text


def test_it_refuses_anything_but_get(client):
    response = client.post("/language/", {"next": "/", "language": "es"})

    assert response.status_code == 405
    assert client.head("/language/?language=es&next=/").status_code == 405
    assert "Skip to content" in client.get("/").text
