"""A supporter on a phone: finds their town by ZIP code, signs, confirms from the e-mail, sees it count."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from tests.browser.conftest import Demo, count_shown, screenshot

pytestmark = pytest.mark.browser

CONFIRM_LINK = re.compile(r"/confirm/[A-Za-z0-9_:.\-]+/")


def test_it_finds_a_town_by_zip_signs_confirms_and_sees_the_count_rise(page: Page, demo: Demo):
    page.goto(demo.home)
    page.get_by_label("City, town or ZIP code").fill("07003")
    page.get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", name="Choose your place")).to_be_visible()
    screenshot(page, "campaign-zip-search")
    page.get_by_role("link", name="Bloomfield, NJ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bloomfield, NJ")
    expect(page.locator("[data-count=signatures]")).to_have_text("0")

    page.get_by_role("link", name=f"Sign: {demo.petition.title}").click()
    page.get_by_label("Your name").fill("Dana Scully")
    page.get_by_label("Your e-mail address").fill("dana@example.org")
    page.get_by_label("ZIP code").fill("07003")
    page.get_by_role("button", name="Sign the petition").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "petition-signed")

    [message] = [m for m in mail.outbox if "dana@example.org" in m.to]
    link = CONFIRM_LINK.search(str(message.body))
    assert link, message.body
    page.goto(link.group(0))
    screenshot(page, "confirm")
    page.get_by_role("button", name="Yes, that was me: confirm").click()
    screenshot(page, "confirmed")

    assert count_shown(page, demo.bloomfield_page, "signatures") == "1"
    page.goto(demo.petition_page)
    expect(page.locator(".petition__count")).to_contain_text("1 confirmed signature")


def test_without_javascript_the_search_filters_and_place_page_still_work(page_without_javascript: Page, demo: Demo):
    page = page_without_javascript
    page.goto(demo.home)
    page.get_by_label("City, town or ZIP code").fill("Bloomfeld")  # a typo
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Bloomfield, NJ").click()

    expect(page.get_by_role("heading", name="Police partnerships")).to_be_visible()
    expect(page.locator(".timeline li").first).to_be_visible()
    page.go_back()
    page.get_by_role("link", name="Show every place").click()
    expect(page.get_by_role("img", name="Map of the 9 places the campaign tracks")).to_be_visible()
