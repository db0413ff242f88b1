"""Finding the supporter behind an e-mail address, whichever way the address is spelled."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connections, router
from django.db.models import Field
from django.utils.translation import gettext as _

from privacy.fields import keyed_hash_field, matching
from supporters.models import Supporter

MAX_ADDRESS_LENGTH = 254  # RFC 5321's limit on a forward path


def clean_address(email: str) -> str:
    """The address as typed, trimmed; ValidationError on the `email` field when it is not one."""
    address = email.strip()
    try:
        if len(address) > MAX_ADDRESS_LENGTH:
            raise ValidationError("too long")
        validate_email(address)
    except ValidationError:
        raise ValidationError({"email": [_("Enter a valid e-mail address.")]}) from None
    return address


def find_supporter(email: str) -> Supporter | None:
    """The supporter whose address hash matches under any configured key; the first if keys disagree."""
    hashes = keyed_hash_field(Supporter, "email_hash").hashes_of(email)
    # On every signature and letter: SQL made once, not the ORM's query building each time.
    return next(iter(Supporter.objects.raw(_find_sql(len(hashes)), hashes)), None)


@cache
def _find_sql(hash_count: int) -> str:
    quote = connections[router.db_for_read(Supporter)].ops.quote_name
    meta = Supporter._meta
    columns = ", ".join(quote(field.column) for field in meta.concrete_fields)
    hashes = ", ".join(["%s"] * hash_count)
    email_hash = quote(keyed_hash_field(Supporter, "email_hash").column)
    # Names from the model's own metadata, quoted; every value is a parameter.
    return (
        f"SELECT {columns} FROM {quote(meta.db_table)} "  # noqa: S608
        f"WHERE {email_hash} IN ({hashes}) ORDER BY {quote(meta.pk.column)} LIMIT 1"
    )


def supporter_for(*, email: str, language: str) -> Supporter:
    """The supporter with this address (`Foo.Bar+x@gmail.com` is `foobar@gmail.com`), created if new.

    Never updates an existing supporter: only a confirmation may change what we hold.
    """
    return find_or_create_supporter(email=email, language=language)[0]


def find_or_create_supporter(*, email: str, language: str) -> tuple[Supporter, bool]:
    """supporter_for, and whether this call created the supporter (in the caller's transaction).

    A supporter created here cannot have signed or written anything yet: no other transaction sees
    the row before the caller commits.
    """
    address = clean_address(email)
    found = find_supporter(address)
    if found is not None:
        return found, False
    supporter = Supporter(email=address, language=language)
    if _insert_unless_taken(supporter):
        return supporter, True
    # Created meanwhile by a concurrent request, which has committed: the insert waited for it.
    return Supporter.objects.get(matching(Supporter, "email_hash", address)), False


def _insert_unless_taken(supporter: Supporter) -> bool:
    """`INSERT … ON CONFLICT DO NOTHING`: the unique hash turns a concurrent creation into no row.

    One statement instead of a savepoint, an insert and its release; nothing fails in the caller's
    transaction.
    """
    alias = router.db_for_write(Supporter)
    connection = connections[alias]
    fields = _insert_fields()
    values = [field.get_db_prep_save(field.pre_save(supporter, True), connection=connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(alias), values)
        row = cursor.fetchone()
    if row is None:
        return False
    supporter.pk = row[0]
    supporter._state.adding, supporter._state.db = False, alias
    return True


@cache
def _insert_fields() -> list[Field[Any, Any]]:
    return [field for field in Supporter._meta.concrete_fields if not field.primary_key]


@cache
def _insert_sql(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    meta = Supporter._meta
    columns = ", ".join(quote(field.column) for field in _insert_fields())
    placeholders = ", ".join(["%s"] * len(_insert_fields()))
    hash_column = quote(meta.get_field("email_hash").column)
    # Names from the model, quoted; the values are parameters.
    insert = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    return f"{insert} ON CONFLICT ({hash_column}) DO NOTHING RETURNING {quote(meta.pk.column)}"
