"""Writing to officials, giving, and the pages their links open: an official's position, a briefing's
verification, unsubscribing. Each page is also checked with axe-core and kept as a screenshot."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from briefings import editions
from briefings.models import Edition
from campaigns.letters.positions import position_url
from campaigns.models import Letter, OfficialPosition, Position
from donations.models import DonationSettings
from emails.outbox import unsubscribe_url
from emails.unsubscribe import is_unsubscribed
from privacy.addresses import address_hash
from tests.browser.conftest import Drives, axe_violations_at_both_widths, count_shown, guarded_page, screenshot
from tests.browser.fake_checkout import CHECKOUT_PAGE, browsable_stripe
from web import donate

pytestmark = pytest.mark.browser

CONFIRM_LINK = re.compile(r"/confirm/[A-Za-z0-9_:.\-]+/")
MY_DATA_EXPORT_LINK = re.compile(r"/my-data/export/[A-Za-z0-9_:.\-]+/")


def _path(url: str) -> str:
    return urlsplit(url).path


def _no_axe_violations(page: Page) -> None:
    assert axe_violations_at_both_widths(page) == [], page.url


def _expect_field_error(page: Page, field: Any, message: str) -> None:
    expect(field).to_have_attribute("aria-invalid", "true")
    described_by = field.get_attribute("aria-describedby") or ""
    texts = [page.locator(f"[id='{ident}']").inner_text() for ident in described_by.split()]
    assert any(message in text for text in texts), texts


def test_a_supporter_writes_from_the_place_page_confirms_and_the_letter_is_delivered(page: Page, drives: Drives):
    page.goto(drives.demo.bloomfield_page)
    page.get_by_role("link", name=f"Write to your officials: {drives.letter_drive.title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(drives.letter_drive.title)
    letter = page.get_by_role("textbox", name="Your letter")
    expect(letter).to_have_value(re.compile(r"^Dear \{\{ official_name \}\},"))  # prefilled, placeholders shown
    _no_axe_violations(page)

    page.get_by_label("Your name").fill("Dana Scully")
    page.get_by_label("Your e-mail address").fill("dana@example.org")
    page.get_by_label("ZIP code").fill("07003")
    letter.fill(letter.input_value() + "\n\nI walk past the station every morning.")
    page.get_by_role("button", name="Send my letter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    _no_axe_violations(page)
    screenshot(page, "letter-written")

    [message] = [m for m in mail.outbox if "dana@example.org" in m.to]
    link = CONFIRM_LINK.search(str(message.body))
    assert link, message.body
    page.goto(link.group(0))
    page.get_by_role("button", name="Yes, that was me: confirm").click()
    expect(page.get_by_role("status")).to_be_visible()

    # The official received it, with the writer's own words and the placeholders filled in.
    [sent] = [m for m in mail.outbox if drives.official.email in m.to]
    assert "Dear Ana Rivera," in str(sent.body) and "I walk past the station every morning." in str(sent.body)
    assert sent.reply_to == ["dana@example.org"]
    assert count_shown(page, drives.demo.bloomfield_page, "letters") == "1"

    # The writer's "my data" export shows the letter as delivered.
    page.goto("/my-data/")
    page.get_by_label("E-mail address").fill("dana@example.org")
    page.get_by_role("button", name="Send me the links").click()
    [links] = [m for m in mail.outbox if "dana@example.org" in m.to and "/my-data/export/" in str(m.body)]
    export = MY_DATA_EXPORT_LINK.search(str(links.body))
    assert export, links.body
    held = json.loads(page.request.get(export.group(0)).text())
    assert [(entry["state"], entry["copies_delivered"]) for entry in _letters(held)] == [("delivered", 1)]


def _letters(exported: Any) -> list[dict[str, Any]]:
    """The letters wherever the export nests them (a section per registered kind of data)."""
    if isinstance(exported, dict):
        if "state" in exported and "copies_delivered" in exported:
            return [exported]
        return [found for value in exported.values() for found in _letters(value)]
    if isinstance(exported, list):
        return [found for value in exported for found in _letters(value)]
    return []


def test_the_letter_forms_errors_are_announced_and_linked_to_their_fields(page: Page, drives: Drives):
    page.goto(drives.letter_page)
    page.get_by_label("Your e-mail address").fill("not an address")
    page.get_by_label("ZIP code").fill("123")
    page.get_by_role("textbox", name="Your letter").fill("Too short.")
    page.get_by_role("button", name="Send my letter").click()

    summary = page.get_by_role("alert").filter(has_text="problems with what you entered")
    expect(summary).to_be_focused()
    _expect_field_error(page, page.get_by_label("Your name"), "This field is required.")
    _expect_field_error(page, page.get_by_label("Your e-mail address"), "Enter a valid email address.")
    _expect_field_error(page, page.get_by_role("textbox", name="Your letter"), "at least")
    summary.get_by_role("link", name=re.compile("^Your letter")).click()
    expect(page.get_by_role("textbox", name="Your letter")).to_be_focused()
    expect(page.get_by_role("textbox", name="Your letter")).to_have_value("Too short.")
    assert Letter.objects.count() == 0
    _no_axe_violations(page)
    screenshot(page, "letter-errors")


def test_the_donate_page_sends_the_supporter_to_checkout(
    browser: Browser, live_server: Any, drives: Drives, settings: Any, monkeypatch: pytest.MonkeyPatch
):
    with browsable_stripe() as fake:
        settings.STRIPE_API_BASE = fake.url
        # Checkout's origin is the stand-in's here: the donate page's CSP lets its form lead there only.
        monkeypatch.setattr(donate, "TO_CHECKOUT", {"form-action": [fake.url]})
        with guarded_page(browser, live_server.url, also_allowed=frozenset({fake.url})) as page:
            page.goto(drives.demo.home)
            page.get_by_role("link", name="Donate to the campaign").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Donate to")
            _no_axe_violations(page)

            page.get_by_role("radio", name="Every month").check()
            page.get_by_role("radio", name="Other amount").check()
            page.get_by_role("textbox", name="Other amount").fill("25.50")
            page.get_by_role("textbox", name="E-mail address").fill("walter@example.org")
            page.get_by_role("button", name="Continue to payment").click()

            expect(page.get_by_role("heading", name="Fake Stripe Checkout")).to_be_visible()
            assert page.url.startswith(f"{fake.url}{CHECKOUT_PAGE}cs_test_")
    [created] = fake.calls("/v1/checkout/sessions")
    assert created.params["mode"] == "subscription"
    assert created.params["line_items[0][price_data][unit_amount]"] == "2550"
    assert created.params["customer_email"] == "walter@example.org"


def test_the_donate_forms_errors_are_announced_and_linked_to_their_fields(page: Page, drives: Drives):
    page.goto(drives.donate_page)
    page.get_by_role("radio", name="Other amount").check()
    page.get_by_role("textbox", name="Other amount").fill("lots")
    page.get_by_role("textbox", name="E-mail address").fill("walter@")
    page.get_by_role("button", name="Continue to payment").click()

    summary = page.get_by_role("alert").filter(has_text="problems with what you entered")
    expect(summary).to_be_focused()
    amount = page.get_by_role("textbox", name="Other amount")
    _expect_field_error(page, amount, "Enter an amount such as 25 or 25.50.")
    _expect_field_error(page, page.get_by_role("textbox", name="E-mail address"), "Enter a valid email address.")
    summary.get_by_role("link", name=re.compile("^Other amount")).click()
    expect(amount).to_be_focused()
    expect(amount).to_have_value("lots")
    _no_axe_violations(page)
    screenshot(page, "donate-errors")


def test_an_official_records_a_position_through_the_signed_link(page: Page, drives: Drives):
    page.goto(_path(position_url(drives.official, drives.demo.campaign)))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your position, Ana Rivera")
    _no_axe_violations(page)

    page.get_by_role("button", name="Record my position").click()  # nothing chosen
    expect(page.get_by_role("alert")).to_be_focused()
    group = page.get_by_role("group", name="Your position on ending the police partnership with Ring")
    texts = [page.locator(f"[id='{i}']").inner_text() for i in (group.get_attribute("aria-describedby") or "").split()]
    assert "This field is required." in " ".join(texts)
    expect(group.get_by_role("radio").first).to_have_attribute("aria-invalid", "true")
    _no_axe_violations(page)

    page.get_by_role("radio", name="I support ending the partnership").check()
    page.get_by_label("A short statement").fill("Our residents deserve better.")
    page.get_by_role("button", name="Record my position").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your position is recorded")
    _no_axe_violations(page)
    screenshot(page, "official-position-recorded")
    assert OfficialPosition.objects.get().position == Position.SUPPORTS_ENDING

    tampered = _path(position_url(drives.official, drives.demo.campaign))[:-3] + "xx/"
    response = page.goto(tampered)
    assert response is not None and response.status == 400
    assert OfficialPosition.objects.count() == 1


def test_the_briefing_verification_page(page: Page, drives: Drives, settings: Any, tmp_path: Any):
    settings.STORAGES = {
        **settings.STORAGES,
        "briefings": {"BACKEND": "briefings.storage.UnservedFileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    edition = editions.request_edition(campaign=drives.demo.campaign, place=drives.demo.bloomfield)
    editions.generate_edition(edition.pk)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DONE, edition.error

    response = page.goto(f"/b/{edition.code.lower()}/")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Briefing for Bloomfield, NJ")
    expect(page.locator(".sha256")).to_have_text(edition.sha256)
    expect(page.get_by_role("link", name="Townhall")).to_be_visible()  # the site's header, on its base template
    _no_axe_violations(page)
    screenshot(page, "briefing-verification")


def test_the_unsubscribe_page_stops_every_mailing(page: Page, drives: Drives):
    page.goto(_path(unsubscribe_url("fox@example.org", f"campaign:{drives.demo.campaign.pk}")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe")
    _no_axe_violations(page)

    page.get_by_role("radio", name="Every update and mailing from Townhall").check()
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    _no_axe_violations(page)
    screenshot(page, "unsubscribed")
    assert is_unsubscribed(address_hash("fox@example.org"), "anything")


def test_no_letter_or_donate_links_when_the_drive_is_closed_and_donations_are_off(page: Page, drives: Drives):
    drives.letter_drive.is_open = False
    drives.letter_drive.save()
    DonationSettings.objects.filter(campaign=drives.demo.campaign).update(enabled=False)

    for path in (drives.demo.home, drives.demo.bloomfield_page):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.get_by_role("link", name="Donate to the campaign")).to_have_count(0)
        expect(page.get_by_role("link", name=re.compile("Write to"))).to_have_count(0)
        expect(page.get_by_role("heading", name="Write to your officials")).to_have_count(0)
