"""Gunicorn settings for the web process (deploy/Dockerfile's default command).

Every value can be changed with an environment variable, so compose and Kubernetes need no
copy of this file. Sync workers: requests are short, the database does the waiting, and a
worker per core or two keeps a pod's memory predictable; scale with more pods, not threads.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

from gunicorn.glogging import Logger

from privacy.logging import RedactPersonalData

# All interfaces of the container; only the proxy (or the Service) reaches it.
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A request slower than this is killed: the readiness probe and the proxy give up earlier anyway.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "25"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so a slow leak never takes a pod down; jitter avoids all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Heartbeat files in memory: a container's overlay filesystem can stall and get workers killed.
_SHM = "/dev/shm"  # noqa: S108 - gunicorn's heartbeat files, no data
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", _SHM if os.path.isdir(_SHM) else None)
# The app loaded once in the master, then forked: faster starts and shared memory pages.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() == "true"
# Only the proxy in front may set X-Forwarded-Proto; Django reads X-Forwarded-For itself
# (TRUSTED_PROXY_COUNT), gunicorn never rewrites the client address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs to stdout/stderr for the container runtime. The access log never names the client:
# no %(h)s (remote address), no %({x-forwarded-for}i)s, no query string (%(U)s is the path alone).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = '"%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


class RedactingLogger(Logger):  # type: ignore[misc]  # gunicorn ships no types
    """gunicorn's own log lines pass through the filter Django's logs pass through (privacy.logging).

    They never reach Django's LOGGING: the error log names the client of a malformed request
    ("Invalid request from ip=…"), and the access log's path carries the secret of a mailed link
    (/confirm/<token>/, /my-data/export/<token>/, a briefing's PDF link).
    """

    def __init__(self, cfg: Any) -> None:
        super().__init__(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(existing, RedactPersonalData) for existing in log.filters):
                log.addFilter(RedactPersonalData())


logger_class = RedactingLogger
