"""Moderation: links, listed words and letters unlike the template wait for an organizer; rejected ones never go."""

from __future__ import annotations

import pytest

from accounts.models import AuditEvent
from campaigns.letters import moderation
from campaigns.models import Review
from tests.letters.conftest import TEMPLATE, letters_to, write_and_confirm


@pytest.mark.parametrize(
    ("body", "flag"),
    [
        (TEMPLATE + "\nSee https://evil.example/x", moderation.LINK),
        (TEMPLATE + "\nMore at www.example.org", moderation.LINK),
        (TEMPLATE + "\nRead bit.ly/abc or spam.com", moderation.LINK),
        (TEMPLATE + "\nYou are an IDIOT.", moderation.HELD_WORD),
        (TEMPLATE + "\nWe should burn it down.", moderation.HELD_WORD),
        ("Buy cheap watches today, the finest replica watches anywhere in the world.", moderation.UNLIKE_TEMPLATE),
    ],
)
def test_it_holds_letters_for_an_organizer(drive, officials, bloomfield, mailoutbox, on_commit, body, flag):
    letter = write_and_confirm(drive, bloomfield, mailoutbox, on_commit, body=body)
    assert letter.review == Review.HELD
    assert flag in letter.flags
    assert len(mailoutbox) == 1  # the confirmation only: held letters are not delivered


def test_it_lets_an_edited_letter_through(drive, officials, bloomfield, mailoutbox, on_commit):
    edited = TEMPLATE.replace("Sincerely", "With thanks for your work on the budget") + "\nI have lived here ten years."
    letter = write_and_confirm(drive, bloomfield, mailoutbox, on_commit, body=edited)
    assert letter.review == Review.ACCEPTED and letter.flags == []
    assert len(mailoutbox) == 3


def test_it_does_not_hold_a_word_inside_another_word(drive):
    assert moderation.text_flags(drive, TEMPLATE + "\nIdiotproof plans.") == []


def test_the_similarity_is_token_jaccard_without_placeholders():
    assert moderation.similarity("a b c d", "a b c d") == 1.0
    assert moderation.similarity("a b {{ place }}", "a b c d") == 0.5
    assert moderation.similarity("x y", "a b") == 0.0
    assert moderation.SIMILARITY_THRESHOLD == 0.3


def test_an_approved_confirmed_letter_goes_out(drive, officials, bloomfield, mailoutbox, on_commit, alice):
    letter = write_and_confirm(drive, bloomfield, mailoutbox, on_commit, body=TEMPLATE + " www.example.org")
    with on_commit(execute=True):
        moderation.approve_letter(letter=letter, actor=alice, via="test")
    assert len(letters_to(mailoutbox, "rivera@bloomfield.example.gov")) == 1
    event = AuditEvent.objects.get(target_label="letter")
    assert (event.actor, event.action, event.changes) == (
        alice,
        AuditEvent.Action.UPDATE,
        {"review": ["held", "accepted"]},
    )


def test_a_rejected_letter_is_never_sent(drive, officials, bloomfield, mailoutbox, on_commit, alice):
    with on_commit(execute=True):
        from tests.letters.conftest import write

        letter = write(drive, bloomfield, body=TEMPLATE + " www.example.org")
        moderation.reject_letter(letter=letter, actor=alice, via="test")
    # Writing again, then confirming, keeps the rejection.
    letter = write_and_confirm(drive, bloomfield, mailoutbox, on_commit)
    assert letter.review == Review.REJECTED
    assert all(mail.to == ["dana@example.org"] for mail in mailoutbox)
