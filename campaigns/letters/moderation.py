"""Which letters wait for an organizer, and the organizers' decisions on them.

A letter is held when its text:
1. has a link (a URL, `www.…`, or a bare domain such as `example.com`): officials' mail filters
   treat constituent mail with links as phishing, and links are how spam rides on a campaign;
2. has a word or phrase from the letter drive's `held_words` list (case-insensitive, whole words);
3. shares too little with the prefilled letter: the token Jaccard similarity — (words in both) / (words in either) of
   the sets of lower-cased words of the letter and of the template, placeholders left out — is
   under SIMILARITY_THRESHOLD (0.3). Editing a few sentences keeps a letter well above it (a letter
   with half its words replaced scores about 0.33); a letter about something else entirely scores
   near 0.

Held letters are never delivered until approved; rejected ones never are. Approving a confirmed
letter plans its delivery at once; approving an unconfirmed one lets its confirmation do it.
"""

from __future__ import annotations

import re

from django.db import transaction

from accounts import audit
from accounts.models import AuditEvent, User
from campaigns.letters import placeholders
from campaigns.models import Letter, LetterCampaign, Review

SIMILARITY_THRESHOLD = 0.3
LINK = "link"
HELD_WORD = "held_word"
UNLIKE_TEMPLATE = "unlike_template"

_LINK = re.compile(
    r"https?://|www\.|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|gov|edu|io|ly|me|co|info|biz|xyz|ru|cn|link|click|us)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+", re.UNICODE)


def text_flags(letter_campaign: LetterCampaign, text: str) -> list[str]:
    """Why this text should wait for an organizer; empty when it may go out once confirmed."""
    flags = []
    if _LINK.search(text):
        flags.append(LINK)
    if _has_held_word(text, letter_campaign.held_word_list):
        flags.append(HELD_WORD)
    if similarity(text, letter_campaign.body_template) < SIMILARITY_THRESHOLD:
        flags.append(UNLIKE_TEMPLATE)
    return flags


def similarity(text: str, template: str) -> float:
    """Token Jaccard similarity of the two texts' word sets, placeholders left out (1.0: same words)."""
    ours, theirs = _tokens(placeholders.strip_placeholders(text)), _tokens(placeholders.strip_placeholders(template))
    if not ours and not theirs:
        return 1.0
    return len(ours & theirs) / len(ours | theirs)


@transaction.atomic
def approve_letter(*, letter: Letter, actor: User, via: str) -> Letter:
    decided = _decide(letter, Review.ACCEPTED, actor=actor, via=via)
    if decided.confirmed_at is not None:
        from campaigns.letters.delivery import plan_after_commit

        plan_after_commit(decided)
    return decided


@transaction.atomic
def reject_letter(*, letter: Letter, actor: User, via: str) -> Letter:
    return _decide(letter, Review.REJECTED, actor=actor, via=via)


def _decide(letter: Letter, decision: Review, *, actor: User, via: str) -> Letter:
    # Locked, as confirming locks it: a confirmation at the same moment sees the decision or waits.
    locked = Letter.objects.select_for_update(of=("self",)).select_related("letter_campaign").get(pk=letter.pk)
    before = locked.review
    if before == decision or locked.planned_at is not None:
        return locked  # a second click; or it went out already (accepted): nothing to undo
    locked.review = decision
    locked.save(update_fields=["review"])
    audit.record_write(
        actor=actor,
        via=via,
        action=AuditEvent.Action.UPDATE,
        instance=locked,
        campaign_id=locked.letter_campaign.campaign_id,
        before={"review": before},
        after={"review": decision.value},
    )
    return locked


def _has_held_word(text: str, words: list[str]) -> bool:
    lowered = text.lower()
    return any(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered) for word in words)


def _tokens(text: str) -> set[str]:
    return {token.lower() for token in _WORD.findall(text)}
