from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import resolve

from tests.web.pages import Page, csp_directives, csp_nonce, is_same_origin, parse
from web.api_docs import RedocView, SwaggerView

DOCS = ["/api/docs/", "/api/docs/redoc/"]


def _assert_local_only(page: Page) -> None:
    urls = page.urls()
    assert [url for url in urls if not is_same_origin(url)] == []
    # "Local" must also mean "present": every /static/ asset the page names is really shipped.
    static = [url.removeprefix("/static/").split("?")[0] for url in urls if url.startswith("/static/")]
    assert static
    assert [path for path in static if not finders.find(path)] == []


def test_it_routes_the_docs_through_the_csp_aware_views():
    # backend/urls.py must point at web.api_docs: drf-spectacular's own templates break the CSP.
    assert resolve("/api/docs/").func.view_class is SwaggerView  # type: ignore[attr-defined]
    assert resolve("/api/docs/redoc/").func.view_class is RedocView  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", DOCS)
def test_it_serves_the_docs_with_only_local_assets(client, path):
    response = client.get(path)

    assert response.status_code == 200
    _assert_local_only(parse(response))


@pytest.mark.parametrize("path", DOCS)
def test_it_keeps_the_docs_under_the_strict_csp(client, path):
    response = client.get(path)

    every_source = [source for sources in csp_directives(response).values() for source in sources]
    nonce = csp_nonce(response, "script-src")
    page = parse(response)
    assert "'unsafe-inline'" not in every_source
    assert "'unsafe-eval'" not in every_source
    assert nonce
    assert csp_nonce(response, "style-src") == nonce
    assert all(tag.attrs.get("nonce") == nonce for tag in page.all("script") + page.all("style"))
    assert not [e.tag for e in page.elements if "style" in e.attrs]


def test_it_serves_the_swagger_init_script_from_its_own_url(client):
    page = parse(client.get("/api/docs/"))
    script_url = str(page.all("script")[-1].attrs["src"])

    response = client.get(script_url)

    assert script_url.startswith("/api/docs/?")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in response.text


def test_it_hands_redoc_the_nonce_for_the_styles_it_injects(client):
    response = client.get("/api/docs/redoc/")

    nonce = csp_nonce(response, "style-src")
    page = parse(response)
    init = [text for text in page.inline_text.values() if "Redoc.init(" in text]
    assert nonce
    assert len(init) == 1
    # The value is a JS string literal (escapejs'd), so read it back as one.
    handed = re.findall(r'nonce: ("[^"]*")', init[0])
    assert [json.loads(value) for value in handed] == [nonce]


def test_it_allows_blob_workers_on_the_redoc_page_only(client):
    redoc = csp_directives(client.get("/api/docs/redoc/"))
    swagger = csp_directives(client.get("/api/docs/"))

    # Redoc's search index runs in a Worker built from a blob: URL.
    assert redoc["worker-src"] == ["blob:"]
    assert "worker-src" not in swagger
    # Nothing else widened: scripts still come only from us or carry the nonce.
    assert [source for source in redoc["script-src"] if not source.startswith("'nonce-")] == ["'self'"]


@pytest.mark.django_db
def test_it_does_not_allow_blob_workers_on_public_pages(client):
    assert "worker-src" not in csp_directives(client.get("/"))
