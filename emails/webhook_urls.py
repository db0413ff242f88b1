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

TRACKING = "_tracking_webhook"
# anymail's names of tracking webhooks that do not end in TRACKING: Mandrill's main endpoint.
OTHER_TRACKING = {"mandrill_webhook": "mandrill"}


def _for_provider(view: Callable[..., HttpResponse], provider: str) -> Callable[..., HttpResponse]:
    @wraps(view)
    def configured_only(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.ANYMAIL_PROVIDER.lower() != provider:
            raise Http404
        return view(request, *args, **kwargs)

    return configured_only


urlpatterns = [
    URLPattern(
        pattern.pattern,
        # wraps() keeps anymail's csrf_exempt: the provider authenticates itself (basic auth, a signature).
        _for_provider(pattern.callback, OTHER_TRACKING.get(pattern.name) or pattern.name.removesuffix(TRACKING)),
        pattern.default_args,
        pattern.name,
    )
    for pattern in anymail_urls.urlpatterns
    if isinstance(pattern, URLPattern)
    and pattern.name
    and (pattern.name.endswith(TRACKING) or pattern.name in OTHER_TRACKING)
]
