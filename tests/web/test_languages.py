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
    """The language switch as a browser would submit it: its action and its fields."""
    page = parse(client.get(path))
    (form,) = [f for f in page.all("form") if f.attrs.get("action") == "/i18n/setlang/"]
    assert form.attrs["method"] == "post"
    fields = {
        str(e.attrs["name"]): str(e.attrs.get("value") or "")
        for e in page.all("input")
        if e.attrs.get("name") in ("csrfmiddlewaretoken", "next")
    }
    return str(form.attrs["action"]), fields


def test_it_switches_to_spanish_through_the_form_with_its_csrf_token():
    # A browser-like client: CSRF is enforced, so only the token the form carries gets through.
    browser = Client(enforce_csrf_checks=True)
    action, fields = _language_form(browser)

    response = browser.post(action, {**fields, "language": "es"})

    assert fields["csrfmiddlewaretoken"]
    assert fields["next"] == "/"
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = browser.get("/")
    assert 'lang="es"' in page.text
    assert "Saltar al contenido" in page.text


def test_it_refuses_a_language_switch_without_the_csrf_token():
    browser = Client(enforce_csrf_checks=True)
    _, fields = _language_form(browser)

    response = browser.post("/i18n/setlang/", {"next": fields["next"], "language": "es"})

    assert response.status_code == 403
    assert "Skip to content" in browser.get("/").text


def test_it_returns_to_the_page_it_was_switched_from():
    browser = Client(enforce_csrf_checks=True)
    action, fields = _language_form(browser, "/?page=2")

    response = browser.post(action, {**fields, "language": "es"})

    assert fields["next"] == "/?page=2"
    assert response.headers["Location"] == "/?page=2"
