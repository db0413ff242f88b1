"""How fast the place and agency importers run on PostgreSQL, and how much memory they take.

Run from the project root:

    DJANGO_SETTINGS_MODULE=backend.settings_test .venv/bin/python -m bench.import_places_and_agencies [--places PATH]

It creates its own database (bench_townhall_<pid>, through Django's test-database machinery) and
drops it afterwards. Each import runs twice: once as a dry run under tracemalloc for the memory
peak (tracemalloc slows Python down, so that run is not timed), then for real, timed; then once
more to time an import that finds nothing to change. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import re
import resource
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import django

PLACES_TARGET_SECONDS = 60.0
AGENCIES_TARGET_SECONDS = 5.0
SYNTHETIC_PLACES = 39_000
AGENCIES = 2_000
# The 50 states and DC.
STATES = re.findall(
    r"[a-z]{2}",
    "al ak az ar ca co ct de dc fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj nm ny nc nd oh ok "
    "or pa ri sc sd tn tx ut vt va wa wv wi wy",
)
KINDS = ("city", "town", "township", "borough", "village")


@dataclass
class Result:
    name: str
    rows: int
    seconds: float  # the real import
    again_seconds: float  # the same file once more: nothing to change
    peak_mib: float  # tracemalloc's peak during a dry run of the same file
    summary: str
    failed: str = ""

    def lines(self) -> list[str]:
        if self.failed:
            return [f"{self.name}: FAILED: {self.failed}"]
        return [
            f"{self.name}: {self.rows:,} rows in {self.seconds:.2f} s ({self.rows / self.seconds:,.0f} rows/s), "
            f"peak {self.peak_mib:.1f} MiB traced; {self.summary}",
            f"{self.name}, same file again: {self.again_seconds:.2f} s ({self.rows / self.again_seconds:,.0f} rows/s)",
        ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--places", help="A place list (id,name,census_geoid) instead of the synthetic one.")
    options = parser.parse_args()
    django.setup()
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    connections["default"].settings_dict.setdefault("TEST", {})["NAME"] = f"bench_townhall_{os.getpid()}"
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        with tempfile.TemporaryDirectory() as workdir:
            return _run(Path(workdir), options.places)
    finally:
        teardown_databases(old_config, verbosity=0)


def _run(workdir: Path, places_path: str | None) -> int:
    from campaigns.models import Campaign, Place, Source

    if places_path is None:
        places_path = str(workdir / "places.csv")
        _write_synthetic_places(places_path)
    results = [_bench("places", "import_places", places_path)]
    print(*results[0].lines(), sep="\n", flush=True)
    if Place.objects.exists():
        campaign = Campaign.objects.create(slug="bench", title="Bench")
        Source.objects.create(campaign=campaign, title="Library source", url="https://example.org/library")
        agencies_path = str(workdir / "agencies.csv")
        _write_synthetic_agencies(agencies_path, list(Place.objects.order_by("pk")))
        results.append(_bench("agencies", "import_agencies", agencies_path, "--campaign", "bench"))
        print(*results[1].lines(), sep="\n")
    print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return _verdict(results)


def _verdict(results: list[Result]) -> int:
    targets = {"places": PLACES_TARGET_SECONDS, "agencies": AGENCIES_TARGET_SECONDS}
    problems = [f"{name} not measured: no places were imported" for name in list(targets)[len(results) :]]
    for result in results:
        took = result.failed or f"{result.seconds:.2f} s"
        if result.failed or result.seconds >= targets[result.name]:
            problems.append(f"{result.name}: {took}; the target is under {targets[result.name]:.0f} s")
    for problem in problems:
        print(f"MISSED: {problem}")
    if not problems:
        print(f"OK: places under {PLACES_TARGET_SECONDS:.0f} s, agencies under {AGENCIES_TARGET_SECONDS:.0f} s")
    return 1 if problems else 0


def _bench(name: str, command: str, path: str, *args: str) -> Result:
    from django.core.management.base import CommandError

    rows = _count_rows(path)
    try:
        peak = _traced_peak(command, path, *args, "--dry-run")
        seconds, summary = _timed(command, path, *args)
        again, _ = _timed(command, path, *args)
    except CommandError as error:
        return Result(name, rows, 0.0, 0.0, 0.0, "", failed=str(error))
    return Result(name, rows, seconds, again, peak, summary)


def _call(command: str, path: str, *args: str) -> str:
    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, path, *args, stdout=out, stderr=err)
    finally:
        problems = err.getvalue().splitlines()
        for problem in problems[:10]:
            print(f"  {problem}", file=sys.stderr)
        if len(problems) > 10:
            print(f"  … and {len(problems) - 10} more", file=sys.stderr)
    return " ".join(out.getvalue().split("\n")).strip()


def _traced_peak(command: str, path: str, *args: str) -> float:
    """tracemalloc slows Python down several times over, so this run is not the timed one."""
    tracemalloc.start()
    try:
        _call(command, path, *args)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _timed(command: str, path: str, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    summary = _call(command, path, *args)
    return time.perf_counter() - started, summary


def _count_rows(path: str) -> int:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def _write_synthetic_places(path: str) -> None:
    """About as many places as the OCD list, in every state, with repeated names of other kinds."""
    rng = random.Random(1)
    per_state = SYNTHETIC_PLACES // len(STATES) + 1
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("id", "name", "census_geoid"))
        written = 0
        for number, state in enumerate(STATES, start=1):
            for n in range(per_state):
                if written == SYNTHETIC_PLACES:
                    return
                # Every tenth place is a township in a county whose name a place of another kind shares.
                kind = "township" if n % 10 == 0 else rng.choice(KINDS)
                name = f"Placeville {n - 1 if n % 10 == 1 else n}"
                county = f"county:county_{n % 40}/" if kind == "township" else ""
                ocd_id = f"ocd-division/country:us/state:{state}/{county}place:{name.lower().replace(' ', '_')}"
                writer.writerow((ocd_id, f"{name} {kind}", f"place-{number:02}{n:05}"))
                written += 1


def _write_synthetic_agencies(path: str, places: list[object]) -> None:
    """2,000 agencies, each with a partnership and a citation; every fourth has a second program.

    Places are named as an organizer would: by name and state when that is unique, otherwise by
    name with the OCD id beside it.
    """
    from campaigns.models import Place

    typed: list[Place] = [p for p in places if isinstance(p, Place)]
    names = Counter((p.state, p.search_name) for p in typed)
    header = (
        "agency,state,place,place_ocd_id,agency_kind,vendor,program,started_on,ended_on,how_known,"
        "source_url,source_title,quote,locator"
    )
    step = max(1, len(typed) // AGENCIES)
    lines = [header]
    for n in range(AGENCIES):
        place = typed[(n * step) % len(typed)]
        ocd_id = place.ocd_id if names[(place.state, place.search_name)] > 1 else ""
        source = ("https://example.org/library", "") if n % 2 else (f"https://example.org/report-{n}", f"Report {n}")
        cells = [f"Agency {n} Police", place.state, place.name, ocd_id, "police" if n % 3 else "sheriff"]
        cells += ["ring", "neighbors_portal", f"{2018 + n % 4}-0{1 + n % 9}", "", "Ring's map", *source, "", f"p. {n}"]
        lines.append(_csv_line(cells))
        if n % 4 == 0:
            cells[5:10] = ["ring", "request_for_assistance", f"{2021 + n % 3}", "2024-01-15", "Ring's RFA list"]
            lines.append(_csv_line(cells))
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _csv_line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


if __name__ == "__main__":
    sys.exit(main())
