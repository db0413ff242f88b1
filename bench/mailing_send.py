"""A 10,000-recipient mailing, paused and resumed mid-send, through Celery and Redis to an SMTP sink.

Run from the project root:

    DJANGO_SETTINGS_MODULE=backend.settings_test .venv/bin/python -m bench.mailing_send

In a throwaway database (bench_townhall_<pid>), with a throwaway redis-server as the broker, one
`celery -A backend worker -Q bulk -c 2` delivering to an aiosmtpd sink in its own process that
takes 2-5 ms per message, all on 127.0.0.1. 10,000 confirmed supporters who asked for updates
(plus some who did not, or unsubscribed) get an owner's mailing: the worker prepares it (one held
message per recipient) and the bulk send releases it at its rate, this process standing in for
beat's release tick every second. Once PAUSE_AT messages have arrived the owner pauses it, waits,
and resumes it. Prints the preparation and delivery rates and the counts that show no one got it
twice and no one was skipped; exits 1 if any message is missing, doubled or sent during the pause,
or if anyone outside the segment got it.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING, Any

import django

from bench.mail_rig import SinkProcess, bench_database, celery_workers, sink_process

if TYPE_CHECKING:
    from mailings.models import Mailing

RECIPIENTS = 10_000
OUTSIDE = 300  # supporters the segment leaves out: no consent, unsubscribed
SINK_DELAY_SECONDS = (0.002, 0.005)
WORKERS = [("bulk", 2)]
RATE_PER_MINUTE = 120_000
PAUSE_AT = 3_000
PAUSE_SECONDS = 5.0
TICK_SECONDS = 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--recipients", type=int, default=RECIPIENTS)
    options = parser.parse_args()
    django.setup()
    from tests.emails.celery_broker import celery_on_broker, throwaway_redis

    with (
        bench_database(),
        sink_process(delay_seconds=SINK_DELAY_SECONDS) as sink,
        throwaway_redis() as broker,
        celery_on_broker(broker.url),
        celery_workers(WORKERS, broker_url=broker.url, smtp_port=sink.port),
    ):
        return _run(sink, options.recipients)


def _run(sink: SinkProcess, recipients: int) -> int:
    low, high = SINK_DELAY_SECONDS
    print(f"sink: aiosmtpd on 127.0.0.1:{sink.port}, {low * 1000:g}-{high * 1000:g} ms per message", flush=True)
    owner, mailing = _world(recipients)
    from mailings import sending

    started = time.monotonic()
    sending.send_mailing(mailing=mailing, actor=owner, via="bench")
    prepared_in = _wait_prepared(mailing, timeout=600)
    print(
        f"prepared {recipients:,} held messages in the worker in {prepared_in:.1f} s "
        f"({recipients / prepared_in:,.0f}/s)"
    )
    if not _release_until(sink, min(PAUSE_AT, recipients), timeout=600):
        print(f"MISSED: only {sink.count:,} messages arrived before the pause")
        return 1
    pause_started = time.monotonic()
    paused = _pause(sink, owner, mailing)
    resumed_at = time.monotonic()
    sending.resume_mailing(mailing=mailing, actor=owner, via="bench")
    complete = _release_until(sink, recipients, timeout=max(600, recipients / 10))
    sending_seconds = sink.last_at - started - prepared_in - (resumed_at - pause_started)
    print(
        f"delivered {sink.count:,} in {sink.last_at - started:.1f} s from send(): {prepared_in:.1f} s preparing, "
        f"{resumed_at - pause_started:.1f} s paused, {sending_seconds:.1f} s sending "
        f"({recipients / max(sending_seconds, 1e-9):,.0f}/s at the sink)"
    )
    problems = _problems(sink, mailing, recipients, complete, paused)
    for problem in problems:
        print(f"MISSED: {problem}")
    if not problems:
        print("OK: every recipient got the mailing once; nothing went out while paused; no one outside the segment")
    return 1 if problems else 0


def _world(recipients: int) -> tuple[Any, Mailing]:
    """Supporters (not timed): the segment, and some it must leave out."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from campaigns.models import Campaign, Membership, Petition, Place, Role, Signature
    from emails.models import Unsubscribe
    from mailings.composing import MailingInput, VariantInput, compose_mailing
    from privacy.addresses import address_hash
    from supporters.models import Supporter

    started = time.monotonic()
    now = timezone.now()
    with transaction.atomic():
        owner = User.objects.create_user(email="owner@example.org", password="bench only")  # noqa: S106
        campaign = Campaign.objects.create(slug="ring", title="End Ring partnerships")
        Membership.objects.create(user=owner, campaign=campaign, role=Role.OWNER)
        place = Place.objects.create(
            ocd_id="ocd-division/country:us/state:nj/place:bloomfield", name="Bloomfield", state="NJ"
        )
        petition = Petition.objects.create(campaign=campaign, slug="end-ring", title="End Ring", text="End it.")
        people = Supporter.objects.bulk_create(
            Supporter(
                email=f"reader{n}@example.org",
                name=f"Reader {n}",
                language="es" if n % 3 == 0 else "en",
                confirmed_at=now,
            )
            for n in range(recipients + OUTSIDE)
        )
        Signature.objects.bulk_create(
            Signature(
                petition=petition,
                supporter=person,
                place=place,
                email_updates=n < recipients or n % 2 == 1,
                consent_version="bench",
                confirmed_at=now,
            )
            for n, person in enumerate(people)
        )
        # The odd ones outside the segment asked for updates but have since unsubscribed.
        Unsubscribe.objects.bulk_create(
            Unsubscribe(address_hash=address_hash(f"reader{n}@example.org"), list_key=f"campaign:{campaign.pk}")
            for n in range(recipients, recipients + OUTSIDE)
            if n % 2 == 1
        )
        text = "Hello {{ first_name | friend }},\n\nThe council of {{ place }} meets on Tuesday at 7 pm. Come!"
        spanish = "Hola {{ first_name | amiga }}:\n\nEl concejo de {{ place }} se reúne el martes a las 19 h. ¡Ven!"
        mailing = compose_mailing(
            campaign=campaign,
            data=MailingInput(
                title="Council meeting",
                variants=[
                    VariantInput(language="en", subject="{{ place }}: the council meets Tuesday", text=text),
                    VariantInput(language="es", subject="{{ place }}: el concejo se reúne el martes", text=spanish),
                ],
                rate_per_minute=RATE_PER_MINUTE,
            ),
            actor=owner,
            via="bench",
        )
    print(
        f"{recipients:,} supporters in the segment, {OUTSIDE} outside it, "
        f"written in {time.monotonic() - started:.1f} s (not timed)",
        flush=True,
    )
    return owner, mailing


def _wait_prepared(mailing: Mailing, *, timeout: float) -> float:
    from mailings.models import Mailing

    started = time.monotonic()
    while Mailing.objects.get(pk=mailing.pk).state != Mailing.State.SENDING:
        if time.monotonic() - started > timeout:
            raise RuntimeError("the worker did not prepare the mailing")
        time.sleep(0.1)
    return time.monotonic() - started


def _release_until(sink: SinkProcess, count: int, *, timeout: float) -> bool:
    """Beat's release tick, every TICK_SECONDS, until `count` messages have arrived."""
    from emails import bulk

    deadline = time.monotonic() + timeout
    while sink.count < count:
        if time.monotonic() > deadline:
            return False
        bulk.release_running()
        time.sleep(TICK_SECONDS if sink.count + 50 < count else 0.01)
    return True


def _pause(sink: SinkProcess, owner: Any, mailing: Mailing) -> tuple[int, int]:
    """Pauses, waits; (messages arrived when paused, messages arrived during the pause)."""
    from emails import bulk
    from mailings import sending

    sending.pause_mailing(mailing=mailing, actor=owner, via="bench")
    at_pause = _settled_count(sink)
    print(f"paused after {at_pause:,} arrivals", flush=True)
    deadline = time.monotonic() + PAUSE_SECONDS
    while time.monotonic() < deadline:
        bulk.release_running()  # beat keeps ticking: a paused send releases nothing
        time.sleep(TICK_SECONDS)
    during = _settled_count(sink) - at_pause
    print(f"during the {PAUSE_SECONDS:g} s pause: {during} more arrived", flush=True)
    return at_pause, during


def _settled_count(sink: SinkProcess) -> int:
    """The sink's count once messages already in a worker's hands at the pause have landed."""
    last = -1
    while sink.count != last:
        last = sink.count
        time.sleep(0.5)
    return last


def _problems(
    sink: SinkProcess, mailing: Mailing, recipients: int, complete: bool, paused: tuple[int, int]
) -> list[str]:
    from django.db.models import Count

    from emails.models import OutboundMessage, Status

    deadline = time.monotonic() + 30
    messages = OutboundMessage.objects.filter(bulk__mailing=mailing)
    while messages.exclude(status=Status.SENT).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    by_status = dict(messages.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    distinct = sink.count - sink.duplicates
    print(
        f"counts: {recipients:,} in the segment, {messages.count():,} messages written, "
        f"{by_status.get(Status.SENT, 0):,} marked sent, {sink.count:,} arrived, {sink.duplicates} twice, "
        f"{distinct:,} distinct, {recipients - distinct:,} skipped"
    )
    problems = []
    if messages.count() != recipients:
        problems.append(f"{messages.count():,} messages were written for {recipients:,} recipients")
    if not complete or distinct != recipients:
        problems.append(f"{recipients - distinct:,} recipients got nothing")
    if sink.duplicates:
        problems.append(f"{sink.duplicates} messages arrived twice")
    if sink.count > recipients:
        problems.append(f"{sink.count - recipients} messages went to someone outside the segment")
    if paused[1]:
        problems.append(f"{paused[1]} messages arrived while the mailing was paused")
    if by_status.get(Status.SENT, 0) != recipients:
        problems.append(f"{recipients - by_status.get(Status.SENT, 0):,} messages are not marked sent")
    return problems


if __name__ == "__main__":
    sys.exit(main())
