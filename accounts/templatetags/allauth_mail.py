"""Template filters for allauth's mail in the shared accounts/email/allauth_* triplet."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django import template
from django.utils.html import escape, linebreaks, urlize
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def allauth_subject(subject: str) -> str:
    # allauth's format_email_subject adds ACCOUNT_EMAIL_SUBJECT_PREFIX, as its own send_mail would.
    formatted: str = get_adapter().format_email_subject(" ".join(subject.split()))
    return formatted


@register.filter
def text_as_html(text: str) -> SafeString:
    """A text part as HTML paragraphs with clickable links.

    Escaped first: allauth renders its text with autoescaping off, so an address or a browser's
    User-Agent in it must not become markup in the HTML part.
    """
    return mark_safe(linebreaks(urlize(escape(text.strip()))))  # noqa: S308  (escaped above)
