"""allauth's mail, declared to the e-mail pipeline: one kind per template prefix allauth sends.

Every allauth kind renders through one shared triplet (accounts/email/allauth_*) that includes
allauth's own subject and text templates (ours for the one whose wording is untrue here), named
by the `allauth_template` context variable. That keeps allauth's wording and its Spanish
translations, and gives each kind an HTML part made from the very text the text part carries.
Registered in AccountsConfig.ready.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import pgettext

from accounts.models import User
from emails.kinds import Kind, Stream, UnknownKind, register

SHARED_TEMPLATE = "accounts/email/allauth"
# The context variable naming the subject and text templates (allauth's, or ours) the shared triplet includes.
PREFIX_VARIABLE = "allauth_template"


@dataclass(frozen=True)
class AllauthMail:
    prefix: str
    description: str
    # Sent to an address the requester typed, which may not be theirs: limited per address per day.
    to_unconfirmed: bool = False
    # Our own subject and text templates, where allauth's would say something untrue here.
    own_templates: str = ""

    @property
    def kind_name(self) -> str:
        # "account/email/password_reset_key" -> "account.password_reset_key"
        return self.prefix.replace("/email/", ".")

    @property
    def templates(self) -> str:
        """The prefix of the subject and text templates the shared triplet includes."""
        return self.own_templates or self.prefix

    def sample(self) -> dict[str, Any]:
        # A bound method of a frozen dataclass compares equal across calls, so registering twice is fine.
        return _sample(self.templates)


# Every prefix allauth 65 (account and mfa) passes to send_mail; tests/accounts checks the list
# against allauth's source. Some are not sent with our settings (sign-up is closed, no login or
# password reset by code) but are declared anyway, so turning a setting on never breaks mail.
ALLAUTH_MAIL = (
    AllauthMail("account/email/password_reset_key", "A link to choose a new password.", to_unconfirmed=True),
    AllauthMail("account/email/password_reset_code", "A code to choose a new password.", to_unconfirmed=True),
    AllauthMail(
        "account/email/unknown_account",
        "Someone asked for a password reset or code for an address with no account.",
        to_unconfirmed=True,
        # allauth's invites them to sign up, and sign-up is closed: organizers join by invitation.
        own_templates="accounts/email/unknown_account",
    ),
    AllauthMail(
        "account/email/email_confirmation", "A code that verifies an organizer's new address.", to_unconfirmed=True
    ),
    AllauthMail(
        "account/email/email_confirmation_signup", "A code that verifies the address of a sign-up.", to_unconfirmed=True
    ),
    AllauthMail(
        "account/email/account_already_exists",
        "Someone tried to sign up with an address that already has an account.",
        to_unconfirmed=True,
    ),
    AllauthMail("account/email/login_code", "A one-time sign-in code.", to_unconfirmed=True),
    AllauthMail("account/email/password_changed", "Security notice: the password was changed."),
    AllauthMail("account/email/password_set", "Security notice: a password was set."),
    AllauthMail("account/email/password_reset", "Security notice: the password was reset."),
    AllauthMail("account/email/email_changed", "Security notice to the old address: the address was changed."),
    AllauthMail("account/email/email_deleted", "Security notice: an address was removed from the account."),
    AllauthMail("mfa/email/totp_activated", "Security notice: an authenticator app was activated."),
    AllauthMail("mfa/email/totp_deactivated", "Security notice: the authenticator app was deactivated."),
    AllauthMail("mfa/email/recovery_codes_generated", "Security notice: new recovery codes were generated."),
    AllauthMail("mfa/email/webauthn_added", "Security notice: a security key was added."),
    AllauthMail("mfa/email/webauthn_removed", "Security notice: a security key was removed."),
)
_BY_PREFIX = {mail.prefix: mail for mail in ALLAUTH_MAIL}


@dataclass(frozen=True)
class MailSite:
    """What allauth's templates call `current_site`: our name and public host, not the request's Host."""

    name: str
    domain: str


def mail_site() -> MailSite:
    domain = urlsplit(str(settings.SITE_URL)).hostname or "townhall.localhost"
    return MailSite(name=pgettext("site name", "Townhall"), domain=domain)


def mail_for(prefix: str) -> AllauthMail:
    """The declaration of an allauth template prefix; a prefix nobody declared fails loudly."""
    try:
        return _BY_PREFIX[prefix]
    except KeyError:
        raise UnknownKind(f"allauth sends {prefix!r}, which accounts/mail_kinds.py does not declare.") from None


def _sample(prefix: str) -> dict[str, Any]:
    base = str(settings.SITE_URL).rstrip("/")
    return {
        PREFIX_VARIABLE: prefix,
        "current_site": mail_site(),
        "email": "alice@example.org",
        "user": User(email="alice@example.org"),
        "password_reset_url": f"{base}/accounts/password/reset/key/1-sample/",
        "signup_url": f"{base}/accounts/signup/",
        "code": "K7QX3M",
        "from_email": "alice@example.org",
        "to_email": "alice@example.net",
        "deleted_email": "alice.old@example.org",
        "timestamp": timezone.now() - dt.timedelta(minutes=2),
        "ip": "203.0.113.7",
        "user_agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    }


def register_kinds() -> None:
    for mail in ALLAUTH_MAIL:
        register(
            Kind(
                name=mail.kind_name,
                stream=Stream.TRANSACTIONAL,
                template=SHARED_TEMPLATE,
                description=mail.description,
                sample_context=mail.sample,
                to_unconfirmed=mail.to_unconfirmed,
            )
        )
