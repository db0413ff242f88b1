"""Letters to 50 officials through Celery and Redis to an SMTP sink: speed, a worker SIGKILLed, the hourly cap.

Run from the project root:

    DJANGO_SETTINGS_MODULE=backend.settings_test .venv/bin/python -m bench.letter_delivery [--letters 2000]

In a throwaway database (bench_townhall_<pid>), with a throwaway redis-server as the broker and
one `celery -A backend worker -Q bulk,transactional -c 2` (production settings) delivering to an
aiosmtpd sink on 127.0.0.1. Ten places with five council members each: 50 officials; each
confirmed letter goes to the five of its place, so 2,000 letters are 10,000 deliveries.

1. Individual mode, cap off: one planning task per letter (as a confirmation queues it) → the
   outbox → delivery to the sink. Prints letters/s, deliveries/s and e-mails per official.
2. The same again with a new letter drive; once half the messages have arrived the worker (its
   whole process group) is SIGKILLed and a new one started; after at most two minutes, while the
   new worker still drains the queues, beat's sweeps run once as they would (`plan_missed_letters`
   for letters whose planning task died with the worker, `sweep_outbox` republishing queued
   messages and resending those claimed before the kill). Prints missing (target 0) and duplicated
   messages (target: at most the messages the dead worker had claimed, each with the same
   Message-ID).
3. Cap on (`hourly_cap_per_official`, 20 by default): per-official counts in the hour at or under
   the cap, the rest waiting for the digest; then the digests, one per official.

Exits 1 if a message is missing, a duplicate has a new Message-ID or exceeds the claimed ones,
or an official got more than the cap in the hour.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import django

from bench.mail_rig import ROOT, bench_database, worker_environment

PLACES = 10
OFFICIALS_PER_PLACE = 5
LETTERS = 2_000
CAP = 20
CAPPED_LETTERS = 500
_TO = re.compile(rb"^To:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


@dataclass
class Arrivals:
    """What the sink saw, by recipient and by Message-ID (the sink runs in this process, in a thread)."""

    by_recipient: Counter[str] = field(default_factory=Counter)
    by_message_id: Counter[str] = field(default_factory=Counter)
    last_at: float = 0.0

    def add(self, received: Any) -> None:
        found = _TO.search(received.content.split(b"\r\n\r\n", 1)[0])
        self.by_recipient[found.group(1).decode() if found else "?"] += 1
        self.by_message_id[received.message_id] += 1
        self.last_at = received.at

    @property
    def count(self) -> int:
        return sum(self.by_message_id.values())

    def wait_for(self, count: int, *, timeout: float, idle: float = 0.0) -> bool:
        """Until `count` arrived; or, with `idle`, until nothing arrived for that long."""
        deadline, seen, quiet_since = time.monotonic() + timeout, -1, time.monotonic()
        while self.count < count and time.monotonic() < deadline:
            if self.count != seen:
                seen, quiet_since = self.count, time.monotonic()
            elif idle and time.monotonic() - quiet_since > idle:
                return False
            time.sleep(0.02)
        return self.count >= count


class Worker:
    """`celery worker` in a session of its own, so a SIGKILL takes its pool processes with it."""

    def __init__(self, *, broker_url: str, smtp_port: int, name: str) -> None:
        self._environment = worker_environment(broker_url=broker_url, smtp_port=smtp_port)
        self._broker_url = broker_url
        self._name = name
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop)
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "celery", "-A", "backend", "worker", "-Q", "bulk,transactional", "-c", "2"]
        command += ["-n", f"{self._name}-{os.getpid()}@127.0.0.1", "-l", "WARNING", "--prefetch-multiplier", "1"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=self._environment, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self._wait_until_answering()

    def _wait_until_answering(self) -> None:
        """A ping through the broker: the queues may hold work already, so their length says nothing."""
        from backend.celery import app

        node = f"{self._name}-{os.getpid()}@127.0.0.1"
        deadline = time.monotonic() + 120
        while not app.control.ping(destination=[f"celery@{node}", node], timeout=1.0):
            assert self.process is not None
            if self.process.poll() is not None or time.monotonic() > deadline:
                self._log.seek(0)
                print(self._log.read().decode(errors="replace")[-3000:], file=sys.stderr)
                raise RuntimeError("the Celery worker did not start")

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()


@contextmanager
def worker(**options: Any) -> Iterator[Worker]:
    running = Worker(**options)
    running.start()
    try:
        yield running
    finally:
        running.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--letters", type=int, default=LETTERS, help="Letters per run (×5 deliveries).")
    parser.add_argument("--cap", type=int, default=CAP)
    options = parser.parse_args()
    django.setup()
    from tests.emails.celery_broker import celery_on_broker, throwaway_redis
    from tests.emails.smtp_sink import SmtpSink, running_sink

    arrivals = Arrivals()
    sink: SmtpSink
    with (
        bench_database(),
        running_sink(on_message=arrivals.add) as sink,
        throwaway_redis() as broker,
        celery_on_broker(broker.url),
    ):
        print(f"sink: aiosmtpd on 127.0.0.1:{sink.port}; broker: redis-server on {broker.url}", flush=True)
        supporters = _world(options.letters)
        problems = _individual(arrivals, supporters, broker.url, sink.port)
        problems += _killed(arrivals, supporters, broker.url, sink.port)
        problems += _capped(arrivals, supporters[:CAPPED_LETTERS], options.cap, broker.url, sink.port)
    for problem in problems:
        print(f"FAIL: {problem}")
    return 1 if problems else 0


def _world(letters: int) -> list[Any]:
    from django.utils import timezone

    from campaigns.models import Campaign, Official, Place
    from campaigns.tracker import track_place
    from supporters.models import Supporter

    campaign = Campaign.objects.create(
        slug="bench", title="Bench campaign", is_public=True, sending_address="letters@bench.example.org"
    )
    for p in range(PLACES):
        place = Place.objects.create(
            name=f"Place {p}", state="NJ", ocd_id=f"ocd-division/country:us/state:nj/place:bench_{p}"
        )
        track_place(campaign=campaign, place=place, actor=None, via="bench")
        for o in range(OFFICIALS_PER_PLACE):
            Official.objects.create(
                campaign=campaign, place=place, name=f"Member {p}-{o}", email=f"member{o}@place{p}.example.gov"
            )
    started = time.monotonic()
    now = timezone.now()
    people = [
        Supporter.objects.create(email=f"writer{n}@example.org", name=f"Writer {n}", language="en", confirmed_at=now)
        for n in range(letters)
    ]
    print(
        f"world: {PLACES * OFFICIALS_PER_PLACE} officials in {PLACES} places, {letters:,} supporters "
        f"({time.monotonic() - started:.1f} s)",
        flush=True,
    )
    return people


def _confirmed_letters(slug: str, supporters: list[Any], *, cap: int | None = None) -> list[int]:
    """Confirmed, accepted letters of a new drive, one per supporter, spread over the places."""
    from django.utils import timezone

    from campaigns.models import Campaign, Letter, LetterCampaign, Place

    campaign = Campaign.objects.get(slug="bench")
    drive = LetterCampaign.objects.create(
        campaign=campaign,
        slug=slug,
        title=slug,
        subject_template="Please end the partnership in {{ place }}",
        body_template="Dear {{ official_name }}, I live in {{ place }}. Please end it. {{ supporter_name }}",
        hourly_cap_per_official=cap,
    )
    places = list(Place.objects.filter(ocd_id__contains="bench_").order_by("pk"))
    now = timezone.now()
    letters = Letter.objects.bulk_create(
        Letter(
            letter_campaign=drive,
            supporter=supporter,
            place=places[n % len(places)],
            subject=drive.subject_template,
            body=drive.body_template,
            consent_version="bench",
            confirmed_at=now,
        )
        for n, supporter in enumerate(supporters)
    )
    return [letter.pk for letter in letters]


def _queue_planning(letter_ids: list[int]) -> None:
    from campaigns.letters.tasks import plan_letter_deliveries

    for letter_id in letter_ids:  # as each confirmation queues its letter's planning
        plan_letter_deliveries.delay(letter_id)


def _individual(arrivals: Arrivals, supporters: list[Any], broker_url: str, port: int) -> list[str]:
    print("\n1. individual mode, cap off", flush=True)
    letter_ids = _confirmed_letters("run1", supporters)
    expected = len(letter_ids) * OFFICIALS_PER_PLACE
    before = arrivals.count
    per_official_before = Counter(arrivals.by_recipient)
    with worker(broker_url=broker_url, smtp_port=port, name="letters"):
        started = time.monotonic()
        _queue_planning(letter_ids)
        arrived = arrivals.wait_for(before + expected, timeout=900)
        seconds = arrivals.last_at - started
    per_official = arrivals.by_recipient - per_official_before
    print(
        f"   {len(letter_ids):,} letters → {expected:,} deliveries in {seconds:.1f} s: "
        f"{len(letter_ids) / seconds:,.1f} letters/s, {expected / seconds:,.1f} deliveries/s"
    )
    print(
        f"   e-mails per official: min {min(per_official.values())}, max {max(per_official.values())} "
        f"over {len(per_official)} officials",
        flush=True,
    )
    return [] if arrived else [f"run 1: {arrivals.count - before:,} of {expected:,} arrived"]


def _killed(arrivals: Arrivals, supporters: list[Any], broker_url: str, port: int) -> list[str]:
    import datetime as dt

    from django.conf import settings

    from campaigns.letters import delivery
    from campaigns.models import Letter
    from emails import sweeps
    from emails.models import OutboundMessage, Status

    print("\n2. the worker SIGKILLed halfway, then restarted", flush=True)
    letter_ids = _confirmed_letters("run2", supporters)
    expected = len(letter_ids) * OFFICIALS_PER_PLACE
    before = arrivals.count
    seen_before = set(arrivals.by_message_id)
    with worker(broker_url=broker_url, smtp_port=port, name="doomed") as doomed:
        _queue_planning(letter_ids)
        arrivals.wait_for(before + expected // 2, timeout=900)
        doomed.kill()
    killed_at = time.monotonic()
    at_kill = arrivals.count - before
    claimed = OutboundMessage.objects.filter(status=Status.SENDING).count()
    planned = Letter.objects.filter(pk__in=letter_ids, planned_at__isnull=False).count()
    print(
        f"   killed after {at_kill:,} of {expected:,} arrived; {planned:,} of {len(letter_ids):,} letters planned, "
        f"{claimed} messages claimed (in doubt)",
        flush=True,
    )
    with worker(broker_url=broker_url, smtp_port=port, name="restarted"):
        arrivals.wait_for(before + expected, timeout=120, idle=10)
        # Beat's sweeps, once, with their waits shortened: in doubt is only what was claimed before
        # the kill (the new worker's claims are younger); a queued message published twice is still
        # claimed, and sent, once.
        settings.EMAIL_REPUBLISH_AFTER_SECONDS = 0
        settings.EMAIL_IN_DOUBT_AFTER_SECONDS = int(time.monotonic() - killed_at)
        replanned = delivery.plan_missed(older_than=dt.timedelta(0))
        report = sweeps.sweep_outbox()
        print(
            f"   sweeps: {replanned} deliveries planned from lost tasks, {report.published} messages "
            f"republished, {report.resent_in_doubt} resent in doubt",
            flush=True,
        )
        arrivals.wait_for(before + expected + report.resent_in_doubt, timeout=300, idle=15)
    return _losses(arrivals, letter_ids, seen_before, claimed)


def _losses(arrivals: Arrivals, letter_ids: list[int], seen_before: set[str], claimed: int) -> list[str]:
    from campaigns.models import LetterDelivery

    deliveries = LetterDelivery.objects.filter(letter_id__in=letter_ids).select_related("message")
    wanted = {d.message.message_id for d in deliveries if d.message is not None}
    expected = len(letter_ids) * OFFICIALS_PER_PLACE
    missing = expected - len(wanted & set(arrivals.by_message_id))
    run_ids = set(arrivals.by_message_id) - seen_before
    duplicated = sum(arrivals.by_message_id[mid] - 1 for mid in run_ids if arrivals.by_message_id[mid] > 1)
    strangers = run_ids - wanted  # a message no delivery knows: a duplicate under a new Message-ID
    print(
        f"   deliveries: {len(wanted):,} of {expected:,} rows; missing at the sink: {missing}; "
        f"duplicated: {duplicated} (at most {claimed}, the claimed ones), each with its same Message-ID: "
        f"{'yes' if not strangers else f'no, {len(strangers)} new ids'}",
        flush=True,
    )
    problems = []
    if missing:
        problems.append(f"run 2: {missing} messages missing")
    if duplicated > claimed or strangers:
        problems.append(f"run 2: {duplicated} duplicates for {claimed} claimed, {len(strangers)} new Message-IDs")
    return problems


def _wait_until_planned(letter_ids: list[int], *, timeout: float) -> None:
    from campaigns.models import Letter

    deadline = time.monotonic() + timeout
    while Letter.objects.filter(pk__in=letter_ids, planned_at__isnull=True).exists() and time.monotonic() < deadline:
        time.sleep(0.2)


def _new_council() -> None:
    from campaigns.models import Official

    retired = list(Official.objects.filter(is_active=True))
    Official.objects.filter(pk__in=[o.pk for o in retired]).update(is_active=False)
    Official.objects.bulk_create(
        Official(campaign_id=o.campaign_id, place_id=o.place_id, name=f"New {o.name}", email=f"new.{o.email}")
        for o in retired
    )


def _capped(arrivals: Arrivals, supporters: list[Any], cap: int, broker_url: str, port: int) -> list[str]:
    import datetime as dt

    from django.utils import timezone

    from campaigns.letters import digests
    from campaigns.models import LetterDelivery

    print(f"\n3. cap on: {cap} letters per official per hour", flush=True)
    # The cap counts every letter an official got in the hour, whichever drive sent it: runs 1 and
    # 2 filled it. A new council takes office (the old one inactive, so it gets nothing).
    _new_council()
    letter_ids = _confirmed_letters("run3", supporters, cap=cap)
    before = Counter(arrivals.by_recipient)
    first = time.monotonic()
    with worker(broker_url=broker_url, smtp_port=port, name="capped"):
        _queue_planning(letter_ids)
        _wait_until_planned(letter_ids, timeout=600)
        arrivals.wait_for(arrivals.count + cap * PLACES * OFFICIALS_PER_PLACE, timeout=300, idle=10)
        within_hour = arrivals.by_recipient - before
        waiting = digests.waiting().filter(letter_id__in=letter_ids).count()
        print(
            f"   {len(letter_ids)} letters ({len(letter_ids) * OFFICIALS_PER_PLACE // (PLACES * OFFICIALS_PER_PLACE)}"
            f" per official) in {time.monotonic() - first:.0f} s: per-official e-mails this hour min "
            f"{min(within_hour.values())}, max {max(within_hour.values())} (cap {cap}); "
            f"{waiting:,} deliveries wait for the digest",
            flush=True,
        )
        sent_before = arrivals.count
        written = digests.send_due_digests(now=timezone.now() + dt.timedelta(days=1))
        arrivals.wait_for(sent_before + written, timeout=120, idle=10)
        left = LetterDelivery.objects.filter(letter_id__in=letter_ids, message__isnull=True).count()
        print(
            f"   next day: {written} digest messages ({arrivals.count - sent_before} arrived), {left} deliveries "
            f"still waiting",
            flush=True,
        )
    over = {official: count for official, count in within_hour.items() if count > cap}
    return [f"run 3: over the cap: {over}"] if over else []


if __name__ == "__main__":
    sys.exit(main())
