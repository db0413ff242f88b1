"""What signatures and letters share as personal data: records a supporter makes and confirms by e-mail.

Both are exported split into confirmed and never-confirmed records; erasure deletes the records never
confirmed (they never counted) and anonymizes the confirmed ones, which stay as counts; retention
deletes records never confirmed once their confirmation has expired with the supporters' retention.
Both point at their supporter with PROTECT, so their holders run before "supporters".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from privacy import facts, ip_hashes, registry

UNCONFIRMED_RETENTION = _("Until you erase your data; if you never confirm, deleted after %(days)s days.")


@dataclass(frozen=True)
class ConfirmedRecords:
    model: type[models.Model]
    kind: str  # "signatures": confirmed ones export under it, the others under "unconfirmed_signatures"

    @property
    def unconfirmed_kind(self) -> str:
        return f"unconfirmed_{self.kind}"

    def of(self, address_hashes: Sequence[str]) -> models.QuerySet[Any]:
        return self.model._default_manager.filter(supporter__email_hash__in=address_hashes)

    def split(self, records: Iterable[Any], describe: Callable[[Any], dict[str, Any]]) -> registry.Records:
        rows = list(records)
        return {
            self.kind: [describe(record) for record in rows if record.confirmed_at is not None],
            self.unconfirmed_kind: [describe(record) for record in rows if record.confirmed_at is None],
        }

    def erase(self, address_hashes: Sequence[str], **anonymized: Any) -> dict[str, int]:
        """Call inside a transaction: deletes the never-confirmed records, blanks the fields given."""
        mine = self.of(address_hashes)
        _, deleted = mine.filter(confirmed_at__isnull=True).delete()
        changed = mine.update(ip_hash=None, **anonymized)
        return {self.kind: changed, self.unconfirmed_kind: deleted.get(self.model._meta.label, 0)}

    def purge(self, now: dt.datetime) -> dict[str, int]:
        cutoff = now - dt.timedelta(days=settings.SUPPORTER_UNCONFIRMED_RETENTION_DAYS)
        # The same age at which supporters deletes the confirmation (and with it, the supporter never
        # confirmed); no confirmation left means it went already, or the address was erased.
        expired = Q(confirmation__isnull=True) | Q(confirmation__created_at__lt=cutoff)
        _, deleted = self.model._default_manager.filter(expired, confirmed_at__isnull=True).delete()
        return {self.unconfirmed_kind: deleted.get(self.model._meta.label, 0)}

    def register(
        self,
        *,
        holder: str,
        export: Callable[[Sequence[str]], registry.Records],
        erase: Callable[[Sequence[str]], dict[str, int]],
        purge: Callable[[dt.datetime], dict[str, int]],
        kept_on_erasure: Mapping[str, str | Promise],
        declared: Sequence[facts.Fact],
        ip_hash_what: str | Promise,
        ip_hash_why: str | Promise,
    ) -> None:
        registry.register(
            registry.PersonalDataHolder(
                name=holder,
                export=export,
                erase=erase,
                kept_on_erasure=kept_on_erasure,
                purge=purge,
                runs_before=("supporters",),
            )
        )
        label = self.model._meta.label
        ip_hashes.register_column(ip_hashes.IpHashColumn(model=label, field="ip_hash", recorded_at="created_at"))
        ip_hash_fact = facts.Fact(
            model=label,
            fields=("ip_hash",),
            what=ip_hash_what,
            why=ip_hash_why,
            retention=_("Deleted after %(days)s days."),
            retention_setting="IP_HASH_RETENTION_DAYS",
            who_can_see=_("Nobody reads it: it can only be compared with another hash made with our key."),
        )
        facts.register(*declared, ip_hash_fact)
