"""Owners invite organizers by e-mail; a link accepts once, before it expires."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from accounts import audit
from accounts.models import AuditEvent, User
from campaigns.mail_kinds import INVITATION_MAIL, ROLE_IN_SENTENCE
from campaigns.models import Campaign, Invitation, Membership, Role
from campaigns.models.invitations import INVITATION_LIFETIME
from campaigns.models.secrets import digest_of, new_secret
from emails.links import absolute_url
from emails.outbox import send

INVITATION_PREFIX = "inv"


class InvitationUnusable(Exception):
    """The link is unknown (mistyped or tampered), used, revoked or expired: `reason` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@transaction.atomic
def invite(*, campaign: Campaign, email: str, role: Role, invited_by: User, via: str) -> Invitation:
    email = email.strip()
    if Membership.objects.filter(campaign=campaign, user__email__iexact=email).exists():
        raise ValidationError({"email": ["This person is already a member of the campaign."]})
    # A new invitation replaces any open one for the same address.
    Invitation.objects.open().filter(campaign=campaign, email__iexact=email).update(revoked_at=timezone.now())
    secret = new_secret(INVITATION_PREFIX)
    invitation = Invitation.objects.create(
        campaign=campaign,
        email=email,
        role=role,
        digest=digest_of(secret),
        invited_by=invited_by,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    audit.record_write(
        actor=invited_by,
        via=via,
        action=AuditEvent.Action.CREATE,
        instance=invitation,
        campaign_id=campaign.pk,
        after=audit.snapshot(invitation),
    )
    _send_invitation(invitation, secret)
    return invitation


def invitation_link(secret: str) -> str:
    return absolute_url("web:invitation", secret=secret)


def usable_invitation(secret: str, *, lock: bool = False) -> Invitation:
    found = Invitation.objects.select_related("campaign").filter(digest=digest_of(secret))
    if lock:
        # Inside a transaction: waits for a concurrent acceptance to commit, then sees the link used.
        found = found.select_for_update(of=("self",))
    invitation = found.first()
    if invitation is None:
        raise InvitationUnusable("unknown")
    if invitation.status != "open":
        raise InvitationUnusable(invitation.status)
    return invitation


@transaction.atomic
def accept_invitation(*, secret: str, user: User) -> Membership:
    invitation = usable_invitation(secret)
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(f"This invitation is for another e-mail address; sign in as {invitation.email}.")
    _claim(invitation, user)
    membership, _ = Membership.objects.get_or_create(
        user=user, campaign=invitation.campaign, defaults={"role": invitation.role}
    )
    audit.record_write(
        actor=user,
        via="web",
        action=AuditEvent.Action.CREATE,
        instance=membership,
        campaign_id=invitation.campaign_id,
        after=audit.snapshot(membership),
    )
    return membership


@transaction.atomic
def create_account_and_accept(*, secret: str, password: str) -> User:
    """A first-time organizer: the link proves the address, so it is verified at once."""
    # Locked: of two submissions at once (a double click), the second finds the link used instead of
    # failing on the unique e-mail address with a server error.
    invitation = usable_invitation(secret, lock=True)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError("An account with this e-mail address exists; sign in to accept.")
    user = User(email=invitation.email)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=invitation.email, verified=True, primary=True)
    accept_invitation(secret=secret, user=user)
    return user


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, actor: User, via: str) -> Invitation:
    before = audit.snapshot(invitation)
    Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True, accepted_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    invitation.refresh_from_db()
    audit.record_write(
        actor=actor,
        via=via,
        action=AuditEvent.Action.UPDATE,
        instance=invitation,
        campaign_id=invitation.campaign_id,
        before=before,
        after=audit.snapshot(invitation),
    )
    return invitation


def _claim(invitation: Invitation, user: User) -> None:
    # A conditional UPDATE: of two clicks racing, exactly one accepts.
    claimed = Invitation.objects.open().filter(pk=invitation.pk).update(accepted_at=timezone.now(), accepted_by=user)
    if claimed != 1:
        raise InvitationUnusable("accepted")


def _send_invitation(invitation: Invitation, secret: str) -> None:
    context = {
        "campaign": invitation.campaign,
        "role_label": ROLE_IN_SENTENCE[invitation.role],
        "link": invitation_link(secret),
        "expires_at": invitation.expires_at,
    }
    # The link holds the secret, which only the e-mail may carry: the outbox stores it encrypted.
    send(
        INVITATION_MAIL,
        to=invitation.email,
        context=context,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        key=f"campaigns.invitation:{invitation.pk}",
    )
