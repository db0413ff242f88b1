"""Each environment switch in backend/settings.py, read from a fresh import of the module."""

from __future__ import annotations

import base64
import runpy
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "backend" / "settings.py"
SWITCHES = (
    "DEBUG",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "FIELD_ENCRYPTION_KEYS",
    "KEYED_HASH_KEYS",
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "EMAIL_URL",
    "ANYMAIL_PROVIDER",
    "ANYMAIL_API_KEY",
    "ANYMAIL_WEBHOOK_SECRET",
    "ANYMAIL_WEBHOOK_SIGNING_KEY",
    "TRUSTED_PROXY_COUNT",
    "ALLOWED_HOSTS",
    "MEDIA_ROOT",
    "TOWNHALL_VAR_DIR",
    "SECURE_SSL_REDIRECT",
)
KEY = base64.urlsafe_b64encode(b"k" * 32).decode()


@pytest.fixture
def load(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    def load_with(**env: str) -> dict[str, Any]:
        for name in SWITCHES:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("TOWNHALL_VAR_DIR", str(tmp_path / "var"))
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return load_with


def production(**extra: str) -> dict[str, str]:
    return {"SECRET_KEY": "s" * 60, "FIELD_ENCRYPTION_KEYS": f"k1:{KEY}", "KEYED_HASH_KEYS": f"h1:{KEY}", **extra}


def test_it_defaults_to_laptop_mode(load, tmp_path):
    settings = load(DEBUG="true")

    var = tmp_path / "var"
    assert settings["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["DATABASES"]["default"]["NAME"] == str(var / "townhall.sqlite3")
    assert settings["CELERY_TASK_ALWAYS_EAGER"] is True
    assert settings["EMAIL_BACKEND"] == "emails.backends.EmlFileBackend"
    assert settings["EMAIL_FILE_PATH"] == str(var / "mail")
    assert settings["MEDIA_ROOT"] == var / "media"
    assert settings["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")


def test_it_generates_laptop_secrets_once_under_var(load, tmp_path):
    first = load(DEBUG="true")
    second = load(DEBUG="true")

    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert first["FIELD_ENCRYPTION_KEYS"] == second["FIELD_ENCRYPTION_KEYS"]
    assert first["FIELD_ENCRYPTION_KEYS"] != first["KEYED_HASH_KEYS"]
    assert (tmp_path / "var" / "secrets" / "secret_key").stat().st_mode & 0o077 == 0


def test_it_refuses_to_start_without_secrets_in_production(load):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load()
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS"):
        load(SECRET_KEY="s" * 60)


def test_it_reads_secrets_from_files(load, tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-a-file-" + "x" * 50 + "\n")
    env = production(SECRET_KEY_FILE=str(secret_file))
    del env["SECRET_KEY"]

    assert load(**env)["SECRET_KEY"] == "from-a-file-" + "x" * 50


def test_it_refuses_a_secret_given_twice_or_an_unreadable_file(load, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="not both"):
        load(**production(SECRET_KEY_FILE=str(tmp_path / "x")))
    env = production(SECRET_KEY_FILE=str(tmp_path / "missing"))
    del env["SECRET_KEY"]
    with pytest.raises(ImproperlyConfigured, match="cannot read"):
        load(**env)


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("nocolon", "must look like"),
        ("k1:not*base64", "not base64"),
        (f"k1:{base64.urlsafe_b64encode(b'short').decode()}", "must be 32 bytes"),
        (f"k1:{KEY},k1:{KEY}", "appears twice"),
    ],
)
def test_it_explains_a_bad_key_list(load, keys, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        load(**production(FIELD_ENCRYPTION_KEYS=keys))


def test_it_keeps_every_key_current_first(load):
    other = base64.urlsafe_b64encode(b"o" * 32).decode()

    ring = load(**production(FIELD_ENCRYPTION_KEYS=f"new:{other},old:{KEY}"))["FIELD_ENCRYPTION_KEYS"]

    assert ring == [("new", b"o" * 32), ("old", b"k" * 32)]


def test_it_switches_to_postgresql(load):
    settings = load(**production(DATABASE_URL="postgres://townhall:pw@db.internal:5432/townhall"))

    database = settings["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"], database["USER"]) == ("db.internal", "townhall", "townhall")
    assert database["OPTIONS"]["connect_timeout"] == 5


def test_it_uses_redis_for_cache_and_broker(load):
    settings = load(**production(REDIS_URL="redis://cache.internal:6379/0"))

    assert settings["CACHES"]["default"]["BACKEND"] == "backend.cache.PooledRedisCache"
    assert settings["CELERY_BROKER_URL"] == "redis://cache.internal:6379/0"
    assert settings["CELERY_TASK_ALWAYS_EAGER"] is False


def test_it_takes_a_separate_broker(load):
    settings = load(**production(REDIS_URL="redis://cache:6379/0", CELERY_BROKER_URL="amqp://guest@mq:5672//"))

    assert settings["CELERY_BROKER_URL"] == "amqp://guest@mq:5672//"
    assert settings["CELERY_TASK_ALWAYS_EAGER"] is False


def test_it_sends_mail_over_smtp(load):
    settings = load(**production(EMAIL_URL="smtp+tls://mailer:pw@smtp.example.org:587"))

    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (settings["EMAIL_HOST"], settings["EMAIL_PORT"], settings["EMAIL_USE_TLS"]) == (
        "smtp.example.org",
        587,
        True,
    )
    assert settings["EMAIL_HOST_PASSWORD"] == "pw"


def test_it_sends_mail_through_an_anymail_provider(load):
    settings = load(**production(ANYMAIL_PROVIDER="postmark", ANYMAIL_API_KEY="token"))

    assert settings["EMAIL_BACKEND"] == "anymail.backends.postmark.EmailBackend"
    assert settings["ANYMAIL"]["POSTMARK_API_KEY"] == "token"


def test_it_checks_the_providers_webhooks_with_the_secret_and_signing_key(load):
    settings = load(
        **production(ANYMAIL_PROVIDER="mailgun", ANYMAIL_WEBHOOK_SECRET="mg:pw", ANYMAIL_WEBHOOK_SIGNING_KEY="sk")
    )

    assert settings["ANYMAIL"]["WEBHOOK_SECRET"] == "mg:pw"
    assert settings["ANYMAIL"]["MAILGUN_WEBHOOK_SIGNING_KEY"] == "sk"


def test_it_makes_the_webhooks_refuse_everyone_until_a_secret_is_set(load):
    first, second = load(**production()), load(**production())

    # A random secret per process: no request can carry it.
    assert len(first["ANYMAIL"]["WEBHOOK_SECRET"]) >= 32
    assert first["ANYMAIL"]["WEBHOOK_SECRET"] != second["ANYMAIL"]["WEBHOOK_SECRET"]


def test_it_refuses_a_signing_key_for_a_provider_that_does_not_sign(load):
    with pytest.raises(ImproperlyConfigured, match="ANYMAIL_WEBHOOK_SIGNING_KEY"):
        load(**production(ANYMAIL_PROVIDER="postmark", ANYMAIL_WEBHOOK_SIGNING_KEY="sk"))


def test_it_refuses_a_made_up_provider_name(load):
    with pytest.raises(ImproperlyConfigured, match="ANYMAIL_PROVIDER"):
        load(**production(ANYMAIL_PROVIDER="../evil"))


def test_it_trusts_the_same_proxy_count_everywhere(load):
    settings = load(**production(TRUSTED_PROXY_COUNT="2"))

    assert settings["REST_FRAMEWORK"]["NUM_PROXIES"] == 2
    assert settings["ALLAUTH_TRUSTED_PROXY_COUNT"] == 2
    assert settings["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_it_trusts_no_forwarded_header_by_default(load):
    settings = load(**production())

    assert settings["REST_FRAMEWORK"]["NUM_PROXIES"] == 0
    assert settings["ALLAUTH_TRUSTED_PROXY_COUNT"] == 0
    assert "SECURE_PROXY_SSL_HEADER" not in settings


def test_it_is_secure_by_default_in_production(load):
    settings = load(**production())

    assert settings["DEBUG"] is False
    assert settings["SESSION_COOKIE_SECURE"] and settings["CSRF_COOKIE_SECURE"]
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SECURE_HSTS_SECONDS"] >= 31536000
    assert settings["ALLOWED_HOSTS"] == []
