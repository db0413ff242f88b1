"""Organizer text with placeholders: `{{ first_name }}`, never a template (nothing in it is evaluated).

Only the names in PLACEHOLDERS are filled, each with a fallback for when the value is unknown
(`{{ first_name | friend }}`). Anything else that looks like template syntax is refused when the
mailing is composed, and would stay literal text if it ever reached a message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import nh3
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext_lazy as _

PLACEHOLDERS = {
    "first_name": _("the supporter's first name, if they gave one"),
    "place": _("the place they signed or wrote for"),
    "campaign": _("the campaign's title"),
    "unsubscribe_url": _("the one-click unsubscribe link (the footer has one anyway)"),
}
PLACEHOLDER = re.compile(r"\{\{\s*([^{}|]*?)\s*(?:\|\s*([^{}]*?)\s*)?\}\}")
_TEMPLATE_SYNTAX = re.compile(r"\{%|%\}|\{#|#\}|\{\{|\}\}")
# No images: mail carries no external resources (and no tracking pixels).
ALLOWED_TAGS = nh3.ALLOWED_TAGS - {"img"}


def problems(text: str) -> list[str]:
    """What in `text` is not a whitelisted placeholder but looks like template syntax."""
    found = []
    for match in PLACEHOLDER.finditer(text):
        if match[1] not in PLACEHOLDERS:
            found.append(
                str(_("“%(placeholder)s” is not a placeholder; use %(allowed)s."))
                % {"placeholder": match[0], "allowed": allowed_list()}
            )
    if _TEMPLATE_SYNTAX.search(PLACEHOLDER.sub("", text)):
        found.append(str(_("Template tags and comments are not supported; use placeholders such as {{ first_name }}.")))
    return found


def allowed_list() -> str:
    return ", ".join(f"{{{{ {name} }}}}" for name in PLACEHOLDERS)


def fill(text: str, values: Mapping[str, str], *, html: bool = False) -> str:
    """Each placeholder replaced by its value (escaped in HTML) or its fallback; everything else as is."""

    def replace(match: re.Match[str]) -> str:
        name, fallback = match[1], match[2] or ""
        if name not in PLACEHOLDERS:
            return match[0]
        value = values.get(name, "")
        if not value:
            return fallback  # in HTML, the fallback is part of the sanitized markup already
        return str(escape(value)) if html else value

    return PLACEHOLDER.sub(replace, text)


def sanitize_html(html: str) -> str:
    """Organizer HTML without scripts, event handlers, styles, forms or images; links keep working."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def html_from_text(text: str) -> str:
    return str(linebreaks(escape(text)))
