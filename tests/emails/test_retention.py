"""Bodies of finished mail are blanked after the retention period; the rest of the row stays."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone

from emails.models import OutboundMessage, Status
from emails.outbox import send
from emails.retention import purge_bodies
from tests.emails import sample_kinds


def message(key: str, status: Status) -> OutboundMessage:
    created = send(
        sample_kinds.NOTICE.name, to="dana@example.org", context=sample_kinds.context(), language="en", key=key
    )
    OutboundMessage.objects.filter(pk=created.pk).update(status=status)
    return created


def test_it_blanks_the_bodies_of_finished_mail_past_retention(db, settings):
    settings.EMAIL_BODY_RETENTION_DAYS = 30
    sent, failed, waiting = message("a", Status.SENT), message("b", Status.FAILED), message("c", Status.RETRY)
    recent_time = timezone.now() + dt.timedelta(days=29)
    with time_machine.travel(recent_time):
        assert purge_bodies() == 0
        recent = message("d", Status.SENT)

    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        assert purge_bodies() == 2

    for row in (sent, failed):
        row.refresh_from_db()
        assert (row.subject, row.text_body, row.html_body) == ("", "", "")
        assert row.body_purged_at is not None
        assert row.to_address == "dana@example.org"  # who was mailed stays, for "what did you send me?"
    for row in (waiting, recent):
        row.refresh_from_db()
        assert "Accept the invitation" in row.text_body
