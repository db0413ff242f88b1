from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.demo import ensure_demo_organizer
from campaigns.demo import load_demo_campaign
from campaigns.models import Membership, Role

DEMO_EMAIL = "organizer@townhall.localhost"


class Command(BaseCommand):
    help = "Load the demo campaign and the demo organizer with two factors (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        password = _demo_password()
        # The organizer first: the demo's status changes are recorded in their name.
        organizer = ensure_demo_organizer(email=DEMO_EMAIL, password=password)
        campaign = load_demo_campaign(organizer=organizer.user)
        Membership.objects.update_or_create(user=organizer.user, campaign=campaign, defaults={"role": Role.OWNER})
        self.stdout.write(f"Demo campaign: {campaign.title} ({campaign.slug})")
        self.stdout.write(
            f"Demo data: {campaign.place_statuses.count()} places, {campaign.agencies.count()} agencies, "
            f"{campaign.sources.count()} sources"
        )
        self.stdout.write(f"Demo organizer: {DEMO_EMAIL}  password: {password}")
        self.stdout.write(f"Second factor (add to an authenticator app): {organizer.totp_uri}")
        self.stdout.write(f"Recovery codes (each works once): {' '.join(organizer.recovery_codes)}")


def _demo_password() -> str:
    # Kept under var/ so reruns print the same password; never committed.
    path = Path(settings.VAR_DIR) / "secrets" / "demo_password"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()
