"""What the full-stack run found in gunicorn's logs, checked without starting the stack: a mailed link's
secret in the access log's path, the client's address in the error log. (The run itself: test_full_stack.py.)
"""

from __future__ import annotations

import logging
import runpy
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from gunicorn.config import Config

from privacy.logging import redact
from tests.deploy.artifacts import DEPLOY

TOKEN = "eyJjIjoxfQ:1xXXZz:Sp0sqfhvKqm0aBRgzakb8n1QSswDBUtBIli_N-_G_S0"
COMPRESSED = ".eJyrVkpVslIyVNJRyi9KUbIyrAUAPHAFRQ:1xXXa2:Bw502bcXqx8cTk-BjpYHBtaCDwCHGZrUSJsc6ROVs1g"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f'"GET /confirm/{TOKEN}/ HTTP/1.1" 200', '"GET /confirm/[signed]/ HTTP/1.1" 200'),
        (f"GET /b/H4TCW9YN/pdf/{COMPRESSED}/", "GET /b/H4TCW9YN/pdf/[signed]/"),
        (f"Not Found: /my-data/export/{TOKEN}", "Not Found: /my-data/export/[signed]"),
    ],
)
def test_it_masks_a_signed_link_token_in_a_path(line: str, expected: str) -> None:
    assert redact(line) == expected


@pytest.mark.parametrize("line", ["took 12:34:56 at /healthz", "GET /api/v1/campaigns/ring/ at 2026-11-29T05:36:07"])
def test_it_leaves_times_and_plain_paths_alone(line: str) -> None:
    assert redact(line) == line


@pytest.fixture
def gunicorn_logs() -> Iterator[tuple[Any, StringIO]]:
    """The logger deploy/gunicorn.conf.py gives gunicorn, writing to a buffer."""
    namespace: dict[str, Any] = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    config = Config()
    for name in ("logger_class", "access_log_format", "accesslog", "errorlog"):
        config.set(name, namespace[name])
    logger = config.logger_class(config)
    stream = StringIO()
    handler = logging.StreamHandler(stream)
    saved = {log: log.handlers[:] for log in (logger.error_log, logger.access_log)}
    for log in saved:
        log.handlers = [handler]
    yield logger, stream
    for log, handlers in saved.items():
        log.handlers = handlers


def test_gunicorn_never_names_the_client_of_a_malformed_request(gunicorn_logs: tuple[Any, StringIO]) -> None:
    logger, stream = gunicorn_logs

    # What gunicorn's worker logs when it refuses a request itself (workers/base.py, handle_error).
    logger.warning("Invalid request from ip={ip}: {error}".format(ip="203.0.113.7", error="Invalid HTTP Header"))

    assert stream.getvalue() == "Invalid request from ip=[ip]: Invalid HTTP Header\n"


def test_gunicorn_access_log_keeps_the_path_but_not_a_links_secret(gunicorn_logs: tuple[Any, StringIO]) -> None:
    logger, stream = gunicorn_logs

    logger.access_log.info(
        '"%(m)s %(U)s %(H)s" %(s)s', {"m": "GET", "U": f"/confirm/{TOKEN}/", "H": "HTTP/1.1", "s": 200}
    )

    assert stream.getvalue() == '"GET /confirm/[signed]/ HTTP/1.1" 200\n'
