"""Model fields for personal data: encrypted text, and keyed hashes of it for equality lookups."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TypeVar

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q
from django.utils.module_loading import import_string

from privacy import crypto, hashing

# Left generic so django-stubs types model attributes as str, or str | None when null=True.
_ST = TypeVar("_ST", contravariant=True)
_GT = TypeVar("_GT", covariant=True)
_F = TypeVar("_F", bound="models.Field[Any, Any]")


class EncryptedTextField(models.TextField[_ST, _GT]):
    """Text stored as an AES-GCM token bound to "<app_label>.<ModelName>.<field>".

    Trap: renaming the app label, model or field changes that context and makes every stored
    token undecryptable; pass context="<the old one>" to keep reading them after a rename.
    """

    description = "Text encrypted at rest"

    def __init__(self, *args: Any, context: str | None = None, **kwargs: Any) -> None:
        self._context = context
        super().__init__(*args, **kwargs)

    @property
    def context(self) -> str:
        return self._context or f"{self.model._meta.label}.{self.name}"

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self._context is not None:
            kwargs["context"] = self._context
        return name, path, args, kwargs

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if self.unique or self.primary_key:
            # Ciphertexts are randomized: uniqueness over them means nothing.
            errors.append(
                checks.Error(
                    "EncryptedTextField cannot be unique or a primary key.",
                    hint="Add a KeyedHashField(source=...) and make that unique instead.",
                    obj=self,
                    id="privacy.E001",
                )
            )
        return errors

    def from_db_value(self, value: str | None, expression: Any, connection: BaseDatabaseWrapper) -> str | None:
        return None if value is None else crypto.decrypt(value, context=self.context)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return None if value is None else crypto.encrypt(value, context=self.context)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            self._refuse(lookup_name)
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> Any:
        self._refuse(lookup_name)

    def _refuse(self, lookup_name: str) -> NoReturn:
        raise FieldError(
            f"{self.context} is encrypted with a random nonce, so '{lookup_name}' cannot match it in SQL. "
            "Filter on a KeyedHashField(source=...) with privacy.fields.matching() instead."
        )


class KeyedHashField(models.CharField[_ST, _GT]):
    """A keyed hash of another field (`source`) of the same model, kept up to date on save().

    Trap: like any computed column it goes stale when the source changes without save() seeing
    it (queryset.update(), bulk_update(), save(update_fields=[...]) without this field).
    """

    description = "Keyed hash of another field"

    def __init__(
        self, *args: Any, source: str, normalizer: str | None = None, purpose: str | None = None, **kwargs: Any
    ) -> None:
        self.source = source
        self.normalizer = normalizer
        self._purpose = purpose
        kwargs.setdefault("max_length", hashing.HASH_MAX_LENGTH)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    @property
    def purpose(self) -> str:
        return self._purpose or f"{self.model._meta.label}.{self.source}"

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        if self.normalizer is not None:
            kwargs["normalizer"] = self.normalizer
        if self._purpose is not None:
            kwargs["purpose"] = self._purpose
        if kwargs.get("max_length") == hashing.HASH_MAX_LENGTH:
            del kwargs["max_length"]
        if kwargs.pop("editable", True) is not False:
            kwargs["editable"] = True
        return name, path, args, kwargs

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        try:
            self.model._meta.get_field(self.source)
        except FieldDoesNotExist:
            errors.append(
                checks.Error(f"source={self.source!r} is not a field of this model.", obj=self, id="privacy.E002")
            )
        if self.normalizer is not None:
            try:
                import_string(self.normalizer)
            except ImportError:
                errors.append(
                    checks.Error(f"normalizer={self.normalizer!r} cannot be imported.", obj=self, id="privacy.E003")
                )
        return errors

    @property
    def source_attname(self) -> str:
        source = self.model._meta.get_field(self.source)
        return source.attname if isinstance(source, models.Field) else self.source

    def normalize(self, value: str) -> str:
        # Resolved at call time, not in __init__: importing it while models load risks an import cycle.
        normalizer: Callable[[str], str] | None = import_string(self.normalizer) if self.normalizer else None
        return normalizer(value) if normalizer else value

    def hash_of(self, value: Any) -> str | None:
        return None if value is None else hashing.keyed_hash(self.normalize(str(value)), purpose=self.purpose)

    def hashes_of(self, value: Any) -> list[str]:
        return hashing.keyed_hashes(self.normalize(str(value)), purpose=self.purpose)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        if self.source_attname in model_instance.get_deferred_fields():
            # Reading it would cost a query and it cannot have changed in memory: keep the stored hash.
            return getattr(model_instance, self.attname)
        value = self.hash_of(getattr(model_instance, self.source_attname))
        setattr(model_instance, self.attname, value)
        return value


def keyed_hash_field(model: type[models.Model], hash_field_name: str) -> KeyedHashField[Any, Any]:
    field = model._meta.get_field(hash_field_name)
    if not isinstance(field, KeyedHashField):
        raise TypeError(f"{model._meta.label}.{hash_field_name} is not a KeyedHashField.")
    return field


def matching(model: type[models.Model], hash_field_name: str, value: str) -> Q:
    """Q matching rows whose `hash_field_name` is `value`'s hash under any configured key."""
    return Q(**{f"{hash_field_name}__in": keyed_hash_field(model, hash_field_name).hashes_of(value)})


def installed_fields(kind: type[_F]) -> list[tuple[type[models.Model], _F]]:
    found: list[tuple[type[models.Model], _F]] = []
    for model in apps.get_models():
        # Unmanaged tables belong to someone else; inherited fields are visited on their own model.
        if model._meta.managed:
            found.extend((model, field) for field in model._meta.local_concrete_fields if isinstance(field, kind))
    return found
