"""The operator's view of supporters: no address in any list, found only by an exact address."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import sign_in_with_two_factors


@pytest.fixture
def operator_client(operator) -> Client:
    return sign_in_with_two_factors(Client(), operator)


def test_it_lists_supporters_without_any_address_or_name(operator_client, confirmed_dana):
    page = operator_client.get("/admin/supporters/supporter/").content.decode()

    assert f"supporter {confirmed_dana.pk}" in page
    for clear in ("Dana", "dana", "Scully", "gmail", "Elm Street"):
        assert clear not in page


def test_it_finds_a_supporter_by_an_exact_address_only(operator_client, confirmed_dana):
    found = operator_client.get("/admin/supporters/supporter/", {"q": "dana.scully@gmail.com"}).content.decode()
    partial = operator_client.get("/admin/supporters/supporter/", {"q": "dana"}).content.decode()

    assert f"supporter {confirmed_dana.pk}" in found
    assert f"supporter {confirmed_dana.pk}" not in partial


def test_it_shows_only_a_masked_address_and_allows_no_change(operator_client, confirmed_dana):
    page = operator_client.get(f"/admin/supporters/supporter/{confirmed_dana.pk}/change/").content.decode()

    assert "D•••@gmail.com" in page
    assert "Scully" not in page
    assert operator_client.post(f"/admin/supporters/supporter/{confirmed_dana.pk}/delete/").status_code == 403


def test_it_hides_supporters_from_staff_who_are_not_the_operator(user_factory, confirmed_dana):
    staff = sign_in_with_two_factors(Client(), user_factory("staff@example.org", is_staff=True))

    assert staff.get("/admin/supporters/supporter/").status_code == 403
