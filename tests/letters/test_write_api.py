"""Writing through the API and the page: 202 whatever the address; 400 with field messages, nothing written."""

from __future__ import annotations

from typing import Any

import pytest

from campaigns.models import Letter, LettersSee
from emails.models import OutboundMessage
from supporters.models import Confirmation, Supporter
from tests.letters.conftest import BLOOMFIELD_ZIP, PAGE_URL, TEMPLATE, WRITE_URL


def writer(**fields: Any) -> dict[str, Any]:
    return {"email": "dana@example.org", "name": "Dana Scully", "zip": BLOOMFIELD_ZIP, "text": TEMPLATE, **fields}


@pytest.fixture
def post(api_client: Any, drive: Any, django_capture_on_commit_callbacks: Any) -> Any:
    def send(body: dict[str, Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return api_client.post(WRITE_URL, body, format="json")

    return send


def nothing_written() -> bool:
    return not (
        Letter.objects.exists()
        or Supporter.objects.exists()
        or Confirmation.objects.exists()
        or OutboundMessage.objects.exists()
    )


def test_it_takes_a_letter_and_mails_the_confirmation(post, mailoutbox, officials):
    response = post(writer(officials_see=LettersSee.NAME_ADDRESS, street_address="1 Main St", email_updates=True))

    assert response.status_code == 202
    assert response.json() == {"detail": "Check your e-mail to confirm your letter. It goes out once you confirm."}
    letter = Letter.objects.get()
    assert (letter.place.name, letter.officials_see, letter.email_updates) == ("Bloomfield", "name_address", True)
    assert letter.body == TEMPLATE
    assert [mail.to for mail in mailoutbox] == [["dana@example.org"]]
    assert "send your letter" in mailoutbox[0].body


def test_it_answers_a_second_letter_from_the_same_address_alike(post, mailoutbox, officials):
    first = post(writer())
    second = post(writer(text=TEMPLATE + "\nAnd another thing."))
    assert first.status_code == second.status_code == 202
    assert first.json() == second.json()
    assert Letter.objects.get().body.endswith("And another thing.")


BAD_INPUT = [
    pytest.param({"email": "not-an-address"}, "email", id="bad e-mail"),
    pytest.param({"name": ""}, "name", id="empty name"),
    pytest.param({"name": "x" * 101}, "name", id="name too long"),
    pytest.param({"name": "Dana\u202eScully"}, "name", id="bidi override in the name"),
    pytest.param({"text": "short"}, "text", id="letter too short"),
    pytest.param({"text": "x" * 5001}, "text", id="letter too long"),
    pytest.param({"text": TEMPLATE + "\x00"}, "text", id="NUL in the letter"),
    pytest.param({"text": ["a list"]}, "text", id="letter not text"),
    pytest.param({"zip": "7003"}, "zip", id="four-digit ZIP"),
    pytest.param({"zip": "90210"}, "zip", id="ZIP of no tracked place"),
    pytest.param({"place": 0}, "place", id="place id zero"),
    pytest.param({"officials_see": "count"}, "officials_see", id="a count is no letter"),
    pytest.param({"officials_see": LettersSee.NAME_ADDRESS}, "street_address", id="address choice without one"),
    pytest.param({"email_updates": "perhaps"}, "email_updates", id="email_updates not a boolean"),
]


@pytest.mark.parametrize(("change", "field"), BAD_INPUT)
def test_it_answers_bad_input_with_field_messages_and_writes_nothing(post, mailoutbox, change, field):
    response = post(writer(**change))

    body = response.json()
    assert response.status_code == 400, body
    assert list(body["fields"]) == [field]
    assert all(isinstance(message, str) and message for message in body["fields"][field])
    assert nothing_written()
    assert mailoutbox == []


def test_it_refuses_an_oversized_body_unread(api_client, drive):
    response = api_client.post(WRITE_URL, writer(text="x" * 40_000), format="json")
    assert response.status_code == 413
    assert nothing_written()


def test_it_answers_a_filled_honeypot_as_a_writer_but_records_nothing(post, mailoutbox):
    response = post(writer(website="http://spam.example"))
    assert response.status_code == 202
    assert nothing_written() and mailoutbox == []


def test_it_refuses_letters_to_a_closed_drive(post, drive):
    drive.is_open = False
    drive.save()
    assert post(writer()).status_code == 409
    assert nothing_written()


def test_it_limits_letters_per_address(post, settings, officials):
    settings.SIGNATURES_PER_ADDRESS = "2/hour"
    assert [post(writer()).status_code for _ in range(3)] == [202, 202, 429]


def test_it_shows_the_drive_with_its_template_and_count(api_client, drive):
    body = api_client.get("/api/v1/campaigns/ring/letters/end-ring/").json()
    assert body["text"] == TEMPLATE
    assert body["count"] == 0
    assert "{{ official_name }}" in body["placeholders"]
    assert "public records" in body["public_record_notice"]


def test_the_page_prefills_the_letter_and_says_letters_may_become_public(client, drive):
    page = client.get(PAGE_URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert "may become public records" in html
    assert "Dear {{ official_name }}," in html  # the template, as text in the textarea


def test_the_page_takes_a_letter(client, drive, officials, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAGE_URL, {**writer(), "officials_see": "name_city"})
    assert response.status_code == 302
    assert response["Location"] == "/campaigns/ring/letters/end-ring/sent/"
    assert Letter.objects.count() == 1
    assert [mail.to for mail in mailoutbox] == [["dana@example.org"]]
    assert client.get(response["Location"]).status_code == 200


def test_the_page_records_a_shared_links_referrer(client, drive, officials):
    page = client.get(f"{PAGE_URL}?ref=tenants-union").content.decode()
    client.post(PAGE_URL, {**writer(), "officials_see": "name_city", "referrer": "tenants-union"})

    assert 'name="referrer" value="tenants-union"' in page
    assert Letter.objects.get().referrer == "tenants-union"
    assert 'name="referrer" value=' not in client.get(f"{PAGE_URL}?ref=not%20a%20code").content.decode()


def test_the_page_shows_field_errors_and_writes_nothing(client, drive):
    response = client.post(PAGE_URL, {**writer(text="<b>hi</b>"), "officials_see": "name_city"})
    assert response.status_code == 400
    assert "&lt;b&gt;hi&lt;/b&gt;" in response.content.decode()
    assert nothing_written()
