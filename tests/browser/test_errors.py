"""Bad input: the errors are announced, listed with links to their fields, and tied to each field."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Demo, screenshot

pytestmark = pytest.mark.browser


def _expect_field_error(page: Page, label: str, message: str) -> None:
    field = page.get_by_label(label, exact=True)
    expect(field).to_have_attribute("aria-invalid", "true")
    described_by = field.get_attribute("aria-describedby") or ""
    texts = [page.locator(f"[id='{ident}']").inner_text() for ident in described_by.split()]
    assert any(message in text for text in texts), (label, texts)


def test_it_announces_the_sign_forms_errors_and_links_each_to_its_field(page: Page, demo: Demo):
    page.goto(demo.petition_page)
    page.get_by_label("Your e-mail address").fill("not an address")
    page.get_by_label("ZIP code").fill("123")
    page.get_by_role("button", name="Sign the petition").click()

    summary = page.get_by_role("alert").filter(has_text="problems with what you entered")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # moved there on load, so it is read first
    screenshot(page, "petition-errors")
    _expect_field_error(page, "Your name", "This field is required.")
    _expect_field_error(page, "Your e-mail address", "Enter a valid email address.")

    summary.get_by_role("link", name="Your e-mail address").click()
    expect(page.get_by_label("Your e-mail address")).to_be_focused()
    expect(page.get_by_label("Your e-mail address")).to_have_value("not an address")  # what they typed stays


def test_it_says_a_zip_code_is_short_instead_of_searching(page: Page, demo: Demo):
    page.goto(demo.home)
    page.get_by_label("City, town or ZIP code").fill("0700")
    page.get_by_role("button", name="Search").click()

    expect(page.get_by_role("alert")).to_contain_text("Give a five-digit ZIP code")
    _expect_field_error(page, "City, town or ZIP code", "Give a five-digit ZIP code")
    screenshot(page, "campaign-search-error")


def test_it_filters_places_by_state_and_status_with_the_keyboard(page: Page, demo: Demo):
    page.goto(demo.home)
    page.get_by_label("State", exact=True).select_option("CA")
    page.get_by_label("Status", exact=True).focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Search")).to_be_focused()
    page.keyboard.press("Enter")

    # The unfiltered list is on screen until the filtered page has loaded: wait for that page first.
    expect(page).to_have_url(re.compile(r"[?&]state=CA\b"))
    expect(page.get_by_role("link", name="Show every place")).to_be_visible()
    items = page.locator(".place-list li")
    expect(items.first).to_be_visible()
    assert all(text.strip().split("\n")[0].endswith(", CA") for text in items.all_inner_texts())
    expect(page.get_by_role("link", name="Show every place")).to_be_visible()
