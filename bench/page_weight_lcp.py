"""Each supporter page's first-load weight and largest contentful paint on a slow phone.

Run from the project root:

    DJANGO_SETTINGS_MODULE=backend.settings_test .venv/bin/python -m bench.page_weight_lcp

In a throwaway database (bench_townhall_<pid>) holding the demo campaign (nine places with their
agencies, partnerships, sources, officials and timelines), one open petition, a letter drive with a
letter waiting for confirmation, donations taken (the donate page only shows its form: no Stripe call)
and a generated briefing edition (its verification page), Django serves on
127.0.0.1 through a threaded WSGI server. In front of it, as the reverse proxy does in production,
text responses (HTML, CSS, JavaScript, SVG, JSON) are gzip-compressed when the browser accepts it.

Debian's chromium (Playwright) loads each page in a fresh context (empty cache) under Lighthouse's
mobile profile: 150 ms round trip, 1.6 Mbps down and 750 kbps up (Network.emulateNetworkConditions),
CPU slowed 4 times (Emulation.setCPUThrottlingRate), a 412 x 823 screen. For each page it prints:

- the bytes transferred for everything but images (headers and compressed bodies, as DevTools'
  encodedDataLength counts them), against a budget of BUDGET_BYTES;
- the largest contentful paint (the last `largest-contentful-paint` entry once the page is idle),
  against TARGET_LCP_MS.

Exits 1 when any page is over either target or a request leaves 127.0.0.1.
"""

from __future__ import annotations

import gzip
import logging
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import django

BUDGET_BYTES = 200 * 1024
TARGET_LCP_MS = 2500.0
CHROMIUM = os.environ.get("TOWNHALL_CHROMIUM", "/usr/bin/chromium")
# Lighthouse's "Slow 4G" mobile throttling, as DevTools takes it (bytes per second).
LATENCY_MS = 150
DOWNLOAD = 1.6 * 1024 * 1024 / 8
UPLOAD = 750 * 1024 / 8
CPU_SLOWDOWN = 4
SCREEN = {"width": 412, "height": 823}
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/geo+json", "image/svg+xml")

LCP_OBSERVER = """
window.__lcp = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) { window.__lcp = entry.startTime; }
}).observe({type: "largest-contentful-paint", buffered: true});
"""


@dataclass(frozen=True)
class Figures:
    name: str
    path: str
    status: int
    bytes_non_image: int
    bytes_images: int
    requests: int
    lcp_ms: float

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.bytes_non_image <= BUDGET_BYTES and self.lcp_ms <= TARGET_LCP_MS


def gzipping(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """A WSGI layer compressing text bodies, as nginx's `gzip on` with the usual gzip_types does."""

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        held: dict[str, Any] = {}

        def hold(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
            held.update(status=status, headers=headers)
            return lambda data: None

        body = b"".join(app(environ, hold))
        headers = [(k, v) for k, v in held["headers"] if k.lower() != "content-length"]
        kind = next((v for k, v in headers if k.lower() == "content-type"), "")
        accepts = "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "")
        already = any(k.lower() == "content-encoding" for k, _ in headers)
        if accepts and not already and kind.startswith(COMPRESSIBLE) and len(body) > 256:
            body = gzip.compress(body, compresslevel=6)
            headers += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        start_response(held["status"], [*headers, ("Content-Length", str(len(body)))])
        return [body]

    return wrapped


@contextmanager
def serving() -> Iterator[str]:
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet, allow_reuse_address=False)
    server.set_app(gzipping(StaticFilesHandler(get_wsgi_application())))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        _end_other_sessions()


def _end_other_sessions() -> None:
    """Connections the server's threads (or tasks they ran) left open would keep the database from being dropped."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def demo_pages() -> dict[str, str]:
    """The demo campaign, a petition and one signature waiting for confirmation: the pages to load."""
    from django.core import mail
    from django.test import Client

    from accounts.models import User
    from campaigns.demo import load_demo_campaign
    from campaigns.models import Petition, Place

    organizer = User.objects.create_user(email="organizer@example.org", password="bench-only-password")  # noqa: S106
    campaign = load_demo_campaign(organizer=organizer)
    petition = Petition.objects.create(
        campaign=campaign,
        slug="end-it",
        title="End our police's Ring partnership",
        text="We ask our council to end it.",
    )
    home = f"/campaigns/{campaign.slug}/"
    bloomfield = Place.objects.get(name="Bloomfield", state="NJ")
    petition_page = f"{home}petitions/{petition.slug}/"
    signer = {"name": "Dana Scully", "email": "dana@example.org", "zip": "07003", "officials_see": "count"}
    Client().post(petition_page, signer)
    confirm = "/confirm/" + mail.outbox[-1].body.split("/confirm/", 1)[1].split("/", 1)[0] + "/"
    return {
        "home": "/",
        "campaign (map)": home,
        "campaign, ZIP search": f"{home}?q=07003",
        "place": f"{home}places/{bloomfield.pk}/",
        "petition": petition_page,
        "signed": f"{petition_page}signed/",
        "confirm": confirm,
        "about": "/about/",
        "privacy": "/privacy/",
        "my data": "/my-data/",
        **writing_and_giving_pages(campaign, bloomfield),
    }


def writing_and_giving_pages(campaign: Any, bloomfield: Any) -> dict[str, str]:
    """A letter drive (written to, confirmation pending), donating, and the pages signed links open."""
    from django.core import mail
    from django.test import Client

    from briefings import editions
    from campaigns.letters.positions import position_url
    from campaigns.models import LetterCampaign, Official
    from donations.models import DonationSettings
    from donations.portal import portal_link
    from emails.outbox import unsubscribe_url

    drive = LetterCampaign.objects.create(
        campaign=campaign,
        slug="write",
        title="Write to your council",
        subject_template="End the Ring partnership in {{ place }}",
        body_template="Dear {{ official_name }},\n\nPlease end the police partnership with Amazon Ring in "
        "{{ place }}.\n\n{{ supporter_name }}",
    )
    official = Official.objects.create(
        campaign=campaign, place=bloomfield, name="Ana Rivera", email="ana@bloomfield.example.org"
    )
    DonationSettings.objects.create(campaign=campaign, preset_amounts=[1000, 2500, 5000])
    letter_page = f"/campaigns/{campaign.slug}/letters/{drive.slug}/"
    writer = {"name": "Fox Mulder", "email": "fox@example.org", "zip": "07003", "officials_see": "name_city"}
    Client().post(letter_page, {**writer, "text": drive.body_template})
    if not any("fox@example.org" in m.to for m in mail.outbox):
        raise RuntimeError("the bench's letter was not written")
    edition = editions.request_edition(campaign=campaign, place=bloomfield)
    editions.generate_edition(edition.pk)
    edition.refresh_from_db()
    donate = f"/campaigns/{campaign.slug}/donate/"
    return {
        "letter": letter_page,
        "letter written": f"{letter_page}sent/",
        "donate": donate,
        "donate thanks": f"{donate}thanks/",
        "donate cancelled": f"{donate}cancelled/",
        "donation manage": urlsplit(portal_link("cus_bench")).path,
        "official position": urlsplit(position_url(official, campaign)).path,
        "briefing verify": f"/b/{edition.code}/",
        "unsubscribe": urlsplit(unsubscribe_url("fox@example.org", f"campaign:{campaign.pk}")).path,
    }


def measure(browser: Any, base: str, name: str, path: str) -> tuple[Figures, list[str]]:
    context = browser.new_context(viewport=SCREEN, is_mobile=True, has_touch=True, device_scale_factor=2.625)
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": LATENCY_MS, "downloadThroughput": DOWNLOAD, "uploadThroughput": UPLOAD},
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    kinds: dict[str, str] = {}
    sizes: dict[str, float] = {}
    cdp.on("Network.responseReceived", lambda e: kinds.__setitem__(e["requestId"], e["type"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.add_init_script(LCP_OBSERVER)
    response = page.goto(base + path, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    lcp = float(page.evaluate("() => window.__lcp"))
    context.close()
    images = sum(size for rid, size in sizes.items() if kinds.get(rid) == "Image")
    other = sum(size for rid, size in sizes.items() if kinds.get(rid) != "Image")
    status = response.status if response is not None else 0
    return Figures(name, path, status, int(other), int(images), len(sizes), lcp), outside


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings_test")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API keeps a loop in this thread
    django.setup()
    from django.conf import settings
    from django.test.utils import setup_test_environment
    from playwright.sync_api import sync_playwright

    from bench.mail_rig import bench_database

    setup_test_environment()  # mail into mail.outbox, where the confirmation link is read
    logging.disable(logging.WARNING)  # the demo's side effects (PDF briefings, mail) log at length
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False  # plain HTTP on loopback
    # The donate page needs a key to show its form; nothing here calls Stripe (a closed loopback port).
    settings.STRIPE_SECRET_KEY = "sk_test_bench"  # noqa: S105 (a test key that reaches nothing)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    briefings_folder = tempfile.TemporaryDirectory(prefix="bench-briefings-")
    settings.STORAGES = {
        **settings.STORAGES,
        "briefings": {
            "BACKEND": "briefings.storage.UnservedFileSystemStorage",
            "OPTIONS": {"location": briefings_folder.name},
        },
    }
    # The server's threads close their connections after each request, so the database can be dropped.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    results: list[Figures] = []
    outside: list[str] = []
    with bench_database(), serving() as base, sync_playwright() as driver:
        pages = demo_pages()
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        for name, path in pages.items():
            figures, left = measure(browser, base, name, path)
            results.append(figures)
            outside += left
        browser.close()
        report(results)
    briefings_folder.cleanup()
    for url in outside:
        print(f"request outside 127.0.0.1: {urlsplit(url).netloc}")
    return 0 if all(f.ok for f in results) and not outside else 1


def report(results: list[Figures]) -> None:
    print(
        f"Mobile profile: {LATENCY_MS} ms RTT, {DOWNLOAD * 8 / 1024 / 1024:.1f} Mbps down, "
        f"CPU x{CPU_SLOWDOWN}; budgets {BUDGET_BYTES // 1024} KB non-image, LCP {TARGET_LCP_MS / 1000:.1f} s"
    )
    print(f"{'page':<22} {'status':>6} {'non-image KB':>12} {'image KB':>9} {'requests':>8} {'LCP s':>6}  ok")
    for f in results:
        print(
            f"{f.name:<22} {f.status:>6} {f.bytes_non_image / 1024:>12.1f} {f.bytes_images / 1024:>9.1f} "
            f"{f.requests:>8} {f.lcp_ms / 1000:>6.2f}  {'yes' if f.ok else 'NO'}"
        )


if __name__ == "__main__":
    sys.exit(main())
