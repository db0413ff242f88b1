"""Static files as production serves them: collected under hashed names, compressed, cached for a year."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import brotli
import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client, override_settings

from campaigns.models import Campaign

pytestmark = pytest.mark.django_db

MANIFEST_STORAGE = "web.static_files.CompressedManifestStaticFilesStorage"
YEAR = 365 * 24 * 3600


@pytest.fixture
def collected(tmp_path: Path, settings: object) -> Iterator[Path]:
    """What the Dockerfile's collectstatic step leaves, served the way production serves it."""
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}  # type: ignore[attr-defined]
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages, WHITENOISE_USE_FINDERS=False):
        call_command("collectstatic", "--no-input", "-v0", stdout=StringIO())
        yield tmp_path


def _stylesheet_url(client: Client) -> str:
    Campaign.objects.create(slug="ring", title="End Ring partnerships", is_public=True)
    page = client.get("/campaigns/ring/").content.decode()
    [url] = re.findall(r'href="(/static/web/base\.[0-9a-f]{12}\.css)"', page)
    return url


def _body(response: object) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_pages_link_assets_by_hashed_name_served_with_brotli_for_a_year(collected: Path) -> None:
    client = Client()
    url = _stylesheet_url(client)

    response = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})

    original = Path(finders.find("web/base.css")).read_bytes()  # type: ignore[arg-type]
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(_body(response)) == original
    assert int(response.headers["Content-Length"]) < len(original) / 2
    cache_control = response.headers["Cache-Control"]
    assert "immutable" in cache_control
    assert "public" in cache_control
    assert int(re.search(r"max-age=(\d+)", cache_control)[1]) >= YEAR  # type: ignore[index]
    assert "Accept-Encoding" in response.headers["Vary"]


def test_a_client_without_brotli_gets_gzip_and_one_without_either_gets_the_file(collected: Path) -> None:
    client = Client()
    url = _stylesheet_url(client)
    original = Path(finders.find("web/base.css")).read_bytes()  # type: ignore[arg-type]

    zipped = client.get(url, headers={"accept-encoding": "gzip"})
    plain = client.get(url)

    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(_body(zipped)) == original
    assert "Content-Encoding" not in plain.headers
    assert _body(plain) == original


def test_an_unhashed_name_is_cached_only_briefly(collected: Path) -> None:
    response = Client().get("/static/web/base.css", headers={"accept-encoding": "br"})

    assert response.status_code == 200
    assert "immutable" not in response.headers["Cache-Control"]
    assert int(re.search(r"max-age=(\d+)", response.headers["Cache-Control"])[1]) <= 3600  # type: ignore[index]


def test_a_changed_file_gets_a_new_name(collected: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Cache busting: the name follows the content, so a year-long cache never serves an old file."""
    manifest = (collected / "staticfiles.json").read_text()
    [hashed] = re.findall(r'"web/base\.css": "(web/base\.[0-9a-f]{12}\.css)"', manifest)
    extra = tmp_path_factory.mktemp("changed")
    (extra / "web").mkdir()
    (extra / "web" / "base.css").write_bytes(Path(finders.find("web/base.css")).read_bytes() + b"\n/* v2 */\n")  # type: ignore[arg-type]

    with override_settings(STATICFILES_DIRS=[extra]):
        call_command("collectstatic", "--no-input", "-v0", stdout=StringIO())

    [rehashed] = re.findall(r'"web/base\.css": "(web/base\.[0-9a-f]{12}\.css)"', (collected / "staticfiles.json").read_text())
    assert rehashed != hashed
    assert (collected / hashed).exists(), "pages cached with the old name still find their file"


def test_without_collectstatic_pages_still_render(tmp_path: Path, settings: object) -> None:
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}  # type: ignore[attr-defined]
    Campaign.objects.create(slug="ring", title="End Ring partnerships", is_public=True)

    with override_settings(STATIC_ROOT=tmp_path / "empty", STORAGES=storages, WHITENOISE_USE_FINDERS=False):
        response = Client().get("/campaigns/ring/")

    assert response.status_code == 200
    assert 'href="/static/web/base.css"' in response.content.decode()
