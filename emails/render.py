"""Every e-mail is a template triplet: <prefix>_subject.txt, <prefix>_message.txt, <prefix>_message.html."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def render_message(prefix: str, context: dict[str, Any], *, to: str) -> EmailMultiAlternatives:
    subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
    text = render_to_string(f"{prefix}_message.txt", context)
    html = render_to_string(f"{prefix}_message.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    return message
