"""Every kind of e-mail, rendered with its sample data as a phone's mail app would show it (375 px)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from emails import kinds
from emails.render import render
from tests.browser.conftest import PHONE, screenshot_at

pytestmark = pytest.mark.browser


def test_every_kind_of_mail_renders_on_a_phone_without_fetching_anything(page: Page, live_server):
    page.set_viewport_size(PHONE)
    shown = []
    for kind in kinds.all_kinds():
        message = render(kind.template, kind.sample_context(), language="en")
        page.set_content(message.html)  # any image or font it asked for would fail the test (the guard)
        assert page.locator("body").inner_text().strip(), kind.name
        screenshot_at(page, f"email-{kind.name}", PHONE)
        shown.append(kind.name)
    assert shown
