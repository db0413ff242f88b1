"""Composing: variants per language with whitelisted placeholders, sanitized HTML, preview, a test to oneself."""

from __future__ import annotations

import pytest
from django.conf import settings

from accounts.models import AuditEvent
from mailings.models import Mailing, MailingVariant
from tests.mailings.conftest import MAILINGS, mailing_body, variant

pytestmark = pytest.mark.django_db

HOSTILE = "{% load log %}{% debug %}{{ settings.SECRET_KEY }}{{ request.user.password }}{# hidden #}"


def created(response) -> Mailing:
    assert response.status_code == 201, response.content
    return Mailing.objects.get(pk=response.json()["id"])


def test_it_saves_a_draft_with_a_variant_per_language_and_audits_it(editor, petition, bloomfield):
    response = editor.post(MAILINGS, mailing_body(place=bloomfield.pk), content_type="application/json")

    mailing = created(response)
    body = response.json()
    assert body["status"] == "draft"
    assert body["place_name"] == "Bloomfield"
    assert [v["language"] for v in body["variants"]] == ["en", "es"]
    assert body["segment_size"] == 0
    assert AuditEvent.objects.filter(target_id=str(mailing.pk), action="create", actor_label="bob@example.org").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (mailing_body(variants=[]), "variants"),
        (mailing_body(title=""), "title"),
        (mailing_body(variants=[variant("es")]), "default_language"),
        (mailing_body(variants=[variant("en"), variant("en")]), "variants"),
        (mailing_body(variants=[variant("fr")]), "variants"),
        (mailing_body(variants=[variant("en", subject="")]), "variants"),
        (mailing_body(variants=[variant("en", text="Hi {{ email }}")]), "variants.0"),
        (mailing_body(variants=[variant("en", subject="Hi\nthere")]), "variants.0"),
        (mailing_body(rate_per_minute=0), "rate_per_minute"),
        (mailing_body(audience="everybody"), "audience"),
        (mailing_body(place=999999), "place"),
        (mailing_body(signed_after="yesterday"), "signed_after"),
        (mailing_body(default_language="de"), "default_language"),
    ],
)
def test_it_answers_400_naming_the_field_and_saves_nothing(editor, petition, body, field):
    response = editor.post(MAILINGS, body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert not Mailing.objects.exists()
    assert not MailingVariant.objects.exists()


def test_it_refuses_a_hostile_template_in_any_part(editor, petition):
    for part in ("subject", "text", "html"):
        response = editor.post(
            MAILINGS, mailing_body(variants=[variant("en", **{part: HOSTILE})]), content_type="application/json"
        )

        assert response.status_code == 400, part
        problems = response.json()["fields"]["variants.0"]
        assert any("settings.SECRET_KEY" in problem for problem in problems)
        assert any("Template tags" in problem for problem in problems)
    assert not Mailing.objects.exists()


def test_it_never_evaluates_organizer_text_even_if_it_got_into_the_database(editor, ring, petition):
    mailing = created(editor.post(MAILINGS, mailing_body(), content_type="application/json"))
    MailingVariant.objects.filter(mailing=mailing, language="en").update(subject=HOSTILE, text=HOSTILE, html=HOSTILE)

    preview = editor.get(f"{MAILINGS}{mailing.pk}/preview/").json()

    for part in ("subject", "text"):
        assert "{% debug %}" in preview[part]
        assert "{{ settings.SECRET_KEY }}" in preview[part]
    assert "{% debug %}" in preview["html"]
    every_part = preview["subject"] + preview["text"] + preview["html"]
    assert settings.SECRET_KEY not in every_part
    assert "sql_queries" not in every_part  # what {% debug %} would have dumped


def test_it_removes_scripts_handlers_and_images_from_html(editor, petition):
    html = (
        '<p onclick="steal()">Hello {{ first_name }}</p><script>alert(1)</script>'
        '<img src="https://tracker.example/p.gif"><a href="javascript:alert(1)">x</a>'
        '<a href="https://example.org/agenda">agenda</a>'
    )
    mailing = created(
        editor.post(MAILINGS, mailing_body(variants=[variant("en", html=html)]), content_type="application/json")
    )

    stored = mailing.variants.get(language="en").html
    assert "onclick" not in stored
    assert "<script" not in stored
    assert "<img" not in stored
    assert "javascript:" not in stored
    assert 'href="https://example.org/agenda"' in stored


def test_it_previews_each_language_with_sample_values_and_falls_back(editor, petition, bloomfield):
    mailing = created(editor.post(MAILINGS, mailing_body(place=bloomfield.pk), content_type="application/json"))

    spanish = editor.get(f"{MAILINGS}{mailing.pk}/preview/", {"language": "es"}).json()
    default = editor.get(f"{MAILINGS}{mailing.pk}/preview/").json()

    assert spanish["language"] == "es"
    assert spanish["subject"] == "Noticias de Bloomfield"
    assert "Hola Dana, el concejo se reúne." in spanish["text"]
    assert "Hola Dana, el concejo se reúne." in spanish["html"]
    assert default["language"] == "en"
    assert default["subject"] == "News from Bloomfield"


def test_it_answers_400_to_a_preview_in_an_unknown_language(editor, petition):
    mailing = created(editor.post(MAILINGS, mailing_body(), content_type="application/json"))

    response = editor.get(f"{MAILINGS}{mailing.pk}/preview/", {"language": "klingon"})

    assert response.status_code == 400
    assert "language" in response.json()["fields"]


def test_it_sends_a_test_to_the_organizer_alone(
    editor, petition, bloomfield, mailoutbox, django_capture_on_commit_callbacks
):
    mailing = created(editor.post(MAILINGS, mailing_body(place=bloomfield.pk), content_type="application/json"))

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(f"{MAILINGS}{mailing.pk}/test/", {"language": "es"}, content_type="application/json")

    assert response.status_code == 202
    [mail] = mailoutbox
    assert mail.to == ["bob@example.org"]
    # Marked as a test (in the organizer's language, once translated), then the Spanish subject.
    assert mail.subject.endswith(" Noticias de Bloomfield")
    assert "Hola Dana" in mail.body
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mailing.refresh_from_db()
    assert mailing.state == Mailing.State.DRAFT


def test_it_changes_a_draft_and_keeps_what_the_patch_leaves_out(editor, petition, maywood):
    mailing = created(editor.post(MAILINGS, mailing_body(), content_type="application/json"))

    response = editor.patch(
        f"{MAILINGS}{mailing.pk}/", {"place": maywood.pk, "title": "Maywood meeting"}, content_type="application/json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Maywood meeting"
    assert response.json()["place"] == maywood.pk
    assert [v["language"] for v in response.json()["variants"]] == ["en", "es"]


def test_it_refuses_a_bad_patch_and_keeps_the_draft(editor, petition):
    mailing = created(editor.post(MAILINGS, mailing_body(), content_type="application/json"))

    response = editor.patch(
        f"{MAILINGS}{mailing.pk}/",
        {"title": "New", "variants": [variant("en", text="{{ password }}")]},
        content_type="application/json",
    )

    assert response.status_code == 400
    mailing.refresh_from_db()
    assert mailing.title == "Council meeting"
    assert mailing.variants.count() == 2


def test_it_deletes_a_draft(editor, petition):
    mailing = created(editor.post(MAILINGS, mailing_body(), content_type="application/json"))

    assert editor.delete(f"{MAILINGS}{mailing.pk}/").status_code == 204
    assert not Mailing.objects.exists()
