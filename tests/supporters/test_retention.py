"""Retention: what was never confirmed goes after the configured days, IP hashes after 30."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine

from backend.celery import app
from privacy import ip_hashes
from privacy.models import DataRightsEvent
from privacy.retention import purge_expired
from privacy.tasks import purge_expired_personal_data
from supporters.models import Confirmation, Supporter
from tests.privacy_app.models import Visit
from tests.supporters.conftest import act

START = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)


def days(n: float) -> dt.datetime:
    return START + dt.timedelta(days=n)


@pytest.fixture
def visits_with_ip_hashes(db) -> Iterator[None]:
    ip_hashes.register_column(
        ip_hashes.IpHashColumn(model="privacy_app.Visit", field="ip_hash", recorded_at="created_at")
    )
    yield
    ip_hashes.unregister_column("privacy_app.Visit.ip_hash")


def test_it_deletes_a_supporter_never_confirmed_after_the_retention(db, django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False), django_capture_on_commit_callbacks(execute=True):
        act("fox.mulder@example.org", visit={})

    purge_expired(days(13.9))
    assert Supporter.objects.count() == Confirmation.objects.count() == 1

    counts = purge_expired(days(14.1))
    assert Supporter.objects.count() == Confirmation.objects.count() == 0
    assert counts["supporters"] == {"confirmations": 1, "supporters": 1}


def test_it_follows_the_configured_retention(db, settings, django_capture_on_commit_callbacks):
    settings.SUPPORTER_UNCONFIRMED_RETENTION_DAYS = 30
    with time_machine.travel(START, tick=False), django_capture_on_commit_callbacks(execute=True):
        act("fox.mulder@example.org", visit={})

    purge_expired(days(29))
    assert Supporter.objects.count() == 1
    purge_expired(days(31))
    assert Supporter.objects.count() == 0


def test_it_deletes_a_confirmed_supporters_unconfirmed_visit_but_keeps_them(db, django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False), django_capture_on_commit_callbacks(execute=True):
        confirmed = act(visit={})
        Confirmation.objects.filter(pk=confirmed.pk).update(confirmed_at=START)
        Supporter.objects.update(confirmed_at=START)
        act(visit={}, action="write to the council")

    purge_expired(days(15))

    assert list(Confirmation.objects.values_list("pk", flat=True)) == [confirmed.pk]
    assert Supporter.objects.get().is_confirmed


def test_it_keeps_a_never_confirmed_supporter_while_a_visit_is_recent(db, django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False), django_capture_on_commit_callbacks(execute=True):
        first = act("fox.mulder@example.org", visit={})
    with time_machine.travel(days(10), tick=False), django_capture_on_commit_callbacks(execute=True):
        second = act("fox.mulder@example.org", visit={})

    purge_expired(days(15))
    assert list(Confirmation.objects.values_list("pk", flat=True)) == [second.pk]
    assert Supporter.objects.filter(pk=first.supporter_id).exists()

    purge_expired(days(25))
    assert Supporter.objects.count() == 0


def test_it_clears_ip_hashes_after_30_days_and_keeps_their_rows(visits_with_ip_hashes):
    old = Visit.objects.create(ip_hash="k$" + "a" * 64, created_at=days(0))
    recent = Visit.objects.create(ip_hash="k$" + "b" * 64, created_at=days(1.5))

    counts = purge_expired(days(31))

    assert counts["ip_hashes"]["privacy_app.Visit.ip_hash"] == 1
    assert list(Visit.objects.order_by("pk").values_list("pk", "ip_hash")) == [
        (old.pk, None),
        (recent.pk, recent.ip_hash),
    ]


def test_it_hashes_client_ips_with_a_key(rf):
    request = rf.get("/", REMOTE_ADDR="203.0.113.7")

    hashed = ip_hashes.client_ip_hash(request)

    assert hashed is not None
    assert "203.0.113.7" not in hashed
    assert hashed == ip_hashes.client_ip_hash(rf.get("/", REMOTE_ADDR="203.0.113.7"))
    assert hashed != ip_hashes.client_ip_hash(rf.get("/", REMOTE_ADDR="203.0.113.8"))


def test_it_runs_the_purge_daily_and_logs_its_counts(db):
    entry = app.conf.beat_schedule["purge-expired-personal-data"]
    assert entry["task"] == "privacy.tasks.purge_expired_personal_data"
    assert entry["schedule"].hour == {3}

    counts = purge_expired_personal_data.delay().get()

    assert set(counts) >= {"supporters", "ip_hashes"}
    assert DataRightsEvent.objects.get().action == DataRightsEvent.Action.PURGED
