from __future__ import annotations

import re
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command

from accounts.models import User
from campaigns.models import Campaign, Membership
from tests.totp import current_code, secret_from_uri

pytestmark = pytest.mark.django_db


def run_load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def printed(pattern: str, output: str) -> str:
    match = re.search(pattern, output)
    assert match, output
    return match.group(1)


def test_it_loads_the_demo_campaign_and_organizer_again_and_again(settings, tmp_path):
    settings.VAR_DIR = tmp_path

    first, second = run_load_demo(), run_load_demo()

    assert first == second
    assert printed(r"Demo data: (\d+ places, \d+ agencies, \d+ sources)", first) == "9 places, 9 agencies, 12 sources"
    assert Campaign.objects.public().count() == 1
    assert User.objects.count() == 1
    assert Membership.objects.get().role == "owner"
    assert Authenticator.objects.filter(type="totp").count() == 1


def test_it_prints_credentials_that_sign_in_with_two_factors(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    output = run_load_demo()
    email = printed(r"Demo organizer: (\S+)", output)
    password = printed(r"password: (\S+)", output)
    secret = secret_from_uri(printed(r"authenticator app\): (otpauth://\S+)", output))

    after_password = client.post("/accounts/login/", {"login": email, "password": password})
    after_code = client.post(after_password["Location"], {"code": current_code(secret)})

    assert after_password["Location"] == "/accounts/2fa/authenticate/"
    assert after_code.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/v1/organizer/campaigns/").json()["results"][0]["my_role"] == "owner"


def test_it_prints_recovery_codes_that_sign_in(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    output = run_load_demo()
    email = printed(r"Demo organizer: (\S+)", output)
    password = printed(r"password: (\S+)", output)
    recovery_code = printed(r"Recovery codes \(each works once\): (\S+)", output)

    client.post("/accounts/login/", {"login": email, "password": password})
    client.post("/accounts/2fa/authenticate/", {"code": recovery_code})

    assert client.get("/api/v1/organizer/me/").status_code == 200
