"""Delivery: each current official of the writer's place gets the letter once, from the campaign."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from campaigns.letters import delivery, figures
from campaigns.letters.tasks import plan_letter_deliveries
from campaigns.models import Letter, LetterDelivery
from emails.models import OutboundMessage
from supporters import confirming
from tests.letters.conftest import confirm_link_of, letters_to, write, write_and_confirm


def test_it_sends_nothing_before_the_address_is_confirmed(drive, officials, bloomfield, mailoutbox, on_commit):
    with on_commit(execute=True):
        write(drive, bloomfield)
    assert [mail.to for mail in mailoutbox] == [["dana@example.org"]]  # the confirmation only
    assert not LetterDelivery.objects.exists()


def test_it_delivers_to_each_current_council_member_of_the_place_once(
    drive, officials, bloomfield, mailoutbox, on_commit
):
    letter = write_and_confirm(drive, bloomfield, mailoutbox, on_commit)

    delivered = sorted(mail.to[0] for mail in mailoutbox[1:])
    assert delivered == ["chen@bloomfield.example.gov", "rivera@bloomfield.example.gov"]
    assert letter.planned_at is not None
    assert LetterDelivery.objects.filter(letter=letter).count() == 2


def test_it_leaves_out_officials_out_of_term_or_inactive_and_other_places(
    drive, officials, bloomfield, mailoutbox, on_commit
):
    write_and_confirm(drive, bloomfield, mailoutbox, on_commit)
    for name in ("former", "future", "inactive", "maywood", "mayor"):
        assert letters_to(mailoutbox, officials[name].email) == [], name


def test_it_writes_to_the_mayor_when_the_drive_says_so(drive, officials, bloomfield, mailoutbox, on_commit):
    drive.include_mayor = True
    drive.save()
    write_and_confirm(drive, bloomfield, mailoutbox, on_commit)
    assert len(letters_to(mailoutbox, "mayor@b.example.gov")) == 1


def test_it_targets_the_offices_the_drive_names(drive, officials, bloomfield, mailoutbox, on_commit):
    drive.target_offices = ["council_president"]
    drive.save()
    write_and_confirm(drive, bloomfield, mailoutbox, on_commit)
    assert sorted(mail.to[0] for mail in mailoutbox[1:]) == ["chen@bloomfield.example.gov"]


def test_it_follows_term_dates_on_the_day_of_planning(drive, officials, bloomfield):
    later = timezone.localdate() + dt.timedelta(days=40)
    names = {official.name for official in delivery.recipients(drive, bloomfield, on=later)}
    assert names == {"Ana Rivera", "Li Chen", "New Member"}
    earlier = timezone.localdate() - dt.timedelta(days=10)
    names = {official.name for official in delivery.recipients(drive, bloomfield, on=earlier)}
    assert names == {"Ana Rivera", "Li Chen", "Old Member"}


def test_it_sends_from_the_campaign_with_reply_to_the_writer_and_the_place_in_headers(
    drive, officials, bloomfield, mailoutbox, on_commit
):
    write_and_confirm(drive, bloomfield, mailoutbox, on_commit)
    mail = letters_to(mailoutbox, "rivera@bloomfield.example.gov")[0]

    assert mail.from_email == "End Ring partnerships <letters@ring.example.org>"
    assert mail.reply_to == ["dana@example.org"]
    assert mail.extra_headers["X-Townhall-Place"] == "Bloomfield, NJ"
    assert mail.extra_headers["X-Townhall-Place-Id"] == "ocd-division/country:us/state:nj/place:bloomfield"
    assert mail.subject == "End the Ring partnership in Bloomfield, NJ"
    assert mail.body.startswith("Dear Ana Rivera,\n\nI live in Bloomfield, NJ")
    assert "Dana Scully" in mail.body
    assert "/officials/position/" in mail.body


def test_it_delivers_once_when_the_task_runs_twice(drive, officials, bloomfield, mailoutbox, on_commit):
    letter = write_and_confirm(drive, bloomfield, mailoutbox, on_commit)
    messages = OutboundMessage.objects.filter(kind="campaigns.letter").count()

    with on_commit(execute=True):
        assert plan_letter_deliveries.delay(letter.pk).get() == 0
        Letter.objects.filter(pk=letter.pk).update(planned_at=None)  # even with its claim lost
        plan_letter_deliveries.delay(letter.pk).get()

    assert OutboundMessage.objects.filter(kind="campaigns.letter").count() == messages == 2
    assert LetterDelivery.objects.filter(letter=letter).count() == 2
    assert len(mailoutbox) == 3  # the confirmation and the two letters


def test_it_keeps_and_reports_a_letter_with_no_official_in_office(drive, ring, maywood, mailoutbox, on_commit):
    letter = write_and_confirm(drive, maywood, mailoutbox, on_commit)  # no officials fixture: nobody in office

    assert letter.no_official_at is not None
    assert letter.planned_at is None
    assert len(mailoutbox) == 1
    assert figures.letter_counts(ring, maywood) == {"received": 1, "confirmed": 1, "delivered": 0, "bounced": 0}
    (row,) = [row for row in figures.per_place(ring) if row["place"] == maywood]
    assert row["no_official"] == 1


def test_it_counts_delivered_letters_per_place(drive, ring, officials, bloomfield, mailoutbox, on_commit):
    write_and_confirm(drive, bloomfield, mailoutbox, on_commit)
    with on_commit(execute=True):
        write(drive, bloomfield, email="fox@example.org")

    assert figures.letter_counts(ring, bloomfield) == {"received": 2, "confirmed": 1, "delivered": 2, "bounced": 0}
    assert figures.counted_letters(ring, bloomfield) == 1


def test_it_lists_confirmed_writers_who_want_updates(drive, ring, officials, bloomfield, mailoutbox, on_commit):
    write_and_confirm(drive, bloomfield, mailoutbox, on_commit, email_updates=True)
    write_and_confirm(drive, bloomfield, mailoutbox, on_commit, email="fox@example.org")
    with on_commit(execute=True):
        write(drive, bloomfield, email="walter@example.org", email_updates=True)

    assert [s.email for s in figures.update_recipients(ring, bloomfield)] == ["dana@example.org"]


def test_a_second_confirmation_click_sends_nothing_more(drive, officials, bloomfield, mailoutbox, on_commit):
    write_and_confirm(drive, bloomfield, mailoutbox, on_commit)
    with on_commit(execute=True):
        confirming.confirm(confirm_link_of(mailoutbox[0]))
    assert len(mailoutbox) == 3
