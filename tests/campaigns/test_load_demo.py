from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from campaigns.models import Campaign

pytestmark = pytest.mark.django_db


def run_load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_it_loads_the_demo_campaign_and_organizer_again_and_again(settings, tmp_path):
    settings.VAR_DIR = tmp_path

    first, second = run_load_demo(), run_load_demo()

    assert first == second
    assert Campaign.objects.public().count() == 1
    assert User.objects.count() == 1


def test_it_prints_credentials_that_sign_in(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    printed = run_load_demo()
    match = re.search(r"Demo organizer: (\S+)\s+password: (\S+)", printed)
    assert match, printed
    email, password = match.groups()

    response = client.post("/accounts/login/", {"login": email, "password": password})

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
