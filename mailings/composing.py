"""Composing a mailing: its segment and one variant per language, checked before anything is saved."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditEvent, User
from campaigns.models import Campaign, Petition, Place
from mailings import placeholders
from mailings.models import Audience, Mailing, MailingVariant


@dataclass(frozen=True)
class VariantInput:
    language: str
    subject: str
    text: str
    html: str = ""


@dataclass(frozen=True)
class MailingInput:
    title: str
    variants: list[VariantInput]
    audience: str = Audience.EVERYONE
    place: Place | None = None
    petition: Petition | None = None
    signed_after: dt.datetime | None = None
    default_language: str = settings.LANGUAGE_CODE
    rate_per_minute: int | None = None


@transaction.atomic
def compose_mailing(*, campaign: Campaign, data: MailingInput, actor: User, via: str) -> Mailing:
    check(campaign, data)
    mailing = Mailing.objects.create(campaign=campaign, created_by=actor, **_fields(data))
    _save_variants(mailing, data.variants)
    audit.record_write(
        actor=actor,
        via=via,
        action=AuditEvent.Action.CREATE,
        instance=mailing,
        campaign_id=campaign.pk,
        after=audit.snapshot(mailing),
    )
    return mailing


@transaction.atomic
def change_mailing(*, mailing: Mailing, data: MailingInput, actor: User, via: str) -> Mailing:
    """Replaces the draft's segment and variants with `data` (the API merges a PATCH into it first)."""
    mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
    refuse_unless_draft(mailing)
    check(mailing.campaign, data)
    before = audit.snapshot(mailing)
    for name, value in _fields(data).items():
        setattr(mailing, name, value)
    mailing.save()
    mailing.variants.all().delete()
    _save_variants(mailing, data.variants)
    audit.record_write(
        actor=actor,
        via=via,
        action=AuditEvent.Action.UPDATE,
        instance=mailing,
        campaign_id=mailing.campaign_id,
        before=before,
        after=audit.snapshot(mailing),
    )
    return mailing


@transaction.atomic
def delete_mailing(*, mailing: Mailing, actor: User, via: str) -> None:
    mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
    refuse_unless_draft(mailing)
    audit.record_write(
        actor=actor,
        via=via,
        action=AuditEvent.Action.DELETE,
        instance=mailing,
        campaign_id=mailing.campaign_id,
        before=audit.snapshot(mailing),
    )
    mailing.delete()


def refuse_unless_draft(mailing: Mailing) -> None:
    if not mailing.is_editable:
        raise ValidationError({"state": [_("Only a draft mailing can be changed or deleted.")]})


def check(campaign: Campaign, data: MailingInput) -> None:
    errors: dict[str, list[str]] = {}
    if data.petition is not None and data.petition.campaign_id != campaign.pk:
        errors["petition"] = [_("Choose a petition of this campaign.")]
    if data.petition is not None and data.audience == Audience.LETTER_WRITERS:
        errors["petition"] = [_("Letters are not written to a petition: choose signers or everyone.")]
    languages = [variant.language for variant in data.variants]
    if len(set(languages)) != len(languages):
        errors["variants"] = [_("Give each language once.")]
    elif data.default_language not in languages:
        errors["default_language"] = [_("Write a variant in the default language: it is the fallback.")]
    for number, variant in enumerate(data.variants):
        found = _variant_problems(variant)
        if found:
            errors[f"variants.{number}"] = found
    if errors:
        raise ValidationError(errors)


def _variant_problems(variant: VariantInput) -> list[str]:
    found = []
    for name in ("subject", "text", "html"):
        found += [f"{name}: {problem}" for problem in placeholders.problems(getattr(variant, name))]
    if "\n" in variant.subject or "\r" in variant.subject:
        found.append(_("subject: keep the subject on one line."))
    return found


def _fields(data: MailingInput) -> dict[str, Any]:
    return {
        "title": data.title,
        "audience": data.audience,
        "place": data.place,
        "petition": data.petition,
        "signed_after": data.signed_after,
        "default_language": data.default_language,
        "rate_per_minute": data.rate_per_minute,
    }


def _save_variants(mailing: Mailing, variants: list[VariantInput]) -> None:
    MailingVariant.objects.bulk_create(
        MailingVariant(
            mailing=mailing,
            language=variant.language,
            subject=variant.subject.strip(),
            text=variant.text,
            html=placeholders.sanitize_html(variant.html) if variant.html.strip() else "",
        )
        for variant in variants
    )
