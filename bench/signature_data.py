"""Synthetic supporters and signatures for the petition benches, written with COPY into a throwaway database.

Rows are generated as COPY text in large blocks: every supporter signs every petition, and row n's
place, dates, choices and review follow from n, so a run is the same every time. Encrypted
columns take their values from small pools of real tokens (privacy.crypto.encrypt under each
column's context), cycled: every cell decrypts for real, and the load stays fast.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

BLOCK = 50_000  # rows per write to the COPY stream: a few MB of text
START = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class World:
    campaign_id: int
    petition_ids: list[int]
    place_ids: list[int]


@dataclass(frozen=True)
class Pools:
    """Encrypted tokens to cycle through, one list per column; None stands for NULL."""

    emails: list[str]
    names: list[str]
    streets: list[str]
    comments: list[str]


@contextmanager
def throwaway_database() -> Iterator[str]:
    """A database of its own (bench_townhall_<pid>) with every migration applied, dropped afterwards."""
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    name = f"bench_townhall_{os.getpid()}"
    connections["default"].settings_dict.setdefault("TEST", {})["NAME"] = name
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        yield name
    finally:
        teardown_databases(old_config, verbosity=0)


def make_world(*, petitions: int, places: int) -> World:
    from campaigns.models import Campaign, Petition, Place

    campaign = Campaign.objects.create(slug="bench", title="Bench", is_public=True)
    made = Place.objects.bulk_create(
        Place(
            name=f"Placeville {n}",
            search_name=f"placeville {n}",
            state="NJ",
            ocd_id=f"ocd-division/country:us/state:nj/place:placeville_{n}",
        )
        for n in range(places)
    )
    asks = [
        Petition.objects.create(campaign=campaign, slug=f"petition-{n}", title=f"Petition {n}", text="…")
        for n in range(petitions)
    ]
    return World(campaign.pk, [p.pk for p in asks], [p.pk for p in made])


def encrypted_pools(size: int, *, constant: bool = False) -> Pools:
    """`size` distinct real tokens per column; `constant`: one token per column, for speed only."""
    from privacy.crypto import encrypt

    def pool(context: str, plain: Callable[[int], str]) -> list[str]:
        return [encrypt(plain(n), context=context) for n in range(1 if constant else size)]

    return Pools(
        emails=pool("supporters.Supporter.email", lambda n: f"signer.{n}@example.org"),
        names=pool("supporters.Supporter.name", lambda n: f"Signer Number{n}"),
        streets=pool("supporters.Supporter.street_address", lambda n: f"{n} Main Street, Placeville NJ 07000"),
        # Four in five signers leave no comment: the empty string, encrypted like any other.
        comments=pool("campaigns.Signature.comment", lambda n: f"Please end it ({n})" if n % 5 == 0 else ""),
    )


def copy_supporters(count: int, pools: Pools) -> float:
    """Supporters 1..count, all confirmed; returns the seconds COPY took."""
    columns = "id, email, email_hash, name, street_address, language, created_at, confirmed_at, erased_at"
    stamp = START.isoformat()

    def line(n: int) -> str:
        email, name = pools.emails[n % len(pools.emails)], pools.names[n % len(pools.names)]
        street = pools.streets[n % len(pools.streets)]
        return f"{n}\t{email}\tbench${n:x}\t{name}\t{street}\ten\t{stamp}\t{stamp}\t\\N\n"

    return _copy("supporters_supporter", columns, (line(n) for n in range(1, count + 1)))


def copy_signatures(world: World, *, supporters: int, pools: Pools) -> float:
    """Each supporter signs every petition from one place; returns the seconds COPY took.

    Places go to runs of ten supporters, so each place gets every mix of the choices below.

    Of every 100 signatures: 80 confirmed, 2 held for review; 30 show their address to officials
    and 30 their name and city; 50 want e-mail updates.
    """
    columns = (
        "id, petition_id, supporter_id, place_id, comment, show_name, email_updates, consent_version, "
        "consented_at, officials_see, referrer, confirmation_id, confirmed_at, review, flags, ip_hash, created_at"
    )
    # One timestamp per minute over ~2 weeks, as text once: formatting 10 M datetimes would dominate the load.
    stamps = [(START + dt.timedelta(minutes=m)).isoformat() for m in range(20_000)]
    places, comments = world.place_ids, pools.comments
    sees = ["name_address"] * 3 + ["name_city"] * 3 + ["count"] * 4

    def line(n: int) -> str:
        petition = world.petition_ids[(n - 1) // supporters]
        supporter = (n - 1) % supporters + 1
        created = stamps[n % len(stamps)]
        confirmed = created if n % 5 else "\\N"
        review = "held" if n % 50 == 7 else "accepted"
        updates = "t" if n % 2 else "f"
        return (
            f"{n}\t{petition}\t{supporter}\t{places[supporter // 10 % len(places)]}\t{comments[n % len(comments)]}\t"
            f"f\t{updates}\t2026-11\t{created}\t{sees[n % 10]}\tbench\t\\N\t{confirmed}\t{review}\t[]\t\\N\t{created}\n"
        )

    total = supporters * len(world.petition_ids)
    return _copy("campaigns_signature", columns, (line(n) for n in range(1, total + 1)))


@contextmanager
def indexes_built_afterwards(*tables: str) -> Iterator[None]:
    """Drops the tables' secondary indexes and constraints (not primary keys) and builds them after.

    That is how pg_restore loads: building an index once is much cheaper than keeping it up to
    date row by row. Foreign keys come back NOT VALID, so their check of every row is skipped.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        saved = [_definitions(cursor, table) for table in tables]
        for table, (constraints, indexes) in zip(tables, saved, strict=True):
            for name, _definition in constraints:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for table, (constraints, indexes) in zip(tables, saved, strict=True):
            for _name, definition in indexes:
                cursor.execute(definition)
            for name, definition in constraints:
                suffix = " NOT VALID" if definition.startswith("FOREIGN KEY") else ""
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}{suffix}')


def reset_sequences(*tables: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608 (our tables)
            cursor.execute(sql)


def timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _definitions(cursor: Any, table: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY conname",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass) ORDER BY indexname",
        [table, table],
    )
    return constraints, cursor.fetchall()


def _copy(table: str, columns: str, lines: Iterator[str]) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        block: list[str] = []
        for line in lines:
            block.append(line)
            if len(block) == BLOCK:
                copy.write("".join(block))
                block.clear()
        if block:
            copy.write("".join(block))
    return time.perf_counter() - started
