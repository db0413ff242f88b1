"""Writing is limited per network and per address, on the page and through the API alike (429)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from campaigns.models import Letter
from tests.letters.conftest import BLOOMFIELD_ZIP, PAGE_URL, TEMPLATE, WRITE_URL


def writer(email: str) -> dict[str, Any]:
    return {"email": email, "name": "Dana Scully", "zip": BLOOMFIELD_ZIP, "text": TEMPLATE}


def test_it_limits_letters_per_client_address(api_client, drive, officials, settings):
    settings.SIGNATURES_PER_IP = "2/hour"

    answers = [
        api_client.post(WRITE_URL, writer(f"w{n}@example.org"), format="json", REMOTE_ADDR="203.0.113.7")
        for n in range(3)
    ]
    other_network = api_client.post(WRITE_URL, writer("w3@example.org"), format="json", REMOTE_ADDR="198.51.100.9")

    assert [answer.status_code for answer in answers] == [202, 202, 429]
    assert answers[2].json()["code"] == "throttled"
    assert int(answers[2]["Retry-After"]) > 0
    assert other_network.status_code == 202
    assert Letter.objects.count() == 3


def test_it_counts_the_page_and_the_api_against_the_same_limit(api_client, drive, officials, settings):
    settings.SIGNATURES_PER_ADDRESS = "1/hour"
    api_client.post(WRITE_URL, writer("dana@example.org"), format="json", REMOTE_ADDR="203.0.113.8")

    page = Client(REMOTE_ADDR="198.51.100.10").post(PAGE_URL, writer("Dana@Example.org"))

    assert page.status_code == 429
    assert 'value="Dana@Example.org"' in page.text  # what they typed is kept
    assert Letter.objects.count() == 1
