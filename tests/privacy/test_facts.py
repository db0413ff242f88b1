"""The privacy page's facts come from one place, held here against the models."""

from __future__ import annotations

import html
import re

from django.apps import apps

from privacy.facts import all_facts, covered_fields
from privacy.fields import EncryptedTextField, KeyedHashField, installed_fields


def project_field_labels(fields) -> set[tuple[str, str]]:
    # Test-only apps (tests.privacy_app) model nobody's data.
    return {(model._meta.label, field.name) for model, field in fields if not model.__module__.startswith("tests.")}


def test_it_covers_every_encrypted_field_and_keyed_hash_of_every_installed_model():
    protected = project_field_labels(installed_fields(EncryptedTextField) + installed_fields(KeyedHashField))

    assert protected, "expected encrypted fields in the project"
    assert sorted(protected - covered_fields()) == []


def test_it_covers_every_column_holding_a_hash_of_an_address_or_ip():
    hash_columns = {
        (model._meta.label, field.name)
        for model in apps.get_models()
        if not model.__module__.startswith("tests.")
        for field in model._meta.concrete_fields
        if field.name.endswith("_hash")
    }

    assert ("emails.Suppression", "address_hash") in hash_columns
    assert sorted(hash_columns - covered_fields()) == []


def test_it_names_only_fields_that_exist():
    for fact in all_facts():
        model = apps.get_model(fact.model)
        assert [field.name for field in fact.model_fields()] == list(fact.fields), fact
        assert model._meta.label == fact.model


def test_it_reads_how_each_field_is_stored_from_the_model():
    storage = {(fact.model, fact.fields): fact.storage() for fact in all_facts()}

    assert storage[("supporters.Supporter", ("name",))] == "encrypted"
    assert storage[("supporters.Supporter", ("email", "email_hash"))] == "encrypted, keyed hash (cannot be read back)"
    assert storage[("emails.Suppression", ("address_hash",))] == "keyed hash (cannot be read back)"
    assert storage[("supporters.Supporter", ("language", "created_at", "confirmed_at"))] == "as is"


def test_it_fills_retention_from_the_settings(settings):
    settings.SUPPORTER_UNCONFIRMED_RETENTION_DAYS = 21
    [fact] = [f for f in all_facts() if f.fields == ("email", "email_hash")]

    assert "deleted after 21 days" in fact.retention_text()


def test_it_shows_every_fact_on_the_privacy_page(client, db):
    page = client.get("/privacy/")

    assert page.status_code == 200
    text = html.unescape(re.sub(r"\s+", " ", page.content.decode()))
    for fact in all_facts():
        for shown in (fact.what, fact.why, fact.retention_text(), fact.who_can_see, fact.storage()):
            assert str(shown) in text, shown
    assert "Nothing is shared with police, with Amazon or with any vendor" in text
    assert 'href="/my-data/"' in text
