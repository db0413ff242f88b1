"""Creating campaigns and managing who belongs to them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts import audit
from accounts.models import AuditEvent, User
from campaigns.models import Campaign, Membership, Role


@transaction.atomic
def create_campaign(*, creator: User, slug: str, title: str, is_public: bool = False) -> Campaign:
    try:
        with transaction.atomic():  # a savepoint: a racing duplicate must not spoil the outer transaction
            campaign = Campaign.objects.create(slug=slug, title=title, is_public=is_public)
    except IntegrityError:
        raise ValidationError({"slug": ["A campaign with this slug exists already."]}) from None
    Membership.objects.create(user=creator, campaign=campaign, role=Role.OWNER)
    audit.record_write(
        actor=creator,
        via="api",
        action=AuditEvent.Action.CREATE,
        instance=campaign,
        campaign_id=campaign.pk,
        after=audit.snapshot(campaign),
    )
    return campaign


@transaction.atomic
def change_role(*, membership: Membership, role: Role, actor: User, via: str) -> Membership:
    before = audit.snapshot(membership)
    if membership.role == Role.OWNER and role != Role.OWNER:
        _refuse_if_last_owner(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    audit.record_write(
        actor=actor,
        via=via,
        action=AuditEvent.Action.UPDATE,
        instance=membership,
        campaign_id=membership.campaign_id,
        before=before,
        after=audit.snapshot(membership),
    )
    return membership


@transaction.atomic
def remove_member(*, membership: Membership, actor: User, via: str) -> None:
    if membership.role == Role.OWNER:
        _refuse_if_last_owner(membership)
    before = audit.snapshot(membership)
    audit.record_write(
        actor=actor,
        via=via,
        action=AuditEvent.Action.DELETE,
        instance=membership,
        campaign_id=membership.campaign_id,
        before=before,
    )
    membership.delete()


def _refuse_if_last_owner(membership: Membership) -> None:
    # Lock the campaign's owner rows so two owners demoting each other at once can't leave none.
    owners = list(Membership.objects.owners().filter(campaign_id=membership.campaign_id).select_for_update())
    if [owner.pk for owner in owners] == [membership.pk]:
        raise ValidationError({"role": ["A campaign needs at least one owner; make someone else owner first."]})
