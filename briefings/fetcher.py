"""The only way WeasyPrint reads a file while rendering a briefing: the project's own static files.

WeasyPrint fetches every stylesheet, image, font and `<link rel="attachment">` (which it embeds in
the PDF, local files included) through its URL fetcher. This one serves files under
briefings/static/briefings/ and refuses everything else (http, https, ftp, data:, file:// paths
outside that folder, symlinks leading out of it), logging each refusal. Nothing is fetched over
the network, so a hostile URL in a source's record cannot make the server call anywhere.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from briefings.assets import STATIC_DIR, base_url

logger = logging.getLogger(__name__)

_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}


__all__ = ["STATIC_DIR", "RefusedFetch", "StaticOnlyFetcher", "base_url"]


class RefusedFetch(ValueError):
    pass


class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        path = self._local_path(url)
        if path is None:
            raise RefusedFetch(f"refused: {self.refuse(url)}")
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": _TYPES[path.suffix]})

    def refuse(self, url: str, *, what: str = "fetch") -> str:
        shown = url[:80] + ("…" if len(url) > 80 else "")
        self.refused.append(shown)
        logger.warning("briefing renderer refused to %s %s", what, shown)
        return shown

    def drop_attachments(self, document: HTML) -> None:
        """Removes every <link rel="attachment">: a briefing embeds no file, not even one of ours."""
        for link in list(document.etree_element.iter("link")):
            if "attachment" in (link.get("rel") or "").lower().split():
                self.refuse(urljoin(str(document.base_url or ""), link.get("href") or ""), what="attach")
                parent = _parent(document.etree_element, link)
                if parent is not None:
                    parent.remove(link)

    def _local_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()  # resolves "..", and symlinks leading out
        if not path.is_relative_to(STATIC_DIR) or not path.is_file() or path.suffix not in _TYPES:
            return None
        return path


def _parent(root: Any, child: Any) -> Any:
    return next((element for element in root.iter() if child in list(element)), None)
