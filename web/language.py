"""The language switch: a GET form, so no page needs a visitor's CSRF token.

Choosing a language sets a display preference and nothing else: a request from another site can do no
more than change the language a visitor reads in. In exchange the public pages are the same for every
visitor, so a shared cache (the proxy, deploy/nginx.conf) may keep them (docs/pages.md, caching).
"""

from __future__ import annotations

from typing import Literal, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET


@require_GET
def choose_language(request: HttpRequest) -> HttpResponse:
    """Remember the chosen language in its cookie and go back to the page it was chosen on."""
    language = request.GET.get("language", "")
    if language not in dict(settings.LANGUAGES):
        names = ", ".join(dict(settings.LANGUAGES))
        response: HttpResponse = HttpResponseBadRequest(
            gettext("language: choose one of %(names)s.") % {"names": names}, content_type="text/plain; charset=utf-8"
        )
    else:
        response = HttpResponseRedirect(_back_to(request))
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=cast("Literal['Lax', 'Strict', 'None'] | None", settings.LANGUAGE_COOKIE_SAMESITE),
        )
    add_never_cache_headers(response)
    return response


def _back_to(request: HttpRequest) -> str:
    """The page the form was on; anything pointing elsewhere (another site) goes to the home page."""
    wanted = request.GET.get("next", "")
    host, secure = request.get_host(), request.is_secure()
    return wanted if url_has_allowed_host_and_scheme(wanted, allowed_hosts={host}, require_https=secure) else "/"
