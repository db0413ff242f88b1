from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection, models
from django.test.utils import isolate_apps
from django.utils.module_loading import import_string

from privacy.crypto import DecryptionError
from privacy.fields import EncryptedTextField, KeyedHashField, matching
from tests.privacy.conftest import raw_rows
from tests.privacy_app.models import Person

PersonFactory = Callable[..., Person]


def test_it_round_trips_through_the_database(person_factory: PersonFactory) -> None:
    created = person_factory(email="Alice@Example.org", name="Alice Liddell")

    person = Person.objects.get(pk=created.pk)

    assert (person.email, person.name) == ("Alice@Example.org", "Alice Liddell")


def test_it_keeps_plaintext_out_of_every_column(person_factory: PersonFactory) -> None:
    person = person_factory(email="alice@example.org", name="Alice Liddell")

    stored = raw_rows()[person.pk]

    for column in stored:
        assert "alice" not in column.casefold()
        assert "example.org" not in column
    email, name, email_hash, name_hash = stored
    assert email.startswith("v1:") and name.startswith("v1:")
    assert email_hash.count("$") == 1 and name_hash.count("$") == 1


def test_it_leaves_none_as_none_and_clears_the_hash_with_it(person_factory: PersonFactory) -> None:
    person = person_factory(name=None)
    assert Person.objects.get(pk=person.pk).name is None
    assert raw_rows()[person.pk][1::2] == (None, None)

    person.name = "Alice"
    person.save()
    person.name = None
    person.save()

    assert raw_rows()[person.pk][1::2] == (None, None)


def test_it_finds_a_row_by_its_normalized_value(person_factory: PersonFactory) -> None:
    person = person_factory(email="Alice@Example.org")
    person_factory(email="bob@example.org")

    assert list(Person.objects.filter(matching(Person, "email_hash", "  alice@EXAMPLE.org"))) == [person]
    assert not Person.objects.filter(matching(Person, "email_hash", "carol@example.org")).exists()


def test_it_refuses_matching_on_a_field_that_is_not_a_keyed_hash() -> None:
    with pytest.raises(TypeError, match="not a KeyedHashField"):
        matching(Person, "email", "alice@example.org")


@pytest.mark.parametrize(
    "lookup", [{"email": "alice@example.org"}, {"email__iexact": "a"}, {"email__startswith": "a"}, {"name__in": ["a"]}]
)
def test_it_refuses_sql_lookups_on_encrypted_text(lookup: dict[str, Any]) -> None:
    with pytest.raises(FieldError, match="KeyedHashField"):
        Person.objects.filter(**lookup)


def test_it_allows_isnull_on_encrypted_text(person_factory: PersonFactory) -> None:
    anonymous = person_factory(email="anon@example.org", name=None)
    person_factory()

    assert list(Person.objects.filter(name__isnull=True)) == [anonymous]


def test_it_refuses_to_read_a_token_moved_to_another_column(person_factory: PersonFactory) -> None:
    person = person_factory()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Person._meta.db_table} SET name = email WHERE id = %s", [person.pk])  # noqa: S608

    with pytest.raises(DecryptionError):
        Person.objects.get(pk=person.pk)


@pytest.mark.parametrize("name", ["email", "name", "email_hash", "name_hash"])
def test_it_deconstructs_into_an_equal_field(name: str) -> None:
    field = Person._meta.get_field(name)
    assert isinstance(field, models.Field)
    _name, path, args, kwargs = field.deconstruct()

    rebuilt = import_string(path)(*args, **kwargs)

    assert rebuilt.deconstruct()[1:] == (path, args, kwargs)
    for attribute in ("source", "normalizer", "null", "unique", "max_length"):
        assert getattr(rebuilt, attribute, None) == getattr(field, attribute, None)


def test_it_deconstructs_non_default_options() -> None:
    field: KeyedHashField[str, str] = KeyedHashField(
        source="email", purpose="legacy.Person.email", max_length=100, editable=True
    )
    encrypted: EncryptedTextField[str, str] = EncryptedTextField(context="legacy.Person.email")

    assert field.deconstruct()[3] == {
        "source": "email",
        "purpose": "legacy.Person.email",
        "max_length": 100,
        "editable": True,
    }
    assert encrypted.deconstruct()[3] == {"context": "legacy.Person.email"}


def test_it_has_no_pending_migration(db: Any) -> None:
    call_command("makemigrations", "privacy_app", "--check", "--dry-run", verbosity=0)


def test_it_flags_a_unique_encrypted_field_and_a_missing_source() -> None:
    # A private registry, so reencrypt/rehash in other tests never see this tableless model.
    with isolate_apps("tests.privacy_app"):

        class Broken(models.Model):
            email = EncryptedTextField(unique=True)
            email_hash = KeyedHashField(source="mail")

            class Meta:
                app_label = "privacy_app"

            def __str__(self) -> str:
                return "broken"

    ids = {error.id for field in Broken._meta.local_fields for error in field.check()}

    assert {"privacy.E001", "privacy.E002"} <= ids
