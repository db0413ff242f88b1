"""allauth's mail leaves through the e-mail pipeline: an outbox row, an HTML part, the daily limit."""

from __future__ import annotations

import re
from pathlib import Path

import allauth
import pytest
from allauth.account.adapter import get_adapter
from django.apps import apps
from django.test import Client

from accounts.mail_kinds import ALLAUTH_MAIL
from emails import kinds
from emails.models import OutboundMessage, Status
from tests.accounts.flows import CommittingClient, enrol_totp, sign_in_with_password

pytestmark = pytest.mark.django_db

RESET = "/accounts/password/reset/"
# A template prefix as allauth writes one: "account/email/password_reset_key".
PREFIX = re.compile(r"""["']((?:account|mfa|socialaccount|usersessions|headless)/email/\w+)["']""")


@pytest.fixture
def client() -> Client:
    return CommittingClient()


def prefixes_allauth_sends() -> set[str]:
    """Every template prefix in the source of the allauth apps we install."""
    root = Path(allauth.__file__).parent
    installed = {config.name.removeprefix("allauth.") for config in apps.get_app_configs()}
    found = set()
    for path in root.rglob("*.py"):
        package = path.relative_to(root).parts[0]
        if "tests" in path.parts or (package in {"socialaccount", "usersessions", "headless"} - installed):
            continue
        found.update(PREFIX.findall(path.read_text(encoding="utf-8")))
    return found


def test_it_declares_a_kind_for_every_prefix_allauth_sends():
    sent = prefixes_allauth_sends()

    assert "account/email/password_reset_key" in sent
    assert "mfa/email/totp_activated" in sent
    assert sorted(sent - {mail.prefix for mail in ALLAUTH_MAIL}) == []
    for mail in ALLAUTH_MAIL:
        assert kinds.get(mail.kind_name).template == "accounts/email/allauth"


def test_it_refuses_a_prefix_nobody_declared(alice):
    with pytest.raises(kinds.UnknownKind):
        get_adapter().send_mail("account/email/brand_new_notice", alice.email, {})

    assert OutboundMessage.objects.count() == 0


def test_it_queues_a_password_reset_in_the_outbox_and_delivers_it_with_an_html_part(client, alice, mailoutbox):
    response = client.post(RESET, {"email": alice.email})

    assert response.status_code == 302
    [message] = OutboundMessage.objects.all()
    assert (message.kind, message.to_address, message.language) == ("account.password_reset_key", alice.email, "en")
    assert message.status == Status.SENT
    [mail] = mailoutbox
    assert mail.to == [alice.email]
    assert mail.subject == "[Townhall] Password Reset Email"
    [link] = re.findall(r"https?://testserver/accounts/password/reset/key/\S+", mail.body)
    [(html, mimetype)] = mail.alternatives
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
    assert "Hello from Townhall!" in html


def test_it_mails_no_more_than_three_resets_a_day_to_one_address(client, alice, mailoutbox):
    for _ in range(4):
        assert client.post(RESET, {"email": alice.email}).status_code == 302  # the page says the same each time

    assert len(mailoutbox) == 3
    statuses = list(OutboundMessage.objects.order_by("created_at").values_list("status", flat=True))
    assert statuses == [Status.SENT, Status.SENT, Status.SENT, Status.REFUSED]


def test_it_counts_mail_about_an_unknown_address_toward_the_limit(client, mailoutbox):
    for _ in range(4):
        client.post(RESET, {"email": "nobody@example.org"})

    assert [mail.subject for mail in mailoutbox] == ["[Townhall] Unknown Account"] * 3
    assert set(OutboundMessage.objects.values_list("kind", flat=True)) == {"account.unknown_account"}
    # Sign-up is closed: the mail says how organizers join instead of linking to it.
    assert "/accounts/signup/" not in mailoutbox[0].body
    assert "by invitation" in mailoutbox[0].body


def test_it_writes_in_the_language_of_the_request(alice, mailoutbox):
    spanish = CommittingClient(HTTP_ACCEPT_LANGUAGE="es")

    spanish.post(RESET, {"email": alice.email})

    [mail] = mailoutbox
    assert mail.subject == "[Townhall] Correo electrónico para restablecer contraseña"
    assert "¡Hola de parte de Townhall!" in mail.body
    assert "¡Hola de parte de Townhall!" in mail.alternatives[0][0]
    assert OutboundMessage.objects.get().language == "es"


def test_it_sends_security_notices_through_the_outbox(client, user_factory, mailoutbox):
    bob = user_factory("bob@example.org", two_factors=False)
    sign_in_with_password(client, bob)

    enrol_totp(client)

    assert "mfa.totp_activated" in OutboundMessage.objects.values_list("kind", flat=True)
    notice = next(mail for mail in mailoutbox if mail.subject == "[Townhall] Authenticator App Activated")
    assert notice.to == ["bob@example.org"]
    assert "Authenticator app activated." in notice.alternatives[0][0]
