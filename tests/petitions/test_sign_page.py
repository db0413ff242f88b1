"""The petition page: read it, sign it without JavaScript, see errors next to their fields."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from campaigns.models import Petition, Place, Review, Signature
from campaigns.tracker import track_place
from supporters.models import Supporter
from tests.petitions.conftest import PAGE_URL, signer
from tests.petitions.test_sign_api import confirm_by_mail
from tests.web.pages import parse

pytestmark = pytest.mark.usefixtures("petition", "tracked")
SIGNED_URL = f"{PAGE_URL}signed/"


@pytest.fixture
def submit(django_capture_on_commit_callbacks: Any) -> Any:
    """Submits the form as a browser would: with the page's CSRF token, as a new visit."""

    def send(fields: dict[str, Any], *, client: Client | None = None) -> Any:
        browser = client or Client(enforce_csrf_checks=True)
        page = parse(browser.get(PAGE_URL))
        (token,) = [e.attrs["value"] for e in page.all("input") if e.attrs.get("name") == "csrfmiddlewaretoken"][-1:]
        with django_capture_on_commit_callbacks(execute=True):
            # The radio button checked when the page loads is sent too.
            return browser.post(PAGE_URL, {"csrfmiddlewaretoken": token, "officials_see": "count", **fields})

    return send


def form_fields(response: Any) -> dict[str, Any]:
    page = parse(response)
    assert len([f for f in page.all("form") if f.attrs.get("class") == "sign-form"]) == 1
    return {str(e.attrs.get("name")): e.attrs for e in page.all("input") + page.all("textarea") + page.all("select")}


def test_it_shows_the_petition_its_count_and_a_labelled_form(client):
    response = client.get(PAGE_URL)

    page = parse(response)
    labelled = {str(label.attrs.get("for")) for label in page.all("label")}
    fields = form_fields(response)
    assert response.status_code == 200
    assert "End the Ring partnership" in response.text
    assert "We ask our council to end it." in response.text
    assert "0 confirmed signatures" in response.text
    for name in ("name", "email", "zip", "comment", "show_name", "email_updates", "street_address", "website"):
        assert fields[name]["id"] in labelled, name
    assert "Show my first name and last initial publicly" in response.text
    assert "E-mail me updates about this campaign" in response.text
    assert "My name and full street address" in response.text
    assert Petition.objects.get().consent_version in response.text
    assert "csrfmiddlewaretoken" in fields


def test_it_hides_the_honeypot_from_people_with_the_stylesheet_not_inline_styles(client):
    page = parse(client.get(PAGE_URL))

    (trap,) = [e for e in page.all("div") if e.attrs.get("class") == "hp-field"]
    website = next(e for e in page.all("input") if e.attrs.get("name") == "website")
    assert trap.attrs["aria-hidden"] == "true"
    assert website.attrs["tabindex"] == "-1"
    assert not [e for e in page.elements if "style" in e.attrs]


def test_it_signs_and_sends_the_signer_to_a_page_saying_to_check_their_mail(submit, mailoutbox, bloomfield):
    response = submit(signer(show_name="on", officials_see="name_city"))

    assert (response.status_code, response["Location"]) == (302, SIGNED_URL)
    thanks = Client().get(SIGNED_URL)
    assert "Check your e-mail to confirm your signature." in thanks.text
    signature = Signature.objects.get()
    assert (signature.place, signature.show_name, signature.officials_see) == (bloomfield, True, "name_city")
    assert len(mailoutbox) == 1


def test_it_shows_each_error_next_to_its_field_and_writes_nothing(submit):
    response = submit(signer(email="dana@", name="", zip="7003"))

    page = parse(response)
    fields = form_fields(response)
    assert response.status_code == 400
    for name in ("email", "name", "zip"):
        attrs = fields[name]
        assert attrs["aria-invalid"] == "true"
        error_id = f"{attrs['id']}_error"
        assert error_id in str(attrs["aria-describedby"]).split()
        assert page.by_id(error_id), f"no error list for {name}"
    assert fields["email"]["value"] == "dana@"  # what they typed stays
    assert not Signature.objects.exists()
    assert not Supporter.objects.exists()


def test_each_summary_link_leads_to_an_element_that_takes_focus(submit):
    response = submit(signer(name="", officials_see="everything"))

    page = parse(response)
    targets = [str(a.attrs["href"])[1:] for a in page.all("a") if str(a.attrs.get("href", "")).startswith("#id_")]
    assert response.status_code == 400
    assert sorted(targets) == ["id_name", "id_officials_see_0"]  # a radio group's first radio, not its wrapper
    assert [[element.tag for element in page.by_id(target)] for target in targets] == [["input"], ["input"]]


def test_it_asks_for_the_street_address_only_when_officials_may_see_it(submit):
    response = submit(signer(officials_see="name_address"))

    fields = form_fields(response)
    assert response.status_code == 400
    assert fields["street_address"]["aria-invalid"] == "true"
    assert "Give your street address" in response.text


def test_it_refuses_a_post_without_the_csrf_token():
    response = Client(enforce_csrf_checks=True).post(PAGE_URL, signer())

    assert response.status_code == 403
    assert not Signature.objects.exists()


def test_it_offers_the_places_of_a_zip_code_that_covers_several(submit, ring, bloomfield):
    essex = Place.objects.create(
        ocd_id="ocd-division/country:us/state:nj/county:essex", name="Essex County", kind="county", state="NJ"
    )
    track_place(campaign=ring, place=essex, actor=None, via="test")
    browser = Client(enforce_csrf_checks=True)

    ambiguous = submit(signer(), client=browser)
    page = parse(ambiguous)
    options = {e.attrs.get("value") for e in page.all("option")}
    chosen = submit(signer(place=str(essex.pk)), client=browser)

    assert ambiguous.status_code == 400
    assert "Your ZIP code covers more than one town: choose yours." in ambiguous.text
    assert {str(bloomfield.pk), str(essex.pk)} <= options
    assert chosen.status_code == 302
    assert Signature.objects.get().place == essex


def test_it_answers_a_filled_honeypot_as_a_signer_and_records_nothing(submit, mailoutbox):
    response = submit(signer(website="https://spam.example"))

    assert (response.status_code, response["Location"]) == (302, SIGNED_URL)
    assert not Signature.objects.exists()
    assert mailoutbox == []


def test_it_says_a_closed_petition_is_closed_and_takes_no_signature(client):
    Petition.objects.update(is_open=False)

    shown = client.get(PAGE_URL)
    posted = Client().post(PAGE_URL, signer())

    assert "This petition is closed" in shown.text
    assert not [f for f in parse(shown).all("form") if f.attrs.get("class") == "sign-form"]
    assert posted.status_code == 409
    assert not Signature.objects.exists()


def test_it_records_the_shared_links_referrer(submit, client):
    browser = Client(enforce_csrf_checks=True)
    fields = form_fields(browser.get(f"{PAGE_URL}?ref=mastodon"))
    submit(signer(referrer=fields["referrer"]["value"]), client=browser)

    assert fields["referrer"]["type"] == "hidden"
    assert Signature.objects.get().referrer == "mastodon"
    assert not form_fields(client.get(f"{PAGE_URL}?ref=<script>"))["referrer"].get("value")


def test_it_shows_the_count_and_consenting_signers_once_confirmed(submit, client, mailoutbox):
    submit(signer(name="Dana Scully", show_name="on"))
    submit(signer(email="fox@example.org", name="Fox Mulder"))
    for mail in mailoutbox:
        confirm_by_mail(client, mail)

    page = Client().get(PAGE_URL)

    assert "2 confirmed signatures" in page.text
    assert "Dana S., Bloomfield" in page.text
    assert "Fox" not in page.text
    assert "@" not in page.text.split("<footer")[0].split("signers-heading")[1]
    assert Signature.objects.filter(review=Review.ACCEPTED).count() == 2


def test_it_links_each_petition_from_the_home_page(client):
    page = parse(client.get("/"))

    assert PAGE_URL in page.urls()
