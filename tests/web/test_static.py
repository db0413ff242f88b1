"""Static files as production serves them: collected under hashed names, compressed, cached for a year."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import brotli
import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client, override_settings

from campaigns.models import Campaign

pytestmark = pytest.mark.django_db

MANIFEST_STORAGE = "web.static_files.CompressedManifestStaticFilesStorage"
YEAR = 365 * 24 * 3600


WEB_STATIC = Path(__file__).resolve().parents[2] / "web" / "static"
# The web app's files only: collecting (and compressing) every app's takes a minute on this machine.
ONLY_WEB = {
    "STATICFILES_FINDERS": ["django.contrib.staticfiles.finders.FileSystemFinder"],
    "STATICFILES_DIRS": [WEB_STATIC],
}

# How WhiteNoise runs in production (tests run it with finders and autorefresh: nothing collected).
PRODUCTION = {"WHITENOISE_USE_FINDERS": False, "WHITENOISE_AUTOREFRESH": False}


def _manifest_storage() -> dict[str, Any]:
    from django.conf import settings

    return {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}


@pytest.fixture(scope="module")
def collected_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What the Dockerfile's collectstatic step leaves in STATIC_ROOT."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=_manifest_storage(), **ONLY_WEB):
        call_command("collectstatic", "--no-input", "-v0", stdout=StringIO())
    return root


@pytest.fixture
def collected(collected_root: Path) -> Iterator[Path]:
    """Served the way production serves it: WhiteNoise reading STATIC_ROOT, no finders."""
    with override_settings(STATIC_ROOT=collected_root, STORAGES=_manifest_storage(), **PRODUCTION):
        yield collected_root


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


def test_a_changed_file_gets_a_new_name(tmp_path: Path) -> None:
    """Cache busting: the name follows the content, so a year-long cache never serves an old file."""
    root = tmp_path / "static"
    with override_settings(STATIC_ROOT=root, STORAGES=_manifest_storage(), **ONLY_WEB):
        call_command("collectstatic", "--no-input", "-v0", stdout=StringIO())
    manifest = (root / "staticfiles.json").read_text()
    [hashed] = re.findall(r'"web/base\.css": "(web/base\.[0-9a-f]{12}\.css)"', manifest)
    extra = tmp_path / "changed"
    (extra / "web").mkdir(parents=True)
    (extra / "web" / "base.css").write_bytes(Path(finders.find("web/base.css")).read_bytes() + b"\n/* v2 */\n")  # type: ignore[arg-type]

    with override_settings(STATIC_ROOT=root, STORAGES=_manifest_storage(), **{**ONLY_WEB, "STATICFILES_DIRS": [extra]}):
        call_command("collectstatic", "--no-input", "-v0", stdout=StringIO())

    [rehashed] = re.findall(
        r'"web/base\.css": "(web/base\.[0-9a-f]{12}\.css)"', (root / "staticfiles.json").read_text()
    )
    assert rehashed != hashed
    assert (root / hashed).exists(), "pages cached with the old name still find their file"


@pytest.mark.filterwarnings("ignore:No directory at")
def test_without_collectstatic_pages_still_render(tmp_path: Path) -> None:
    Campaign.objects.create(slug="ring", title="End Ring partnerships", is_public=True)

    with override_settings(STATIC_ROOT=tmp_path / "empty", STORAGES=_manifest_storage(), **PRODUCTION):
        response = Client().get("/campaigns/ring/")

    assert response.status_code == 200
    assert 'href="/static/web/base.css"' in response.content.decode()
