"""Abuse: a honeypot answered as a signer, throwaway addresses held for an organizer, limits per network and address."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import redis
from django.test import Client
from rest_framework.test import APIClient

from campaigns import tallies
from campaigns.disposable import DISPOSABLE_DOMAIN, is_disposable
from campaigns.models import Petition, Review, Signature
from emails.models import OutboundMessage
from supporters.models import Supporter
from tests.petitions.conftest import PAGE_URL, SIGN_URL, signer
from tests.petitions.test_challenges import solve
from tests.petitions.test_redis_down import cache_at, closed_port
from tests.petitions.test_sign_api import ACCEPTED, confirm_by_mail
from tests.web.pages import parse

pytestmark = pytest.mark.usefixtures("petition", "tracked")


@pytest.fixture
def post(django_capture_on_commit_callbacks: Any) -> Any:
    def send(body: Any, *, ip: str = "203.0.113.7") -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return APIClient(REMOTE_ADDR=ip).post(SIGN_URL, body, format="json")

    return send


def test_it_answers_a_filled_honeypot_as_a_signer_but_records_and_mails_nothing(post, mailoutbox):
    human = post(signer(email="fox@example.org"))
    bot = post(signer(website="https://cheap-pills.example"))

    assert (bot.status_code, bot.content) == (human.status_code, human.content)
    assert bot.json() == ACCEPTED
    assert "sessionid" in bot.cookies
    assert Supporter.objects.count() == Signature.objects.count() == 1
    assert [mail.to for mail in mailoutbox] == [["fox@example.org"]]


def test_it_answers_a_filled_honeypot_as_a_signer_even_when_the_rest_is_junk(post):
    response = post({"website": "x", "email": "not an address"})

    assert (response.status_code, response.json()) == (202, ACCEPTED)
    assert not Signature.objects.exists()


def test_it_holds_a_throwaway_address_for_an_organizer_instead_of_counting_it(post, client, mailoutbox):
    response = post(signer(email="dana@eu.mailinator.com"))
    confirm_by_mail(client, mailoutbox[0])

    signature = Signature.objects.get()
    assert response.json() == ACCEPTED  # the signer is told nothing different
    assert (signature.review, signature.flags) == (Review.HELD, [DISPOSABLE_DOMAIN])
    assert signature.confirmed_at is not None
    assert tallies.petition_count(Petition.objects.get()) == 0


@pytest.mark.parametrize(
    ("address", "disposable"),
    [
        ("a@mailinator.com", True),
        ("a@MAILINATOR.com.", True),
        ("a@sub.guerrillamail.com", True),
        ("a@example.org", False),
        ("a@gmail.com", False),
        ("a@com", False),
    ],
)
def test_it_recognises_throwaway_domains_and_their_subdomains(address, disposable):
    assert is_disposable(address) is disposable


def test_it_limits_signatures_per_client_address(post, settings):
    settings.SIGNATURES_PER_IP = "2/hour"

    answers = [post(signer(email=f"s{n}@example.org")).status_code for n in range(3)]
    other_network = post(signer(email="s3@example.org"), ip="198.51.100.9")

    assert answers == [202, 202, 429]
    assert other_network.status_code == 202
    assert Signature.objects.count() == 3


def test_it_limits_signatures_per_address_however_it_is_spelled(post, settings):
    settings.SIGNATURES_PER_ADDRESS = "2/hour"
    spellings = ["dana.scully@gmail.com", "DanaScully+ring@gmail.com", "d.a.n.a.scully@googlemail.com"]

    answers = [post(signer(email=email), ip=f"198.51.100.{n}") for n, email in enumerate(spellings)]
    someone_else = post(signer(email="fox@example.org"), ip="198.51.100.99")

    assert [a.status_code for a in answers] == [202, 202, 429]
    assert answers[2].json()["code"] == "throttled"
    assert int(answers[2]["Retry-After"]) > 0
    assert someone_else.status_code == 202


def test_it_counts_the_page_and_the_api_against_the_same_limit(post, settings):
    settings.SIGNATURES_PER_IP = "1/hour"
    post(signer(), ip="203.0.113.50")

    page = Client(REMOTE_ADDR="203.0.113.50").post(PAGE_URL, {**signer(email="fox@example.org")})

    assert page.status_code == 429
    assert "Too many signatures" in page.text
    assert 'value="fox@example.org"' in page.text  # what they typed is kept
    assert Signature.objects.count() == 1


def test_it_lets_signers_through_when_the_cache_is_down_and_says_so_in_the_log(post, settings, monkeypatch, caplog):
    commands = []
    execute = redis.Redis.execute_command

    def counted(client: redis.Redis, *args: Any, **options: Any) -> Any:
        commands.append(args[0])
        return execute(client, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)
    caplog.set_level(logging.WARNING, logger="backend.api.throttles")

    with cache_at(settings, f"redis://127.0.0.1:{closed_port()}/0"):  # connections refused
        response = post(signer())

    assert response.status_code == 202
    assert Signature.objects.count() == 1
    assert OutboundMessage.objects.count() == 1
    assert commands == ["EVALSHA"]  # both limits in one command, tried once
    assert "signatures_ip, signatures_address: cache unreachable" in caplog.text


def test_it_asks_for_the_proof_of_work_when_it_is_on_and_takes_a_solved_one(post, settings):
    settings.SIGNING_PROOF_OF_WORK_BITS = 4
    challenge = APIClient().get("/api/v1/petitions/challenge/").json()

    unsolved = post(signer())
    solved = post(signer(challenge_token=challenge["token"], challenge_counter=solve(challenge["token"], 4)))

    assert unsolved.status_code == 400
    assert list(unsolved.json()["fields"]) == ["challenge"]
    assert solved.status_code == 202
    assert Signature.objects.count() == 1


def test_it_shows_the_challenges_on_the_page_only_when_they_are_on(client, settings):
    plain = parse(client.get(PAGE_URL))
    settings.SIGNING_PROOF_OF_WORK_BITS = 4
    settings.CAPTCHA_PROVIDER, settings.CAPTCHA_SITE_KEY = "turnstile", "site-key"
    guarded = parse(client.get(PAGE_URL))

    assert not [e for e in plain.all("form") if "data-proof-of-work" in e.attrs]
    assert not [e for e in plain.all("script") if e.attrs.get("src")]
    (form,) = [e for e in guarded.all("form") if "data-proof-of-work" in e.attrs]
    assert form.attrs["data-proof-of-work"] == "/api/v1/petitions/challenge/"
    assert [e.attrs["data-sitekey"] for e in guarded.all("div") if e.attrs.get("class") == "cf-turnstile"] == [
        "site-key"
    ]
    sources = {e.attrs.get("src") for e in guarded.all("script")}
    assert "https://challenges.cloudflare.com/turnstile/v0/api.js" in sources


def test_it_shows_a_failed_challenge_on_the_page_as_an_error_of_the_whole_form(settings):
    settings.SIGNING_PROOF_OF_WORK_BITS = 4

    response = Client().post(PAGE_URL, {**signer(), "officials_see": "count"})

    assert response.status_code == 400
    assert "anti-bot check" in response.text
    assert not Signature.objects.exists()
