"""Recording the audit trail: organizer writes, reads and exports of personal data, security events."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from accounts.models import AuditEvent, User

logger = logging.getLogger(__name__)
REDACTED = "[redacted]"
# Never worth keeping, whatever their type: secrets, their digests, and login names
# (User.username is a CharField that mirrors the e-mail address).
_ALWAYS_REDACTED = frozenset({"password", "digest", "username"})


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's concrete field values as JSON-safe strings, personal data redacted."""
    redacted = _redacted_fields(type(instance))
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in redacted:
            values[field.name] = REDACTED
        else:
            values[field.name] = field.value_to_string(instance)
    return values


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    names = before.keys() | after.keys()
    return {name: [before.get(name), after.get(name)] for name in sorted(names) if before.get(name) != after.get(name)}


def record_write(
    *,
    actor: User | None,
    via: str,
    action: str,
    instance: models.Model,
    campaign_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    return _event(
        actor,
        via,
        action,
        target_type=ContentType.objects.get_for_model(instance),
        target_id=str(instance.pk),
        target_label=_target_label(instance),
        campaign_id=campaign_id,
        changes=changes_between(before or {}, after or {}),
    )


def record_bulk_write(
    *,
    actor: User | None,
    via: str,
    model: type[models.Model],
    campaign_id: int | None,
    details: dict[str, Any],
) -> AuditEvent:
    """One event for a bulk import (what file, how many rows created and changed), not one per row."""
    return _event(
        actor,
        via,
        AuditEvent.Action.UPDATE,
        target_type=ContentType.objects.get_for_model(model),
        campaign_id=campaign_id,
        details={"import": details},
    )


def record_personal_data_read(
    *,
    actor: User | None,
    via: str,
    model: type[models.Model],
    campaign_id: int | None,
    filters: dict[str, Any],
    row_count: int,
    export: bool = False,
) -> AuditEvent:
    action = AuditEvent.Action.EXPORT_PERSONAL_DATA if export else AuditEvent.Action.READ_PERSONAL_DATA
    return _event(
        actor,
        via,
        action,
        target_type=ContentType.objects.get_for_model(model),
        campaign_id=campaign_id,
        details={"filters": filters},
        row_count=row_count,
    )


def record_security_event(*, actor: User | None, via: str, event: str, details: dict[str, Any]) -> AuditEvent:
    logger.info("security event %s for user %s via %s", event, actor.pk if actor else None, via)
    return _event(
        actor,
        via,
        AuditEvent.Action.SECURITY,
        target_type=ContentType.objects.get_for_model(User) if actor else None,
        target_id=str(actor.pk) if actor else "",
        details={"event": event, **details},
    )


def _event(actor: User | None, via: str, action: str, **fields: Any) -> AuditEvent:
    return AuditEvent.objects.create(actor=actor, actor_label=_label(actor), via=via, action=action, **fields)


def _redacted_fields(model: type[models.Model]) -> frozenset[str]:
    from privacy.fields import EncryptedTextField, KeyedHashField

    declared: Iterable[str] = getattr(model, "audit_redacted_fields", ())
    by_type = {
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField | KeyedHashField | models.EmailField)
    }
    return frozenset(by_type | set(declared) | (_ALWAYS_REDACTED & {f.name for f in model._meta.concrete_fields}))


def _label(actor: User | None) -> str:
    return actor.email if actor else "system"


def _target_label(instance: models.Model) -> str:
    # str() of a model may name a person (a membership shows the user's e-mail), and the trail
    # is append-only: only a model's own `audit_label` (free of personal data) is trusted.
    label = getattr(instance, "audit_label", None)
    return str(label)[:200] if label else f"{instance._meta.verbose_name} {instance.pk}"
