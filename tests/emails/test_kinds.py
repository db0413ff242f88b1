"""Every kind of mail Townhall sends renders in every language, self-contained, its two parts alike."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings

from emails import kinds
from emails.render import MAX_HTML_BYTES, Rendered, render

# The pipeline's own tests register kinds named tests.*; the kinds here are the ones apps declare.
KIND_NAMES = [kind.name for kind in kinds.all_kinds() if not kind.name.startswith("tests.")]
LANGUAGES = [code for code, _name in settings.LANGUAGES]
URL = re.compile(r"(?:https?://|mailto:)\S+")


class VisibleText(HTMLParser):
    """The text a reader sees in the body: no <head>, <title>, <style> or <script>."""

    HIDDEN = frozenset({"head", "title", "style", "script"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        elif tag in ("p", "br", "div", "li", "tr", "h1", "h2", "h3"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def words(text: str) -> list[str]:
    """The words in order, without links (a button in HTML is a bare URL in text) or punctuation."""
    return re.findall(r"\w+", URL.sub(" ", text).lower())


def rendered(name: str, language: str) -> Rendered:
    kind = kinds.get(name)
    return render(kind.template, kind.sample_context(), language=language)


def test_it_knows_the_kinds_the_apps_declare():
    assert "campaigns.invitation" in KIND_NAMES
    assert "account.password_reset_key" in KIND_NAMES
    assert "mfa.totp_activated" in KIND_NAMES


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", KIND_NAMES)
def test_it_renders_every_kind_self_contained(name, language):
    message = rendered(name, language)

    assert message.subject.strip()
    assert message.text.strip()
    assert len(message.html.encode()) < MAX_HTML_BYTES
    html = message.html.lower()
    # Nothing is fetched when the mail is opened, and the CSS is on the elements (clients drop <style>).
    for external in ("<link", "<script", 'src="http', "src='http", "@import", "<style", "url("):
        assert external not in html, f"{name} ({language}) has {external!r}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", KIND_NAMES)
def test_it_says_the_same_in_the_text_part_as_in_the_html_part(name, language):
    message = rendered(name, language)

    assert words(message.text)
    assert words(visible_text(message.html)) == words(message.text)


@pytest.mark.parametrize("name", KIND_NAMES)
def test_it_translates_every_kind_into_spanish(name):
    english, spanish = rendered(name, "en"), rendered(name, "es")

    if not kinds.get(name).to_officials:
        # A letter's subject is the constituent's own words, in the language they wrote.
        assert spanish.subject != english.subject
    assert spanish.text != english.text
    assert '<html lang="es"' in spanish.html


def test_it_escapes_what_the_context_carries_in_the_html_part():
    kind = kinds.get("account.password_changed")
    context = {**kind.sample_context(), "user_agent": '<img src="https://tracker.example/x.gif">'}

    message = render(kind.template, context, language="en")

    assert '<img src="https://tracker.example/x.gif">' in message.text  # the text part shows it as it came
    assert "<img" not in message.html
    assert "&lt;img" in message.html


def test_it_makes_the_links_of_allauth_mail_clickable():
    message = rendered("account.password_reset_key", "en")
    [link] = [url for url in URL.findall(message.text) if "/password/reset/key/" in url]

    assert f'href="{link}"' in message.html
