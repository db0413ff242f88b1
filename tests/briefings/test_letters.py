"""Letters (issue 9) in the briefing: confirmed writers counted, recorded positions, writers named in the appendix."""

from __future__ import annotations

from django.utils import timezone

from briefings.editions import read_pdf
from campaigns.letters.positions import record_position
from campaigns.models import Letter, LetterCampaign, LettersSee, OfficialsSee, Position, Review
from supporters.models import Supporter
from tests.briefings.conftest import add_signer, generated, pdf_text, section


def write(world, drive, *, name: str, officials_see: str = LettersSee.NAME_CITY, street: str = "", **fields):
    supporter = fields.pop("supporter", None) or Supporter.objects.create(
        email=f"{name.split()[0].lower()}@example.org",
        name=name,
        street_address=street or None,
        confirmed_at=timezone.now(),
    )
    return Letter.objects.create(
        letter_campaign=drive,
        supporter=supporter,
        place=world.place,
        body="Please end it.",
        consent_version="1",
        officials_see=officials_see,
        confirmed_at=fields.pop("confirmed_at", timezone.now()),
        **fields,
    )


def test_confirmed_letter_writers_are_counted_and_named_as_they_chose(world):
    drive = LetterCampaign.objects.create(
        campaign=world.campaign, slug="council", title="To the council", subject_template="S", body_template="B"
    )
    signer = add_signer(world, name="Dana Scully", officials_see=OfficialsSee.NAME_CITY)
    write(world, drive, name="Dana Scully", supporter=signer.supporter, officials_see=LettersSee.NAME_ADDRESS)
    signer.supporter.street_address = "1 Oak Street"
    signer.supporter.save()
    write(world, drive, name="Fox Mulder")
    write(world, drive, name="Held Writer", review=Review.HELD)
    write(world, drive, name="Unconfirmed Writer", confirmed_at=None)

    text = pdf_text(read_pdf(generated(world)))

    body = " ".join(section(text, "Verified constituent support", "Officials").split())
    assert "Verified constituents 2" in body  # Dana signed and wrote: once
    assert "Verified constituents who wrote to officials 2" in body and "Confirmed letters 2" in body
    appendix = " ".join(section(text, "Appendix").split())
    assert "With their street address Dana Scully — 1 Oak Street, Bloomfield, NJ." in appendix  # the fuller choice
    assert appendix.count("Dana Scully") == 1
    assert "With their city, Bloomfield, NJ Fox Mulder." in appendix
    assert "Held Writer" not in text and "Unconfirmed Writer" not in text


def test_officials_recorded_positions_are_printed_and_footnoted(world):
    record_position(official=world.official, position=Position.SUPPORTS_ENDING, statement="Time to end it.")

    edition = generated(world)
    text = " ".join(pdf_text(read_pdf(edition)).split())

    positions = section(text, "Officials' recorded positions", "Notes")
    assert "Ana Member" in positions and "supports ending the partnership: “Time to end it.”" in positions
    assert "Recorded by the official through their private link" in section(text, "Notes", "Bibliography")
    assert "Ana Member's recorded position" not in " ".join(edition.changes)  # first edition: nothing to compare
