"""What we store about people, why, for how long and who can see it: the privacy page's one source.

Each app declares facts about its own models in its AppConfig.ready(). A test holds the facts
against the models: every encrypted field, keyed hash and address or IP hash column of an installed
model is covered by a fact, and every field a fact names exists. How a field is stored (encrypted,
hashed, as is) is read from the model, never written by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from privacy.fields import EncryptedTextField, KeyedHashField

Text = str | Promise


@dataclass(frozen=True)
class Fact:
    model: str  # "app_label.ModelName"
    fields: tuple[str, ...]
    what: Text
    why: Text
    # May hold "%(days)s", filled from the setting named by `retention_setting`.
    retention: Text
    who_can_see: Text
    retention_setting: str | None = None

    def retention_text(self) -> str:
        if self.retention_setting is None:
            return str(self.retention)
        return str(self.retention) % {"days": getattr(settings, self.retention_setting)}

    def model_fields(self) -> list[models.Field[object, object]]:
        model = apps.get_model(self.model)
        found: list[models.Field[object, object]] = []
        for name in self.fields:
            field = model._meta.get_field(name)
            if isinstance(field, models.Field):
                found.append(field)
        return found

    def storage(self) -> str:
        labels = _storage_labels()
        return ", ".join(labels[kind] for kind in sorted({_storage_of(field) for field in self.model_fields()}))


_facts: dict[tuple[str, tuple[str, ...]], Fact] = {}


def register(*facts: Fact) -> None:
    for fact in facts:
        _facts[(fact.model, fact.fields)] = fact


def all_facts() -> list[Fact]:
    return list(_facts.values())


def covered_fields() -> set[tuple[str, str]]:
    return {(fact.model, name) for fact in _facts.values() for name in fact.fields}


def _storage_labels() -> list[str]:
    # Most protected first; translated when called, so in the page's language.
    return [_("encrypted"), _("keyed hash (cannot be read back)"), _("as is")]


def _storage_of(field: models.Field[object, object]) -> int:
    """An index into _storage_labels()."""
    if isinstance(field, EncryptedTextField):
        return 0
    if isinstance(field, KeyedHashField) or field.name.endswith("_hash"):
        return 1
    return 2
