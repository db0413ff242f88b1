"""What a mail server receives is, byte for byte, what Django's own EmailMultiAlternatives would send."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from django.core.mail import EmailMultiAlternatives

from emails.mime import OutboxEmail

HEADERS = {"Message-ID": "<1.2@townhall.example.org>", "Date": "Sun, 29 Nov 2026 04:27:17 -0000"}
UNSUBSCRIBE = {
    "List-Unsubscribe": "<https://townhall.example.org/u/a:b/>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
}
BODIES = [
    ("You are invited to organize “End Ring partnerships” on Townhall", "Accept:\nhttps://x.example/\n", "<p>é</p>\n"),
    ("A plain subject", "x" * 1200 + "\nshort lines after a long one", "<p>" + "é" * 1000 + "</p>"),
    ("An ASCII subject long enough that the mail package has to fold it onto a second line", "a\r\nb\rc\n", "<p>h</p>"),
    ("From the start", "From me\n.\n..dots, and no line break at the end", "From x"),
]


def build(
    kind: type[EmailMultiAlternatives], subject: str, text: str, html: str, **options: object
) -> EmailMultiAlternatives:
    email = kind(subject=subject, body=text, from_email="Townhall <noreply@townhall.example.org>", **options)  # type: ignore[arg-type]
    email.attach_alternative(html, "text/html")
    return email


@pytest.mark.parametrize(("subject", "text", "html"), BODIES)
@pytest.mark.parametrize("to", ["dana@example.org", "Dana Ñúñez <dana@example.org>", "José <jose@exämple.org>"])
@pytest.mark.parametrize("reply_to", [None, "Évé <eve@example.org>"])
@pytest.mark.parametrize("extra", [HEADERS, {**HEADERS, **UNSUBSCRIBE, "X-Place": "Bloomfield — NJ"}])
@pytest.mark.parametrize("linesep", ["\r\n", "\n"])
def test_it_writes_the_bytes_django_writes(
    subject: str, text: str, html: str, to: str, reply_to: str | None, extra: dict[str, str], linesep: str
) -> None:
    options = {"to": [to], "reply_to": [reply_to] if reply_to else None, "headers": extra}
    ours = build(OutboxEmail, subject, text, html, **options).message()
    django = build(EmailMultiAlternatives, subject, text, html, **options).message()
    django.set_boundary(ours.get_boundary())  # random on both sides

    assert ours.as_bytes(linesep=linesep) == django.as_bytes(linesep=linesep)


def test_it_reads_back_as_the_message_that_was_written() -> None:
    email = build(OutboxEmail, *BODIES[0], to=["Dana Ñúñez <dana@example.org>"], headers=HEADERS)

    parsed = message_from_bytes(email.message().as_bytes(), policy=policy.default)

    assert str(parsed["Subject"]).strip() == BODIES[0][0]
    assert str(parsed["To"]) == "Dana Ñúñez <dana@example.org>"
    assert parsed.get_body(("plain",)).get_content() == BODIES[0][1]  # type: ignore[union-attr]
    assert parsed.get_body(("html",)).get_content() == BODIES[0][2]  # type: ignore[union-attr]


def test_it_leaves_other_messages_to_django() -> None:
    email = build(OutboxEmail, *BODIES[0], to=["dana@example.org"], headers=HEADERS)
    email.attach("notes.txt", "a file", "text/plain")

    parts = [part.get_content_type() for part in email.message().walk()]

    assert parts == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/plain"]


def test_it_gives_each_message_parts_of_its_own() -> None:
    first = build(OutboxEmail, *BODIES[0], to=["a@example.org"], headers=HEADERS).message()
    second = build(OutboxEmail, *BODIES[0], to=["b@example.org"], headers=HEADERS).message()

    first.get_payload(0)["X-Changed"] = "only here"

    assert second.get_payload(0)["X-Changed"] is None
