"""Organizer templates fill only whitelisted placeholders; writers' text is plain text, escaped in HTML."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from campaigns.letters import placeholders
from tests.letters.conftest import TEMPLATE, letters_to, write_and_confirm

HOSTILE = (
    "{{ settings.SECRET_KEY }} {% load static %}{% debug %} {{ official.email }} {{ official_name.__class__ }} "
    "{# hidden #} {{ supporter_name|upper }}"
)


def test_it_refuses_a_hostile_template_naming_each_bad_piece():
    with pytest.raises(ValidationError) as raised:
        placeholders.check_template(HOSTILE)
    message = raised.value.messages[0]
    for piece in (
        "{{ settings.SECRET_KEY }}",
        "{% load static %}",
        "{% debug %}",
        "{{ official.email }}",
        "{# hidden #}",
    ):
        assert piece in message
    assert "{{ supporter_name|upper }}" in message


def test_filling_never_evaluates_anything_but_the_whitelist():
    filled = placeholders.fill(HOSTILE + " {{official_name}}", {"official_name": "Ana", "supporter_name": "Dana"})
    assert filled == HOSTILE + " Ana"  # every hostile piece stays literal text, the known one is filled


def test_a_value_is_never_filled_again():
    filled = placeholders.fill(
        "Dear {{ official_name }}, from {{ supporter_name }}",
        {
            "official_name": "{{ supporter_name }}",
            "supporter_name": "{% debug %}",
        },
    )
    assert filled == "Dear {{ supporter_name }}, from {% debug %}"


def test_an_organizer_cannot_save_a_hostile_template(editor_client):
    response = editor_client.post(
        "/api/v1/organizer/campaigns/ring/letter-drives/",
        {"slug": "x", "title": "X", "subject_template": "Hi {{ settings.SECRET_KEY }}", "body_template": TEMPLATE},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["subject_template"]
    assert "{{ settings.SECRET_KEY }}" in response.json()["fields"]["subject_template"][0]


def test_it_shows_markup_in_a_letter_as_typed_and_never_renders_it(drive, officials, bloomfield, mailoutbox, on_commit):
    body = TEMPLATE + '\n<script>alert(1)</script> <a href="x">click</a> <b>bold</b> & {% debug %}'
    write_and_confirm(drive, bloomfield, mailoutbox, on_commit, body=body)
    mail = letters_to(mailoutbox, "rivera@bloomfield.example.gov")[0]

    assert '<script>alert(1)</script> <a href="x">click</a> <b>bold</b> & {% debug %}' in mail.body
    html = mail.alternatives[0][0]
    assert "<script>" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&amp; {% debug %}" in html
