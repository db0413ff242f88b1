"""Letters in "my data": exported with their state, erased or anonymized, purged when never confirmed."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from campaigns.letters import moderation
from campaigns.models import Letter, LetterDelivery
from emails.models import OutboundMessage
from privacy import rights
from privacy.addresses import address_hashes
from supporters.models import Supporter
from tests.letters.conftest import TEMPLATE, write, write_and_confirm

DANA = "dana@example.org"


def my_letters() -> list[dict]:
    return rights.export(address_hashes(DANA))["held"]["letters"]["letters"]


def test_it_shows_a_delivered_letter_with_its_text(drive, officials, bloomfield, mailoutbox, on_commit):
    write_and_confirm(drive, bloomfield, mailoutbox, on_commit)
    (letter,) = my_letters()
    assert letter["state"] == "delivered"
    assert letter["text"] == TEMPLATE
    assert (letter["officials_written_to"], letter["copies_delivered"]) == (2, 2)


def test_it_shows_held_rejected_and_waiting_letters(
    drive, officials, bloomfield, maywood, mailoutbox, on_commit, alice
):
    letter = write_and_confirm(drive, bloomfield, mailoutbox, on_commit, body=TEMPLATE + " www.example.org")
    assert [row["state"] for row in my_letters()] == ["held"]

    moderation.reject_letter(letter=letter, actor=alice, via="test")
    assert [row["state"] for row in my_letters()] == ["rejected"]

    Letter.objects.all().delete()
    drive.delivery_mode = "digest"
    drive.save()
    write_and_confirm(drive, maywood, mailoutbox, on_commit)  # waits for tonight's digest
    (waiting,) = my_letters()
    assert (waiting["state"], waiting["officials_written_to"], waiting["copies_delivered"]) == ("waiting", 1, 0)


def test_it_lists_an_unconfirmed_letter_apart(drive, bloomfield, on_commit):
    with on_commit(execute=True):
        write(drive, bloomfield)
    export = rights.export(address_hashes(DANA))["held"]["letters"]
    assert export["letters"] == [] and len(export["unconfirmed_letters"]) == 1


def test_erasure_keeps_a_confirmed_letter_as_an_anonymous_count(
    drive, ring, officials, bloomfield, mailoutbox, on_commit
):
    letter = write_and_confirm(drive, bloomfield, mailoutbox, on_commit, email_updates=True)

    counts = rights.erase(address_hashes(DANA))

    assert counts["letters"] == {"letters": 1, "unconfirmed_letters": 0, "letter_copies": 2}
    copies = OutboundMessage.objects.filter(kind="campaigns.letter")
    assert [(m.reply_to, m.text_body) for m in copies] == [("", ""), ("", "")]
    letter.refresh_from_db()
    assert (letter.body, letter.subject, letter.email_updates) == ("", "", False)
    assert letter.confirmed_at is not None and LetterDelivery.objects.filter(letter=letter).count() == 2
    assert Supporter.objects.get().email is None


def test_erasure_deletes_an_unconfirmed_letter(drive, bloomfield, on_commit):
    with on_commit(execute=True):
        write(drive, bloomfield)
    assert rights.erase(address_hashes(DANA))["letters"]["unconfirmed_letters"] == 1
    assert not Letter.objects.exists()


def test_it_purges_letters_never_confirmed_with_the_signatures_retention(drive, bloomfield, on_commit, settings):
    with on_commit(execute=True):
        write(drive, bloomfield)
    from campaigns.letters.personal_data import purge

    assert purge(timezone.now()) == {"unconfirmed_letters": 0}
    later = timezone.now() + dt.timedelta(days=settings.SUPPORTER_UNCONFIRMED_RETENTION_DAYS + 1)
    assert purge(later) == {"unconfirmed_letters": 1}
    assert not Letter.objects.exists()
