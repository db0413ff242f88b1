"""Signing: one signature per supporter, counted once confirmed, and the answer reveals nothing."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from campaigns import tallies
from campaigns.models import Review, Signature
from supporters import confirming
from tests.petitions.conftest import sign


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> Any:
    return django_capture_on_commit_callbacks


def confirm_link_of(mail: Any) -> Any:
    return confirming.read_link(mail.body.split("/confirm/")[1].split("/")[0])


def test_it_counts_a_signature_once_its_address_is_confirmed(petition, bloomfield, mailoutbox, on_commit):
    with on_commit(execute=True):
        signature = sign(petition, bloomfield, visit={})
    assert tallies.petition_count(petition) == 0
    assert len(mailoutbox) == 1

    with on_commit(execute=True):
        confirming.confirm(confirm_link_of(mailoutbox[0]))

    signature.refresh_from_db()
    assert signature.confirmed_at is not None
    assert tallies.petition_count(petition) == 1
    assert tallies.place_count(campaign=petition.campaign, place=bloomfield) == 1


def test_it_keeps_one_signature_per_supporter_however_the_address_is_spelled(
    petition, bloomfield, maywood, mailoutbox, on_commit
):
    with on_commit(execute=True):
        first = sign(petition, bloomfield, visit={}, email="Dana.Scully@gmail.com")
        again = sign(petition, maywood, visit={}, email="danascully+ring@gmail.com", show_name=True)

    assert again.pk == first.pk
    assert Signature.objects.count() == 1
    # Unconfirmed, so the latest visit's choices win, and that visit gets its own link.
    assert (again.place, again.show_name) == (maywood, True)
    assert len(mailoutbox) == 2


def test_it_does_not_mail_an_address_already_confirmed_for_the_petition(petition, bloomfield, mailoutbox, on_commit):
    with on_commit(execute=True):
        sign(petition, bloomfield, visit={})
    confirming.confirm(confirm_link_of(mailoutbox[0]))
    with on_commit(execute=True):
        again = sign(petition, bloomfield, visit={}, comment="Changed my mind?")

    assert len(mailoutbox) == 1
    assert again.comment == ""
    assert tallies.petition_count(petition) == 1


def test_it_covers_two_petitions_signed_in_one_visit_with_one_link(petition, bloomfield, mailoutbox, on_commit):
    other = type(petition).objects.create(campaign=petition.campaign, slug="other", title="Other", text="…")
    visit: dict[str, Any] = {}
    with on_commit(execute=True):
        sign(petition, bloomfield, visit=visit)
        sign(other, bloomfield, visit=visit)
    confirming.confirm(confirm_link_of(mailoutbox[0]))

    assert len(mailoutbox) == 1
    assert Signature.objects.counted().count() == 2


def test_it_leaves_a_flagged_signature_out_of_the_count(petition, bloomfield, mailoutbox, on_commit):
    with on_commit(execute=True):
        signature = sign(petition, bloomfield, visit={}, flags=["disposable domain"])
    confirming.confirm(confirm_link_of(mailoutbox[0]))

    signature.refresh_from_db()
    assert signature.review == Review.HELD
    assert signature.confirmed_at is not None
    assert tallies.petition_count(petition) == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_makes_one_signature_from_concurrent_posts(petition, bloomfield, mailoutbox):
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def post() -> None:
        try:
            barrier.wait()
            sign(petition, bloomfield, visit={})
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Signature.objects.filter(petition=petition).count() == 1
