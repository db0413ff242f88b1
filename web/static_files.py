"""Production storage for static files: WhiteNoise's hashed, pre-compressed names (docs/operations.md)."""

from __future__ import annotations

import logging

from whitenoise import storage

logger = logging.getLogger(__name__)


class CompressedManifestStaticFilesStorage(storage.CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    """collectstatic writes each file under a hashed name with .gz and .br copies, and a manifest.

    Where collectstatic never ran (a process started from a bare checkout), pages still render with
    the files' own names, and one warning says why their assets are missing, instead of every page
    failing on the absent manifest. A manifest that lacks a file still fails, as Django's does.
    """

    _warned = False

    def stored_name(self, name: str) -> str:
        if not self.hashed_files and not self.manifest_hash:
            if not CompressedManifestStaticFilesStorage._warned:
                CompressedManifestStaticFilesStorage._warned = True
                logger.warning("No static files manifest in STATIC_ROOT: run manage.py collectstatic.")
            return name
        return str(super().stored_name(name))
