from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

from campaigns.models import Campaign
from tests.web.pages import csp_directives, csp_nonce, is_same_origin, parse

pytestmark = pytest.mark.django_db


def test_it_sends_a_strict_csp(client):
    response = client.get("/")

    directives = csp_directives(response)
    assert response.status_code == 200
    assert directives, "no Content-Security-Policy header"
    every_source = [source for sources in directives.values() for source in sources]
    assert "'unsafe-inline'" not in every_source
    assert "'unsafe-eval'" not in every_source
    assert "'nonce'" not in every_source


def test_a_page_without_inline_code_has_no_nonce_so_it_is_the_same_for_everyone(client):
    first, second = client.get("/"), client.get("/")

    page = parse(first)
    assert not page.all("script") and not page.all("style")
    assert csp_nonce(first, "script-src") is None and csp_nonce(first, "style-src") is None
    assert first.headers["Content-Security-Policy"] == second.headers["Content-Security-Policy"]
    assert first.content == second.content


def test_it_uses_no_inline_style_attributes_or_event_handlers(client):
    page = parse(client.get("/"))

    # style-src has no 'unsafe-inline', so browsers would ignore these; keep them out altogether.
    assert not [e.tag for e in page.elements if "style" in e.attrs]
    assert not [(e.tag, a) for e in page.elements for a in e.attrs if a.startswith("on")]


def test_it_references_only_its_own_origin(client):
    page = parse(client.get("/"))

    urls = page.urls()
    assert "/static/web/base.css" in urls
    assert [url for url in urls if not is_same_origin(url)] == []


def test_it_serves_the_stylesheet_it_links(client):
    page = parse(client.get("/"))

    stylesheets = [link.attrs["href"] for link in page.all("link") if link.attrs.get("rel") == "stylesheet"]
    assert stylesheets == ["/static/web/base.css"]
    assert finders.find("web/base.css")


def test_it_makes_the_skip_link_the_first_focusable_element(client):
    page = parse(client.get("/"))

    first = page.focusable()[0]
    assert first.tag == "a"
    assert first.attrs["href"] == "#main"
    assert page.all("a")[0] is first
    assert [e.tag for e in page.by_id("main")] == ["main"]
    assert page.by_id("main")[0].attrs.get("tabindex") == "-1"


def test_it_has_the_page_landmarks(client):
    page = parse(client.get("/"))

    assert len(page.all("header")) == 1
    assert len(page.all("main")) == 1
    assert len(page.all("footer")) == 1
    navs = page.all("nav")
    assert navs
    assert all(nav.attrs.get("aria-label") for nav in navs)
    assert page.all("h1")


def test_it_labels_the_language_switch(client):
    page = parse(client.get("/"))

    (select,) = [e for e in page.all("select") if e.attrs.get("name") == "language"]
    labels = [label.attrs.get("for") for label in page.all("label")]
    assert select.attrs["id"] in labels
    assert {option.attrs["value"] for option in page.all("option")} == {"en", "es"}


def test_it_lists_only_public_campaigns(client):
    Campaign.objects.create(slug="ring", title="End Ring partnerships", is_public=True)
    Campaign.objects.create(slug="draft", title="Secret draft", is_public=False)

    response = client.get("/")

    assert response.status_code == 200
    assert "End Ring partnerships" in response.text
    assert "Secret draft" not in response.text
    assert "There are no public campaigns yet" not in response.text


def test_it_says_so_when_there_are_no_public_campaigns(client):
    Campaign.objects.create(slug="draft", title="Secret draft", is_public=False)

    response = client.get("/")

    assert "There are no public campaigns yet" in response.text
    assert "Secret draft" not in response.text


@pytest.mark.urls("tests.web.inline_urls")
def test_it_lets_a_page_extending_base_add_inline_code_under_the_header_nonce(client):
    response = client.get("/_test/inline/")

    nonce = csp_nonce(response, "script-src")
    page = parse(response)
    tags = page.all("script") + page.all("style")
    assert response.status_code == 200
    assert len(tags) == 2
    assert nonce
    assert all(tag.attrs.get("nonce") == nonce for tag in tags)
