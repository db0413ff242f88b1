"""Figures → HTML (Django template) → PDF (WeasyPrint), with a local-only URL fetcher.

The PDF is tagged (PDF/UA-1: structure tree, /Lang, title shown), carries its metadata (title,
author, language, creation date) and is byte-for-byte the same for the same HTML: the fonts are
the project's own (static/briefings/fonts/), the identifier is derived from the HTML and the
dates are the edition's, not the clock's.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import segno
from django.template.loader import render_to_string
from django.utils import translation

from briefings.assets import STATIC_DIR, base_url

if TYPE_CHECKING:
    from briefings.fetcher import StaticOnlyFetcher

TEMPLATE = "briefings/briefing.html"
LANGUAGE = "en"  # council members are addressed in English; the template is translatable
PDF_VARIANT = "pdf/ua-1"
OPTIONS: dict[str, Any] = {"pdf_variant": PDF_VARIANT, "pdf_tags": True}


@functools.cache
def template_version() -> str:
    """Changes whenever the template or the print CSS does, so editions are not reused across them."""
    digest = hashlib.sha256()
    for path in (Path(__file__).parent / "templates" / TEMPLATE, STATIC_DIR / "briefing.css"):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def qr_svg(url: str) -> str:
    """The verification URL as an inline SVG QR code (no file, no fetch)."""
    return str(segno.make(url, error="m").svg_inline(scale=3, border=2, title=url))


def build_html(
    *, figures: dict[str, Any], appendix: list[dict[str, Any]], meta: dict[str, Any], preview: bool = False
) -> str:
    # Names run on in two paragraphs (city, address), not a list: thousands of names stay a few pages.
    named = {
        "with_city": [person["name"] for person in appendix if not person["address"]],
        "with_address": [person for person in appendix if person["address"]],
    }
    context = {
        **figures,
        "appendix": appendix,
        "named": named,
        "meta": meta,
        "preview": preview,
        "qr_svg": qr_svg(meta["verify_url"]),
    }
    with translation.override(LANGUAGE):
        return render_to_string(TEMPLATE, context)


def render_pdf(html: str, *, fetcher: StaticOnlyFetcher | None = None) -> tuple[bytes, int]:
    """The PDF of `html` and its page count; files it names are read through StaticOnlyFetcher only."""
    # Imported here: WeasyPrint loads Pango and HarfBuzz, which only the processes making PDFs need
    # (the heavy-queue worker), not every web worker and Celery process that imports this module.
    from weasyprint import HTML

    from briefings.fetcher import StaticOnlyFetcher

    fetcher = fetcher or StaticOnlyFetcher()
    source = HTML(string=html, base_url=base_url(), url_fetcher=fetcher)
    fetcher.drop_attachments(source)
    document = source.render(**OPTIONS)
    identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
    pdf: bytes = document.write_pdf(pdf_identifier=identifier, **OPTIONS)
    return pdf, len(document.pages)


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()
