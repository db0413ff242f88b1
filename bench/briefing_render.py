"""What a briefing costs next to bare WeasyPrint, what serving a stored one costs, and 200 places on 2 workers.

Run from the project root:

    DJANGO_SETTINGS_MODULE=backend.settings_test .venv/bin/python -m bench.briefing_render [--runs N]

It creates its own database (bench_townhall_<pid>) and drops it afterwards, keeps PDFs in a
temporary folder, then:

1. loads one place with 40 sources (half quoted), an agency in 4 programs, 12 cited timeline
   events, 7 officials and 10,000 signatures by 10,000 supporters with real encrypted names (80 %
   confirmed, 2 % held; 30 % show officials their name and city, 30 % their address);
2. times a whole briefing (briefings.editions.request_edition: figures, fingerprint, HTML,
   PDF/UA-1 rendering through the static-only fetcher, storage, SHA-256) next to bare
   WeasyPrint rendering the same built HTML, both warm, median of N interleaved runs, and the
   same HTML untagged for reference;
3. times serving a stored briefing: asking again with nothing changed (the fingerprint reuses the
   edition), the officials' signed PDF link and the public verification page, through Django;
4. generates 200 more places' briefings (each 3 sources, 2 partnerships, 2 events, 5 officials)
   with 2 worker processes claiming editions as the heavy-queue task does.

Exits 1 when the whole briefing takes more than 1.3 times bare WeasyPrint (tagged, same HTML).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from typing import Any
from unittest import mock

import django

from bench import signature_data as data

SOURCES = 40
SIGNATURES = 10_000
PLACES = 200
WORKERS = 2
TARGET = 1.3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="Timed runs of each, after a warm-up.")
    options = parser.parse_args()
    os.environ["BRIEFINGS_ROOT"] = tempfile.mkdtemp(prefix="townhall-bench-briefings-")
    django.setup()
    with data.throwaway_database():
        return _run(options.runs)


def _run(runs: int) -> int:
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("celery").setLevel(logging.WARNING)
    world = data.make_world(petitions=1, places=1)
    owner = _owner()
    place_id = world.place_ids[0]
    started = time.perf_counter()
    _tracker(world.campaign_id, place_id, owner, sources=SOURCES, partnerships=4, events=12, officials=7)
    _signatures(world)
    print(f"loaded 1 place: {SOURCES} sources, {SIGNATURES:,} signatures ({time.perf_counter() - started:.1f} s)")
    ratio = _whole_against_bare(world.campaign_id, place_id, runs)
    _cached(world.campaign_id, place_id, runs)
    _many_places(world.campaign_id, owner)
    if ratio > TARGET:
        print(f"SLOW: whole briefing is {ratio:.2f} × bare WeasyPrint (target ≤ {TARGET})")
        return 1
    print(f"OK: whole briefing is {ratio:.2f} × bare WeasyPrint (target ≤ {TARGET})")
    return 0


# 1. Loading


def _owner() -> Any:
    from accounts.models import User

    return User.objects.create_user(email="bench-owner@example.org", password="unused bench password")  # noqa: S106


def _tracker(
    campaign_id: int, place_id: int, owner: Any, *, sources: int, partnerships: int, events: int, officials: int
) -> None:
    from campaigns.signals import place_status_changed

    # Loading, not campaigning: no edition (nor anything else) for each status change made here.
    with mock.patch.object(place_status_changed, "receivers", []):
        _load_tracker(campaign_id, place_id, owner, sources, partnerships, events, officials)


def _load_tracker(
    campaign_id: int, place_id: int, owner: Any, sources: int, partnerships: int, events: int, officials: int
) -> None:
    from campaigns import tracker
    from campaigns.models import Agency, Campaign, Citation, Official, Partnership, Place, Program, Source, Status

    campaign, place = Campaign.objects.get(pk=campaign_id), Place.objects.get(pk=place_id)
    tracker.track_place(campaign=campaign, place=place, actor=owner, via="bench")
    library = [
        Source.objects.create(
            campaign=campaign,
            title=f"Record {place.pk}-{n}: emails between the department and Ring",
            publisher="City clerk" if n % 2 else "Local Gazette",
            authors="A. Reporter, B. Editor" if n % 3 == 0 else "",
            published_on=dt.date(2019, 1 + n % 12, 1 + n % 28),
            url=f"https://example.org/records/{place.pk}/{n}",
            archived_url=f"https://archive.example.org/records/{place.pk}/{n}",
            kind=Source.Kind.PUBLIC_RECORD,
            is_verified=n % 10 != 9,
        )
        for n in range(sources)
    ]
    agency = Agency.objects.create(campaign=campaign, name=f"{place.name} Police Department")
    agency.places.add(place)
    programs = list(Program)[:partnerships]
    share = max(1, sources // (partnerships + events))
    cursor = 0
    for program in programs:
        partnership = Partnership.objects.create(
            agency=agency, program=program, how_known="The signed agreement, obtained by a records request."
        )
        for source in library[cursor : cursor + share]:
            Citation.objects.create(
                source=source, partnership=partnership, locator=f"p. {cursor + 1}", quote=_quote(source)
            )
        cursor += share
    statuses = [Status.PARTNERSHIP_DOCUMENTED, Status.PETITIONING, Status.ASK_DELIVERED, Status.ON_AGENDA]
    for n in range(events):
        cited = library[cursor % sources : cursor % sources + share] or library[:1]
        cursor += share
        tracker.change_status(
            campaign=campaign,
            place=place,
            status=statuses[n % len(statuses)],
            occurred_on=dt.date(2020, 1, 1) + dt.timedelta(days=40 * n),
            title=f"Step {n + 1} in the campaign",
            description="The council heard from residents and the police chief.",
            citations=[tracker.CitationInput(source=s, locator=f"p. {n + 2}", quote=_quote(s)) for s in cited],
            actor=owner,
            via="bench",
        )
    # Whatever the division, every source is cited somewhere.
    for source in library[cursor:]:
        Citation.objects.create(source=source, partnership=partnership, locator="p. 1", quote=_quote(source))
    Official.objects.bulk_create(
        Official(
            campaign=campaign, place=place, name=f"Member {n}", email=f"member{n}@example.gov", district=f"Ward {n}"
        )
        for n in range(officials)
    )


def _quote(source: Any) -> str:
    return "The department agreed to promote the app in exchange for free cameras." if source.pk % 2 else ""


def _signatures(world: data.World) -> None:
    pools = data.encrypted_pools(200)
    data.copy_supporters(SIGNATURES, pools)
    data.copy_signatures(world, supporters=SIGNATURES, pools=pools)
    data.reset_sequences("supporters_supporter", "campaigns_signature")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE campaigns_signature")


# 2. Whole against bare


def _whole_against_bare(campaign_id: int, place_id: int, runs: int) -> float:
    from weasyprint import HTML

    from briefings import editions
    from briefings.fetcher import base_url
    from briefings.models import Edition
    from campaigns.models import Campaign, Place

    campaign, place = Campaign.objects.get(pk=campaign_id), Place.objects.get(pk=place_id)

    def whole() -> Edition:
        Edition.objects.all().delete()  # never reuse: each run does the whole work
        edition = editions.request_edition(campaign=campaign, place=place)
        edition.refresh_from_db()
        return edition

    edition = whole()  # warm-up: fonts, templates, imports
    html = editions.read_html(edition)

    def bare(**options: Any) -> bytes:
        pdf: bytes = HTML(string=html, base_url=base_url()).write_pdf(**options)
        return pdf

    bare(pdf_variant="pdf/ua-1")
    timings: dict[str, list[float]] = {"whole": [], "bare": [], "bare_untagged": []}
    for _ in range(runs):
        timings["whole"].append(data.timed(whole))
        timings["bare"].append(data.timed(lambda: bare(pdf_variant="pdf/ua-1")))
        timings["bare_untagged"].append(data.timed(bare))
    edition = Edition.objects.get()
    medians = {name: statistics.median(values) for name, values in timings.items()}
    print(
        f"briefing: {edition.page_count} pages, {len(edition.figures['bibliography'])} sources, "
        f"{len(edition.figures['footnotes'])} notes, {edition.figures['support']['constituents']:,} verified "
        f"constituents, {len(html) / 1024:.0f} KiB of HTML"
    )
    print(f"  whole briefing (request_edition → stored PDF): {medians['whole']:.3f} s (median of {runs})")
    print(f"  bare WeasyPrint, same HTML, PDF/UA-1:           {medians['bare']:.3f} s")
    print(f"  bare WeasyPrint, same HTML, untagged:           {medians['bare_untagged']:.3f} s")
    ratio = medians["whole"] / medians["bare"]
    print(f"  ratio whole / bare (tagged): {ratio:.2f}")
    return ratio


# 3. Serving a stored briefing


def _cached(campaign_id: int, place_id: int, runs: int) -> None:
    from django.test import Client

    from briefings import editions, sending
    from briefings.models import Edition
    from campaigns.models import Campaign, Official, Place

    campaign, place = Campaign.objects.get(pk=campaign_id), Place.objects.get(pk=place_id)
    edition = Edition.objects.get()
    official = Official.objects.filter(place=place).first()
    assert official is not None
    link = f"/b/{edition.code}/pdf/{sending.pdf_token(edition, official)}/"
    client = Client()
    reuse, pdf, verify = [], [], []
    for _ in range(max(runs, 20)):
        started = time.perf_counter()
        again = editions.request_edition(campaign=campaign, place=place)
        reuse.append(time.perf_counter() - started)
        assert again.pk == edition.pk, "the unchanged briefing was not reused"
        started = time.perf_counter()
        response = client.get(link)
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        pdf.append(time.perf_counter() - started)
        assert response.status_code == 200 and len(body) > 1000
        started = time.perf_counter()
        assert client.get(f"/b/{edition.code}/").status_code == 200
        verify.append(time.perf_counter() - started)
    print("serving the stored briefing (median):")
    print(f"  ask again, inputs unchanged (edition reused): {statistics.median(reuse) * 1000:.0f} ms")
    print(f"  officials' signed PDF link ({len(body) / 1024:.0f} KiB): {statistics.median(pdf) * 1000:.1f} ms")
    print(f"  public verification page: {statistics.median(verify) * 1000:.1f} ms")


# 4. 200 places, 2 workers


def _many_places(campaign_id: int, owner: Any) -> None:
    from django.db import connections

    from briefings import editions, tasks
    from briefings.models import Edition
    from campaigns.models import Campaign, Place

    campaign = Campaign.objects.get(pk=campaign_id)
    places = Place.objects.bulk_create(
        Place(name=f"Township {n}", state="NJ", ocd_id=f"ocd-division/country:us/state:nj/place:township_{n}")
        for n in range(PLACES)
    )
    for place in places:
        _tracker(campaign_id, place.pk, owner, sources=3, partnerships=2, events=2, officials=5)
    with mock.patch.object(tasks.generate_edition, "delay"):  # queued, not run: the workers take them
        ids = [editions.request_edition(campaign=campaign, place=place).pk for place in places]
    connections.close_all()
    context = multiprocessing.get_context("fork")
    started = time.perf_counter()
    with context.Pool(WORKERS) as pool:
        done = sum(pool.map(_work, [ids[n::WORKERS] + ids for n in range(WORKERS)]))
    seconds = time.perf_counter() - started
    finished = Edition.objects.filter(pk__in=ids, status=Edition.Status.DONE).count()
    pages = statistics.median(n or 0 for n in Edition.objects.filter(pk__in=ids).values_list("page_count", flat=True))
    print(f"{PLACES} places on {WORKERS} worker processes: {seconds:.1f} s, {finished} done ({done} claimed)")
    rate, each = PLACES / seconds * 60, seconds / PLACES * WORKERS
    print(f"  {rate:.0f} briefings/minute, {each:.2f} s each per worker, median {pages:.0f} pages")


def _work(ids: list[int]) -> int:
    """A worker: its share first, then any left; the conditional claim keeps each edition to one worker."""
    from django.db import connections

    from briefings import editions

    connections.close_all()
    return sum(editions.generate_edition(edition_id) is not None for edition_id in ids)


if __name__ == "__main__":
    sys.exit(main())
