"""Organizers: drives, the moderation queue, figures per official and place over time, the owners' CSV export."""

from __future__ import annotations

import csv
import io

from accounts.models import AuditEvent
from campaigns.models import LetterDelivery, Review
from emails.models import OutboundMessage, Status
from tests.letters.conftest import TEMPLATE, write_and_confirm

C = "/api/v1/organizer/campaigns/ring"


def test_an_editor_creates_a_drive_with_templates(editor_client, ring, bloomfield):
    response = editor_client.post(
        f"{C}/letter-drives/",
        {
            "slug": "mayor",
            "title": "Write to the mayor",
            "subject_template": "From {{ supporter_name }} in {{ place }}",
            "body_template": TEMPLATE,
            "target_offices": ["council_member"],
            "include_mayor": True,
            "delivery_mode": "digest",
            "hourly_cap_per_official": 20,
            "place": bloomfield.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["include_mayor"] is True
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).exists()


def test_it_refuses_bad_drive_settings_with_field_messages(editor_client, drive):
    response = editor_client.post(
        f"{C}/letter-drives/",
        {
            "slug": "end-ring",
            "title": "X",
            "subject_template": "ok",
            "body_template": "{% load x %}",
            "target_offices": ["king"],
            "hourly_cap_per_official": 0,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"slug", "body_template", "target_offices", "hourly_cap_per_official"}


def test_editors_see_held_letters_and_decide(editor_client, drive, officials, bloomfield, mailoutbox, on_commit):
    held = write_and_confirm(drive, bloomfield, mailoutbox, on_commit, body=TEMPLATE + " https://x.example")
    write_and_confirm(drive, bloomfield, mailoutbox, on_commit, email="fox@example.org")

    rows = editor_client.get(f"{C}/letters/held/").json()["results"]
    assert [row["id"] for row in rows] == [held.pk]
    assert rows[0]["flags"] == ["link"] and "Dana" not in str(rows[0]["place"])
    assert "dana@example.org" not in str(rows)

    with on_commit(execute=True):
        response = editor_client.post(f"{C}/letters/{held.pk}/approve/")
    assert response.json()["review"] == Review.ACCEPTED
    assert LetterDelivery.objects.filter(letter=held).count() == 2


def test_figures_per_official_and_place_count_delivered_and_bounced(
    client, alice, drive, officials, bloomfield, mailoutbox, on_commit
):
    from tests.conftest import sign_in_with_two_factors

    write_and_confirm(drive, bloomfield, mailoutbox, on_commit)
    write_and_confirm(drive, bloomfield, mailoutbox, on_commit, email="fox@example.org")
    # One copy to Chen bounced for good.
    chen_copy = LetterDelivery.objects.filter(official=officials["chen"]).order_by("pk")[0]
    OutboundMessage.objects.filter(pk=chen_copy.message_id or 0).update(status=Status.FAILED)

    viewer = sign_in_with_two_factors(client, alice)
    by_official = {row["name"]: row for row in viewer.get(f"{C}/letters/figures/officials/").json()}
    assert {k: by_official["Li Chen"][k] for k in ("received", "delivered", "bounced")} == {
        "received": 2,
        "delivered": 1,
        "bounced": 1,
    }
    assert by_official["Ana Rivera"]["delivered"] == 2
    assert sum(day["received"] for day in by_official["Ana Rivera"]["by_day"]) == 2

    (place,) = viewer.get(f"{C}/letters/figures/places/").json()
    assert (place["place"], place["received"], place["confirmed"], place["delivered"], place["bounced"]) == (
        "Bloomfield, NJ",
        2,
        2,
        3,
        1,
    )


def test_owners_export_letters_as_streamed_audited_csv(
    owner_client, drive, officials, bloomfield, mailoutbox, on_commit
):
    write_and_confirm(drive, bloomfield, mailoutbox, on_commit, body=TEMPLATE + "\n=cmd|' /C calc'!A0")

    response = owner_client.get(f"{C}/letters/export.csv")

    assert response.status_code == 200
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    assert (rows[0]["email"], rows[0]["state"], rows[0]["delivered"]) == ("dana@example.org", "delivered", "2")
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT_PERSONAL_DATA)
    assert event.row_count == 1


def test_editors_may_not_export(editor_client, drive):
    assert editor_client.get(f"{C}/letters/export.csv").status_code == 403
