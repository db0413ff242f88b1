"""Editions: reused while nothing changed, new ones on a status change or a support step, each kept."""

from __future__ import annotations

import datetime as dt
import hashlib

from briefings.editions import read_pdf, request_edition
from briefings.models import BriefingPreferences, Edition, Reason
from briefings.receivers import check_support_steps
from campaigns import tallies, tracker
from campaigns.models import Citation, Source, Status
from tests.briefings.conftest import add_signer, generated, pdf_text


def test_it_reuses_the_edition_while_its_inputs_are_unchanged(world):
    first = generated(world)
    again = request_edition(campaign=world.campaign, place=world.place)

    assert again.pk == first.pk and Edition.objects.count() == 1
    assert Edition.objects.get().status == Edition.Status.DONE


def test_a_new_edition_keeps_the_old_one_and_says_what_changed(world):
    first = generated(world)
    old_pdf = read_pdf(first)
    add_signer(world)
    add_signer(world)
    report = Source.objects.create(
        campaign=world.campaign, title="Police annual report", url="https://example.org/r", is_verified=True
    )
    Citation.objects.create(source=report, partnership=world.partnership, locator="p. 9")

    second = generated(world)

    assert (second.number, second.status) == (2, Edition.Status.DONE)
    assert second.changes == [
        "Verified constituents: 2 (was 0, +2).",
        "Confirmed signatures: 2 (was 0, +2).",
        "New source: Police annual report.",
    ]
    text = " ".join(pdf_text(read_pdf(second)).split())
    assert "What changed since the previous edition" in text and "Verified constituents: 2 (was 0, +2)." in text
    # The first edition keeps its PDF, figures and sources.
    first.refresh_from_db()
    assert read_pdf(first) == old_pdf and hashlib.sha256(old_pdf).hexdigest() == first.sha256
    assert first.figures["support"]["constituents"] == 0
    assert [entry["title"] for entry in first.figures["bibliography"]] == [
        "Council minutes, 12 March 2024",
        "Amazon Is Coaching Cops",
    ]


def test_a_status_change_makes_a_new_edition(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tracker.change_status(
            campaign=world.campaign,
            place=world.place,
            status=Status.ON_AGENDA,
            occurred_on=dt.date(2024, 5, 1),
            title="On the agenda",
            citations=[tracker.CitationInput(source=world.minutes, locator="item 7")],
            actor=world.owner,
            via="test",
        )

    edition = Edition.objects.get()
    assert (edition.reason, edition.status) == (Reason.STATUS_CHANGE, Edition.Status.DONE)
    assert edition.figures["status"]["label"] == "On the council agenda"


def test_passing_the_organizers_step_of_confirmed_signatures_makes_a_new_edition(world):
    BriefingPreferences.objects.create(campaign=world.campaign, support_step=3)
    pair = {(world.campaign.pk, world.place.pk)}

    for expected in (0, 0, 1, 1, 1, 2):
        signature = add_signer(world)
        tallies.add_to_tallies([(signature.petition_id, signature.place_id)])
        check_support_steps(pair)
        assert Edition.objects.filter(reason=Reason.SUPPORT_STEP).count() == expected
    assert Edition.objects.order_by("-number")[0].figures["support"]["signatures"] == 6


def test_confirming_a_signature_checks_the_step_after_the_commit(world, django_capture_on_commit_callbacks):
    from campaigns.signing import SignatureForm, sign_petition
    from supporters import confirming
    from supporters.models import Confirmation

    BriefingPreferences.objects.create(campaign=world.campaign, support_step=1)
    form = SignatureForm(
        petition=world.petition, email="dana@example.org", name="Dana Scully", place=world.place, language="en"
    )
    with django_capture_on_commit_callbacks(execute=True):
        sign_petition(form, visit={})
    with django_capture_on_commit_callbacks(execute=True):
        confirming.confirm(Confirmation.objects.get())

    edition = Edition.objects.get()
    assert edition.reason == Reason.SUPPORT_STEP and edition.figures["support"]["constituents"] == 1


def test_the_verification_page_shows_the_same_figures_time_and_hash(world, client):
    for _ in range(4):
        add_signer(world)
    edition = generated(world)
    pdf = read_pdf(edition)

    response = client.get(f"/b/{edition.code.lower()}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert hashlib.sha256(pdf).hexdigest() in page
    assert '<td class="constituents">4</td>' in page and '<td class="signatures">4</td>' in page
    assert edition.generated_at.isoformat() in page
    text = pdf_text(pdf)
    assert f"/b/{edition.code}/" in text.replace("\n", "")  # the PDF prints the short link
    assert "4 verified constituents" in text
    assert client.get("/b/NOTACODE/").status_code == 404
