"""A supporter: one per mailbox, whatever the spelling, and nothing about them in clear in the database."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from supporters import my_data
from supporters.identity import find_supporter, supporter_for
from supporters.models import Supporter
from tests.campaigns.database import rows_containing
from tests.supporters.conftest import act


def test_it_finds_one_supporter_whatever_the_spelling(db):
    first = supporter_for(email="Foo.Bar+petition@gmail.com", language="en")

    assert supporter_for(email="foobar@gmail.com", language="es") == first
    assert supporter_for(email="  FOOBAR@googlemail.com ", language="en") == first
    assert find_supporter("foo.bar+letters@GMAIL.com") == first
    assert Supporter.objects.count() == 1


def test_it_keeps_dots_and_tags_apart_where_the_provider_does(db):
    dotted = supporter_for(email="foo.bar@example.org", language="en")

    assert supporter_for(email="foobar@example.org", language="en") != dotted
    assert supporter_for(email="Foo.Bar@Example.org", language="en") == dotted


def test_it_keeps_the_first_spelling_and_changes_nothing_on_a_second_visit(db):
    supporter = supporter_for(email="Foo.Bar@gmail.com", language="en")

    again = supporter_for(email="foobar+x@gmail.com", language="es")

    assert (again.email, again.language, again.name) == ("Foo.Bar@gmail.com", "en", None)
    assert again.pk == supporter.pk


@pytest.mark.parametrize("email", ["", "dana", "dana@", "@example.org", "a" * 250 + "@example.org"])
def test_it_refuses_what_is_not_an_address(db, email):
    with pytest.raises(ValidationError) as raised:
        supporter_for(email=email, language="en")

    assert list(raised.value.message_dict) == ["email"]
    assert Supporter.objects.count() == 0


def test_it_stores_no_name_email_or_street_address_in_clear(confirmed_dana, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        act(visit={}, name="Dana Katherine Scully")
        my_data.request_links(email="dana.scully@gmail.com", language="en")

    for clear in ("Dana", "dana", "Scully", "scully", "Elm Street", "gmail.com", "Katherine"):
        assert rows_containing(clear) == [], clear
    assert Supporter.objects.get().street_address == "1 Elm Street, Bloomfield NJ"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_makes_one_supporter_when_two_visits_race_with_one_address():
    barrier = threading.Barrier(2)
    found: list[int] = []

    def visit(spelling: str) -> None:
        try:
            barrier.wait()
            found.append(supporter_for(email=spelling, language="en").pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=visit, args=(s,)) for s in ("dana@example.org", "DANA@example.org")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(set(found)) == 1
    assert Supporter.objects.count() == 1
