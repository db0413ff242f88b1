"""Organizer pages and endpoints answer only sessions that passed two factors (accounts.middleware)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.conf import settings

from tests.accounts.flows import PASSWORD, enrol_totp, enrol_totp_headless, sign_in_with_password
from tests.totp import current_code

pytestmark = pytest.mark.django_db

ME = "/api/v1/organizer/me/"
MID_STEP = dt.datetime(2026, 11, 29, 12, 0, 15, tzinfo=dt.UTC)  # 15 s into a 30 s TOTP step


def assert_refused(client) -> None:
    api = client.get(ME)
    admin = client.get("/admin/")

    assert api.status_code == 403
    assert api.json()["code"] == "two_factor_required"
    assert api.json()["detail"]
    assert admin.status_code == 302
    assert admin["Location"] == settings.TWO_FACTOR_SETUP_URL


def test_it_refuses_a_session_signed_in_with_the_password_only(client, user_factory):
    user = user_factory("bob@example.org", two_factors=False, is_staff=True)

    signed_in = sign_in_with_password(client, user)

    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert_refused(client)


def test_it_refuses_a_session_that_never_used_the_enrolled_factor(client, user_factory):
    user = user_factory("carol@example.org", is_staff=True)
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")

    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert_refused(client)


def test_it_guards_every_admin_page_not_just_the_index(client, user_factory):
    user = user_factory("dave@example.org", two_factors=False, is_staff=True, is_superuser=True)
    sign_in_with_password(client, user)

    response = client.get("/admin/accounts/user/")

    assert response.status_code == 302
    assert response["Location"] == settings.TWO_FACTOR_SETUP_URL


def test_it_leaves_the_two_factor_setup_page_open_to_a_password_only_session(client, user_factory):
    user = user_factory("erin@example.org", two_factors=False)
    sign_in_with_password(client, user)

    assert client.get(settings.TWO_FACTOR_SETUP_URL).status_code == 200


# Enrolment is recorded from allauth's authenticator_added signal, which allauth sends on
# transaction commit: these tests need real commits to see what production sees.
@pytest.mark.django_db(transaction=True)
def test_it_lets_the_same_session_through_after_enrolling_totp_on_the_pages(client, user_factory):
    user = user_factory("frank@example.org", two_factors=False, is_staff=True)
    sign_in_with_password(client, user)
    assert client.get(ME).status_code == 403

    enrol_totp(client)

    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).count() == 1
    assert client.get(ME).json()["email"] == user.email
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_it_lets_the_same_session_through_after_enrolling_totp_through_the_headless_api(client, user_factory):
    user = user_factory("grace@example.org", two_factors=False)
    login = client.post(
        "/_allauth/browser/v1/auth/login",
        {"email": user.email, "password": PASSWORD},
        content_type="application/json",
    )
    assert login.status_code == 200
    assert client.get(ME).status_code == 403

    enrol_totp_headless(client)

    assert client.get(ME).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_it_does_not_count_an_enrolment_that_failed(client, user_factory):
    user = user_factory("heidi@example.org", two_factors=False)
    sign_in_with_password(client, user)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    client.get("/accounts/2fa/totp/activate/")

    wrong = client.post("/accounts/2fa/totp/activate/", {"code": "12345"})

    assert wrong.status_code == 200  # the form again, with its error
    assert wrong.context["form"].errors["code"]
    assert not Authenticator.objects.filter(user=user).exists()
    assert client.get(ME).status_code == 403


def test_it_sends_the_admins_own_login_form_to_allauths_login(client):
    page = client.get("/admin/login/?next=/admin/")

    assert page.status_code == 302
    assert page["Location"].startswith(settings.LOGIN_URL)
    assert "next=/admin/" in page["Location"].replace("%2F", "/")


def test_it_does_not_sign_in_through_the_admins_own_login_form(client, operator):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": operator.email, "password": PASSWORD, "next": "/admin/"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(settings.LOGIN_URL)
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_it_refuses_a_superuser_without_a_second_factor(client, user_factory):
    root = user_factory("root@example.org", two_factors=False, is_staff=True, is_superuser=True)

    sign_in_with_password(client, root)

    assert client.session["_auth_user_id"] == str(root.pk)
    assert_refused(client)


def test_it_opens_the_admin_to_a_staff_user_after_the_password_and_a_totp_code(client, operator):
    after_password = sign_in_with_password(client, operator)
    assert after_password["Location"].startswith("/accounts/2fa/authenticate/")
    assert "_auth_user_id" not in client.session  # the password alone signs nobody in

    after_code = client.post("/accounts/2fa/authenticate/", {"code": current_code(operator.totp_secret)})
    admin = client.get("/admin/")

    assert after_code.status_code == 302
    assert client.session["_auth_user_id"] == str(operator.pk)
    assert admin.status_code == 200
    assert client.get(ME).json()["is_operator"] is True


@time_machine.travel(MID_STEP, tick=False)  # no step may end between making a code and checking it
def test_a_code_typed_as_its_step_ends_still_signs_in_and_an_older_one_does_not(client, operator):
    sign_in_with_password(client, operator)
    too_old = client.post("/accounts/2fa/authenticate/", {"code": current_code(operator.totp_secret, steps_ago=2)})
    assert "_auth_user_id" not in client.session, "a code a minute old is refused"

    just_turned = client.post("/accounts/2fa/authenticate/", {"code": current_code(operator.totp_secret, steps_ago=1)})

    assert too_old.status_code == 200
    assert just_turned.status_code == 302
    assert client.session["_auth_user_id"] == str(operator.pk)
