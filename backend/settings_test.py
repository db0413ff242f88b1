"""Test overlay: speed knobs and captured mail only; everything else is backend.settings."""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-" + os.urandom(24).hex())
# Fresh random keys per test process: tests never depend on a committed key.
for _name in ("FIELD_ENCRYPTION_KEYS", "KEYED_HASH_KEYS"):
    if not os.environ.get(_name):
        import base64

        os.environ[_name] = f"t{os.urandom(3).hex()}:{base64.urlsafe_b64encode(os.urandom(32)).decode()}"
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Static files under their own names, found in the apps: no collectstatic before a test run.
os.environ.setdefault("STATIC_FILES_MANIFEST", "false")
# Tests run against the real PostgreSQL and Redis unless TOWNHALL_TEST_SQLITE=1 is asked for explicitly.
if os.environ.get("TOWNHALL_TEST_SQLITE") != "1":
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/townhall")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
# Tasks run eagerly in tests, so no broker; set CELERY_BROKER_URL only for tests that need one.
os.environ.setdefault("CELERY_BROKER_URL", "")
# Signature exports of this process go to a directory of its own, removed at exit, not to var/.
if not os.environ.get("SIGNATURE_EXPORTS_ROOT"):
    import atexit
    import shutil
    import tempfile

    os.environ["SIGNATURE_EXPORTS_ROOT"] = tempfile.mkdtemp(prefix="townhall-test-exports-")
    atexit.register(shutil.rmtree, os.environ["SIGNATURE_EXPORTS_ROOT"], True)

from backend.settings import *  # noqa: E402,F403

# One test database per pytest process, so concurrent runs on one machine never drop each other's.
DATABASES["default"]["TEST"] = {"NAME": f"test_townhall_{os.getpid()}"}  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests that hand tasks to a real broker publish at each commit, so what they assert right after it
# holds; tests/emails/test_publish_window.py, the end-to-end and the fault tests run with the window.
EMAIL_PUBLISH_WINDOW_SECONDS = 0.0
INSTALLED_APPS = [*INSTALLED_APPS, "tests.privacy_app"]  # noqa: F405
