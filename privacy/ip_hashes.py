"""Client IP addresses kept only as keyed hashes, and only for IP_HASH_RETENTION_DAYS.

An app that records where a request came from (to spot a flood of signatures from one network)
stores client_ip_hash(request) in a nullable column and declares that column here; the daily
retention purge clears every declared column once its row is older than the retention.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest

from privacy import hashing
from privacy.network import client_ip

IP_PURPOSE = "client-ip"


@dataclass(frozen=True)
class IpHashColumn:
    model: str  # "app_label.ModelName"
    field: str  # nullable: cleared, not deleted, so the row itself stays
    recorded_at: str  # the row's timestamp the retention counts from

    @property
    def label(self) -> str:
        return f"{self.model}.{self.field}"


_columns: dict[str, IpHashColumn] = {}


def register_column(column: IpHashColumn) -> IpHashColumn:
    _columns[column.label] = column
    return column


def unregister_column(label: str) -> None:
    """For tests that declare a column of their own."""
    _columns.pop(label, None)


def columns() -> list[IpHashColumn]:
    return sorted(_columns.values(), key=lambda column: column.label)


def client_ip_hash(request: HttpRequest) -> str | None:
    ip = client_ip(request)
    return None if ip is None else hashing.keyed_hash(ip, purpose=IP_PURPOSE)


def purge_ip_hashes(now: dt.datetime) -> dict[str, int]:
    cutoff = now - dt.timedelta(days=settings.IP_HASH_RETENTION_DAYS)
    cleared: dict[str, int] = {}
    for column in columns():
        model = apps.get_model(column.model)
        old = model._default_manager.filter(**{f"{column.recorded_at}__lt": cutoff, f"{column.field}__isnull": False})
        cleared[column.label] = old.update(**{column.field: None})
    return cleared
