"""Listens to allauth's MFA signals: enrolment counts as using the factor; every event is audited."""

from __future__ import annotations

from typing import Any

from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.audit import record_security_event
from accounts.models import User
from accounts.two_factor import STRONG_FACTORS, record_enrolment


@receiver(mfa_signals.authenticator_added)
def on_authenticator_added(
    sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kwargs: Any
) -> None:
    if authenticator.type in STRONG_FACTORS:
        record_enrolment(request, user, authenticator)
    _audit(user, "mfa_added", authenticator)


@receiver(mfa_signals.authenticator_removed)
def on_authenticator_removed(
    sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kwargs: Any
) -> None:
    _audit(user, "mfa_removed", authenticator)


@receiver(mfa_signals.authenticator_reset)
def on_authenticator_reset(
    sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kwargs: Any
) -> None:
    _audit(user, "mfa_reset", authenticator)


@receiver(mfa_signals.authenticator_used)
def on_authenticator_used(
    sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kwargs: Any
) -> None:
    _audit(user, "mfa_used", authenticator)


def _audit(user: User, event: str, authenticator: Authenticator) -> None:
    record_security_event(actor=user, via="mfa", event=event, details={"type": authenticator.type})
