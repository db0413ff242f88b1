"""The API documentation pages, made to work under the site's strict Content Security Policy.

drf-spectacular's own templates put an inline <style> without a nonce in both pages, and Redoc's
also loads Google Fonts; the CSP (rightly) blocks both. These subclasses only swap the templates
for ones that carry the request's nonce and load nothing from third parties. The one directive
Redoc needs beyond the global policy is granted on its page alone: see RedocView.
"""

from __future__ import annotations

from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):  # type: ignore[misc]  # drf-spectacular ships no types
    """Swagger UI. The split view serves its init script as a same-origin file, so only the
    page's small inline <style> needs the nonce; Swagger UI itself injects no <style> or worker."""

    template_name = "web/api_docs/swagger_ui.html"


# Redoc builds its search index in a Web Worker created from a blob: URL; without this the
# page fails with "Failed to construct 'Worker'". Granted here only, never in the global policy.
@method_decorator(csp_update({"worker-src": ["blob:"]}), name="dispatch")
class RedocView(SpectacularRedocView):  # type: ignore[misc]  # drf-spectacular ships no types
    """Redoc. Its styled-components <style> tags get the nonce through Redoc's `nonce` option."""

    template_name = "web/api_docs/redoc.html"
