"""The site's URLs plus one page that extends web/base.html with inline code, as later pages will."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from backend.urls import urlpatterns as site_urlpatterns

PAGE = engines["django"].from_string(
    """{% extends "web/base.html" %}
    {% block extra_head %}<style nonce="{{ request.csp_nonce }}">h1 { color: #000; }</style>{% endblock %}
    {% block content %}
      <h1>Inline</h1><script nonce="{{ request.csp_nonce }}">document.title += "";</script>
    {% endblock %}
    """
)


def page_with_inline_code(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE.render({}, request))


urlpatterns = [path("_test/inline/", page_with_inline_code), *site_urlpatterns]
