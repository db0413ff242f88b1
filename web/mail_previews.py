"""Organizers preview every kind of mail Townhall sends, rendered with its sample data, in each language."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin

from emails import kinds
from emails.render import Rendered, render
from web.organizer_pages import organizers_only

# The HTML part is the mail's own markup: shown in a frame of its own, sandboxed (no scripts, an
# opaque origin) and allowed nothing but the inline styles mail carries. A srcdoc frame would
# inherit this site's policy, which forbids style attributes, and show the mail unstyled.
# django-csp leaves a Content-Security-Policy the view set alone.
MAIL_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self'; sandbox"
)


@never_cache
@organizers_only
def mail_kinds(request: HttpRequest) -> HttpResponse:
    context = {"kinds": kinds.all_kinds(), "preview_languages": _languages()}
    return TemplateResponse(request, "web/mail_previews/index.html", context)


@never_cache
@organizers_only
def mail_kind(request: HttpRequest, name: str) -> HttpResponse:
    kind, language = _kind(name), _language(request)
    context = {
        "kind": kind,
        "preview_language": language,
        "preview_languages": _languages(),
        "message": _render(kind, language),
    }
    return TemplateResponse(request, "web/mail_previews/kind.html", context)


@never_cache
@organizers_only
@xframe_options_sameorigin
def mail_kind_html(request: HttpRequest, name: str) -> HttpResponse:
    message = _render(_kind(name), _language(request))
    response = HttpResponse(message.html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = MAIL_POLICY
    return response


def _kind(name: str) -> kinds.Kind:
    try:
        return kinds.get(name)
    except kinds.UnknownKind:
        raise Http404(name) from None


def _languages() -> list[tuple[str, str]]:
    return [(str(code), str(name)) for code, name in settings.LANGUAGES]


def _language(request: HttpRequest) -> str:
    asked = request.GET.get("language", "")
    return asked if asked in dict(settings.LANGUAGES) else translation.get_language() or settings.LANGUAGE_CODE


def _render(kind: kinds.Kind, language: str) -> Rendered:
    return render(kind.template, kind.sample_context(), language=language)
