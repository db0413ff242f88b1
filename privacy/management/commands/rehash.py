from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, models, transaction

from privacy import crypto, hashing
from privacy.fields import KeyedHashField, installed_fields


@dataclass
class Plan:
    model: type[models.Model]
    hash_field: KeyedHashField[Any, Any]
    updates: dict[Any, str | None] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.hash_field.name}"


class Command(BaseCommand):
    help = (
        "Recompute every KeyedHashField value not under the current hash key from its source. "
        "Refuses, writing nothing, if unique hashes would collide. All or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Compute, check and count, but write nothing.")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, dry_run: bool, batch_size: int, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        current = hashing.hash_prefix(hashing.current_hash_key_id())
        # One transaction for the whole run; rows read are locked until it ends.
        with transaction.atomic():
            plans = [
                _plan(model, hash_field, current, batch_size) for model, hash_field in installed_fields(KeyedHashField)
            ]
            collisions = [line for plan in plans for line in _collisions(plan)]
            if collisions:
                raise CommandError("Rehashing would break uniqueness; nothing was written.\n" + "\n".join(collisions))
            totals = {plan.label: plan.model._base_manager.count() for plan in plans}
            if not dry_run:
                for plan in plans:
                    _write(plan, batch_size)
        verb = "to rehash" if dry_run else "rehashed"
        for plan in plans:
            done = len(plan.updates)
            self.stdout.write(f"{plan.label}: {done} {verb}, {totals[plan.label] - done} already current")


def _plan(model: type[models.Model], hash_field: KeyedHashField[Any, Any], current: str, batch_size: int) -> Plan:
    plan = Plan(model, hash_field)
    for pk, stored, source in _stale_rows(model, hash_field, current, batch_size):
        new = hash_field.hash_of(source)
        if new != stored:
            plan.updates[pk] = new
    return plan


def _stale_rows(
    model: type[models.Model], hash_field: KeyedHashField[Any, Any], current: str, batch_size: int
) -> Iterator[tuple[Any, str | None, Any]]:
    # exclude() keeps NULL hashes too: a row saved behind save()'s back may still need one.
    stale = model._base_manager.exclude(**{f"{hash_field.attname}__startswith": current}).order_by("pk")
    last_pk = None
    while True:
        page = stale if last_pk is None else stale.filter(pk__gt=last_pk)
        # values_list applies from_db_value, so an encrypted source arrives decrypted.
        query = page.select_for_update().values_list("pk", hash_field.attname, hash_field.source_attname)
        try:
            batch = list(query[:batch_size])
        except crypto.DecryptionError as error:
            raise CommandError(f"{model._meta.label}.{hash_field.source}: {error} Nothing was written.") from error
        if not batch:
            return
        last_pk = batch[-1][0]
        yield from batch


def _is_unique(model: type[models.Model], hash_field: KeyedHashField[Any, Any]) -> bool:
    alone = (hash_field.name,)
    return (
        hash_field.unique
        or alone in (tuple(names) for names in model._meta.unique_together)
        or any(tuple(constraint.fields) == alone for constraint in model._meta.total_unique_constraints)
    )


def _collisions(plan: Plan) -> list[str]:
    """Groups of pks that would end up with one hash: the new hashes, plus rows keeping theirs."""
    if not _is_unique(plan.model, plan.hash_field):
        return []
    owners: defaultdict[str, list[Any]] = defaultdict(list)
    for pk, new in plan.updates.items():
        if new is not None:
            owners[new].append(pk)
    attname = plan.hash_field.attname
    wanted = list(owners)
    for start in range(0, len(wanted), 1000):
        keeping = plan.model._base_manager.filter(**{f"{attname}__in": wanted[start : start + 1000]})
        for pk, value in keeping.values_list("pk", attname):
            if pk not in plan.updates:
                owners[value].append(pk)
    return [
        f"{plan.label}: rows {', '.join(str(pk) for pk in sorted(pks))} would share one hash"
        for pks in owners.values()
        if len(pks) > 1
    ]


def _write(plan: Plan, batch_size: int) -> None:
    rows = []
    for pk, value in plan.updates.items():
        row = plan.model(pk=pk)
        setattr(row, plan.hash_field.attname, value)
        rows.append(row)
    try:
        plan.model._base_manager.bulk_update(rows, [plan.hash_field.name], batch_size=batch_size)
    except IntegrityError as error:
        # A constraint the pre-check does not model (composite, or a row inserted meanwhile).
        raise CommandError(f"{plan.label}: {error}; nothing was written.") from error
