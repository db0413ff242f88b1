from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from privacy.crypto import key_id_of
from privacy.fields import matching
from privacy.hashing import hash_version
from tests.privacy.conftest import Key, raw_rows
from tests.privacy_app.models import Person

PersonFactory = Callable[..., Person]
Rotate = Callable[[], tuple[Key, Key]]

PEOPLE = [("alice@example.org", "Alice Liddell"), ("Bob@Example.org", None), ("carol@example.org", "Carol")]


@pytest.fixture
def people(person_factory: PersonFactory) -> list[Person]:
    return [person_factory(email=email, name=name) for email, name in PEOPLE]


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def person_lines(output: str) -> list[str]:
    """The command's lines about the test app's Person, leaving out the project's own models."""
    return [line for line in output.splitlines() if line.startswith("privacy_app.")]


def test_it_rotates_both_keyrings_without_losing_a_row(settings: Any, rotate: Rotate, people: list[Person]) -> None:
    (enc_kid, enc_key), (hash_kid, hash_key) = rotate()
    latecomer = Person.objects.create(email="dave@example.org", name="Dave")  # written under the new keys

    # Before rehash, rows hashed under the old key are still found.
    for email, _name in PEOPLE:
        assert Person.objects.filter(matching(Person, "email_hash", email.upper())).count() == 1

    assert person_lines(run("reencrypt")) == [
        "privacy_app.Person.email: 3 re-encrypted, 1 already current",
        "privacy_app.Person.name: 2 re-encrypted, 1 already current",
    ]
    assert person_lines(run("rehash")) == [
        "privacy_app.Person.email_hash: 3 rehashed, 1 already current",
        "privacy_app.Person.name_hash: 2 rehashed, 2 already current",
    ]
    settings.FIELD_ENCRYPTION_KEYS = [(enc_kid, enc_key)]
    settings.KEYED_HASH_KEYS = [(hash_kid, hash_key)]

    expected = {person.pk: (person.email, person.name) for person in [*people, latecomer]}
    assert {person.pk: (person.email, person.name) for person in Person.objects.all()} == expected
    stored = raw_rows().values()
    assert {key_id_of(token) for row in stored for token in row[:2] if token} == {enc_kid}
    email_hashes = [row[2] for row in stored]
    assert len(set(email_hashes)) == len(email_hashes)
    assert {hash_version(hashed) for row in stored for hashed in row[2:] if hashed} == {hash_kid}
    for email, _name in PEOPLE:
        assert Person.objects.filter(matching(Person, "email_hash", email)).count() == 1


def test_it_has_nothing_to_do_when_every_row_is_current(people: list[Person]) -> None:
    before = raw_rows()

    assert "privacy_app.Person.email: 0 re-encrypted, 3 already current" in run("reencrypt")
    assert "privacy_app.Person.email_hash: 0 rehashed, 3 already current" in run("rehash")
    assert raw_rows() == before


def test_it_writes_nothing_on_a_dry_run(rotate: Rotate, people: list[Person]) -> None:
    rotate()
    before = raw_rows()

    assert "privacy_app.Person.email: 3 to re-encrypt, 0 already current" in run("reencrypt", "--dry-run")
    assert "privacy_app.Person.email_hash: 3 to rehash, 0 already current" in run("rehash", "--dry-run")
    assert raw_rows() == before


def test_it_refuses_to_rehash_two_people_into_one_and_writes_nothing(
    rotate: Rotate, person_factory: PersonFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    bob = person_factory(email="bob@example.org")
    tagged = person_factory(email="bob+news@example.org")
    rotate()
    # The new normalizer folds "+tag" addresses into their base address: these two become one.
    field = Person._meta.get_field("email_hash")
    monkeypatch.setattr(field, "normalizer", "tests.privacy_app.normalizers.email_without_tag")
    before = raw_rows()

    with pytest.raises(CommandError, match=rf"privacy_app.Person.email_hash: rows {bob.pk}, {tagged.pk} would share"):
        call_command("rehash")

    assert raw_rows() == before


def test_it_reports_a_duplicate_inserted_during_the_rotation_window(
    rotate: Rotate, person_factory: PersonFactory
) -> None:
    original = person_factory(email="alice@example.org")
    rotate()
    # Old and new hashes differ, so the unique index cannot see this duplicate until rehash.
    duplicate = person_factory(email="ALICE@example.org")
    before = raw_rows()

    with pytest.raises(CommandError, match=rf"rows {original.pk}, {duplicate.pk} would share"):
        call_command("rehash")

    assert raw_rows() == before


def test_it_reencrypts_all_or_nothing(rotate: Rotate, people: list[Person]) -> None:
    last = people[-1]
    with connection.cursor() as cursor:  # a token that cannot be decrypted in this column
        cursor.execute(f"UPDATE {Person._meta.db_table} SET name = email WHERE id = %s", [last.pk])  # noqa: S608
    rotate()
    before = raw_rows()

    with pytest.raises(CommandError, match=rf"privacy_app.Person.name row {last.pk}") as caught:
        call_command("reencrypt", "--batch-size", "1")

    assert raw_rows() == before
    assert "carol" not in str(caught.value).casefold()
