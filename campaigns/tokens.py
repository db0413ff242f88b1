"""Personal API tokens: issued once, stored as a digest, scoped to one campaign and role."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import AuditEvent, User
from campaigns.models import ApiToken, Membership, Role
from campaigns.models.api_tokens import TOKEN_PREFIX
from campaigns.models.memberships import role_includes
from campaigns.models.secrets import digest_of, new_secret

# Recording every use would write on every request; once a minute is precise enough.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


@transaction.atomic
def issue_token(*, membership: Membership, name: str, role: Role, actor: User) -> tuple[ApiToken, str]:
    """Returns the token row and its secret, which is shown once and never stored."""
    if not role_includes(membership.role, role):
        raise ValidationError({"role": [f"A token cannot have more than your own role ({membership.role})."]})
    secret = new_secret(TOKEN_PREFIX)
    token = ApiToken.objects.create(
        membership=membership, name=name, role=role, prefix=secret[: len(TOKEN_PREFIX) + 9], digest=digest_of(secret)
    )
    audit.record_write(
        actor=actor,
        via="api",
        action=AuditEvent.Action.CREATE,
        instance=token,
        campaign_id=membership.campaign_id,
        after=audit.snapshot(token),
    )
    return token, secret


@transaction.atomic
def revoke_token(*, token: ApiToken, actor: User, via: str) -> ApiToken:
    before = audit.snapshot(token)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    audit.record_write(
        actor=actor,
        via=via,
        action=AuditEvent.Action.UPDATE,
        instance=token,
        campaign_id=token.membership.campaign_id,
        before=before,
        after=audit.snapshot(token),
    )
    return token


def authenticate_token(secret: str) -> ApiToken | None:
    token = (
        ApiToken.objects.active()
        .select_related("membership__campaign", "membership__user")
        .filter(digest=digest_of(secret), membership__user__is_active=True)
        .first()
    )
    if token is not None:
        _touch(token)
    return token


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
