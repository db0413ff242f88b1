"""Rendering is reused only where it cannot differ: the same template, language and plain-data context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from emails.outbox import send
from emails.render import render
from tests.emails import sample_kinds

TEMPLATE = sample_kinds.TEMPLATE


def test_it_renders_each_context_of_its_own():
    first = render(TEMPLATE, sample_kinds.context(), language="en")
    other = render(
        TEMPLATE, {**sample_kinds.context(), "link": "https://townhall.example.org/invitations/b/"}, language="en"
    )

    assert "invitations/inv_sample/" in first.text
    assert "invitations/b/" in other.text
    assert "invitations/inv_sample/" not in other.text + other.html


def test_it_renders_a_lazy_translation_in_the_messages_language():
    context = sample_kinds.context()  # its role label is a lazy translation

    english, spanish = render(TEMPLATE, context, language="en"), render(TEMPLATE, context, language="es")

    assert "as editor." in english.text
    assert "as editor." not in spanish.text


def test_it_renders_a_context_holding_an_object_every_time():
    @dataclass
    class Campaign:
        title: str

    campaign = Campaign("First title")
    first = render(TEMPLATE, {**sample_kinds.context(), "campaign": campaign}, language="en")
    campaign.title = "Second title"
    second = render(TEMPLATE, {**sample_kinds.context(), "campaign": campaign}, language="en")

    assert "First title" in first.subject
    assert "Second title" in second.subject


def test_it_gives_every_recipient_of_a_mailing_their_own_unsubscribe_link(db):
    context = sample_kinds.context()
    messages = [
        send(sample_kinds.NEWS.name, to=to, context=context, language="en", key=to, list_key="campaign:3", bulk=None)
        for to in ("erin@example.org", "fay@example.org")
    ]

    links = [message.headers["List-Unsubscribe"].strip("<>") for message in messages]
    assert links[0] != links[1]
    for message, link, other in zip(messages, links, reversed(links), strict=True):
        assert link in message.text_body
        assert f'href="{link}"' in message.html_body
        assert other not in message.text_body + message.html_body


def test_it_renders_a_kind_once_for_recipients_who_differ_only_by_their_own_link(monkeypatch):
    from emails import render as rendering

    rendered_anew: list[str] = []
    real = rendering._render

    def counted(template: str, context: dict[str, Any], language: str) -> rendering.Rendered:
        rendered_anew.append(template)
        return real(template, context, language)

    monkeypatch.setattr(rendering, "_render", counted)
    rendering.clear_cache()
    links = [f"https://townhall.example.org/confirm/token-{n}:abc/" for n in range(3)]
    shared = sample_kinds.context()

    mails = [render(TEMPLATE, {**shared, "link": link}, language="en") for link in links]

    assert rendered_anew == [TEMPLATE]
    for mail, link in zip(mails, links, strict=True):
        assert link in mail.text
        assert f'href="{link}"' in mail.html
        assert [other for other in links if other != link and other in mail.text + mail.html] == []
    assert "townhall" + "link" not in mails[0].text + mails[0].html  # no placeholder left behind


def test_a_link_that_escaping_would_change_is_rendered_with_its_mail():
    link = "https://townhall.example.org/confirm/?a=1&b=2"

    mail = render(TEMPLATE, {**sample_kinds.context(), "link": link}, language="en")

    assert 'href="https://townhall.example.org/confirm/?a=1&amp;b=2"' in mail.html
