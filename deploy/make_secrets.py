"""Writes fresh secrets for deploy/compose.yaml into a directory (mode 0600), never overwriting one.

    python3 deploy/make_secrets.py deploy/secrets

Standard library only: it runs before any virtualenv exists. In Kubernetes, create the Secret
`townhall` from the same files (docs/operations.md).
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import sys
from pathlib import Path


def key_entry() -> str:
    """One `kid:base64(32 bytes)` entry, the format of FIELD_ENCRYPTION_KEYS and KEYED_HASH_KEYS."""
    return f"k{secrets.token_hex(3)}:{base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}"


def make(directory: Path, *, db_host: str = "db", db_name: str = "townhall", db_user: str = "townhall") -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(24)
    wanted = {
        "db_password": password,
        "database_url": f"postgres://{db_user}:{password}@{db_host}:5432/{db_name}",
        "secret_key": secrets.token_urlsafe(50),
        "field_encryption_keys": key_entry(),
        "keyed_hash_keys": key_entry(),
        "metrics_token": secrets.token_urlsafe(32),
    }
    if (directory / "db_password").exists() != (directory / "database_url").exists():
        raise SystemExit("db_password and database_url go together: remove both or neither.")
    written = []
    for name, value in wanted.items():
        path = directory / name
        if path.exists():
            continue
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(value + "\n")
        written.append(name)
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("directory", type=Path)
    arguments = parser.parse_args(argv)
    written = make(arguments.directory)
    print(f"Wrote {', '.join(written) or 'nothing (all present)'} in {arguments.directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
