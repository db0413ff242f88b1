"""What a petition's count costs with 10 million signatures, and what many signers confirming at once cost.

Run from the project root:

    DJANGO_SETTINGS_MODULE=backend.settings_test .venv/bin/python -m bench.signature_counts [--supporters N]

It creates its own database (bench_townhall_<pid>) and drops it afterwards, then:

1. loads 2 petitions x 1,000 places and N supporters (5,000,000) who each sign both petitions
   (10,000,000 signatures) with COPY, indexes built afterwards, and their tallies with one
   INSERT … SELECT; encrypted columns hold one real token each (this bench never decrypts);
2. times campaigns.tallies.petition_count and place_count (median of many calls) next to the
   naive count(*) over the signatures, with EXPLAIN (ANALYZE, BUFFERS) of each;
3. lets threads confirm signatures of one petition at once, as campaigns.signing.count_confirmed
   does (the signature's UPDATE and the tally upserts in one transaction, committed), with the
   tallies spread over TALLY_SLOTS rows and then over a single row, to show the hot row it avoids.

Exits 1 when a tally count disagrees with counting the rows, or a tally read takes 5 ms or more.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from collections.abc import Callable
from typing import Any
from unittest import mock

import django

from bench import signature_data as data

PETITIONS = 2
PLACES = 1_000
SUPPORTERS = 5_000_000
READS = 500  # calls per tally count timing
NAIVE_READS = 5
THREADS = 16
CONFIRM_SECONDS = 8.0
TALLY_READ_TARGET_MS = 5.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--supporters", type=int, default=SUPPORTERS, help="Each signs both petitions.")
    options = parser.parse_args()
    django.setup()
    with data.throwaway_database():
        return _run(options.supporters)


def _run(supporters: int) -> int:
    world = data.make_world(petitions=PETITIONS, places=PLACES)
    _load(world, supporters)
    problems = _counts(world)
    _confirming(world)
    for problem in problems:
        print(f"MISSED: {problem}")
    if not problems:
        print(f"OK: tally counts agree with count(*) and read in under {TALLY_READ_TARGET_MS:.0f} ms")
    return 1 if problems else 0


# 1. Loading


def _load(world: data.World, supporters: int) -> None:
    total = supporters * PETITIONS
    print(f"loading {supporters:,} supporters and {total:,} signatures ({PETITIONS} petitions × {PLACES:,} places)")
    started = time.perf_counter()
    pools = data.encrypted_pools(1, constant=True)
    with data.indexes_built_afterwards("supporters_supporter", "campaigns_signature"):
        seconds = data.copy_supporters(supporters, pools)
        print(f"  COPY supporters: {seconds:.1f} s ({supporters / seconds:,.0f} rows/s)")
        seconds = data.copy_signatures(world, supporters=supporters, pools=pools)
        print(f"  COPY signatures: {seconds:.1f} s ({total / seconds:,.0f} rows/s)")
        built = time.perf_counter()
    print(f"  indexes and constraints built again: {time.perf_counter() - built:.1f} s")
    data.reset_sequences("supporters_supporter", "campaigns_signature")
    print(f"  tallies (one INSERT … SELECT): {data.timed(_fill_tallies):.1f} s")
    print(f"  VACUUM ANALYZE: {data.timed(_vacuum):.1f} s")
    print(f"load time: {time.perf_counter() - started:.1f} s", flush=True)


def _fill_tallies() -> None:
    """Every place's and every petition's counted signatures, spread over the slots by id."""
    from django.db import connection

    from campaigns.models.petitions import TALLY_SLOTS

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO campaigns_signaturetally (petition_id, place_id, slot, confirmed)
            SELECT petition_id, place_id, id %% %s, count(*)
            FROM campaigns_signature
            WHERE confirmed_at IS NOT NULL AND review = 'accepted'
            GROUP BY GROUPING SETS ((petition_id, place_id, id %% %s), (petition_id, id %% %s))
            """,
            [TALLY_SLOTS] * 3,
        )


def _vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("supporters_supporter", "campaigns_signature", "campaigns_signaturetally"):
            cursor.execute(f"VACUUM ANALYZE {table}")


# 2. Reading counts


NAIVE_PETITION = "SELECT count(*) FROM campaigns_signature WHERE petition_id = %s AND confirmed_at IS NOT NULL"
NAIVE_PLACE = (
    "SELECT count(*) FROM campaigns_signature s JOIN campaigns_petition p ON p.id = s.petition_id "
    "WHERE p.campaign_id = %s AND s.place_id = %s AND s.confirmed_at IS NOT NULL"
)


def _counts(world: data.World) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from campaigns import tallies
    from campaigns.models import Campaign, Petition, Place, Signature

    petition = Petition.objects.get(pk=world.petition_ids[0])
    campaign = Campaign.objects.get(pk=world.campaign_id)
    place = Place.objects.get(pk=world.place_ids[PLACES // 2])
    problems: list[str] = []

    print(f"\n== petition_count({petition.slug}) ==")
    with CaptureQueriesContext(connection) as queries:
        total = tallies.petition_count(petition)
    rows = Signature.objects.counted().filter(petition=petition).count()
    problems += _compare("petition_count", total, rows)
    problems += _report_read("tallies.petition_count", lambda: tallies.petition_count(petition), queries[0]["sql"])
    _report_naive(NAIVE_PETITION, [petition.pk])

    print(f"\n== place_count({place.name}) ==")
    with CaptureQueriesContext(connection) as queries:
        here = tallies.place_count(campaign=campaign, place=place)
    rows = Signature.objects.counted().filter(petition__campaign=campaign, place=place).count()
    problems += _compare("place_count", here, rows)
    problems += _report_read(
        "tallies.place_count", lambda: tallies.place_count(campaign=campaign, place=place), queries[0]["sql"]
    )
    _report_naive(NAIVE_PLACE, [campaign.pk, place.pk])
    return problems


def _compare(name: str, tally: int, rows: int) -> list[str]:
    print(f"{name} = {tally:,}; counting the rows (confirmed and accepted) = {rows:,}")
    return [] if tally == rows else [f"{name} says {tally:,} but the rows say {rows:,}"]


def _report_read(name: str, read: Callable[[], int], sql: str) -> list[str]:
    for _ in range(20):
        read()  # warm the connection and the caches
    times = [data.timed(read) * 1000 for _ in range(READS)]
    median = statistics.median(times)
    p99 = statistics.quantiles(times, n=100)[98]
    print(f"{name}: median {median:.3f} ms, p99 {p99:.3f} ms over {READS} calls (ORM included)")
    raw = statistics.median(data.timed(lambda: _execute(sql, [])) * 1000 for _ in range(READS))
    print(f"  the same SQL on a cursor: median {raw:.3f} ms")
    _explain(sql, [])
    return [] if median < TALLY_READ_TARGET_MS else [f"{name} median {median:.2f} ms ≥ {TALLY_READ_TARGET_MS} ms"]


def _report_naive(sql: str, params: list[Any]) -> None:
    _execute(sql, params)  # the first call reads the table into the cache; the median is of warm calls
    times = [data.timed(lambda: _execute(sql, params)) * 1000 for _ in range(NAIVE_READS)]
    print(f"naive count(*), for contrast: median {statistics.median(times):.1f} ms over {NAIVE_READS} calls")
    print(f"  {sql % tuple(params)}")
    _explain(sql, params)


def _execute(sql: str, params: list[Any]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchone()


def _explain(sql: str, params: list[Any]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        for (line,) in cursor.fetchall():
            print(f"    {line}")


# 3. Confirming at once


def _confirming(world: data.World) -> None:
    from django.db import connection

    from campaigns import tallies
    from campaigns.models.petitions import TALLY_SLOTS

    petition_id = world.petition_ids[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, place_id FROM campaigns_signature WHERE petition_id = %s AND confirmed_at IS NULL "
            "AND review = 'accepted' ORDER BY id LIMIT 400000",
            [petition_id],
        )
        waiting = cursor.fetchall()
    print(f"\n== {THREADS} threads confirming signatures of one petition for {CONFIRM_SECONDS:.0f} s each run ==")
    half = len(waiting) // 2
    for slots, batch in ((TALLY_SLOTS, waiting[:half]), (1, waiting[half:])):
        # tallies picks a slot below its module's TALLY_SLOTS at each call: one slot is the hot row.
        with mock.patch.object(tallies, "TALLY_SLOTS", slots):
            _confirm_at_once(petition_id, batch, slots=slots)


def _confirm_at_once(petition_id: int, signatures: list[tuple[int, int]], *, slots: int) -> None:
    shares = [signatures[n::THREADS] for n in range(THREADS)]
    latencies: list[list[float]] = [[] for _ in range(THREADS)]
    start, stop = threading.Event(), threading.Event()
    workers = [
        threading.Thread(target=_confirmer, args=(petition_id, share, latency, start, stop))
        for share, latency in zip(shares, latencies, strict=True)
    ]
    for worker in workers:
        worker.start()
    time.sleep(1)  # every thread connected
    started = time.perf_counter()
    start.set()
    time.sleep(CONFIRM_SECONDS)
    stop.set()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - started
    every = sorted(ms for latency in latencies for ms in latency)
    hot = "the petition's total is one hot row" if slots == 1 else f"spread over {slots} rows per petition and place"
    print(
        f"{slots:>2} slot(s) ({hot}): {len(every):,} confirmations, {len(every) / seconds:,.0f}/s; "
        f"transaction median {statistics.median(every):.2f} ms, p99 {statistics.quantiles(every, n=100)[98]:.2f} ms"
    )


def _confirmer(
    petition_id: int,
    signatures: list[tuple[int, int]],
    latencies: list[float],
    start: threading.Event,
    stop: threading.Event,
) -> None:
    """What count_confirmed does for one signature: confirm it and add it to the tallies, in one commit."""
    from django.db import connection, transaction

    from campaigns import tallies

    connection.ensure_connection()
    start.wait()
    try:
        for signature_id, place_id in signatures:
            if stop.is_set():
                return
            began = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("UPDATE campaigns_signature SET confirmed_at = now() WHERE id = %s", [signature_id])
                tallies.add_to_tallies([(petition_id, place_id)])
            latencies.append((time.perf_counter() - began) * 1000)
    finally:
        connection.close()


if __name__ == "__main__":
    sys.exit(main())
