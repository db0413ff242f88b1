"""One throwaway PostgreSQL cluster for the module, with the migrated schema and a petition to sign."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.deploy.throwaway_postgres import ThrowawayPostgres, throwaway_postgres
from tests.emails.smtp_sink import SmtpSink, running_sink
from tests.faults.stack import SEED, Stack, prepare_database, running_stack


@pytest.fixture(scope="module")
def cluster(django_db_setup: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThrowawayPostgres]:
    workdir = tmp_path_factory.mktemp("faults-db")
    with throwaway_postgres() as server:
        prepare_database(server, workdir)
        yield server


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with running_sink() as server:
        yield server


@pytest.fixture
def stack(cluster: ThrowawayPostgres, sink: SmtpSink, tmp_path: Path) -> Iterator[Stack]:
    with running_stack(cluster, sink, tmp_path) as running:
        if not running.query("SELECT 1 FROM campaigns_petition WHERE slug = 'end-ring'"):
            running.shell(SEED)
        yield running
