"""deploy/nginx.conf run for real on 127.0.0.1, in front of a local server: for tests and bench/load_mixed.py.

The file is used as deploy/compose.yaml mounts it (nginx's conf.d, inside `http {}`), with only what
ties it to the compose network rewritten: the upstream address, the listening port and the paths
nginx writes to, all in a throwaway folder. Each rewrite must find its line, so a change to the
deploy file that breaks one fails here instead of testing something else.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.emails.celery_broker import free_port

DEPLOY_CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"
NGINX = "/usr/sbin/nginx"


@dataclass(frozen=True)
class Proxy:
    port: int
    folder: Path
    forwarded_proto: str | None = None

    def point_at(self, upstream_port: int) -> None:
        """Send requests to another upstream from now on (nginx reloads; its cache stays)."""
        (self.folder / "site.conf").write_text(
            site_config(
                upstream_port=upstream_port, port=self.port, folder=self.folder, forwarded_proto=self.forwarded_proto
            )
        )
        command = [NGINX, "-s", "reload", "-p", str(self.folder), "-c", str(self.folder / "nginx.conf")]
        subprocess.run(command, check=True, capture_output=True)
        time.sleep(0.5)  # the old workers hand over to new ones


def available() -> bool:
    return Path(NGINX).exists()


def site_config(*, upstream_port: int, port: int, folder: Path, forwarded_proto: str | None = None) -> str:
    """deploy/nginx.conf pointed at 127.0.0.1:`upstream_port`, listening on `port`, writing under `folder`.

    `forwarded_proto` stands for a TLS load balancer in front (the bench's clients speak plain HTTP
    to a production-settings Django that insists on HTTPS).
    """
    rewrites = {
        "server web:8000;": f"server 127.0.0.1:{upstream_port};",
        "listen 8080;": f"listen 127.0.0.1:{port};",
        "/var/cache/nginx/townhall": str(folder / "cache"),
        "/var/log/nginx/access.log": str(folder / "access.log"),
    }
    if forwarded_proto:
        proto = "proxy_set_header X-Forwarded-Proto"
        rewrites[f"{proto} $scheme;"] = f"{proto} {forwarded_proto};"
    text = DEPLOY_CONF.read_text()
    for line, replacement in rewrites.items():
        if line not in text:
            raise AssertionError(f"{DEPLOY_CONF}: no `{line}` to point at the local server")
        text = text.replace(line, replacement)
    return text


def main_config(folder: Path) -> str:
    """nginx's own nginx.conf around the site file, every path inside `folder`."""
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in kinds)
    return f"""worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
{temp}
    include {folder / "site.conf"};
}}
"""


@contextmanager
def nginx_proxy(upstream_port: int, *, forwarded_proto: str | None = None) -> Iterator[Proxy]:
    """A running nginx with the deploy file in front of 127.0.0.1:`upstream_port`; stopped and removed after."""
    folder = Path(tempfile.mkdtemp(prefix="townhall-nginx-"))
    # Run as root, nginx's workers drop to nobody: they must be able to write the cache and temp files.
    folder.chmod(0o777)
    port = free_port()
    (folder / "site.conf").write_text(
        site_config(upstream_port=upstream_port, port=port, folder=folder, forwarded_proto=forwarded_proto)
    )
    (folder / "nginx.conf").write_text(main_config(folder))
    command = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for(port, process, folder)
        yield Proxy(port=port, folder=folder, forwarded_proto=forwarded_proto)
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def check(folder: Path) -> subprocess.CompletedProcess[str]:
    """`nginx -t` on the files written in `folder`."""
    command = [NGINX, "-t", "-p", str(folder), "-c", str(folder / "nginx.conf")]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def _wait_for(port: int, process: subprocess.Popen[bytes], folder: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            errors = process.stderr.read().decode() if process.stderr else ""
            log = (folder / "error.log").read_text() if (folder / "error.log").exists() else ""
            raise RuntimeError(f"nginx exited {process.returncode}: {errors}{log}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nginx did not listen within 10 s")
