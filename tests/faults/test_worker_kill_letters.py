"""A Celery worker delivering 500 confirmed letters is SIGKILLed halfway, then started again.

Nothing is lost: once beat's sweeps have run (`plan_missed_letters` for planning tasks that died
with the worker, `sweep_outbox` republishing messages whose delivery task died and resending those
claimed before the kill), every letter has one delivery per official and each official has every
letter. A message can arrive twice only when the dead worker had claimed it and not recorded it
(the server may or may not have it): at most those, each with its original Message-ID.
"""

from __future__ import annotations

import json
import time
from collections import Counter

import pytest

from tests.emails.smtp_sink import SmtpSink
from tests.faults.stack import Stack, kill, wait_until_disconnected

# django_db: the test database must exist, the cluster gets its schema from it.
pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.django_db]

LETTERS = 500
OFFICIALS = 2  # Bloomfield's council members: each letter is two deliveries
EXPECTED = LETTERS * OFFICIALS

# 500 supporters whose letters were confirmed; each confirmation queued its letter's planning task
# (campaigns.letters.delivery.plan_after_commit), on the bulk queue of the stack's Redis.
SETUP = f"""
from django.utils import timezone
from campaigns.letters.tasks import plan_letter_deliveries
from campaigns.models import Campaign, Letter, LetterCampaign, Official, Place
from supporters.models import Supporter
campaign = Campaign.objects.get(slug="ring")
campaign.sending_address = "letters@townhall.example.org"
campaign.save(update_fields=["sending_address"])
place = Place.objects.get(ocd_id="ocd-division/country:us/state:nj/place:bloomfield")
for n in range({OFFICIALS}):
    email = f"member{{n}}@bloomfield.example.gov"
    Official.objects.create(campaign=campaign, place=place, name=f"Member {{n}}", email=email)
drive = LetterCampaign.objects.create(
    campaign=campaign, slug="end-ring-letters", title="Write to your council",
    subject_template="Please end the Ring partnership in {{{{ place }}}}",
    body_template="Dear {{{{ official_name }}}}, I live in {{{{ place }}}}. Please end it. {{{{ supporter_name }}}}",
)
now = timezone.now()
writers = Supporter.objects.bulk_create(
    Supporter(email=f"writer{{n}}@example.org", name=f"Writer {{n}}", language="en", confirmed_at=now)
    for n in range({LETTERS})
)
letters = Letter.objects.bulk_create(
    Letter(letter_campaign=drive, supporter=writer, place=place, subject=drive.subject_template,
           body=drive.body_template, consent_version=drive.consent_version, confirmed_at=now)
    for writer in writers
)
for letter in letters:
    plan_letter_deliveries.delay(letter.pk)
print(len(letters))
"""

# Beat's two sweeps, run now instead of on their schedule: letters unplanned at any age, messages
# due at any age, and in doubt what was claimed before the kill (the new worker's claims are younger).
SWEEPS = """
import datetime as dt, json, time
from django.conf import settings
from campaigns.letters.delivery import plan_missed
from emails.sweeps import sweep_outbox
settings.EMAIL_REPUBLISH_AFTER_SECONDS = 0
settings.EMAIL_IN_DOUBT_AFTER_SECONDS = int(time.time() - {killed_at})
planned = plan_missed(older_than=dt.timedelta(0))
report = sweep_outbox()
print(json.dumps({{"planned": planned, "published": report.published, "resent": report.resent_in_doubt,
                  "failed": report.failed_in_doubt}}))
"""

LETTER_MESSAGES = """
SELECT m.message_id, m.status FROM campaigns_letterdelivery d JOIN emails_outboundmessage m ON m.id = d.message_id
"""


def wait_until_quiet(sink: SmtpSink, *, target: int, quiet: float, timeout: float) -> None:
    """Until `target` copies arrived, or nothing arrived for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    seen, since = -1, time.monotonic()
    while len(sink.received) < target and time.monotonic() < deadline:
        if len(sink.received) != seen:
            seen, since = len(sink.received), time.monotonic()
        elif time.monotonic() - since > quiet:
            return
        time.sleep(0.05)


def test_a_worker_killed_mid_batch_loses_no_letter_and_resends_only_what_it_had_claimed(
    stack: Stack, sink: SmtpSink
) -> None:
    stack.start_worker(wait=False)  # boots while the letters are written
    assert stack.shell(SETUP).split() == [str(LETTERS)]
    stack.wait_until_worker_ready()

    assert sink.wait_for(EXPECTED // 2, timeout=120), f"{len(sink.received)} of {EXPECTED} arrived"
    kill(stack, "worker")
    killed_at = time.time()
    arrived_at_kill = len(sink.received)
    wait_until_disconnected(stack)  # the dead worker's last statement has committed or rolled back
    in_doubt = {row[0] for row in stack.query("SELECT message_id FROM emails_outboundmessage WHERE status = 'sending'")}
    planned = stack.query("SELECT count(*) FROM campaigns_letter WHERE planned_at IS NOT NULL")[0][0]
    print(
        f"\nkilled after {arrived_at_kill} of {EXPECTED} messages arrived; {planned} of {LETTERS} letters planned; "
        f"{len(in_doubt)} claimed and unrecorded"
    )
    assert arrived_at_kill < EXPECTED, "the kill must come mid-batch"

    stack.start_worker()  # what compose's restart policy or Kubernetes does
    sweeps = []
    for _round in range(4):
        # The new worker drains what the broker still holds; the sweeps bring back what died with the old one.
        wait_until_quiet(sink, target=EXPECTED + len(in_doubt), quiet=2, timeout=90)
        if Counter(status for _id, status in stack.query(LETTER_MESSAGES)) == {"sent": EXPECTED}:
            break
        sweeps.append(json.loads(stack.shell(SWEEPS.format(killed_at=killed_at)).strip().splitlines()[-1]))
    time.sleep(0.5)  # anything sent twice would arrive now
    print(f"sweeps: {sweeps}; {len(sink.received)} copies arrived")

    # Every (letter, official) delivery exists once, its message sent.
    deliveries = stack.query(
        "SELECT letter_id, official_id, count(*), bool_and(message_id IS NOT NULL) FROM campaigns_letterdelivery "
        "GROUP BY letter_id, official_id"
    )
    assert len(deliveries) == EXPECTED
    assert {(count, has_message) for _letter, _official, count, has_message in deliveries} == {(1, True)}
    wanted = dict(stack.query(LETTER_MESSAGES))
    assert len(wanted) == EXPECTED
    assert set(wanted.values()) == {"sent"}, Counter(wanted.values())

    # Every one of them arrived; nothing arrived that no delivery knows (a copy under a new Message-ID).
    copies = Counter(sink.message_ids())
    assert set(copies) == set(wanted), (len(set(wanted) - set(copies)), len(set(copies) - set(wanted)))
    # Each official got each letter: a copy of every letter, under as many Message-IDs as letters.
    recipient_of = {received.message_id: str(received.parsed()["To"]) for received in sink.received}
    assert Counter(recipient_of.values()) == {f"member{n}@bloomfield.example.gov": LETTERS for n in range(OFFICIALS)}

    # Copies twice: only messages the dead worker had claimed without recording, each under its own Message-ID.
    duplicated = {message_id: count for message_id, count in copies.items() if count > 1}
    print(f"duplicates: {sum(count - 1 for count in duplicated.values())} (at most {len(in_doubt)})")
    assert set(duplicated) <= in_doubt, set(duplicated) - in_doubt
    assert all(count == 2 for count in duplicated.values()), duplicated
    assert sum(count - 1 for count in duplicated.values()) <= len(in_doubt)
