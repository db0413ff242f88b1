"""Rendered tracker pages kept in the cache (Redis in production): a place page, a campaign's home.

What is kept is the page's main content only, per campaign, page and language, rendered without the
request. The page around it (base.html) is rendered for each request; it holds nothing of one visitor
either (no CSRF token: the language form is a GET form; no nonce: no inline code), so the whole page
is the same for everyone and a shared cache in front (the proxy, deploy/nginx.conf) may keep it for
SHARED_SECONDS.

Freshness, see docs/pages.md: counts (a place page's, kept apart by figures(), and the home's content
with its counts) live at most PAGE_SECONDS, a shared cache keeps the page at most SHARED_SECONDS + 1 +
SHARED_STALE_SECONDS more (nginx counts whole seconds), so a confirmed signature shows in the counts
within 5 s (issue 8). A place page's content lives up to CONTENT_SECONDS; any change to the
campaign's tracker data (statuses, timeline, agencies, partnerships, sources, officials, positions,
petitions, the campaign, its places, an import) replaces the campaign's generation, which every key
holds, so the next request renders anew (web.receivers).
"""

from __future__ import annotations

import hashlib
import logging
import random
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from redis.exceptions import RedisError

PAGE_SECONDS = 2
# Each entry lives a whole number of seconds from this up to PAGE_SECONDS, at random: pages first
# rendered together (a deploy, a campaign's change) would otherwise all expire together, and their
# renderings, 50 places' worth at once, made every request behind them wait (bench/load_mixed.py's
# p99). Redis keeps whole seconds.
SHORTEST_SECONDS = 1
# Content whose counts are slots (a place page): only a bulk update() that sends no signal waits
# this long to show; anything else replaces the generation at once. Re-rendering a place's content
# took most of the web tier's CPU when it had to happen every PAGE_SECONDS (bench/load_mixed.py).
CONTENT_SECONDS = 30
SHORTEST_CONTENT_SECONDS = 20
# How long a shared cache (the proxy) may keep a page on top of PAGE_SECONDS, and serve it a moment
# longer while it asks for a new one. nginx counts whole seconds and keeps an answer up to one second
# more than the first: 2 + (1 + 1) + 1 = 5 s in all. The stale window keeps a place read about twice
# a second from making a reader wait for Django (bench/load_mixed.py, the proxy's EXPIRED).
SHARED_SECONDS = 1
SHARED_STALE_SECONDS = 1
_PREFIX = "page"
_T = TypeVar("_T")
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Fragment:
    """A page's main content, its <title> text, and a tag naming what it holds."""

    title: str
    body: SafeString
    tag: str

    def filled(self, values: Mapping[str, str]) -> Fragment:
        """This content with each slot(name) replaced by values[name] (escaped), and a tag naming both."""
        body = str(self.body)
        for name, value in values.items():
            body = body.replace(slot(name), escape(value))
        named = "\0".join([self.tag, *(f"{name}={value}" for name, value in sorted(values.items()))])
        return Fragment(self.title, mark_safe(body), hashlib.sha256(named.encode()).hexdigest()[:32])  # noqa: S308 (escaped above)


def slot(name: str) -> SafeString:
    """A place in kept content for a figure that changes faster than the content: filled per request."""
    return mark_safe(f"<!--slot:{name}-->")  # noqa: S308 (a constant marker)


def generation(slug: str) -> str:
    """The campaign's current generation: a new random one replaces it on every change."""
    key = f"{_PREFIX}:gen:{slug}"
    found = cache.get(key)
    if found is None:
        cache.add(key, secrets.token_hex(4), timeout=None)
        found = cache.get(key)
    return str(found)


def invalidate(slug: str) -> None:
    """Every cached page of the campaign is stale from now on (they expire by themselves)."""
    try:
        cache.set(f"{_PREFIX}:gen:{slug}", secrets.token_hex(4), timeout=None)
    except RedisError:
        # An organizer's change must not fail for the cache: its pages expire by themselves (place
        # pages' content within CONTENT_SECONDS).
        logger.warning("page cache unreachable: pages of a changed campaign expire by themselves")


def lifetime() -> int:
    """Seconds an entry with counts is kept: from SHORTEST_SECONDS to PAGE_SECONDS, at random."""
    return random.randint(min(SHORTEST_SECONDS, PAGE_SECONDS), PAGE_SECONDS)  # noqa: S311 (spreading load, not a secret)


def content_lifetime() -> int:
    """Seconds content without its counts is kept: from SHORTEST_CONTENT_SECONDS to CONTENT_SECONDS."""
    return random.randint(SHORTEST_CONTENT_SECONDS, CONTENT_SECONDS)  # noqa: S311 (spreading load, not a secret)


def fragment(
    slug: str, page: str, build: Callable[[], tuple[str, str]], *, seconds: Callable[[], int] = lifetime
) -> Fragment:
    """The cached content of `page` in the active language, or `build()`'s (title, html), kept `seconds()`.

    By default it lives as long as figures do (lifetime()): content with its counts in it. Content
    whose counts are slots, filled from figures(), may live content_lifetime(): every change but a
    count replaces the campaign's generation anyway.
    """

    def make() -> Fragment:
        title, body = build()
        # Named by what it holds: a rendering like the last one keeps browsers' and the proxy's copies valid.
        tag = hashlib.sha256(f"{title}\0{body}".encode()).hexdigest()[:32]
        return Fragment(title, mark_safe(body), tag)  # noqa: S308 (rendered by our templates)

    found = _kept(slug, f"{page}:{translation.get_language()}", Fragment, make, seconds)
    return Fragment(found.title, mark_safe(found.body), found.tag)  # noqa: S308 (our own rendering)


def figures(slug: str, page: str, count: Callable[[], dict[str, int]]) -> dict[str, int]:
    """`count()`'s figures for `page`, kept lifetime() like content with its counts in it."""
    return _kept(slug, f"{page}:figures", dict, count, lifetime)


def _kept(slug: str, name: str, kind: type[_T], make: Callable[[], _T], seconds: Callable[[], int]) -> _T:
    """The campaign's current entry `name` if it is a `kind`, else `make()`'s, kept `seconds()`.

    With the cache unreachable, every request makes its own (fail open, like the throttles).
    """
    try:
        key = f"{_PREFIX}:{slug}:{generation(slug)}:{name}"
        found = cache.get(key)
    except RedisError:
        logger.warning("page cache unreachable: rendering the page for this request")
        key, found = "", None
    if isinstance(found, kind):
        return found
    made = make()
    if key:
        try:
            cache.set(key, made, timeout=seconds())
        except RedisError:
            logger.warning("page cache unreachable: the page was not kept")
    return made


def etag(request: HttpRequest, content: Fragment) -> str:
    """Names this content at this address (its language form goes back to it) in this language.

    The path alone: a cached page is the same whatever its query (a shared link's click id).
    """
    parts = (content.tag, translation.get_language() or "", request.path)
    return '"' + hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32] + '"'


def not_modified(request: HttpRequest, content: Fragment) -> HttpResponse | None:
    """304 when the browser's (or the proxy's) copy is this content (If-None-Match, as Django reads it)."""
    tag = etag(request, content)
    answer = get_conditional_response(request, etag=tag)
    return with_headers(answer, tag) if answer is not None else None


def with_headers(response: HttpResponse, tag: str) -> HttpResponse:
    """Browsers revalidate each time (ETag); shared caches may keep the page SHARED_SECONDS."""
    response["ETag"] = tag
    patch_cache_control(
        response, public=True, max_age=0, s_maxage=SHARED_SECONDS, stale_while_revalidate=SHARED_STALE_SECONDS
    )
    # The language comes from the cookie or the browser's header (LocaleMiddleware).
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response
