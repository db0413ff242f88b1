"""Fills a mailing's organizer text with the recipient's placeholder values; the text is never a template."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from mailings import placeholders

register = template.Library()


def _values(context: Any) -> dict[str, str]:
    # unsubscribe_url is the pipeline's, added to the context when the message is written.
    return {**context.get("placeholders", {}), "unsubscribe_url": context.get("unsubscribe_url", "")}


@register.simple_tag(takes_context=True)
def filled_text(context: Any, name: str) -> str:
    return placeholders.fill(str(context.get(name, "")), _values(context))


@register.simple_tag(takes_context=True)
def filled_html(context: Any) -> SafeString:
    # Sanitized when composed and again here; values are escaped by fill(), fallbacks are part of
    # the sanitized markup. Nothing the organizer typed is evaluated.
    html = str(context.get("body_html") or "") or placeholders.html_from_text(str(context.get("body_text", "")))
    html = placeholders.sanitize_html(html)
    return mark_safe(placeholders.fill(html, _values(context), html=True))  # noqa: S308
