from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.db.models.functions import Cast

from privacy import crypto
from privacy.fields import EncryptedTextField, installed_fields

RAW = "privacy_raw_token"


class Command(BaseCommand):
    help = "Re-encrypt every EncryptedTextField value not under the current key. All or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Decrypt and count, but write nothing.")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, dry_run: bool, batch_size: int, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        current = crypto.token_prefix(crypto.current_key_id())
        verb = "to re-encrypt" if dry_run else "re-encrypted"
        report = []
        # One transaction for the whole run, so a failure anywhere leaves every row as it was.
        with transaction.atomic():
            for model, field in installed_fields(EncryptedTextField):
                fresh = _raw_tokens(model, field).filter(**{f"{RAW}__startswith": current}).count()
                done = self._reencrypt(model, field, current, batch_size, dry_run=dry_run)
                report.append(f"{model._meta.label}.{field.name}: {done} {verb}, {fresh} already current")
        # Printed only after commit: a line must never claim a write that was rolled back.
        for line in report:
            self.stdout.write(line)

    def _reencrypt(
        self,
        model: type[models.Model],
        field: EncryptedTextField[Any, Any],
        current: str,
        batch_size: int,
        *,
        dry_run: bool,
    ) -> int:
        done = 0
        for batch in _stale_batches(model, field, current, batch_size):
            rows = [_with_plaintext(model, field, pk, token) for pk, token in batch]
            if not dry_run:
                # The field encrypts on the way out, under the current key.
                model._base_manager.bulk_update(rows, [field.name])
            done += len(rows)
        return done


def _raw_tokens(model: type[models.Model], field: EncryptedTextField[Any, Any]) -> models.QuerySet[Any]:
    # Cast to a plain TextField so from_db_value (which decrypts) is not applied.
    raw = Cast(field.name, output_field=models.TextField())
    tokens: models.QuerySet[Any] = model._base_manager.annotate(**{RAW: raw})
    return tokens.filter(**{f"{RAW}__isnull": False})


def _stale_batches(
    model: type[models.Model], field: EncryptedTextField[Any, Any], current: str, batch_size: int
) -> Iterator[list[tuple[Any, str]]]:
    # Keyset pagination by pk: works whether or not the previous batch was written (dry run).
    stale = _raw_tokens(model, field).exclude(**{f"{RAW}__startswith": current}).order_by("pk")
    last_pk = None
    while True:
        page = stale if last_pk is None else stale.filter(pk__gt=last_pk)
        # Locked until commit, so a concurrent save cannot be overwritten with the value read here.
        batch = list(page.select_for_update().values_list("pk", RAW)[:batch_size])
        if not batch:
            return
        last_pk = batch[-1][0]
        yield batch


def _with_plaintext(
    model: type[models.Model], field: EncryptedTextField[Any, Any], pk: Any, token: str
) -> models.Model:
    try:
        plaintext = crypto.decrypt(token, context=field.context)
    except crypto.DecryptionError as error:
        raise CommandError(f"{model._meta.label}.{field.name} row {pk}: {error} Nothing was written.") from error
    row = model(pk=pk)
    setattr(row, field.attname, plaintext)
    return row
