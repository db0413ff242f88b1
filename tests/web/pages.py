"""Reading rendered pages and CSP headers the way a browser would, for the tests in this package."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Protocol
from urllib.parse import urlsplit

from django.http import HttpResponseBase

# Attributes whose value the browser fetches, navigates to or submits to.
URL_ATTRIBUTES = frozenset({"src", "href", "action", "formaction", "poster", "data", "srcset", "xlink:href"})
FOCUSABLE_TAGS = frozenset({"a", "button", "input", "select", "textarea", "summary", "iframe"})


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]


class Page(HTMLParser):
    """Every start tag in document order, with the text of each <script> and <style>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.inline_text: dict[int, str] = {}  # index in elements -> text of that <script>/<style>
        self._open_raw: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open_raw = len(self.elements) - 1
            self.inline_text[self._open_raw] = ""

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._open_raw = None

    def handle_data(self, data: str) -> None:
        if self._open_raw is not None:
            self.inline_text[self._open_raw] += data

    def all(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    def by_id(self, element_id: str) -> list[Element]:
        return [e for e in self.elements if e.attrs.get("id") == element_id]

    def urls(self) -> list[str]:
        found = []
        for element in self.elements:
            for name, value in element.attrs.items():
                if name in URL_ATTRIBUTES and value is not None:
                    # srcset lists "url width" pairs; every url in it is fetched.
                    parts = (
                        [c.strip().split()[0] for c in value.split(",") if c.strip()] if name == "srcset" else [value]
                    )
                    found.extend(parts)
        return found

    def focusable(self) -> list[Element]:
        def is_focusable(e: Element) -> bool:
            if "disabled" in e.attrs or (e.tag == "input" and e.attrs.get("type") == "hidden"):
                return False
            tabindex = e.attrs.get("tabindex")
            if tabindex is not None:
                return int(tabindex) >= 0
            return e.tag in FOCUSABLE_TAGS and (e.tag != "a" or "href" in e.attrs)

        return [e for e in self.elements if is_focusable(e)]


class _HasContent(Protocol):
    @property
    def content(self) -> bytes: ...

    @property
    def charset(self) -> str: ...


def parse(response: _HasContent) -> Page:
    page = Page()
    page.feed(response.content.decode(response.charset or "utf-8"))
    page.close()
    return page


def csp_directives(response: HttpResponseBase) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        if part.strip():
            name, *values = part.split()
            directives[name.lower()] = values
    return directives


def csp_nonce(response: HttpResponseBase, directive: str) -> str | None:
    nonces = [v[len("'nonce-") : -1] for v in csp_directives(response).get(directive, []) if v.startswith("'nonce-")]
    return nonces[0] if len(nonces) == 1 else None


def is_same_origin(url: str, host: str = "testserver") -> bool:
    """True for relative URLs and absolute ones on our own host; protocol-relative //cdn counts as foreign."""
    parts = urlsplit(url)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return False  # javascript:, data:, blob:... none belong in our markup
    return parts.netloc in ("", host)
