"""Anti-bot checks before signing: proof of work and a captcha, each off until configured."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import runpy
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import override_settings

from campaigns.challenges import captcha, check_signing_challenge, proof_of_work
from campaigns.models import Review
from tests.backend.test_settings_switches import SETTINGS_FILE, production
from tests.petitions.conftest import sign
from tests.petitions.siteverify import closed_port_url, siteverify

ROOT = Path(__file__).resolve().parents[2]
CHALLENGE = "/api/v1/petitions/challenge/"
NOW = dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)


def solve(token: str, bits: int) -> str:
    for counter in itertools.count():
        digest = hashlib.sha256(f"{token}{counter}".encode()).digest()
        if proof_of_work.leading_zero_bits(digest) >= bits:
            return str(counter)
    raise AssertionError("unreachable")


def refusal(data: dict[str, Any], ip: str | None = None) -> tuple[str, list[str]]:
    """The code and messages of the challenge error that `data` gets."""
    with pytest.raises(ValidationError) as refused:
        check_signing_challenge(data, ip=ip)
    [error] = refused.value.error_dict["challenge"]
    return str(error.code), refused.value.message_dict["challenge"]


@pytest.fixture
def proof_of_work_on(settings: Any) -> int:
    settings.SIGNING_PROOF_OF_WORK_BITS = 8
    return 8


@pytest.fixture
def solved(proof_of_work_on: int) -> dict[str, str]:
    challenge = proof_of_work.issue_challenge()
    return {"challenge_token": challenge.token, "challenge_counter": solve(challenge.token, challenge.bits)}


@pytest.fixture
def provider(settings: Any) -> Any:
    with siteverify() as fake:
        settings.CAPTCHA_PROVIDER = "hcaptcha"
        settings.CAPTCHA_SECRET = "0x-test-secret"
        settings.CAPTCHA_SITE_KEY = "test-site-key"
        settings.CAPTCHA_VERIFY_URL = fake.url
        yield fake


def test_it_asks_nothing_when_no_check_is_configured():
    assert check_signing_challenge({}, ip="203.0.113.7") == []


# --- Proof of work


def test_it_accepts_a_solved_challenge(solved):
    assert check_signing_challenge(solved, ip=None) == []


def test_it_accepts_a_counter_sent_as_a_json_number(solved):
    assert check_signing_challenge({**solved, "challenge_counter": int(solved["challenge_counter"])}, ip=None) == []


def test_it_accepts_each_solved_challenge_once(solved):
    check_signing_challenge(solved, ip=None)

    assert refusal(solved)[0] == "used"


def test_it_refuses_a_form_sent_without_the_check(proof_of_work_on):
    code, messages = refusal({"email": "dana@example.org"})

    assert code == "missing"
    assert "turn on JavaScript" in messages[0]


def test_it_refuses_a_wrong_counter(proof_of_work_on):
    challenge = proof_of_work.issue_challenge()
    wrong = next(
        str(n)
        for n in itertools.count()
        if proof_of_work.leading_zero_bits(hashlib.sha256(f"{challenge.token}{n}".encode()).digest()) < 8
    )

    assert refusal({"challenge_token": challenge.token, "challenge_counter": wrong})[0] == "unsolved"


def test_it_refuses_a_token_it_did_not_sign(proof_of_work_on):
    token = proof_of_work.issue_challenge().token
    nonce, rest = token.split(".", 1)
    forged = f"{nonce}.0{rest[1:]}"  # asks for 0 bits instead of 8

    assert refusal({"challenge_token": forged, "challenge_counter": "1"})[0] == "invalid"


def test_it_refuses_a_challenge_after_ten_minutes(proof_of_work_on):
    with time_machine.travel(NOW, tick=False):
        challenge = proof_of_work.issue_challenge()
        counter = solve(challenge.token, challenge.bits)
    data = {"challenge_token": challenge.token, "challenge_counter": counter}

    with time_machine.travel(NOW + dt.timedelta(minutes=10, seconds=1), tick=False):
        assert refusal(data)[0] == "expired"
    with time_machine.travel(NOW + dt.timedelta(minutes=9), tick=False):
        assert check_signing_challenge(data, ip=None) == []


def test_it_refuses_an_absurd_counter(solved):
    assert refusal({**solved, "challenge_counter": "9" * 21})[0] == "missing"
    assert refusal({**solved, "challenge_counter": "١٢"})[0] == "missing"  # digits, but not ASCII ones


def test_it_accepts_a_solved_challenge_while_the_cache_is_down(solved, caplog):
    nobody = closed_port_url().replace("http://", "redis://").removesuffix("/siteverify")
    broken = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": nobody}}

    with override_settings(CACHES=broken):
        assert check_signing_challenge(solved, ip=None) == []

    assert "without the single-use check" in caplog.text


def test_it_hands_out_a_fresh_challenge_that_no_cache_keeps(client, proof_of_work_on):
    first, second = client.get(CHALLENGE), client.get(CHALLENGE)

    assert first.status_code == 200
    assert first["Cache-Control"] == "no-store"
    body = first.json()
    assert (body["bits"], body["expires_in"], body["captcha_provider"]) == (8, 600, "")
    assert body["token"] != second.json()["token"]
    data = {"challenge_token": body["token"], "challenge_counter": solve(body["token"], 8)}
    assert check_signing_challenge(data, ip=None) == []


def test_it_says_when_there_is_no_challenge(client, db):
    assert client.get(CHALLENGE).json() == {
        "token": "",
        "bits": 0,
        "expires_in": 0,
        "captcha_provider": "",
        "captcha_site_key": "",
    }


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to run the browser script")
def test_it_accepts_what_the_browser_script_finds(proof_of_work_on, settings):
    settings.SIGNING_PROOF_OF_WORK_BITS = 12
    challenge = proof_of_work.issue_challenge()
    script = (ROOT / "web" / "static" / "web" / "proof_of_work.js").read_text()
    runner = (
        "const vm = require('vm'); vm.runInThisContext(process.argv[1]);"
        "TownhallProofOfWork.solve(process.argv[2], Number(process.argv[3])).then(c => console.log(c));"
    )

    found = subprocess.run(
        ["node", "-e", runner, script, challenge.token, "12"],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    counter = found.stdout.strip()
    assert check_signing_challenge({"challenge_token": challenge.token, "challenge_counter": counter}, ip=None) == []


# --- Captcha


def test_it_asks_the_provider_and_accepts_a_human(provider):
    assert check_signing_challenge({"captcha": "P1_answer"}, ip="203.0.113.7") == []

    assert provider.received == [{"secret": "0x-test-secret", "response": "P1_answer", "remoteip": "203.0.113.7"}]


def test_it_reads_the_widgets_own_field_from_a_plain_form(provider, settings):
    assert check_signing_challenge({"h-captcha-response": "P1_answer"}, ip=None) == []

    settings.CAPTCHA_PROVIDER = "turnstile"
    assert check_signing_challenge({"cf-turnstile-response": "0.answer"}, ip=None) == []
    assert [r["response"] for r in provider.received] == ["P1_answer", "0.answer"]


def test_it_refuses_what_the_provider_refuses(provider):
    provider.verdict = {"success": False, "error-codes": ["invalid-input-response"]}

    code, messages = refusal({"captcha": "bot"})

    assert code == "captcha_failed"
    assert "did not pass" in messages[0]


def test_it_refuses_a_missing_answer_without_asking_the_provider(provider):
    assert refusal({})[0] == "captcha_missing"
    assert provider.received == []


def test_it_checks_the_proof_of_work_before_asking_the_provider(provider, proof_of_work_on):
    assert refusal({"captcha": "P1_answer"})[0] == "missing"
    assert provider.received == []


def test_it_checks_both_when_both_are_configured(provider, solved):
    assert check_signing_challenge({**solved, "captcha": "P1_answer"}, ip=None) == []
    assert len(provider.received) == 1


@pytest.mark.parametrize(
    "outage",
    [
        pytest.param({"status": 500}, id="server error"),
        pytest.param({"body": b"<html>Bad gateway</html>"}, id="not JSON"),
        pytest.param({"body": b"[true]"}, id="not an object"),
        pytest.param({"delay": 1.0}, id="too slow"),
        pytest.param({"verdict": {"success": False, "error-codes": ["invalid-input-secret"]}}, id="our secret refused"),
    ],
)
def test_it_holds_the_signature_when_the_provider_cannot_judge(provider, monkeypatch, outage, caplog):
    monkeypatch.setattr(captcha, "TIMEOUT_SECONDS", 0.2)
    for name, value in outage.items():
        setattr(provider, name, value)

    assert check_signing_challenge({"captcha": "P1_answer"}, ip=None) == [captcha.UNVERIFIED]
    assert "held for an organizer" in caplog.text


def test_it_holds_the_signature_when_the_provider_is_down(provider, settings):
    settings.CAPTCHA_VERIFY_URL = closed_port_url()

    assert check_signing_challenge({"captcha": "P1_answer"}, ip=None) == [captcha.UNVERIFIED]


def test_it_leaves_an_unverified_signature_out_of_the_count_until_approved(provider, petition, bloomfield):
    provider.status = 503
    flags = check_signing_challenge({"captcha": "P1_answer"}, ip=None)

    signature = sign(petition, bloomfield, visit={}, flags=flags)

    assert (signature.review, signature.flags) == (Review.HELD, ["captcha_unverified"])


def test_it_names_the_provider_on_the_privacy_page_only_when_configured(client, db, settings):
    assert "hCaptcha" not in client.get("/privacy/").content.decode()

    settings.CAPTCHA_PROVIDER = "hcaptcha"
    page = client.get("/privacy/").content.decode()

    assert "“I am human” check by hCaptcha" in page
    assert "sees your IP address" in page


def test_it_tells_api_clients_which_captcha_to_show(client, provider):
    body = client.get(CHALLENGE).json()

    assert (body["captcha_provider"], body["captcha_site_key"]) == ("hcaptcha", "test-site-key")


# --- Settings


@pytest.fixture
def load(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    def load_with(**env: str) -> dict[str, Any]:
        for name in ("DEBUG", "CAPTCHA_PROVIDER", "CAPTCHA_SECRET", "CAPTCHA_SECRET_FILE", "CAPTCHA_SITE_KEY"):
            monkeypatch.delenv(name, raising=False)
        for name in ("CAPTCHA_VERIFY_URL", "SIGNING_PROOF_OF_WORK_BITS"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("TOWNHALL_VAR_DIR", str(tmp_path / "var"))
        for name, value in production(**env).items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return load_with


def third_party_sources(settings: dict[str, Any]) -> set[str]:
    directives = settings["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    return {source for sources in directives.values() for source in map(str, sources) if source.startswith("https://")}


def test_it_turns_both_checks_off_by_default(load):
    settings = load()

    assert (settings["SIGNING_PROOF_OF_WORK_BITS"], settings["CAPTCHA_PROVIDER"]) == (0, "")
    assert third_party_sources(settings) == set()
    assert "frame-src" not in settings["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]


def test_it_opens_the_csp_to_hcaptcha_alone(load):
    settings = load(CAPTCHA_PROVIDER="hCaptcha", CAPTCHA_SECRET="s", CAPTCHA_SITE_KEY="k")

    directives = settings["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert third_party_sources(settings) == {"https://hcaptcha.com", "https://*.hcaptcha.com"}
    for name in ("script-src", "frame-src", "connect-src"):
        assert "https://hcaptcha.com" in directives[name], name
    assert "https://hcaptcha.com" not in directives["img-src"]
    assert settings["CAPTCHA_VERIFY_URL"] == "https://api.hcaptcha.com/siteverify"


def test_it_opens_the_csp_to_turnstile_alone(load, tmp_path):
    secret = tmp_path / "captcha_secret"
    secret.write_text("0x4AAA-secret\n")
    settings = load(CAPTCHA_PROVIDER="turnstile", CAPTCHA_SECRET_FILE=str(secret), CAPTCHA_SITE_KEY="k")

    assert settings["CAPTCHA_SECRET"] == "0x4AAA-secret"
    assert third_party_sources(settings) == {"https://challenges.cloudflare.com"}
    assert settings["CAPTCHA_VERIFY_URL"] == "https://challenges.cloudflare.com/turnstile/v0/siteverify"


def test_it_takes_a_verify_url_of_the_operators_choosing(load):
    settings = load(
        CAPTCHA_PROVIDER="hcaptcha",
        CAPTCHA_SECRET="s",
        CAPTCHA_SITE_KEY="k",
        CAPTCHA_VERIFY_URL="https://captcha-proxy.internal/siteverify",
    )

    assert settings["CAPTCHA_VERIFY_URL"] == "https://captcha-proxy.internal/siteverify"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CAPTCHA_PROVIDER": "recaptcha", "CAPTCHA_SECRET": "s", "CAPTCHA_SITE_KEY": "k"}, "not one of"),
        ({"CAPTCHA_PROVIDER": "hcaptcha", "CAPTCHA_SITE_KEY": "k"}, "needs CAPTCHA_SECRET"),
        ({"CAPTCHA_PROVIDER": "hcaptcha", "CAPTCHA_SECRET": "s"}, "CAPTCHA_SITE_KEY"),
        (
            {"CAPTCHA_PROVIDER": "hcaptcha", "CAPTCHA_SECRET": "s", "CAPTCHA_SITE_KEY": "k", "CAPTCHA_VERIFY_URL": "x"},
            "not an http",
        ),
        ({"SIGNING_PROOF_OF_WORK_BITS": "40"}, "from 0"),
    ],
)
def test_it_refuses_a_half_or_wrong_configuration(load, env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        load(**env)


def test_it_documents_the_challenge_in_the_schema(client, db):
    schema = client.get("/api/schema/?format=json")
    operation = json.loads(schema.content)["paths"]["/api/v1/petitions/challenge/"]["get"]

    assert "200" in operation["responses"]
