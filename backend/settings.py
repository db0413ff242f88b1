"""Townhall settings: one module, driven by the environment.

Defaults are the laptop ("embedded") mode: SQLite under var/, tasks run in-process,
mail written as .eml files under var/mail/, media under var/media/. Production parts
are switched on by environment variables; see the README's table.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Any

import django_stubs_ext
import environ
from celery.schedules import crontab
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

from backend import envkit

# Lets Django classes such as ModelAdmin be subscripted for the type checker (DRF's: web.apps).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

VAR_DIR = Path(env.str("TOWNHALL_VAR_DIR", default=str(BASE_DIR / "var")))
DEBUG = env.bool("DEBUG", default=False)

# --- Secrets: from the environment or a *_FILE; generated once under var/ only in DEBUG.
SECRET_KEY = envkit.secret(env, "SECRET_KEY") or (
    envkit.dev_secret(VAR_DIR, "secret_key", lambda: secrets.token_urlsafe(50)) if DEBUG else ""
)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) is required when DEBUG is off.")

# Keys for personal data: "kid:base64key" entries, comma-separated, the first one current.
# Never derived from SECRET_KEY, so rotating one does not silently break the other.
FIELD_ENCRYPTION_KEYS = envkit.keyring(
    envkit.secret(env, "FIELD_ENCRYPTION_KEYS")
    or (envkit.dev_secret(VAR_DIR, "field_encryption_keys", envkit.new_key_entry) if DEBUG else ""),
    name="FIELD_ENCRYPTION_KEYS",
)
KEYED_HASH_KEYS = envkit.keyring(
    envkit.secret(env, "KEYED_HASH_KEYS")
    or (envkit.dev_secret(VAR_DIR, "keyed_hash_keys", envkit.new_key_entry) if DEBUG else ""),
    name="KEYED_HASH_KEYS",
)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.headless",
    "allauth.usersessions",
    "anymail",
    # Ours, bottom layer first.
    "privacy",
    "accounts",
    "emails",
    "supporters",
    "health",
    "campaigns",
    "mailings",
    "briefings",
    "donations",
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files, compressed (gzip, Brotli) and, with hashed names, cached for a year (docs/operations.md).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "accounts.middleware.RequireTwoFactorMiddleware",
]

ROOT_URLCONF = "backend.urls"
WSGI_APPLICATION = "backend.wsgi.application"
ASGI_APPLICATION = "backend.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASES = {
    # DATABASE_URL_FILE too: the URL holds the password, so it may come from a secret file.
    "default": env.db_url_config(envkit.secret(env, "DATABASE_URL") or f"sqlite:///{VAR_DIR / 'townhall.sqlite3'}"),
}
# Reused connections: opening one per request costs about as much as a signature itself (bench/signing_throughput.py).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast instead of hanging a request or a probe on an unreachable server.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when REDIS_URL is set (throttles and rate limits must be shared by all web nodes).
REDIS_URL = env.str("REDIS_URL", default="")
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {
            # Django's RedisCache with one client per connection pool, not one per call.
            "BACKEND": "backend.cache.PooledRedisCache",
            "LOCATION": REDIS_URL,
            # Redis answers in milliseconds; an unreachable one must not hold a request for long:
            # throttles fail open (campaigns/throttles.py), and a signer should wait under a second.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Sessions in the database, as Django's, each created with one INSERT (no exists() SELECT first).
SESSION_ENGINE = "backend.sessions"

# --- Auth: custom user, allauth with mandatory e-mail verification and MFA.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Townhall] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
ACCOUNT_CHANGE_EMAIL = True  # a new address replaces the old one only once it is verified
# Verification by code: allauth refuses link verification of a new address on an account with
# two factors, and every organizer has two factors.
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# Failed logins per real client address (TRUSTED_PROXY_COUNT) and per account.
ACCOUNT_RATE_LIMITS = {"login": "30/m/ip", "login_failed": "10/m/ip,5/5m/key", "reset_password": "20/m/ip,5/m/key"}
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG  # http://127.0.0.1 in the demo
USERSESSIONS_TRACK_ACTIVITY = False
# Organizer pages and endpoints answer only sessions that passed two factors (accounts.middleware).
TWO_FACTOR_REQUIRED_PATHS = ("/admin/", "/api/v1/organizer/", "/metrics")
TWO_FACTOR_SETUP_URL = "/accounts/2fa/"
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "Townhall"
# A code typed as its 30 s step ends is checked in the next one: accept the step before and after,
# as RFC 6238 (5.2) recommends; allauth still refuses a code used once.
MFA_TOTP_TOLERANCE = 1
HEADLESS_ONLY = False
HEADLESS_SERVE_SPECIFICATION = True
# allauth's own page loads Redoc from a CDN; /api/docs/accounts/ shows the spec with our copy.
HEADLESS_SPECIFICATION_TEMPLATE_NAME = None
HEADLESS_FRONTEND_URLS: dict[str, str] = {}

# --- Client IPs behind proxies: trust exactly this many hops of X-Forwarded-For, in every consumer.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
if TRUSTED_PROXY_COUNT:
    USE_X_FORWARDED_HOST = False
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "backend.api.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "backend.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "backend.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "backend.api.throttles.AnonRateThrottle",
        "backend.api.throttles.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="120/minute"),
        "user": env.str("THROTTLE_USER", default="600/minute"),
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_VERSIONING_CLASS": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS: dict[str, Any] = {
    "TITLE": "Townhall API",
    "DESCRIPTION": "Campaign backend for policy advocacy. Errors share one format (see `Error`).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Two "status" choice sets: each keeps a stable name (the place's is the one clients have always seen).
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "campaigns.models.statuses.Status",
        "SignatureExportStatusEnum": "campaigns.models.exports.SignatureExport.Status",
        # The same choice sets under several field names, one schema name each.
        "PlaceKindEnum": "campaigns.models.places.Place.Kind",
        "MailingKindEnum": "mailings.models.mailings.Mailing.Kind",
        "DonationFrequencyEnum": "donations.models.checkouts.Frequency",
    },
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}

# --- Celery: in-process when no broker is configured.
# Without a broker, tasks run in the caller's process; "memory://" lets the embedded beat
# (bin/demo) publish to nowhere while running each due task in-process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL) or "memory://"
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=90)
CELERY_TASK_ACKS_LATE = False  # per task, only where the task is idempotent (backend.celery)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes a worker's database connection after every task; backend.celery keeps
# it for CONN_MAX_AGE like a request's, and the fixup only recycles it after this many tasks.
CELERY_DB_REUSE_MAX = 1000
# Workers keep Django's LOGGING (and its redaction filter) instead of replacing the root handlers.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_DEFAULT_QUEUE = "transactional"
# Every task names its queue here: transactional (confirmations, account mail), bulk
# (mailings, letters, sweeps), heavy (PDFs, imports, exports). A test fails on a task left out.
CELERY_TASK_ROUTES = {
    "accounts.tasks.purge_expired_sessions": {"queue": "bulk"},
    "emails.tasks.deliver_transactional": {"queue": "transactional"},
    "emails.tasks.deliver_bulk": {"queue": "bulk"},
    # The sweep is light and is what rescues transactional mail: never behind a bulk backlog.
    "emails.tasks.sweep_outbox": {"queue": "transactional"},
    "emails.tasks.release_bulk_sends": {"queue": "bulk"},
    "emails.tasks.purge_message_bodies": {"queue": "bulk"},
    "privacy.tasks.purge_expired_personal_data": {"queue": "bulk"},
    "campaigns.tasks.export_signatures": {"queue": "heavy"},
    "campaigns.tasks.purge_signature_exports": {"queue": "bulk"},
    "mailings.tasks.prepare_mailing": {"queue": "bulk"},
    "mailings.tasks.start_due_mailings": {"queue": "bulk"},
    "briefings.tasks.generate_edition": {"queue": "heavy"},
    "campaigns.letters.tasks.plan_letter_deliveries": {"queue": "bulk"},
    "campaigns.letters.tasks.send_letter_digests": {"queue": "bulk"},
    "campaigns.letters.tasks.plan_missed_letters": {"queue": "bulk"},
    # A donor waits for their receipt: Stripe's events are handled next to confirmations.
    "donations.tasks.process_stripe_event": {"queue": "transactional"},
    "donations.tasks.sweep_stripe_events": {"queue": "transactional"},
}
CELERY_TASK_QUEUES_NAMES = ("transactional", "bulk", "heavy")
CELERY_TASK_CREATE_MISSING_QUEUES = False
# Longer than any task may run, so a running late-acked task is never redelivered; lost
# tasks are found by beat's sweeps, not by waiting this out.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing happens after commit in requests: with the broker down, give up fast; beat sweeps the outbox.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The longest countdown/ETA allowed on the broker; longer waits are database state swept by beat.
TOWNHALL_MAX_BROKER_DELAY_SECONDS = 300
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # https://crontab.guru/#17_3_*_*_*
    "purge-expired-sessions": {
        "task": "accounts.tasks.purge_expired_sessions",
        "schedule": crontab(minute="17", hour="3"),
    },
    "sweep-outbox": {"task": "emails.tasks.sweep_outbox", "schedule": 60.0},
    "release-bulk-sends": {"task": "emails.tasks.release_bulk_sends", "schedule": 10.0},
    # Scheduled mailings whose time has come, and preparations whose task was lost.
    "start-due-mailings": {"task": "mailings.tasks.start_due_mailings", "schedule": 60.0},
    # https://crontab.guru/#41_3_*_*_*
    "purge-message-bodies": {"task": "emails.tasks.purge_message_bodies", "schedule": crontab(minute="41", hour="3")},
    # https://crontab.guru/#53_3_*_*_*
    "purge-expired-personal-data": {
        "task": "privacy.tasks.purge_expired_personal_data",
        "schedule": crontab(minute="53", hour="3"),
    },
    # https://crontab.guru/#7_4_*_*_*
    "purge-signature-exports": {
        "task": "campaigns.tasks.purge_signature_exports",
        "schedule": crontab(minute="7", hour="4"),
    },
    # Each official's digest of a day goes out in the first hour after that day ends in the
    # campaign's time zone. https://crontab.guru/#5_*_*_*_*
    "send-letter-digests": {"task": "campaigns.letters.tasks.send_letter_digests", "schedule": crontab(minute="5")},
    # Confirmed letters whose planning task was lost. https://crontab.guru/#*/5_*_*_*_*
    "plan-missed-letters": {"task": "campaigns.letters.tasks.plan_missed_letters", "schedule": crontab(minute="*/5")},
    # Stripe events stored but not handled (lost task, retry due, dead worker). https://crontab.guru/#*_*_*_*_*
    "sweep-stripe-events": {"task": "donations.tasks.sweep_stripe_events", "schedule": crontab(minute="*")},
}

# --- E-mail: .eml files under var/mail/ unless EMAIL_URL or an anymail provider is set.
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_BACKEND = "emails.backends.EmlFileBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Townhall <noreply@townhall.localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_TIMEOUT = 10
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
ANYMAIL_PROVIDER = env.str("ANYMAIL_PROVIDER", default="")
# The tracking webhooks (/email/anymail/) check this basic-auth secret on every post. Without one,
# anymail would accept anyone's posts, and a forged bounce would silence a supporter: a random
# secret nobody knows makes them refuse everything until one is configured.
ANYMAIL: dict[str, str] = {
    "WEBHOOK_SECRET": envkit.secret(env, "ANYMAIL_WEBHOOK_SECRET") or secrets.token_urlsafe(32),
}
if ANYMAIL_PROVIDER:
    EMAIL_BACKEND = envkit.anymail_backend(ANYMAIL_PROVIDER)
    ANYMAIL[f"{ANYMAIL_PROVIDER.upper()}_API_KEY"] = envkit.secret(env, "ANYMAIL_API_KEY")
    # Providers that sign their webhooks (Mailgun's HMAC) are checked against this key as well.
    if _signing_key := envkit.secret(env, "ANYMAIL_WEBHOOK_SIGNING_KEY"):
        ANYMAIL[envkit.anymail_signing_setting(ANYMAIL_PROVIDER)] = _signing_key

# --- The e-mail pipeline (emails/): outbox, retries, bulk rates, retention.
EMAIL_BATCH_SIZE = 100  # messages per delivery task: one SMTP connection carries the batch
# Messages a process commits within this many seconds go to the workers as one task (emails/publish.py).
EMAIL_PUBLISH_WINDOW_SECONDS = env.float("EMAIL_PUBLISH_WINDOW_SECONDS", default=0.2)
if not 0 <= EMAIL_PUBLISH_WINDOW_SECONDS <= 5:
    raise ImproperlyConfigured("EMAIL_PUBLISH_WINDOW_SECONDS must be from 0 (a task per transaction) to 5.")
# A worker keeps its mail connection open between tasks this long (emails/connections.py).
EMAIL_CONNECTION_IDLE_SECONDS = env.int("EMAIL_CONNECTION_IDLE_SECONDS", default=30)
EMAIL_BULK_RATE_PER_MINUTE = env.int("EMAIL_BULK_RATE_PER_MINUTE", default=600)
EMAIL_BULK_RELEASE_SECONDS = 10  # beat's release tick; keep in step with CELERY_BEAT_SCHEDULE
EMAIL_UNCONFIRMED_DAILY_LIMIT = env.int("EMAIL_UNCONFIRMED_DAILY_LIMIT", default=3)
EMAIL_MAX_ATTEMPTS = 7
EMAIL_RETRY_DELAYS_SECONDS = [60, 300, 900, 3600, 10800, 21600]
EMAIL_REPUBLISH_AFTER_SECONDS = 120  # a queued message unsent this long is published again by the sweep
EMAIL_IN_DOUBT_AFTER_SECONDS = 600  # longer than CELERY_TASK_TIME_LIMIT: only a dead worker leaves one this old
EMAIL_SWEEP_LIMIT = 5000
EMAIL_BODY_RETENTION_DAYS = env.int("EMAIL_BODY_RETENTION_DAYS", default=30)

# --- Supporters and their data rights (supporters/, privacy/): retention, request limits.
# Longer than a confirmation link lives (7 days), so no link outlives what it confirms.
SUPPORTER_UNCONFIRMED_RETENTION_DAYS = env.int("SUPPORTER_UNCONFIRMED_RETENTION_DAYS", default=14)
if SUPPORTER_UNCONFIRMED_RETENTION_DAYS < 7:
    raise ImproperlyConfigured("SUPPORTER_UNCONFIRMED_RETENTION_DAYS must be at least 7 (a confirmation link's life).")
IP_HASH_RETENTION_DAYS = 30
MY_DATA_REQUESTS_PER_IP = "10/hour"  # "my data" mail asked for by one client address (page and API)

# --- Petitions: signatures per client address and per e-mail address (page and API; campaigns/throttles.py).
# Generous per address: a campus, an office or a phone carrier's NAT puts many people behind one.
SIGNATURES_PER_IP = env.str("SIGNATURES_PER_IP", default="120/hour")
SIGNATURES_PER_ADDRESS = env.str("SIGNATURES_PER_ADDRESS", default="5/hour")
for _rate_name in ("SIGNATURES_PER_IP", "SIGNATURES_PER_ADDRESS"):
    if not re.fullmatch(r"[0-9]+/(s|sec|second|m|min|minute|h|hour|d|day)", vars()[_rate_name]):
        raise ImproperlyConfigured(f"{_rate_name} must look like 120/hour (per second, minute, hour or day).")

# --- Signing challenges (campaigns/challenges/): both off by default; see docs/petitions.md.
# Proof of work: leading zero bits of SHA-256 a signer's browser must find (0: off; 16 ≈ 65,000 hashes).
SIGNING_PROOF_OF_WORK_BITS = env.int("SIGNING_PROOF_OF_WORK_BITS", default=0)
if not 0 <= SIGNING_PROOF_OF_WORK_BITS <= 24:
    raise ImproperlyConfigured("SIGNING_PROOF_OF_WORK_BITS must be from 0 (off) to 24.")
# A third-party captcha only when asked for: its widget loads from the provider (CSP below, privacy page).
CAPTCHA_SECRET = envkit.secret(env, "CAPTCHA_SECRET")
CAPTCHA_SITE_KEY = env.str("CAPTCHA_SITE_KEY", default="")
CAPTCHA_PROVIDER = envkit.captcha_provider(
    env.str("CAPTCHA_PROVIDER", default=""), secret=CAPTCHA_SECRET, site_key=CAPTCHA_SITE_KEY
)
CAPTCHA_VERIFY_URL = envkit.captcha_verify_url(CAPTCHA_PROVIDER, env.str("CAPTCHA_VERIFY_URL", default=""))

# --- Donations through Stripe (donations/): without a secret key the donate endpoints answer 503.
STRIPE_SECRET_KEY = envkit.secret(env, "STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = envkit.secret(env, "STRIPE_WEBHOOK_SECRET")
STRIPE_WEBHOOK_TOLERANCE = env.int("STRIPE_WEBHOOK_TOLERANCE", default=300)  # seconds a signature stays fresh
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="https://api.stripe.com")
STRIPE_WEBHOOK_FAILURES_PER_MINUTE = env.int("STRIPE_WEBHOOK_FAILURES_PER_MINUTE", default=30)
STRIPE_EVENT_RETENTION_DAYS = env.int("STRIPE_EVENT_RETENTION_DAYS", default=30)
DONATION_CHECKOUTS_PER_IP = env.str("DONATION_CHECKOUTS_PER_IP", default="30/hour")
if not re.fullmatch(r"[0-9]+/(s|sec|second|m|min|minute|h|hour|d|day)", DONATION_CHECKOUTS_PER_IP):
    raise ImproperlyConfigured("DONATION_CHECKOUTS_PER_IP must look like 30/hour (per second, minute, hour or day).")
if STRIPE_WEBHOOK_TOLERANCE < 1:
    raise ImproperlyConfigured("STRIPE_WEBHOOK_TOLERANCE must be a positive number of seconds.")

# --- Metrics (/metrics, Prometheus format): a scraper sends "Authorization: Bearer <METRICS_TOKEN>";
# signed-in staff may read it too. Without a token only staff can. See docs/operations.md.
METRICS_TOKEN = envkit.secret(env, "METRICS_TOKEN")

# --- Files
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Signature exports hold personal data: a storage of their own, outside MEDIA_ROOT and without a URL,
# read only by the owners' download view (campaigns.exports), deleted after the retention below.
SIGNATURE_EXPORTS_ROOT = Path(env.str("SIGNATURE_EXPORTS_ROOT", default=str(VAR_DIR / "exports")))
if SIGNATURE_EXPORTS_ROOT.resolve().is_relative_to(MEDIA_ROOT.resolve()):
    raise ImproperlyConfigured("SIGNATURE_EXPORTS_ROOT must be outside MEDIA_ROOT, whose files anyone may fetch.")
SIGNATURE_EXPORT_RETENTION_DAYS = env.int("SIGNATURE_EXPORT_RETENTION_DAYS", default=7)
# Production serves what collectstatic wrote (deploy/Dockerfile runs it): hashed names, with gzip and
# Brotli copies, through WhiteNoise. Without it (DEBUG, tests: STATIC_FILES_MANIFEST=false) files keep
# their names and are found in the apps' static folders.
STATIC_FILES_MANIFEST = env.bool("STATIC_FILES_MANIFEST", default=not DEBUG)
WHITENOISE_USE_FINDERS = not STATIC_FILES_MANIFEST
WHITENOISE_AUTOREFRESH = DEBUG or not STATIC_FILES_MANIFEST  # no collected STATIC_ROOT is looked for then
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "web.static_files.CompressedManifestStaticFilesStorage"
            if STATIC_FILES_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
    "signature_exports": {
        "BACKEND": "campaigns.exports.storage.UnservedFileSystemStorage",
        "OPTIONS": {
            "location": SIGNATURE_EXPORTS_ROOT,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
}
# Briefing PDFs (and their HTML) name constituents who chose to show officials their names: no
# public URL, local by default, S3 (or a compatible store) with BRIEFINGS_S3_BUCKET. See docs/briefings.md.
BRIEFINGS_ROOT = Path(env.str("BRIEFINGS_ROOT", default=str(VAR_DIR / "briefings")))
BRIEFINGS_S3_BUCKET = env.str("BRIEFINGS_S3_BUCKET", default="")
STORAGES["briefings"] = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BRIEFINGS_S3_BUCKET,
            "endpoint_url": env.str("BRIEFINGS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("BRIEFINGS_S3_REGION", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if BRIEFINGS_S3_BUCKET
    else {
        "BACKEND": "briefings.storage.UnservedFileSystemStorage",
        "OPTIONS": {"location": BRIEFINGS_ROOT, "file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
    }
)

# --- Internationalisation
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
# One schema name for the language choice, whatever the field is called.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["LanguageEnum"] = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Security: secure by default, relaxed only in DEBUG on a laptop.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60  # a chosen language outlives the browser session
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# With a captcha configured, its provider's origins (and no one else's) join the directives its widget needs.
CONTENT_SECURITY_POLICY["DIRECTIVES"] = envkit.with_captcha_origins(
    CONTENT_SECURITY_POLICY["DIRECTIVES"], CAPTCHA_PROVIDER
)

# --- Logging: structured enough to grep, and never a raw IP or e-mail address.
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "privacy.logging.RedactPersonalData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # WeasyPrint narrates every step of every PDF at INFO; its warnings and errors are what matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
