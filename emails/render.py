"""A kind's template triplet rendered in one language: subject, text part, and HTML with CSS inlined."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import css_inline
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

# Mail clients drop <style> blocks and clip long messages (Gmail at 102 KB).
MAX_HTML_BYTES = 100_000
# Never fetch a stylesheet over the network while rendering: mail carries no external resources.
_inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_link_tags=False)


class OversizedMessage(ValueError):
    pass


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(template: str, context: dict[str, Any], *, language: str) -> Rendered:
    with translation.override(language):
        context = {**context, "LANGUAGE_CODE": language}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}_message.txt", context).strip() + "\n"
        text += _unsubscribe_footer(context, text)
        html = _inliner.inline(render_to_string(f"{template}_message.html", context))
    size = len(html.encode())
    if size > MAX_HTML_BYTES:
        raise OversizedMessage(f"{template}: the HTML part is {size:,} bytes; the limit is {MAX_HTML_BYTES:,}.")
    return Rendered(subject=subject, text=text, html=html)


def _unsubscribe_footer(context: dict[str, Any], text: str) -> str:
    # The HTML layout shows the link in its footer; the text part gets it here, so no kind's
    # template can forget it.
    link = context.get("unsubscribe_url")
    return f"\n-- \n{gettext('Unsubscribe')}: {link}\n" if link and link not in text else ""
