"""The renderer reads the project's static files and nothing else, whatever the HTML asks for."""

from __future__ import annotations

import base64
import io
import logging
import socket
import threading
from collections.abc import Iterator

import pikepdf
import pytest

from briefings.fetcher import STATIC_DIR, RefusedFetch, StaticOnlyFetcher
from briefings.render import render_pdf


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP listener on 127.0.0.1 that records every connection it is sent."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(1)
                received.append(connection.recv(1024) or b"(connected)")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], received
    stop.set()
    thread.join()
    server.close()


def page(head: str, body: str) -> str:
    return f'<html lang="en"><head><title>t</title>{head}</head><body><p>Hello</p>{body}</body></html>'


def test_it_fetches_nothing_from_the_network_and_embeds_no_local_file(listener, caplog):
    port, received = listener
    bomb = base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg' width='99999' height='99999'/>" * 1000).decode()
    head = (
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">'
        f'<link rel="stylesheet" href="https://127.0.0.1:{port}/secure.css">'
        '<link rel="stylesheet" href="file:///etc/passwd">'
        '<link rel="stylesheet" href="../../../../../../etc/passwd">'
        f'<link rel="attachment" href="http://127.0.0.1:{port}/attached">'
        '<link rel="attachment" href="file:///etc/passwd" title="passwd">'
        '<link rel="attachment" href="briefing.css">'
        f"<style>@import url(http://127.0.0.1:{port}/imported.css);"
        f"@font-face {{ font-family: X; src: url(http://127.0.0.1:{port}/font.ttf); }}</style>"
    )
    body = (
        f'<img src="http://127.0.0.1:{port}/image.png" alt="">'
        '<img src="file:///etc/passwd" alt="">'
        f'<img src="data:image/svg+xml;base64,{bomb}" alt="">'
        f'<div style="background: url(http://127.0.0.1:{port}/background.png)">x</div>'
    )
    fetcher = StaticOnlyFetcher()
    with caplog.at_level(logging.WARNING, logger="briefings.fetcher"):
        pdf, _ = render_pdf(page(head, body), fetcher=fetcher)

    assert received == []
    assert b"root:" not in pdf
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert dict(document.attachments) == {}  # not even our own CSS: attachments are refused outright
    refused = " ".join(fetcher.refused)
    for asked in (
        f"http://127.0.0.1:{port}/style.css",
        f"https://127.0.0.1:{port}/secure.css",
        f"http://127.0.0.1:{port}/attached",
        f"http://127.0.0.1:{port}/imported.css",
        f"http://127.0.0.1:{port}/font.ttf",
        f"http://127.0.0.1:{port}/image.png",
        f"http://127.0.0.1:{port}/background.png",
        "file:///etc/passwd",
        "data:image/svg+xml",
    ):
        assert asked in refused, asked
    # As a stylesheet (named, and reached by ../ from the static folder), an attachment and an image.
    assert fetcher.refused.count("file:///etc/passwd") == 4
    assert any("refused to fetch file:///etc/passwd" in record.getMessage() for record in caplog.records)


def test_it_serves_the_project_static_files():
    response = StaticOnlyFetcher().fetch((STATIC_DIR / "briefing.css").as_uri())
    assert b"@font-face" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        (STATIC_DIR / ".." / ".." / "models" / "editions.py").as_uri(),
        (STATIC_DIR / "missing.css").as_uri(),
        "file://example.org" + str(STATIC_DIR / "briefing.css"),
        "ftp://127.0.0.1/briefing.css",
    ],
)
def test_it_refuses_anything_outside_the_static_folder(url):
    with pytest.raises(RefusedFetch):
        StaticOnlyFetcher().fetch(url)
