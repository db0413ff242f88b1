"""Digests group an official's letters by the campaign's day; the hourly cap sends the rest to the digest."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from unittest import mock

from django.utils import timezone

from campaigns.letters import digests
from campaigns.models import DeliveryMode, LetterDelivery
from emails.models import OutboundMessage
from tests.letters.conftest import letters_to, write_and_confirm

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=NEW_YORK)


def test_it_groups_digest_letters_by_the_day_in_the_campaigns_time_zone(
    drive, officials, bloomfield, mailoutbox, on_commit
):
    drive.delivery_mode = DeliveryMode.DIGEST
    drive.save()
    # 23:30 and 00:30 in New York: two days there, one day (04:30 and 05:30) in UTC.
    first = timezone.localtime(timezone.now(), NEW_YORK).date() - dt.timedelta(days=1)
    second = first + dt.timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=at(first, 23, 30)):
        write_and_confirm(drive, bloomfield, mailoutbox, on_commit, email="a@example.org")
    with mock.patch("django.utils.timezone.now", return_value=at(second, 0, 30)):
        write_and_confirm(drive, bloomfield, mailoutbox, on_commit, email="b@example.org")
    assert letters_to(mailoutbox, "rivera@bloomfield.example.gov") == []
    days = set(LetterDelivery.objects.values_list("digest_day", flat=True))
    assert days == {first, second}

    with on_commit(execute=True):
        assert digests.send_due_digests(now=at(second, 12)) == 2  # the 10th is over, for both officials
        assert digests.send_due_digests(now=at(second, 13)) == 0  # the 11th is not; nothing twice

    rivera = letters_to(mailoutbox, "rivera@bloomfield.example.gov")
    assert len(rivera) == 1
    assert rivera[0].subject.startswith("1 letter from constituents")
    assert "a@example.org" not in rivera[0].body and "Dear Ana Rivera" in rivera[0].body

    with on_commit(execute=True):
        assert digests.send_due_digests(now=at(second + dt.timedelta(days=1), 0, 1)) == 2
    assert len(letters_to(mailoutbox, "rivera@bloomfield.example.gov")) == 2
    assert not digests.waiting().exists()


def test_it_splits_a_long_day_into_several_digest_messages(
    drive, officials, bloomfield, mailoutbox, on_commit, settings
):
    drive.delivery_mode = DeliveryMode.DIGEST
    drive.save()
    for number in range(3):
        write_and_confirm(drive, bloomfield, mailoutbox, on_commit, email=f"w{number}@example.org")
    with mock.patch.object(digests, "DIGEST_MAX_LETTERS", 2), on_commit(execute=True):
        digests.send_due_digests(now=timezone.now() + dt.timedelta(days=2))
    assert len(letters_to(mailoutbox, "chen@bloomfield.example.gov")) == 2
    assert not digests.waiting().exists()


def test_it_sends_an_official_who_asked_for_digests_only_no_single_letter(
    drive, officials, bloomfield, mailoutbox, on_commit
):
    officials["chen"].letters_digest_only = True
    officials["chen"].save()
    write_and_confirm(drive, bloomfield, mailoutbox, on_commit)
    assert letters_to(mailoutbox, "chen@bloomfield.example.gov") == []
    assert len(letters_to(mailoutbox, "rivera@bloomfield.example.gov")) == 1
    # Still counted for them, and delivered with the next digest.
    assert LetterDelivery.objects.filter(official=officials["chen"], route="digest").count() == 1


def test_it_holds_letters_beyond_the_hourly_cap_for_the_digest(drive, officials, bloomfield, mailoutbox, on_commit):
    drive.hourly_cap_per_official = 2
    drive.save()
    for number in range(5):
        write_and_confirm(drive, bloomfield, mailoutbox, on_commit, email=f"w{number}@example.org")

    assert len(letters_to(mailoutbox, "rivera@bloomfield.example.gov")) == 2
    assert LetterDelivery.objects.filter(official=officials["rivera"], route="digest").count() == 3

    # An hour later the cap has room again.
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + dt.timedelta(minutes=61)):
        write_and_confirm(drive, bloomfield, mailoutbox, on_commit, email="later@example.org")
    assert len(letters_to(mailoutbox, "rivera@bloomfield.example.gov")) == 3

    with on_commit(execute=True):
        digests.send_due_digests(now=timezone.now() + dt.timedelta(days=2))
    rivera = letters_to(mailoutbox, "rivera@bloomfield.example.gov")
    assert len(rivera) == 4 and rivera[-1].subject.startswith("3 letters from constituents")
    assert OutboundMessage.objects.filter(kind="campaigns.letter_digest").count() == 2


def test_an_official_who_left_office_gets_no_digest(drive, officials, bloomfield, mailoutbox, on_commit):
    drive.delivery_mode = DeliveryMode.DIGEST
    drive.save()
    write_and_confirm(drive, bloomfield, mailoutbox, on_commit)
    officials["chen"].is_active = False
    officials["chen"].save()

    with on_commit(execute=True):
        assert digests.send_due_digests(now=timezone.now() + dt.timedelta(days=2)) == 1

    assert letters_to(mailoutbox, "chen@bloomfield.example.gov") == []
    assert len(letters_to(mailoutbox, "rivera@bloomfield.example.gov")) == 1
