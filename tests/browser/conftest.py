"""Headless Chromium (Debian's `chromium`, driven by Playwright) against Django's live server.

- The live server listens on 127.0.0.1; mail sent while it serves lands in this process's
  locmem outbox, so a test reads the confirmation e-mail the server just sent.
- Every request the browser makes outside the app's origin is refused and fails the test; so does
  anything the page's CSP refuses, and any script error.
- `axe_violations(page)` runs the vendored axe-core on the page as it is.
- `screenshot(page, name)` saves the page at 375 px and 1280 px under ARTIFACTS (printed at the end).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.dispatch import Signal
from playwright.sync_api import Browser, Page, Playwright, Route, ViewportSize, sync_playwright

from accounts.models import User
from campaigns.demo import load_demo_campaign
from campaigns.models import Campaign, LetterCampaign, Official, Petition, Place
from campaigns.signals import place_status_changed
from donations.models import DonationSettings

os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM = os.environ.get("TOWNHALL_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(
    os.environ.get("TOWNHALL_BROWSER_ARTIFACTS", Path(__file__).resolve().parents[2] / "var" / "browser-artifacts")
) / time.strftime("%Y%m%d-%H%M%S")
PHONE: ViewportSize = {"width": 375, "height": 812}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
BLOCKING_IMPACTS = frozenset({"serious", "critical"})


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if ARTIFACTS.exists():
        terminalreporter.write_line(f"Browser screenshots: {ARTIFACTS}")


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: bin/test installs Debian's chromium (deploy/apt-test.txt)")
    # Playwright's sync API keeps an event loop in this thread, which Django's ORM would take for
    # async code; the ORM calls here are plain synchronous test set-up.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as driver:
        yield driver
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    # --no-sandbox: the test command runs as root, where Chromium's sandbox cannot start.
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
    yield browser
    browser.close()


@pytest.fixture
def _browser_settings(settings: Any) -> None:
    # The live server speaks plain HTTP on loopback: cookies marked Secure would not come back.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.LANGUAGE_COOKIE_SECURE = False


@pytest.fixture
def page(browser: Browser, live_server: Any, _browser_settings: None) -> Iterator[Page]:
    with guarded_page(browser, live_server.url) as page:
        yield page


@pytest.fixture
def page_without_javascript(browser: Browser, live_server: Any, _browser_settings: None) -> Iterator[Page]:
    with guarded_page(browser, live_server.url, java_script_enabled=False) as page:
        yield page


@contextmanager
def guarded_page(
    browser: Browser, base_url: str, *, also_allowed: frozenset[str] = frozenset(), **options: Any
) -> Iterator[Page]:
    """A page whose requests may only go to base_url's origin (and the origins also_allowed)."""
    origin = _origin(base_url)
    outside: list[str] = []

    def guard(route: Route) -> None:
        if _origin(route.request.url) == origin or _origin(route.request.url) in also_allowed:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort("blockedbyclient")

    context = browser.new_context(base_url=base_url, viewport=PHONE, locale="en-US", **options)
    context.route("**/*", guard)
    page = context.new_page()
    # What the CSP refused, and any script error, would otherwise pass unnoticed.
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda error: refused.append(str(error)))
    yield page
    context.close()
    assert not outside, f"the browser asked for something outside {origin}: {outside}"
    assert not refused, f"refused by the CSP or failed: {refused}"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def axe_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page, one readable line each."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))  # through DevTools, which the page's CSP does not govern
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']][:5]}"
        for v in results["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


def axe_violations_at_both_widths(page: Page) -> list[str]:
    """axe_violations at 375 px, then at 1280 px (the page is left at the width it had)."""
    size = page.viewport_size or PHONE
    found = []
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        found += [f"{viewport['width']} px: {violation}" for violation in axe_violations(page)]
    page.set_viewport_size(size)
    return found


def count_shown(page: Page, url: str, counter: str, *, unlike: str = "0") -> str:
    """The place page's `data-count` figure once it differs from `unlike`, or as it stands after
    about 8 s: the cached page content (web.page_cache) shows a new count within its 5 s."""
    shown = unlike
    for _attempt in range(16):
        page.goto(url)
        shown = page.locator(f"[data-count={counter}]").inner_text()
        if shown != unlike:
            break
        page.wait_for_timeout(500)
    return shown


def screenshot(page: Page, name: str) -> None:
    size = page.viewport_size
    for viewport in (PHONE, DESKTOP):
        screenshot_at(page, name, viewport)
    if size:
        page.set_viewport_size(size)


def screenshot_at(page: Page, name: str, viewport: ViewportSize) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^a-z0-9-]+", "-", name.lower())
    page.set_viewport_size(viewport)
    page.screenshot(path=ARTIFACTS / f"{safe}-{viewport['width']}.png", full_page=True)


@dataclass(frozen=True)
class Demo:
    campaign: Campaign
    petition: Petition
    bloomfield: Place

    @property
    def home(self) -> str:
        return f"/campaigns/{self.campaign.slug}/"

    @property
    def petition_page(self) -> str:
        return f"/campaigns/{self.campaign.slug}/petitions/{self.petition.slug}/"

    @property
    def bloomfield_page(self) -> str:
        return f"/campaigns/{self.campaign.slug}/places/{self.bloomfield.pk}/"


@contextmanager
def _unheard(signal: Signal) -> Iterator[None]:
    """The demo's status changes, without what listens to them (briefing PDFs, mailings): not these tests' subject."""
    receivers = signal.receivers
    signal.receivers = []
    signal.sender_receivers_cache.clear()
    try:
        yield
    finally:
        signal.receivers = receivers
        signal.sender_receivers_cache.clear()


@pytest.fixture
def demo(live_server: Any) -> Demo:
    """The demo campaign (nine places with agencies, partnerships, sources and officials) and a petition."""
    organizer = User.objects.create_user(email="organizer@example.org", password="correct horse battery")
    with _unheard(place_status_changed):
        campaign = load_demo_campaign(organizer=organizer)
    petition = Petition.objects.create(
        campaign=campaign,
        slug="end-the-partnership",
        title="End our police's Ring partnership",
        text="We ask our council to end the police department's partnership with Amazon Ring.",
    )
    return Demo(campaign, petition, Place.objects.get(name="Bloomfield", state="NJ"))


@dataclass(frozen=True)
class Drives:
    """The demo, plus what supporters write and give to: an open letter drive with an official to
    receive it in Bloomfield, and donations taken (Stripe keys set, its API on a closed loopback port
    unless a test points it at a stand-in)."""

    demo: Demo
    letter_drive: LetterCampaign
    official: Official

    @property
    def letter_page(self) -> str:
        return f"/campaigns/{self.demo.campaign.slug}/letters/{self.letter_drive.slug}/"

    @property
    def donate_page(self) -> str:
        return f"/campaigns/{self.demo.campaign.slug}/donate/"


LETTER_TEMPLATE = (
    "Dear {{ official_name }},\n\nI live in {{ place }} and I ask you to end our police department's "
    "partnership with Amazon Ring. Doorbell cameras should not feed a police network.\n\n{{ supporter_name }}"
)


@pytest.fixture
def drives(demo: Demo, settings: Any) -> Drives:
    settings.STRIPE_SECRET_KEY = "sk_test_townhall"
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # discard: nothing answers unless a test says otherwise
    letter_drive = LetterCampaign.objects.create(
        campaign=demo.campaign,
        slug="write-bloomfield",
        title="Write to Bloomfield's council",
        subject_template="End the Ring partnership in {{ place }}",
        body_template=LETTER_TEMPLATE,
    )
    official = Official.objects.create(
        campaign=demo.campaign,
        place=demo.bloomfield,
        name="Ana Rivera",
        office=Official.Office.COUNCIL_MEMBER,
        email="ana.rivera@bloomfield.example.org",
    )
    DonationSettings.objects.create(campaign=demo.campaign, preset_amounts=[1000, 2500, 5000])
    return Drives(demo, letter_drive, official)
