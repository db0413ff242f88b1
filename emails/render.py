"""A kind's template triplet rendered in one language: subject, text part, and HTML with CSS inlined.

Rendering is a pure function of the template, the language, the active time zone and the context,
so when the context is plain data (strings, numbers, dates, lazy translations, lists and dicts of
them) the result is kept and reused: a mailing to 10,000 people with one shared context renders
once. Each recipient's own links (their unsubscribe link, their confirmation or invitation link)
are not part of that: they are rendered as placeholders and put in afterwards, so ten thousand
confirmations of one petition render once too. Contexts holding anything else (model instances,
objects) are rendered each time.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, TypeGuard

import css_inline
from django.conf import settings
from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.translation import gettext

# Mail clients drop <style> blocks and clip long messages (Gmail at 102 KB).
MAX_HTML_BYTES = 100_000
# Never fetch a stylesheet over the network while rendering: mail carries no external resources.
_inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_link_tags=False)
UNSUBSCRIBE_URL = "unsubscribe_url"
# Context keys holding a link of the recipient's own: the same text around it for everyone.
PERSONAL_LINKS = (UNSUBSCRIBE_URL, "link")
CACHE_SIZE = 256


class OversizedMessage(ValueError):
    pass


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(template: str, context: dict[str, Any], *, language: str) -> Rendered:
    links = {name: link for name in PERSONAL_LINKS if _substitutable(link := context.get(name))}
    shared = {**context, **{name: _PLACEHOLDERS[name] for name in links}}
    key = _key(template, shared, language)
    if key is None:
        return _render(template, context, language)
    rendered = _cache.get(key)
    if rendered is None:
        rendered = _render(template, shared, language)
        _cache.put(key, rendered)
    return _with_links(rendered, links)


def _substitutable(link: Any) -> TypeGuard[str]:
    # Only a link that reads the same escaped and plain can be put into the rendered HTML afterwards.
    return isinstance(link, str) and bool(link) and conditional_escape(link) == link


def clear_cache() -> None:
    _cache.clear()


def _render(template: str, context: dict[str, Any], language: str) -> Rendered:
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
    link = context.get(UNSUBSCRIBE_URL)
    return f"\n-- \n{gettext('Unsubscribe')}: {link}\n" if link and link not in text else ""


# Letters and digits only, so escaping, url-encoding and CSS inlining leave them as they are; random
# per process, so no caller's data can contain one by chance.
_PLACEHOLDERS = {name: f"townhall{name.replace('_', '')}{secrets.token_hex(12)}" for name in PERSONAL_LINKS}


def _with_links(rendered: Rendered, links: dict[str, str]) -> Rendered:
    subject, text, html = rendered.subject, rendered.text, rendered.html
    for name, link in links.items():
        placeholder = _PLACEHOLDERS[name]
        subject, text, html = (part.replace(placeholder, link) for part in (subject, text, html))
    return replace(rendered, subject=subject, text=text, html=html)


class _Uncacheable(Exception):
    pass


def _key(template: str, context: dict[str, Any], language: str) -> Hashable | None:
    """Everything the rendering depends on, or None when the context holds more than plain data."""
    if settings.DEBUG:
        return None  # templates are re-read when they change while developing
    try:
        with translation.override(language):  # lazy translations are keyed by what they say in it
            frozen = _freeze(context)
    except _Uncacheable:
        return None
    return (template, language, timezone.get_current_timezone_name(), frozen)


_PLAIN = (str, int, float, Decimal, bool, type(None), dt.date, dt.time)


def _freeze(value: Any) -> Hashable:
    # The type is part of the key: "1" and 1, or a safe and an unsafe string, render differently.
    if isinstance(value, _PLAIN):
        tz = str(value.tzinfo) if isinstance(value, (dt.datetime, dt.time)) else None
        return (type(value), value, tz)
    if isinstance(value, Promise):
        said = str(value)
        return (Promise, type(said), said)
    if isinstance(value, (list, tuple)):
        return (type(value), tuple(_freeze(item) for item in value))
    if isinstance(value, dict) and all(isinstance(name, str) for name in value):
        return (type(value), tuple(sorted((name, _freeze(item)) for name, item in value.items())))
    raise _Uncacheable


class _Cache:
    """A small least-recently-used map, safe to share between a process's threads."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, Rendered] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Rendered | None:
        with self._lock:
            rendered = self._items.get(key)
            if rendered is not None:
                self._items.move_to_end(key)
            return rendered

    def put(self, key: Hashable, rendered: Rendered) -> None:
        with self._lock:
            self._items[key] = rendered
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_cache = _Cache(CACHE_SIZE)


def _settings_changed(**kwargs: Any) -> None:
    # Templates, translations and time zones may read settings (tests override them).
    clear_cache()


setting_changed.connect(_settings_changed, dispatch_uid="emails.render.clear_cache")
