"""What a mailing looks like before it goes: a preview in each language, and a test to oneself."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditEvent, User
from emails.links import absolute_url
from emails.models import OutboundMessage
from emails.outbox import send
from emails.render import Rendered, render
from mailings import recipients
from mailings.mail_kinds import MAILING_MAIL
from mailings.models import Mailing, MailingVariant

SAMPLE_FIRST_NAME = "Dana"


def variant_for(mailing: Mailing, language: str | None) -> MailingVariant:
    variants = {variant.language: variant for variant in mailing.variants.all()}
    if not variants:
        raise ValidationError({"variants": [_("This mailing has no text to show.")]})
    return variants.get(language or "", variants.get(mailing.default_language)) or next(iter(variants.values()))


def sample_values(mailing: Mailing) -> dict[str, str]:
    place = mailing.place.name if mailing.place else _("your city")
    return {"first_name": SAMPLE_FIRST_NAME, "place": place, "campaign": mailing.campaign.title}


def preview(mailing: Mailing, *, language: str | None = None) -> tuple[str, Rendered]:
    """The mailing as a supporter would get it, with sample values; the language shown, and the parts."""
    variant = variant_for(mailing, language)
    context = recipients.variant_context(variant, sample_values(mailing))
    # A link that shows what it is, not a working one: previews are nobody's mail.
    context["unsubscribe_url"] = absolute_url("unsubscribe", token="preview")  # noqa: S106 (not a secret)
    template = "mailings/emails/mailing"
    return variant.language, render(template, context, language=variant.language)


def send_test(*, mailing: Mailing, actor: User, via: str, language: str | None = None) -> OutboundMessage:
    """The mailing to the organizer's own address, now, with sample values and a marked subject."""
    if not actor.email:
        raise ValidationError({"non_field_errors": [_("Your account has no e-mail address to send a test to.")]})
    variant = variant_for(mailing, language)
    context = recipients.variant_context(variant, sample_values(mailing))
    context["subject"] = _("[Test] %(subject)s") % {"subject": variant.subject}
    message = send(
        MAILING_MAIL,
        to=actor.email,
        context=context,
        language=variant.language,
        key=f"mailings.test:{mailing.pk}:{uuid.uuid4().hex}",
        list_key=mailing.list_key,
    )
    audit.record_write(
        actor=actor,
        via=via,
        action=AuditEvent.Action.UPDATE,
        instance=mailing,
        campaign_id=mailing.campaign_id,
        after={"test_sent_to_self": variant.language},
    )
    return message
