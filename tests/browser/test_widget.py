"""The widget on a partner's page: a host page on `localhost` frames the sign form served from
127.0.0.1 (another site, so no SameSite=Lax cookie reaches the frame) and a signature goes through;
a page on an origin the campaign does not list gets no form; the frame and the status card pass axe-core."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import Browser, Frame, Route, expect

from campaigns.models import EmbedOrigin, Signature
from tests.browser.conftest import ARTIFACTS, Demo, Drives, axe_violations, guarded_page, screenshot

pytestmark = pytest.mark.browser


@contextmanager
def host_page(html: Callable[[int], str]) -> Iterator[str]:
    """A partner's site on http://localhost:<free port>/, serving one page (given its port)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = html(server.server_address[1]).encode() if self.path == "/" else b"not found"
            self.send_response(200 if self.path == "/" else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def partner_page(frame_src: str, *, app: str) -> Callable[[int], str]:
    def html(port: int) -> str:
        return (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner</title></head><body>'
            "<main><h1>Our friends' campaign</h1>"
            f'<iframe src="{frame_src}" title="Sign the petition" width="400" height="200" data-townhall></iframe>'
            f'<script src="{app}/static/web/embed-host.js"></script></main></body></html>'
        )

    return html


def _frame(page: Any, path: str) -> Frame:
    frame = next((f for f in page.frames if path in f.url), None)
    assert frame is not None, [f.url for f in page.frames]
    return cast(Frame, frame)


def test_a_partner_page_on_another_site_frames_the_form_and_a_signature_goes_through(
    browser: Browser, live_server: Any, demo: Demo, _browser_settings: None
):
    embed = f"/embed/campaigns/{demo.campaign.slug}/petitions/{demo.petition.slug}/"
    with host_page(partner_page(f"{live_server.url}{embed}?ref=partner", app=live_server.url)) as partner:
        EmbedOrigin.objects.create(campaign=demo.campaign, origin=partner, referrer="partner")
        with guarded_page(browser, partner, also_allowed=frozenset({live_server.url})) as page:
            page.goto("/")
            frame = page.frame_locator("iframe[data-townhall]")
            expect(frame.get_by_role("heading", level=1)).to_have_text(demo.petition.title)
            # embed.js tells the page its height and embed-host.js sizes the iframe to it.
            page.wait_for_function("() => parseInt(document.querySelector('iframe').style.height) > 600")
            form_height = int(page.evaluate("() => parseInt(document.querySelector('iframe').style.height)"))
            assert axe_violations(cast(Any, _frame(page, embed))) == []

            frame.get_by_label("Your name").fill("Dana Scully")
            frame.get_by_label("Your e-mail address").fill("dana@example.org")
            frame.get_by_label("ZIP code").fill("07003")
            frame.get_by_role("button", name="Sign the petition").click()

            expect(frame.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
            assert axe_violations(cast(Any, _frame(page, f"{embed}signed/"))) == []
            assert page.context.cookies(live_server.url) == []
            # The frame shrinks to the thanks page (a full-page screenshot leaves another site's frame blank).
            page.wait_for_function(f"() => parseInt(document.querySelector('iframe').style.height) < {form_height}")
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.locator("iframe[data-townhall]").screenshot(path=ARTIFACTS / "widget-thanks-in-frame.png")

    signature = Signature.objects.get()
    assert (signature.referrer, signature.place) == ("partner", demo.bloomfield)
    assert [message.to for message in mail.outbox] == [["dana@example.org"]]


def test_a_page_on_an_origin_not_listed_gets_no_form(browser: Browser, live_server: Any, demo: Demo):
    embed = f"/embed/campaigns/{demo.campaign.slug}/petitions/{demo.petition.slug}/"
    EmbedOrigin.objects.create(campaign=demo.campaign, origin="http://localhost:1", referrer="partner")
    with host_page(partner_page(f"{live_server.url}{embed}", app=live_server.url)) as stranger:
        # Not guarded_page: the CSP refusal it would fail on is what this test expects, so it is
        # asserted here instead; requests outside the two origins are still refused and reported.
        context = browser.new_context(base_url=stranger)
        outside: list[str] = []
        context.route("**/*", lambda route: _only(route, {stranger, live_server.url}, outside))
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        try:
            page.goto("/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Our friends' campaign")
            page.wait_for_timeout(1000)
            frame = page.frame_locator("iframe[data-townhall]")
            expect(frame.get_by_role("button", name="Sign the petition")).to_have_count(0)
        finally:
            context.close()

    assert not outside, outside
    # The refusal the browser reports, naming the one origin the campaign allows.
    refusals = [text for text in console if "Content Security Policy" in text]
    assert refusals and all("frame-ancestors http://localhost:1" in text for text in refusals), console
    assert not Signature.objects.exists()


def _only(route: Route, origins: set[str], outside: list[str]) -> None:
    parts = urlsplit(route.request.url)
    if f"{parts.scheme}://{parts.netloc}" in origins:
        route.continue_()
    else:
        outside.append(route.request.url)
        route.abort("blockedbyclient")


def test_the_status_card_passes_axe_core(browser: Browser, live_server: Any, demo: Demo, _browser_settings: None):
    card = f"/embed/campaigns/{demo.campaign.slug}/places/{demo.bloomfield.pk}/"
    with guarded_page(browser, live_server.url) as page:
        page.goto(card)
        expect(page.get_by_role("heading", level=1)).to_have_text("Bloomfield, NJ")
        assert axe_violations(page) == []
        link = page.get_by_role("link", name="Act for Bloomfield")
        expect(link).to_have_attribute("target", "_blank")
        screenshot(page, "widget-status-card")


def test_the_write_frame_and_its_errors_pass_axe_core(
    browser: Browser, live_server: Any, drives: Drives, _browser_settings: None
):
    campaign = drives.demo.campaign
    with guarded_page(browser, live_server.url) as page:
        page.goto(f"/embed/campaigns/{campaign.slug}/letters/{drives.letter_drive.slug}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(drives.letter_drive.title)
        assert axe_violations(page) == []

        page.get_by_role("button", name="Send my letter").click()
        expect(page.get_by_role("alert").first).to_be_visible()
        assert axe_violations(page) == []
