"""The registry of personal-data holders: export and erase across every app that registers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from privacy import registry, rights
from privacy.models import DataRightsEvent
from tests.privacy_app.models import Person


def people_export(hashes):
    return {"people": [{"email": p.email} for p in Person.objects.filter(email_hash__in=hashes)]}


def people_erase(hashes):
    deleted, _ = Person.objects.filter(email_hash__in=hashes).delete()
    return {"people": deleted}


@pytest.fixture
def people_holder() -> Iterator[registry.PersonalDataHolder]:
    holder = registry.register(
        registry.PersonalDataHolder(
            name="tests.people", export=people_export, erase=people_erase, kept_on_erasure={"receipts": "the law"}
        )
    )
    yield holder
    registry.unregister("tests.people")


def hashes_of(person: Person) -> list[str]:
    field = Person._meta.get_field("email_hash")
    return field.hashes_of(person.email)  # type: ignore[attr-defined]


def test_it_refuses_two_different_holders_under_one_name(people_holder):
    with pytest.raises(ValueError, match=r"tests\.people"):
        registry.register(registry.PersonalDataHolder(name="tests.people", export=dict, erase=dict))  # type: ignore[arg-type]

    assert registry.register(people_holder) is people_holder


def test_it_knows_the_apps_that_registered_at_startup():
    assert {"emails", "supporters"} <= {holder.name for holder in registry.holders()}


def test_it_exports_every_holder_and_says_what_erasure_keeps(people_holder, person_factory):
    alice = person_factory(email="alice@example.org")

    export = rights.export(hashes_of(alice))

    assert export["held"]["tests.people"] == {"people": [{"email": "alice@example.org"}]}
    assert {"holder": "tests.people", "records": "receipts", "why": "the law"} in export["kept_after_erasure"]
    assert rights.holds_anything(hashes_of(alice))
    assert not rights.holds_anything(["k$" + "0" * 64])


def test_it_erases_all_or_nothing(people_holder, person_factory):
    alice = person_factory(email="alice@example.org")

    def failing_erase(hashes):
        raise RuntimeError("the letters app failed")

    registry.register(registry.PersonalDataHolder(name="tests.zz-failing", export=people_export, erase=failing_erase))
    try:
        with pytest.raises(RuntimeError):
            rights.erase(hashes_of(alice))
    finally:
        registry.unregister("tests.zz-failing")

    assert Person.objects.filter(pk=alice.pk).exists()
    assert not DataRightsEvent.objects.filter(action="erased").exists()


def test_it_logs_counts_and_never_the_address_or_its_hash(people_holder, person_factory):
    alice = person_factory(email="alice@example.org")
    hashes = hashes_of(alice)

    rights.export(hashes)
    counts = rights.erase(hashes)

    assert counts["tests.people"] == {"people": 1}
    assert list(DataRightsEvent.objects.values_list("action", flat=True)) == ["exported", "erased"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT t::text FROM {DataRightsEvent._meta.db_table} t")  # noqa: S608
        stored = " ".join(row for (row,) in cursor.fetchall())
    assert "alice" not in stored
    assert not any(hashed.split("$")[1] in stored for hashed in hashes)


@pytest.fixture
def holders_in_order() -> Iterator[None]:
    yield
    for name in ("tests.aa-points-at-zz", "tests.zz-pointed-at", "tests.mm"):
        registry.unregister(name)


def holder_named(name, *, runs_before=()):
    return registry.PersonalDataHolder(name=name, export=people_export, erase=people_erase, runs_before=runs_before)


def test_it_runs_a_holder_before_those_whose_rows_it_points_at(holders_in_order):
    # Like petitions and supporters: a signature's supporter cannot go while the signature stays.
    registry.register(holder_named("tests.zz-pointed-at"))
    registry.register(holder_named("tests.aa-points-at-zz", runs_before=("tests.zz-pointed-at",)))
    registry.register(holder_named("tests.mm", runs_before=("tests.aa-points-at-zz",)))

    names = [holder.name for holder in registry.holders() if holder.name.startswith("tests.")]

    assert names == ["tests.mm", "tests.aa-points-at-zz", "tests.zz-pointed-at"]


def test_it_refuses_holders_that_wait_for_each_other(holders_in_order):
    registry.register(holder_named("tests.mm", runs_before=("tests.zz-pointed-at",)))
    registry.register(holder_named("tests.zz-pointed-at", runs_before=("tests.mm",)))

    with pytest.raises(ValueError, match="wait for each other"):
        registry.holders()
