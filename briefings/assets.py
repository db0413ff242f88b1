"""Where a briefing's own files (stylesheet, fonts, images) live: the only files its renderer may read."""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = (Path(__file__).parent / "static" / "briefings").resolve()


def base_url() -> str:
    return STATIC_DIR.as_uri() + "/"
