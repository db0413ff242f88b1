from __future__ import annotations

from accounts.models.audit import AuditEvent
from accounts.models.users import User

__all__ = ["AuditEvent", "User"]
