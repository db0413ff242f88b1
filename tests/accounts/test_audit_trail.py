"""The audit trail is append-only in the database itself, and its snapshots keep no personal data."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from accounts import audit
from accounts.models import AuditEvent, User
from campaigns.models import ApiToken, Invitation
from tests.privacy_app.models import Person

pytestmark = pytest.mark.django_db

TABLE = AuditEvent._meta.db_table
REFUSED = "append-only"


@pytest.fixture(autouse=True)
def _postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is tested on PostgreSQL, as deployed")


@pytest.fixture
def event(alice) -> AuditEvent:
    return audit.record_security_event(actor=alice, via="login", event="login_locked_out", details={})


def stored(event: AuditEvent) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT via, details::text FROM {TABLE} WHERE id = %s", [event.pk])  # noqa: S608
        return cursor.fetchone()


def refused(statement) -> str:
    """Runs a write in a savepoint, so that the refusal leaves the test's transaction usable."""
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        statement()
    return str(error.value)


def test_it_refuses_a_raw_update(event):
    before = stored(event)

    def update() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET via = 'forged' WHERE id = %s", [event.pk])  # noqa: S608

    assert REFUSED in refused(update)
    assert "UPDATE" in refused(update)
    assert stored(event) == before


def test_it_refuses_a_raw_delete(event):
    def delete() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608

    assert "DELETE" in refused(delete)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_it_refuses_updates_through_the_orm(event):
    def save() -> None:
        event.via = "forged"
        event.save()

    assert REFUSED in refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(via="forged"))
    assert REFUSED in refused(save)
    assert AuditEvent.objects.get(pk=event.pk).via == "login"


def test_it_refuses_deletes_through_the_orm(event):
    assert REFUSED in refused(lambda: AuditEvent.objects.all().delete())
    assert REFUSED in refused(lambda: AuditEvent.objects.get(pk=event.pk).delete())
    assert AuditEvent.objects.count() == 1


def test_it_accepts_inserts(alice, event):
    later = audit.record_security_event(actor=None, via="mfa", event="mfa_used", details={"type": "totp"})
    AuditEvent.objects.bulk_create([AuditEvent(action=AuditEvent.Action.SECURITY, details={"event": "a"})] * 2)

    assert AuditEvent.objects.count() == 4
    assert AuditEvent.objects.get(pk=later.pk).details == {"event": "mfa_used", "type": "totp"}
    assert stored(event)[0] == "login"


def test_it_keeps_the_trail_readable_after_a_refusal(event):
    refused(lambda: AuditEvent.objects.update(via="forged"))

    # The savepoint rolled back: the connection still works, and nothing changed.
    assert list(AuditEvent.objects.values_list("via", flat=True)) == ["login"]


def test_it_lets_an_organizer_with_audit_events_be_deleted(alice, event):
    with transaction.atomic():
        alice.delete()

    assert AuditEvent.objects.get(pk=event.pk).actor is None
    assert AuditEvent.objects.get(pk=event.pk).actor_label == "alice@example.org"


# --- snapshots


def test_it_redacts_e_mail_fields_and_passwords_in_snapshots():
    user = User(pk=7, email="alice@example.org", first_name="Alice", is_staff=True)
    user.set_password("correct horse battery")

    values = audit.snapshot(user)

    assert values["email"] == audit.REDACTED
    assert values["password"] == audit.REDACTED
    assert values["first_name"] == "Alice"  # redaction is by type and name, not wholesale
    assert values["is_staff"] == "True"


def test_it_does_not_leak_the_e_mail_address_through_a_mirror_field():
    user = User(pk=7, email="alice@example.org")
    user.username = user.email  # what User.save() does

    values = audit.snapshot(user)

    assert "alice@example.org" not in repr(values)
    assert "alice" not in repr(values)


def test_it_redacts_encrypted_and_keyed_hash_fields_in_snapshots():
    person = Person(pk=3, email="carol@example.org", name="Carol", email_hash="ab" * 32, name_hash="cd" * 32)

    values = audit.snapshot(person)

    assert values == {
        "id": "3",
        "email": audit.REDACTED,
        "name": audit.REDACTED,
        "email_hash": audit.REDACTED,
        "name_hash": audit.REDACTED,
    }


def test_it_redacts_digests_whatever_their_type():
    token = ApiToken(pk=5, name="CRM sync", role="editor", prefix="th_abc", digest="f" * 64)
    invitation = Invitation(pk=6, email="dave@example.org", role="viewer", digest="e" * 64)

    token_values, invitation_values = audit.snapshot(token), audit.snapshot(invitation)

    assert token_values["digest"] == audit.REDACTED
    assert token_values["name"] == "CRM sync"
    assert token_values["prefix"] == "th_abc"
    assert invitation_values["digest"] == audit.REDACTED
    assert invitation_values["email"] == audit.REDACTED
    assert invitation_values["role"] == "viewer"


def test_it_records_no_change_of_a_redacted_value_in_the_clear():
    before = audit.snapshot(User(pk=7, email="old@example.org"))
    after = audit.snapshot(User(pk=7, email="new@example.org", first_name="Alice"))

    changes = audit.changes_between(before, after)

    assert "old@example.org" not in repr(changes)
    assert "new@example.org" not in repr(changes)
    assert changes["first_name"] == ["", "Alice"]


def test_it_labels_a_write_to_personal_data_by_type_not_by_value(alice):
    written = audit.record_write(
        actor=alice, via="api", action=AuditEvent.Action.UPDATE, instance=alice, campaign_id=None
    )

    assert "alice@example.org" not in written.target_label
    assert written.target_label == f"user {alice.pk}"
