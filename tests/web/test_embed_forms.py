"""The sign and write forms in a partner's frame: framed only by the campaign's partners, no cookie
set or needed, a signed form token instead of CSRF, and the full pages' rules and messages."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from campaigns.challenges import proof_of_work
from campaigns.models import EmbedOrigin, Letter, Signature
from supporters.models import Supporter
from tests.petitions.test_challenges import solve
from tests.web.embed_world import PARTNER, SIGN_FRAME, WRITE_FRAME, World, make_world, signer, writer
from tests.web.pages import csp_directives, parse
from web.embeds import form_tokens

# What a browser sends from a frame on another site: no cookie, and it says so.
CROSS_SITE: dict[str, Any] = {
    "HTTP_ORIGIN": PARTNER,
    "HTTP_SEC_FETCH_SITE": "cross-site",
    "HTTP_SEC_FETCH_DEST": "iframe",
}


@pytest.fixture
def world(db: Any) -> World:
    return make_world()


@pytest.fixture
def frame() -> Client:
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def send(frame: Client, django_capture_on_commit_callbacks: Any) -> Any:
    """Loads the frame, then posts its form with the token it carries, as the browser would."""

    def post(url: str, fields: dict[str, str], *, token: str | None = None) -> Any:
        if token is None:
            token = token_in(frame.get(url))
        with django_capture_on_commit_callbacks(execute=True):
            return frame.post(url, {form_tokens.TOKEN_FIELD: token, **fields}, **CROSS_SITE)

    return post


def token_in(response: Any) -> str:
    (token,) = [e.attrs["value"] for e in parse(response).all("input") if e.attrs.get("name") == "form_token"]
    return str(token)


def nothing_written() -> bool:
    return not (Signature.objects.exists() or Letter.objects.exists() or Supporter.objects.exists())


@pytest.mark.parametrize("url", [SIGN_FRAME, WRITE_FRAME, f"{SIGN_FRAME}signed/", f"{WRITE_FRAME}sent/"])
def test_only_the_campaigns_partners_may_frame_it(world, frame, url):
    EmbedOrigin.objects.create(campaign=world.campaign, origin="http://localhost:8001")

    response = frame.get(url)

    directives = csp_directives(response)
    assert response.status_code == 200
    assert directives["frame-ancestors"] == ["http://localhost:8001", PARTNER]
    assert "X-Frame-Options" not in response
    # Everything else stays as strict as the site's.
    assert directives["script-src"][0] == "'self'" and directives["default-src"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]


def test_a_campaign_without_partners_may_be_framed_by_no_one(world, frame):
    EmbedOrigin.objects.all().delete()

    response = frame.get(SIGN_FRAME)

    assert csp_directives(response)["frame-ancestors"] == ["'none'"]


def test_another_campaigns_partners_do_not_count(world, frame):
    other = type(world.campaign).objects.create(slug="other", title="Other", is_public=True)
    EmbedOrigin.objects.create(campaign=other, origin="https://other.example.org")

    assert csp_directives(frame.get(SIGN_FRAME))["frame-ancestors"] == [PARTNER]


@pytest.mark.parametrize(
    "url",
    [
        "/embed/campaigns/nope/petitions/end-ring/",
        "/embed/campaigns/ring/petitions/nope/",
        "/embed/campaigns/ring/letters/nope/",
        "/embed/campaigns/ring/places/999999/",
    ],
)
def test_unknown_things_are_not_found(world, frame, url):
    assert frame.get(url).status_code == 404


def test_a_draft_campaigns_frames_are_not_found(world, frame):
    world.campaign.is_public = False
    world.campaign.save()

    for url in (SIGN_FRAME, WRITE_FRAME, world.card):
        assert frame.get(url).status_code == 404


def test_the_frame_has_no_site_chrome_no_csrf_token_and_a_labelled_form(world, frame):
    response = frame.get(f"{SIGN_FRAME}?ref=partner")

    page = parse(response)
    labelled = {label.attrs.get("for") for label in page.all("label")}
    fields = {e.attrs.get("name"): e.attrs for e in page.all("input") + page.all("textarea")}
    assert "csrfmiddlewaretoken" not in response.text
    assert "language-form" not in response.text
    for name in ("name", "email", "zip", "comment"):
        assert fields[name]["id"] in labelled
    assert fields["referrer"]["value"] == "partner"
    assert not [e for e in page.elements if "style" in e.attrs]
    # Every link leaves the frame: the site itself refuses to be framed.
    assert all(a.attrs.get("target") == "_blank" for a in page.all("a"))


def test_signing_in_a_frame_sets_and_needs_no_cookie(world, frame, send, mailoutbox):
    shown = frame.get(f"{SIGN_FRAME}?ref=partner")
    response = send(f"{SIGN_FRAME}?ref=partner", signer(referrer="partner"), token=token_in(shown))

    assert not shown.cookies and not response.cookies
    assert not frame.cookies
    assert (response.status_code, response["Location"]) == (302, f"{SIGN_FRAME}signed/")
    signature = Signature.objects.get()
    assert (signature.referrer, signature.place, signature.confirmed_at) == ("partner", world.bloomfield, None)
    assert [message.to for message in mailoutbox] == [["dana@example.org"]]
    thanks = frame.get(response["Location"])
    assert "Check your e-mail to confirm your signature." in thanks.text
    assert not thanks.cookies


def test_writing_in_a_frame_records_the_referrer_and_mails_the_confirmation(world, frame, send, mailoutbox):
    response = send(f"{WRITE_FRAME}?ref=partner", writer(referrer="partner"))

    assert (response.status_code, response["Location"]) == (302, f"{WRITE_FRAME}sent/")
    assert not response.cookies and not frame.cookies
    letter = Letter.objects.get()
    assert (letter.referrer, letter.place) == ("partner", world.bloomfield)
    assert len(mailoutbox) == 1
    assert "Check your e-mail to confirm your letter." in frame.get(response["Location"]).text


def test_the_write_frame_starts_from_the_drives_letter(world, frame):
    response = frame.get(WRITE_FRAME)

    assert "I live in {{ place }}" in response.text
    assert "may become public records" in response.text


def test_an_invalid_referrer_in_the_frame_url_is_dropped(world, frame):
    fields = {e.attrs.get("name"): e.attrs for e in parse(frame.get(f"{SIGN_FRAME}?ref=<bad>")).all("input")}

    assert fields["referrer"].get("value") in (None, "")


@pytest.mark.parametrize("token", ["", "garbage", "1:abc:def"])
def test_a_missing_or_tampered_token_writes_nothing_and_says_so(world, send, mailoutbox, token):
    response = send(SIGN_FRAME, signer(), token=token)

    assert response.status_code == 400
    assert "This form could not be checked, so nothing was sent." in response.text
    assert 'value="dana@example.org"' in response.text
    assert nothing_written() and not mailoutbox
    assert not response.cookies


def test_a_token_for_another_drive_or_kind_is_refused(world, send):
    other_petition = form_tokens.issue(form_tokens.FormKind.SIGN, world.petition.pk + 1)
    letter_kind = form_tokens.issue(form_tokens.FormKind.WRITE, world.petition.pk)

    assert send(SIGN_FRAME, signer(), token=other_petition).status_code == 400
    assert send(SIGN_FRAME, signer(), token=letter_kind).status_code == 400
    assert nothing_written()


def test_an_expired_token_asks_to_send_again_and_keeps_what_was_typed(world, frame, send, mailoutbox):
    with time_machine.travel("2026-01-01 10:00", tick=False):
        token = token_in(frame.get(SIGN_FRAME))
    with time_machine.travel("2026-01-01 12:01", tick=False):
        response = send(SIGN_FRAME, signer(comment="Please end it."), token=token)
        fresh = token_in(response)

    assert response.status_code == 400
    assert "This form was open for too long" in response.text
    assert 'value="dana@example.org"' in response.text and "Please end it." in response.text
    assert nothing_written() and not mailoutbox
    assert fresh != token
    with time_machine.travel("2026-01-01 12:02", tick=False):
        assert send(SIGN_FRAME, signer(), token=fresh).status_code == 302


def test_bad_input_shows_field_messages_and_writes_nothing(world, send, mailoutbox):
    response = send(SIGN_FRAME, signer(email="not an address", zip="123"))

    assert response.status_code == 400
    assert "There are 2 problems with what you entered" in response.text
    assert "Enter a valid email address." in response.text
    assert "Give a five-digit ZIP code" in response.text
    assert nothing_written() and not mailoutbox
    assert not response.cookies


def test_bad_letter_input_shows_field_messages_and_writes_nothing(world, send):
    response = send(WRITE_FRAME, writer(text="Too short"))

    assert response.status_code == 400
    assert "Ensure this value has at least 20 characters" in response.text
    assert nothing_written()


def test_the_honeypot_is_answered_as_a_signer_and_records_nothing(world, send, mailoutbox):
    response = send(SIGN_FRAME, signer(website="https://spam.example"))

    assert response.status_code == 302
    assert nothing_written() and not mailoutbox


def test_the_frames_share_the_full_pages_throttle(world, send, settings):
    settings.SIGNATURES_PER_ADDRESS = "1/hour"
    assert send(SIGN_FRAME, signer()).status_code == 302

    response = send(SIGN_FRAME, signer())

    assert response.status_code == 429
    assert "Too many signatures from your network or for this address." in response.text
    assert Signature.objects.count() == 1


def test_a_closed_petition_says_so_in_the_frame(world, frame, send):
    token = token_in(frame.get(SIGN_FRAME))
    world.petition.is_open = False
    world.petition.save()

    response = send(SIGN_FRAME, signer(), token=token)

    assert response.status_code == 409
    assert "This petition is closed" in response.text
    assert nothing_written()


def test_an_oversized_body_is_refused_before_the_token_is_read(world, frame):
    response = frame.post(SIGN_FRAME, {"comment": "x" * 20_000}, **CROSS_SITE)

    assert response.status_code == 413


def test_the_frames_ask_the_same_proof_of_work_as_the_full_pages(world, frame, send, settings):
    settings.SIGNING_PROOF_OF_WORK_BITS = 8
    shown = frame.get(SIGN_FRAME)
    (form,) = [f for f in parse(shown).all("form") if f.attrs.get("class") == "sign-form"]
    challenge = proof_of_work.issue_challenge()

    unsolved = send(SIGN_FRAME, signer(), token=token_in(shown))
    solved = send(SIGN_FRAME, signer(challenge_token=challenge.token, challenge_counter=solve(challenge.token, 8)))

    assert form.attrs["data-proof-of-work"] == "/api/v1/petitions/challenge/"
    assert "web/proof_of_work.js" in shown.text
    assert unsolved.status_code == 400 and "turn on JavaScript" in unsolved.text
    assert solved.status_code == 302
    assert Signature.objects.count() == 1
