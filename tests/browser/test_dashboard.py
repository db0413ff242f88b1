"""An organizer signs in with a password and an authenticator code, opens the campaign's dashboard
and reads charts whose figures are the real counts; axe-core finds nothing serious at either width."""

from __future__ import annotations

import datetime as dt
import re
from itertools import count
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from campaigns import tallies
from campaigns.models import Letter, LetterCampaign, Membership, Place, Review, Role, Signature
from donations.models import Donation
from donations.models.checkouts import Frequency
from supporters.models import Supporter
from tests.accounts.flows import PASSWORD
from tests.browser.conftest import Demo, axe_violations_at_both_widths, screenshot
from tests.totp import current_code

pytestmark = pytest.mark.browser

_serial = count(1)


def _supporter() -> Supporter:
    return Supporter.objects.create(email=f"reader{next(_serial)}@example.org", confirmed_at=timezone.now())


def _sign(demo: Demo, place: Place, confirmed: dt.datetime, review: str = Review.ACCEPTED) -> None:
    signature = Signature.objects.create(
        petition=demo.petition,
        supporter=_supporter(),
        place=place,
        consent_version="1",
        confirmed_at=confirmed,
        review=review,
        flags=["disposable_domain"] if review == Review.HELD else [],
    )
    if signature.is_counted:
        tallies.add_to_tallies([(demo.petition.pk, place.pk)])


def _write(drive: LetterCampaign, place: Place, confirmed: dt.datetime) -> None:
    Letter.objects.create(
        letter_campaign=drive,
        supporter=_supporter(),
        place=place,
        body="End it.",
        consent_version="1",
        confirmed_at=confirmed,
    )


@pytest.fixture
def busy_campaign(demo: Demo) -> dict[str, int]:
    """Signatures, letters and donations of today and of the days before; returns what each chart must add up to."""
    now = timezone.now()
    newark = Place.objects.get(name="Los Angeles")
    for minutes in (1, 2, 3):
        _sign(demo, demo.bloomfield, now - dt.timedelta(minutes=minutes))
    for days in (2, 5):
        _sign(demo, newark, now - dt.timedelta(days=days))
    _sign(demo, demo.bloomfield, now, review=Review.HELD)
    drive = LetterCampaign.objects.create(
        campaign=demo.campaign,
        slug="write",
        title="Write to your council",
        subject_template="Ring",
        body_template="End it.",
    )
    for days in (0, 1):
        _write(drive, demo.bloomfield, now - dt.timedelta(days=days, minutes=1))
    for cents in (2500, 1000):
        Donation.objects.create(
            campaign=demo.campaign,
            kind=Frequency.ONE_TIME,
            status=Donation.Status.SUCCEEDED,
            amount=cents,
            currency="usd",
            stripe_payment_intent_id=f"pi_{cents}",
            paid_at=now - dt.timedelta(minutes=1),
        )
    return {"signatures-by-day": 5, "letters-by-day": 2, "donations-by-day": 3500, "signatures-by-place": 5}


def test_an_organizer_signs_in_with_two_factors_and_reads_the_real_counts(
    page: Page, demo: Demo, busy_campaign: dict[str, int], user_factory: Any
):
    organizer = user_factory("dashboard-owner@example.org", password=PASSWORD)
    Membership.objects.create(user=organizer, campaign=demo.campaign, role=Role.OWNER)
    dashboard = f"/organizer/campaigns/{demo.campaign.slug}/"

    page.goto(dashboard)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.locator("input[name=login]").fill(organizer.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("input[name=code]").fill(current_code(organizer.totp_secret))  # type: ignore[attr-defined]
    page.locator("form button[type=submit]").last.click()

    expect(page).to_have_url(re.compile(f"{dashboard}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(demo.campaign.title)
    for chart, total in busy_campaign.items():
        assert page.locator(f"#{chart}").get_attribute("data-total") == str(total), chart
    assert page.get_by_role("img", name="Signatures per day").count() == 1
    today = page.locator("#signatures-by-day tr[data-key] td").last
    assert today.get_attribute("data-value") == "3"
    bloomfield = page.locator(f"tr[data-place='{demo.bloomfield.pk}'] [data-signatures]")
    assert bloomfield.get_attribute("data-signatures") == "3"
    expect(page.locator("[data-queue-size]")).to_have_attribute("data-queue-size", "1")

    assert axe_violations_at_both_widths(page) == []
    screenshot(page, "organizer-dashboard")

    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_contain_text("Signature approved.")
    expect(page.locator("[data-queue-size]")).to_have_attribute("data-queue-size", "0")
    assert page.locator("#signatures-by-day").get_attribute("data-total") == "6"
    assert axe_violations_at_both_widths(page) == []

    page.get_by_role("link", name="Your campaigns").click()
    expect(page.get_by_role("link", name=demo.campaign.title)).to_be_visible()
    assert axe_violations_at_both_widths(page) == []
    screenshot(page, "organizer-campaigns")
