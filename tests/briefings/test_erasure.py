"""A person named in a briefing's appendix erases their data: the editions naming them are withdrawn."""

from __future__ import annotations

import pytest
from django.utils import timezone

from briefings import sending
from briefings.editions import read_pdf
from briefings.models import Delivery, Edition, NamedSupporter, Reason
from briefings.storage import briefing_storage
from campaigns.models import Letter, LetterCampaign, LettersSee, OfficialsSee
from privacy import registry, rights
from privacy.addresses import address_hashes
from supporters.models import Supporter
from tests.briefings.conftest import add_signer, generated, pdf_text, section
from tests.conftest import sign_in_with_two_factors

B = "/api/v1/organizer/campaigns/ring/briefings/"


def person(email: str, name: str, street: str = "") -> Supporter:
    return Supporter.objects.create(email=email, name=name, street_address=street or None, confirmed_at=timezone.now())


@pytest.fixture
def named(world):
    """Dana shows her name and city, Fox his name and address; an edition names both."""
    dana = person("dana@example.org", "Dana Scully")
    fox = person("fox@example.org", "Fox Mulder", street="2 Elm Street")
    add_signer(world, supporter=dana, officials_see=OfficialsSee.NAME_CITY)
    add_signer(world, supporter=fox, officials_see=OfficialsSee.NAME_ADDRESS)
    edition = generated(world)
    assert "Dana Scully" in pdf_text(read_pdf(edition))
    return edition


def test_the_briefings_holder_runs_before_supporters():
    names = [holder.name for holder in registry.holders()]

    assert names.index("briefings") < names.index("supporters")


def test_a_named_signer_who_erases_withdraws_the_edition_and_a_new_one_is_made_without_them(
    world, named, client, django_capture_on_commit_callbacks
):
    storage = briefing_storage()
    old_pdf, old_html, old_figures, old_sha = named.pdf_name, named.html_name, named.figures, named.sha256
    assert storage.exists(old_pdf) and storage.exists(old_html)

    with django_capture_on_commit_callbacks(execute=True):
        counts = rights.erase(address_hashes("dana@example.org"))

    assert counts["briefings"] == {"briefing_editions": 1}
    named.refresh_from_db()
    assert named.status == Edition.Status.WITHDRAWN and named.withdrawn_at is not None
    assert not storage.exists(old_pdf) and not storage.exists(old_html)
    assert named.pdf_name == named.html_name == named.sha256 == ""
    assert named.figures == old_figures  # the figures hold no names: kept
    replacement = named.replaced_by
    assert replacement is not None and replacement.reason == Reason.ERASURE and replacement.number == 2
    assert replacement.status == Edition.Status.DONE, replacement.error
    text = pdf_text(read_pdf(replacement))
    appendix = " ".join(section(text, "Appendix").split())
    assert "Dana Scully" not in text and "Fox Mulder — 2 Elm Street, Bloomfield, NJ." in appendix
    assert "2 verified constituents of Bloomfield" in text  # she still counts, anonymously
    assert list(NamedSupporter.objects.values_list("edition_id", "supporter__name")) == [
        (named.pk, "Fox Mulder"),
        (replacement.pk, "Fox Mulder"),
    ]

    page = client.get(f"/b/{named.code.lower()}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "This edition was withdrawn" in body and "asked us to erase their data" in body
    assert f"/b/{replacement.code}/" in body and "replaced by edition 2" in body
    assert old_sha not in body and 'class="sha256"' not in body
    assert client.get(f"/b/{replacement.code}/").content.decode().count('class="sha256"') == 1


def test_sending_logs_stay_and_the_officials_link_leads_to_the_verification_page(
    world, named, client, django_capture_on_commit_callbacks
):
    [delivery] = sending.send_edition(edition=named, actor=world.owner, via="test")
    pdf_link = f"/b/{named.code}/pdf/{sending.pdf_token(named, world.official)}/"
    assert client.get(pdf_link).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        rights.erase(address_hashes("dana@example.org"))

    assert Delivery.objects.get().pk == delivery.pk and delivery.edition_id == named.pk
    gone = client.get(pdf_link)
    assert gone.status_code == 302 and gone["Location"] == f"/b/{named.code}/"
    owner = sign_in_with_two_factors(client, world.owner)
    log = owner.get(f"{B}{named.pk}/deliveries/")
    assert log.status_code == 200 and [row["official"] for row in log.json()] == [world.official.pk]
    detail = owner.get(f"{B}{named.pk}/").json()
    assert detail["status"] == "withdrawn" and detail["replaced_by"] == named.pk + 1
    assert owner.get(f"{B}{named.pk}/pdf/").status_code == 410
    again = owner.post(f"{B}{named.pk}/send/", {}, content_type="application/json")
    assert again.status_code == 400 and "edition" in again.json()["fields"]


def test_a_named_letter_writer_who_erases_withdraws_the_edition(world, django_capture_on_commit_callbacks):
    drive = LetterCampaign.objects.create(
        campaign=world.campaign, slug="council", title="To the council", subject_template="S", body_template="B"
    )
    writer = person("walter@example.org", "Walter Skinner", street="9 Hill Road")
    Letter.objects.create(
        letter_campaign=drive,
        supporter=writer,
        place=world.place,
        body="Please end it.",
        consent_version="1",
        officials_see=LettersSee.NAME_ADDRESS,
        confirmed_at=timezone.now(),
    )
    edition = generated(world)
    assert "9 Hill Road" in pdf_text(read_pdf(edition))

    with django_capture_on_commit_callbacks(execute=True):
        rights.erase(address_hashes("walter@example.org"))

    edition.refresh_from_db()
    assert edition.status == Edition.Status.WITHDRAWN
    text = pdf_text(read_pdf(Edition.objects.get(number=2)))
    assert "Walter Skinner" not in text and "9 Hill Road" not in text


def test_the_export_lists_the_editions_naming_the_person(world, named):
    held = rights.export(address_hashes("fox@example.org"))["held"]["briefings"]

    assert held == {
        "briefing_editions": [
            {
                "campaign": "End Ring partnerships",
                "place": "Bloomfield, NJ",
                "addressed_to": "the council",
                "edition": 1,
                "code": named.code,
                "generated_at": named.generated_at.isoformat(),
                "shown": "your name and street address",
                "withdrawn_at": None,
            }
        ]
    }
    assert rights.export(address_hashes("dana@example.org"))["held"]["briefings"]["briefing_editions"][0]["shown"] == (
        "your name and city"
    )


def test_someone_not_named_leaves_editions_untouched(world, named, django_capture_on_commit_callbacks):
    counted_only = person("count@example.org", "Counted Only")
    add_signer(world, supporter=counted_only, officials_see=OfficialsSee.COUNT)
    assert rights.export(address_hashes("count@example.org"))["held"]["briefings"] == {"briefing_editions": []}

    with django_capture_on_commit_callbacks(execute=True):
        counts = rights.erase(address_hashes("count@example.org"))

    assert counts["briefings"] == {"briefing_editions": 0}
    named.refresh_from_db()
    assert named.status == Edition.Status.DONE and briefing_storage().exists(named.pdf_name)
    assert Edition.objects.count() == 1


def test_an_edition_rendered_while_its_named_person_erased_is_withdrawn_at_once(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    """The names were read, then the person erased before the edition was stored."""
    from briefings import editions, render

    dana = person("dana@example.org", "Dana Scully")
    add_signer(world, supporter=dana, officials_see=OfficialsSee.NAME_CITY)
    real_render = render.render_pdf

    def render_then_erase(html: str):  # the erasure lands between reading the names and storing the PDF
        Supporter.objects.filter(pk=dana.pk).update(erased_at=timezone.now(), name=None, email_hash=None)
        return real_render(html)

    monkeypatch.setattr(render, "render_pdf", render_then_erase)
    with django_capture_on_commit_callbacks(execute=True):
        first = editions.request_edition(campaign=world.campaign, place=world.place)
    monkeypatch.setattr(render, "render_pdf", real_render)

    first.refresh_from_db()
    assert first.status == Edition.Status.WITHDRAWN and first.replaced_by is not None
    assert first.replaced_by.status == Edition.Status.DONE
    assert "Dana Scully" not in pdf_text(read_pdf(first.replaced_by))
