"""Every supporter page: axe-core finds no serious or critical violation; screenshots at 375 and 1280 px."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from campaigns.letters.positions import position_url
from donations.portal import portal_link
from emails.outbox import unsubscribe_url
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    Demo,
    Drives,
    axe_violations,
    axe_violations_at_both_widths,
    screenshot,
)

pytestmark = pytest.mark.browser


def _pages(demo: Demo) -> dict[str, str]:
    return {
        "home": "/",
        "campaign": demo.home,
        "campaign-filtered": f"{demo.home}?state=CA&status=",
        "campaign-search": f"{demo.home}?q=bloomfeld",
        "place": demo.bloomfield_page,
        "place-with-officials": f"/campaigns/{demo.campaign.slug}/places/{_los_angeles(demo)}/",
        "petition": demo.petition_page,
        "about": "/about/",
        "privacy": "/privacy/",
        "my-data": "/my-data/",
    }


def _writing_and_giving_pages(drives: Drives) -> dict[str, str]:
    """Pages a link or a form opens: a letter drive, donating, an official's and a reader's signed links."""
    home = drives.demo.home
    return {
        "campaign-with-letters-and-donate": home,
        "place-with-letters-and-donate": drives.demo.bloomfield_page,
        "letter": drives.letter_page,
        "letter-written": f"{drives.letter_page}sent/",
        "donate": drives.donate_page,
        "donate-thanks": f"{home}donate/thanks/",
        "donate-cancelled": f"{home}donate/cancelled/",
        "donate-manage": urlsplit(portal_link("cus_test_1")).path,
        "official-position": urlsplit(position_url(drives.official, drives.demo.campaign)).path,
        "unsubscribe": urlsplit(unsubscribe_url("fox@example.org", f"campaign:{drives.demo.campaign.pk}")).path,
    }


def test_the_writing_and_giving_pages_pass_axe_at_phone_and_desktop_widths(page: Page, drives: Drives):
    found = {}
    for name, url in _writing_and_giving_pages(drives).items():
        response = page.goto(url)
        assert response is not None and response.status == 200, (name, url)
        found[name] = axe_violations_at_both_widths(page)
        screenshot(page, name)
    assert {name: v for name, v in found.items() if v} == {}


def _los_angeles(demo: Demo) -> int:
    return demo.campaign.place_statuses.get(place__name="Los Angeles").place_id


def test_every_page_passes_axe_at_phone_and_desktop_widths(page: Page, demo: Demo):
    found = {}
    for name, url in _pages(demo).items():
        response = page.goto(url)
        assert response is not None and response.status == 200, (name, url)
        found[name] = axe_violations(page)
        page.set_viewport_size(DESKTOP)
        found[name] += axe_violations(page)
        page.set_viewport_size(PHONE)
        screenshot(page, name)
    assert {name: v for name, v in found.items() if v} == {}


def test_the_pages_after_signing_pass_axe(page: Page, demo: Demo):
    page.goto(demo.petition_page)
    page.get_by_label("Your name").fill("Fox Mulder")
    page.get_by_label("Your e-mail address").fill("fox@example.org")
    page.get_by_label("ZIP code").fill("07003")
    page.get_by_role("button", name="Sign the petition").click()
    expect(page.locator("h1")).to_be_visible()
    assert axe_violations(page) == []

    page.goto(demo.petition_page)
    page.get_by_role("button", name="Sign the petition").click()  # nothing filled in: every error shown
    expect(page.locator(".error-summary")).to_be_visible()
    assert axe_violations(page) == []


def test_the_confirm_and_confirmed_pages_pass_axe(page: Page, demo: Demo, mailoutbox):
    page.goto(demo.petition_page)
    page.get_by_label("Your name").fill("Walter Skinner")
    page.get_by_label("Your e-mail address").fill("walter@example.org")
    page.get_by_label("ZIP code").fill("07003")
    page.get_by_role("button", name="Sign the petition").click()
    [message] = [m for m in mailoutbox if "walter@example.org" in m.to]
    path = "/confirm/" + message.body.split("/confirm/", 1)[1].split("/", 1)[0] + "/"

    page.goto(path)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Yes, that was me: confirm").click()
    assert axe_violations(page) == []
