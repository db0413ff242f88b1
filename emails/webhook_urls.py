"""The configured mail provider's tracking webhook, and no other endpoint of django-anymail.

anymail's own URLconf mounts every provider's tracking and inbound webhooks. Townhall processes no
inbound mail, and only one provider sends it bounces and complaints: the others' endpoints would be
code reachable from the internet for nothing. Each provider's tracking URL stays in place (the
settings may change at run time, as in tests) and answers 404 unless it is ANYMAIL_PROVIDER's.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from anymail import urls as anymail_urls
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern
from django.views.decorators.csrf import csrf_exempt

TRACKING = "_tracking_webhook"


def _for_provider(view: Callable[..., HttpResponse], provider: str) -> Callable[..., HttpResponse]:
    @wraps(view)
    def configured_only(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.ANYMAIL_PROVIDER.lower() != provider:
            raise Http404
        return view(request, *args, **kwargs)

    # The provider posts from outside with its own authentication (basic auth, a signature): no CSRF token.
    return csrf_exempt(configured_only)


urlpatterns = [
    URLPattern(
        pattern.pattern,
        _for_provider(pattern.callback, pattern.name.removesuffix(TRACKING)),
        pattern.default_args,
        pattern.name,
    )
    for pattern in anymail_urls.urlpatterns
    if isinstance(pattern, URLPattern) and pattern.name and pattern.name.endswith(TRACKING)
]
