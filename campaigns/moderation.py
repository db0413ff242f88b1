"""Organizers' review of signatures: approving a held one counts it, rejecting a counted one uncounts it.

A signature counts when it is confirmed and accepted (Signature.is_counted). Review changes only
the second half, so the tallies move only when a decision changes whether a confirmed signature
counts: approving an unconfirmed one lets its confirmation count it later, and a rejected one
never counts, whenever it is confirmed.
"""

from __future__ import annotations

from django.db import transaction

from accounts import audit
from accounts.models import AuditEvent, User
from campaigns import tallies
from campaigns.models import Review, Signature


@transaction.atomic
def approve_signature(*, signature: Signature, actor: User, via: str) -> Signature:
    return _decide(signature, Review.ACCEPTED, actor=actor, via=via)


@transaction.atomic
def reject_signature(*, signature: Signature, actor: User, via: str) -> Signature:
    return _decide(signature, Review.REJECTED, actor=actor, via=via)


def _decide(signature: Signature, decision: Review, *, actor: User, via: str) -> Signature:
    # Locked, as count_confirmed locks it: a confirmation arriving at the same moment either
    # commits first (and we see confirmed_at) or waits for us (and sees the new review).
    locked = Signature.objects.select_for_update(of=("self",)).select_related("petition").get(pk=signature.pk)
    before = locked.review
    if before == decision:
        return locked  # a second click, or two organizers at once: nothing changes, nothing is counted twice
    was_counted = locked.is_counted
    locked.review = decision
    locked.save(update_fields=["review"])
    if locked.is_counted != was_counted:
        tallies.add_to_tallies([(locked.petition_id, locked.place_id)], delta=1 if locked.is_counted else -1)
    audit.record_write(
        actor=actor,
        via=via,
        action=AuditEvent.Action.UPDATE,
        instance=locked,
        campaign_id=locked.petition.campaign_id,
        # The review only: a snapshot would carry the supporter and the IP hash into the append-only trail.
        before={"review": before},
        after={"review": decision.value},
    )
    return locked
