from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
application = get_wsgi_application()

# Web processes only (gunicorn's master, with preload_app, so workers share it): the first signer
# who gives a ZIP code must not wait for the data to load.
from campaigns.places_lookup import load_zip_codes  # noqa: E402 (needs the apps set up above)

load_zip_codes()
