"""A public campaign tracking Bloomfield, with a petition, a letter drive and one partner origin,
for the widget tests (test_embed_*.py)."""

from __future__ import annotations

from dataclasses import dataclass

from campaigns.models import Campaign, EmbedOrigin, LetterCampaign, Official, Petition, Place
from campaigns.tracker import track_place

PARTNER = "https://partner.example.org"
LETTER = (
    "Dear {{ official_name }},\n\nI live in {{ place }} and I ask the council to end the police partnership "
    "with Amazon Ring.\n\nSincerely,\n{{ supporter_name }}"
)
SIGN_FRAME = "/embed/campaigns/ring/petitions/end-ring/"
WRITE_FRAME = "/embed/campaigns/ring/letters/end-ring/"
BLOOMFIELD_ZIP = "07003"


@dataclass(frozen=True)
class World:
    campaign: Campaign
    bloomfield: Place
    petition: Petition
    drive: LetterCampaign
    partner: EmbedOrigin

    @property
    def card(self) -> str:
        return f"/embed/campaigns/ring/places/{self.bloomfield.pk}/"


def make_world() -> World:
    campaign = Campaign.objects.create(
        slug="ring", title="End Ring partnerships", is_public=True, sending_address="letters@ring.example.org"
    )
    bloomfield = Place.objects.create(
        ocd_id="ocd-division/country:us/state:nj/place:bloomfield",
        name="Bloomfield",
        kind=Place.Kind.TOWNSHIP,
        state="NJ",
    )
    track_place(campaign=campaign, place=bloomfield, actor=None, via="test")
    Official.objects.create(
        campaign=campaign, place=bloomfield, name="Ana Rivera", email="rivera@bloomfield.example.gov"
    )
    petition = Petition.objects.create(
        campaign=campaign, slug="end-ring", title="End the Ring partnership", text="We ask our council to end it."
    )
    drive = LetterCampaign.objects.create(
        campaign=campaign,
        slug="end-ring",
        title="Write to your council",
        subject_template="End the Ring partnership in {{ place }}",
        body_template=LETTER,
    )
    partner = EmbedOrigin.objects.create(campaign=campaign, origin=PARTNER, referrer="partner", note="A partner")
    return World(campaign, bloomfield, petition, drive, partner)


def signer(**fields: str) -> dict[str, str]:
    return {
        "name": "Dana Scully",
        "email": "dana@example.org",
        "zip": BLOOMFIELD_ZIP,
        "officials_see": "count",
        **fields,
    }


def writer(**fields: str) -> dict[str, str]:
    return {
        "name": "Dana Scully",
        "email": "dana@example.org",
        "zip": BLOOMFIELD_ZIP,
        "text": LETTER,
        "officials_see": "name_city",
        **fields,
    }
