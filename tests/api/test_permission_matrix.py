"""Every URL under /api/, for every kind of caller: the answer each must get.

An endpoint added without a row here fails `test_it_has_a_row_for_every_api_endpoint`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from campaigns import tokens, tracker
from campaigns.exports import downloads
from campaigns.exports.storage import export_storage
from campaigns.models import (
    Agency,
    Campaign,
    Citation,
    EmbedOrigin,
    Invitation,
    Letter,
    LetterCampaign,
    Membership,
    Official,
    Partnership,
    Petition,
    Place,
    Review,
    Role,
    Signature,
    Source,
    Status,
)
from campaigns.models.exports import SignatureExport
from campaigns.models.invitations import INVITATION_LIFETIME
from supporters.models import Supporter
from tests.conftest import sign_in_with_two_factors
from tests.mailings.matrix_world import mailing_world

PERSONAS = ("anonymous", "without_2fa", "stranger", "viewer", "editor", "owner", "editor_token", "operator")


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    expected: dict[str, int]
    body: dict[str, Any] | None = None
    upload: tuple[str, bytes] | None = None  # sent as a multipart file (with dry_run) instead of JSON


SOURCES_CSV = ("sources.csv", b"title,url\nCouncil minutes,https://example.org/minutes\n")
PLACES_CSV = (
    "places.csv",
    b"id,name,census_geoid\nocd-division/country:us/state:nj/place:maywood,Maywood borough,place-3444880\n",
)


def each(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)


def organizer(**statuses: int) -> dict[str, int]:
    """Organizer endpoints: anonymous 401, a session without two factors 403, then as given."""
    return {"anonymous": 401, "without_2fa": 403, **statuses}


SCOPED_READ = organizer(stranger=404, viewer=200, editor=200, owner=200, editor_token=200, operator=200)
OWNER_ONLY = organizer(stranger=404, viewer=403, editor=403, owner=200, editor_token=403, operator=200)
EDITORS = organizer(stranger=404, viewer=403, editor=200, owner=200, editor_token=200, operator=200)
C = "/api/v1/organizer/campaigns/ring"
LETTER_TEMPLATE = "Please end the Ring partnership in {{ place }}, as your constituents ask."

MATRIX: dict[str, list[Row]] = {
    "schema": [Row("GET", "/api/schema/", each(200))],
    "swagger-ui": [Row("GET", "/api/docs/", each(200))],
    "redoc": [Row("GET", "/api/docs/redoc/", each(200))],
    "accounts-api-docs": [Row("GET", "/api/docs/accounts/", each(200))],
    "campaigns-api:campaign-list": [Row("GET", "/api/v1/campaigns/", each(200))],
    "campaigns-api:campaign-detail": [Row("GET", "/api/v1/campaigns/ring/", each(200))],
    "campaigns-api:place-list": [Row("GET", "/api/v1/campaigns/ring/places/", each(200))],
    "campaigns-api:place-detail": [Row("GET", "/api/v1/campaigns/ring/places/{place}/", each(200))],
    "campaigns-api:place-geojson": [Row("GET", "/api/v1/campaigns/ring/places.geojson", each(200))],
    "campaigns-api:source-list": [Row("GET", "/api/v1/campaigns/ring/sources/", each(200))],
    "campaigns-api:petition-list": [Row("GET", "/api/v1/campaigns/ring/petitions/", each(200))],
    "campaigns-api:petition-detail": [Row("GET", "/api/v1/campaigns/ring/petitions/end-ring/", each(200))],
    "campaigns-api:petition-recent-signers": [
        Row("GET", "/api/v1/campaigns/ring/petitions/end-ring/recent-signers/", each(200))
    ],
    # Anyone may sign (07003 is the world's Bloomfield); organizers' sessions and tokens are not even read.
    "campaigns-api:petition-sign": [
        Row(
            "POST",
            "/api/v1/campaigns/ring/petitions/end-ring/signatures/",
            each(202),
            {"email": "fox@example.org", "name": "Fox Mulder", "zip": "07003"},
        )
    ],
    # Anyone may ask; the answer never says whether the address is known, and the links go to it alone.
    "supporters-api:my-data": [Row("POST", "/api/v1/my-data/", each(202), {"email": "dana@example.org"})],
    "organizer-api:me": [
        Row(
            "GET",
            "/api/v1/organizer/me/",
            organizer(stranger=200, viewer=200, editor=200, owner=200, editor_token=200, operator=200),
        ),
    ],
    "organizer-api:campaign-list": [
        Row(
            "GET",
            "/api/v1/organizer/campaigns/",
            organizer(stranger=200, viewer=200, editor=200, owner=200, editor_token=200, operator=200),
        ),
        Row(
            "POST",
            "/api/v1/organizer/campaigns/",
            organizer(stranger=201, viewer=201, editor=201, owner=201, editor_token=403, operator=201),
            {"slug": "new-campaign", "title": "New"},
        ),
    ],
    "organizer-api:campaign-detail": [
        Row("GET", f"{C}/", SCOPED_READ),
        Row("PATCH", f"{C}/", OWNER_ONLY, {"title": "Renamed"}),
        Row("DELETE", f"{C}/", {**OWNER_ONLY, "owner": 204, "operator": 204}),
    ],
    "organizer-api:member-list": [Row("GET", f"{C}/members/", OWNER_ONLY)],
    "organizer-api:member-detail": [
        Row("PATCH", f"{C}/members/{{viewer_membership}}/", OWNER_ONLY, {"role": "editor"}),
        Row("DELETE", f"{C}/members/{{viewer_membership}}/", {**OWNER_ONLY, "owner": 204, "operator": 204}),
    ],
    "organizer-api:invitation-list": [
        Row("GET", f"{C}/invitations/", OWNER_ONLY),
        Row(
            "POST",
            f"{C}/invitations/",
            {**OWNER_ONLY, "owner": 201, "operator": 201},
            {"email": "new@example.org", "role": "viewer"},
        ),
    ],
    "organizer-api:invitation-detail": [Row("DELETE", f"{C}/invitations/{{invitation}}/", OWNER_ONLY)],
    "organizer-api:token-list": [
        Row("GET", f"{C}/tokens/", {**SCOPED_READ, "editor_token": 403}),
        # The operator is no member, so has no membership to hang a token on.
        Row(
            "POST",
            f"{C}/tokens/",
            {**SCOPED_READ, "viewer": 201, "editor": 201, "owner": 201, "editor_token": 403, "operator": 403},
            {"name": "ci", "role": "viewer"},
        ),
    ],
    "organizer-api:token-detail": [
        # Each member manages their own tokens: the owner's token is invisible to the others.
        Row(
            "DELETE",
            f"{C}/tokens/{{owner_token}}/",
            {**SCOPED_READ, "viewer": 404, "editor": 404, "editor_token": 403, "operator": 404},
        ),
    ],
    # The tracker: viewers read, editors and owners write. Id 900001 names the spare rows that
    # tracker_world adds (an uncited source, an untracked place, an agency without partnerships),
    # since request bodies, unlike paths, cannot be filled in from the world.
    "organizer-api:source-list": [
        Row("GET", f"{C}/sources/", SCOPED_READ),
        Row(
            "POST",
            f"{C}/sources/",
            organizer(stranger=404, viewer=403, editor=201, owner=201, editor_token=201, operator=201),
            {"title": "Council minutes", "kind": "meeting", "url": "https://example.org/minutes"},
        ),
    ],
    "organizer-api:source-detail": [
        Row("GET", f"{C}/sources/{{source}}/", SCOPED_READ),
        Row(
            "PATCH",
            f"{C}/sources/{{source}}/",
            organizer(stranger=404, viewer=403, editor=200, owner=200, editor_token=200, operator=200),
            {"title": "Renamed"},
        ),
        # The world's source is cited: deleting it is refused, whoever asks.
        Row(
            "DELETE",
            f"{C}/sources/{{source}}/",
            organizer(stranger=404, viewer=403, editor=400, owner=400, editor_token=400, operator=400),
        ),
        Row(
            "DELETE",
            f"{C}/sources/{{spare_source}}/",
            organizer(stranger=404, viewer=403, editor=204, owner=204, editor_token=204, operator=204),
        ),
    ],
    "organizer-api:agency-list": [
        Row("GET", f"{C}/agencies/", SCOPED_READ),
        Row(
            "POST",
            f"{C}/agencies/",
            organizer(stranger=404, viewer=403, editor=201, owner=201, editor_token=201, operator=201),
            {"name": "Montclair Police Department", "places": [900001]},
        ),
    ],
    "organizer-api:agency-detail": [
        Row("GET", f"{C}/agencies/{{agency}}/", SCOPED_READ),
        Row(
            "PATCH",
            f"{C}/agencies/{{agency}}/",
            organizer(stranger=404, viewer=403, editor=200, owner=200, editor_token=200, operator=200),
            {"website": "https://example.org/police"},
        ),
        Row(
            "DELETE",
            f"{C}/agencies/{{agency}}/",
            organizer(stranger=404, viewer=403, editor=204, owner=204, editor_token=204, operator=204),
        ),
    ],
    "organizer-api:partnership-list": [
        Row("GET", f"{C}/partnerships/", SCOPED_READ),
        Row(
            "POST",
            f"{C}/partnerships/",
            organizer(stranger=404, viewer=403, editor=201, owner=201, editor_token=201, operator=201),
            {"agency": 900001, "program": "community_requests", "how_known": "Axon announcement"},
        ),
    ],
    "organizer-api:partnership-detail": [
        Row("GET", f"{C}/partnerships/{{partnership}}/", SCOPED_READ),
        Row(
            "PATCH",
            f"{C}/partnerships/{{partnership}}/",
            organizer(stranger=404, viewer=403, editor=200, owner=200, editor_token=200, operator=200),
            {"started_on": "2019-01-01", "started_precision": "year"},
        ),
        Row(
            "DELETE",
            f"{C}/partnerships/{{partnership}}/",
            organizer(stranger=404, viewer=403, editor=204, owner=204, editor_token=204, operator=204),
        ),
    ],
    "organizer-api:partnership-citation-list": [
        Row(
            "POST",
            f"{C}/partnerships/{{partnership}}/citations/",
            organizer(stranger=404, viewer=403, editor=201, owner=201, editor_token=201, operator=201),
            {"source_id": 900001, "locator": "p. 2"},
        ),
    ],
    "organizer-api:partnership-citation-detail": [
        Row(
            "DELETE",
            f"{C}/partnerships/{{partnership}}/citations/{{citation}}/",
            organizer(stranger=404, viewer=403, editor=204, owner=204, editor_token=204, operator=204),
        ),
    ],
    "organizer-api:official-list": [
        Row("GET", f"{C}/officials/", SCOPED_READ),
        Row(
            "POST",
            f"{C}/officials/",
            organizer(stranger=404, viewer=403, editor=201, owner=201, editor_token=201, operator=201),
            {"place": 900001, "name": "B. Member", "email": "b.member@example.gov"},
        ),
    ],
    "organizer-api:official-detail": [
        Row("GET", f"{C}/officials/{{official}}/", SCOPED_READ),
        Row(
            "PATCH",
            f"{C}/officials/{{official}}/",
            organizer(stranger=404, viewer=403, editor=200, owner=200, editor_token=200, operator=200),
            {"district": "Ward 2"},
        ),
        Row(
            "DELETE",
            f"{C}/officials/{{official}}/",
            organizer(stranger=404, viewer=403, editor=204, owner=204, editor_token=204, operator=204),
        ),
    ],
    "organizer-api:tracked-place-list": [
        Row("GET", f"{C}/places/", SCOPED_READ),
        Row(
            "POST",
            f"{C}/places/",
            organizer(stranger=404, viewer=403, editor=201, owner=201, editor_token=201, operator=201),
            {"place_id": 900001},
        ),
    ],
    "organizer-api:place-status": [
        Row(
            "POST",
            f"{C}/places/{{place}}/status/",
            organizer(stranger=404, viewer=403, editor=201, owner=201, editor_token=201, operator=201),
            {
                "status": "petitioning",
                "occurred_on": "2024-03-01",
                "title": "Petition launched",
                "citations": [{"source_id": 900001}],
            },
        ),
    ],
    "organizer-api:place-timeline": [Row("GET", f"{C}/places/{{place}}/timeline/", SCOPED_READ)],
    "organizer-api:campaign-import": [
        Row(
            "POST",
            f"{C}/imports/sources/",
            organizer(stranger=404, viewer=403, editor=200, owner=200, editor_token=200, operator=200),
            upload=SOURCES_CSV,
        ),
    ],
    # Places are everyone's reference data: only the operator, in a two-factor session, imports them.
    "organizer-api:place-import": [
        Row(
            "POST",
            "/api/v1/organizer/imports/places/",
            organizer(stranger=403, viewer=403, editor=403, owner=403, editor_token=403, operator=200),
            upload=PLACES_CSV,
        ),
    ],
    "organizer-api:audit-event-list": [Row("GET", f"{C}/audit-events/", OWNER_ONLY)],
    # The moderation queue: editors and owners decide; viewers may not even list it.
    "organizer-api:held-signature-list": [Row("GET", f"{C}/signatures/held/", EDITORS)],
    "organizer-api:signature-approve": [Row("POST", f"{C}/signatures/{{held_signature}}/approve/", EDITORS)],
    "organizer-api:signature-reject": [Row("POST", f"{C}/signatures/{{held_signature}}/reject/", EDITORS)],
    "campaigns-api:signing-challenge": [Row("GET", "/api/v1/petitions/challenge/", each(200))],
    # Signature exports hold supporters' personal data: owners only, and the download needs its signed link too.
    "organizer-api:signature-export-list": [
        Row("GET", f"{C}/signature-exports/", OWNER_ONLY),
        Row("POST", f"{C}/signature-exports/", {**OWNER_ONLY, "owner": 202, "operator": 202}, {"confirmed": True}),
    ],
    "organizer-api:signature-export-detail": [Row("GET", f"{C}/signature-exports/{{signature_export}}/", OWNER_ONLY)],
    # Donations: anyone sees the options; the test settings have no Stripe keys, so starting one is a 503
    # for everyone; the public total is a 404 until organizers enable it.
    "donations-api:options": [Row("GET", "/api/v1/campaigns/ring/donations/", each(200))],
    "donations-api:checkout": [
        Row(
            "POST",
            "/api/v1/campaigns/ring/donations/checkout/",
            each(503),
            {"amount": 2500, "email": "fox@example.org"},
        )
    ],
    "donations-api:summary": [Row("GET", "/api/v1/campaigns/ring/donations/summary/", each(404))],
    "donations-organizer-api:settings": [
        Row("GET", f"{C}/donations/settings/", SCOPED_READ),
        Row("PATCH", f"{C}/donations/settings/", OWNER_ONLY, {"tax_deductible": True}),
    ],
    "donations-organizer-api:totals": [Row("GET", f"{C}/donations/totals/", SCOPED_READ)],
    # Donors' names and addresses: owners only, audited.
    "donations-organizer-api:export": [Row("GET", f"{C}/donations/export/", OWNER_ONLY)],
    "organizer-api:signature-export-download": [
        Row("GET", f"{C}/signature-exports/{{signature_export}}/download/?token={{signature_export_token}}", OWNER_ONLY)
    ],
    # Briefings: viewers follow editions and deliveries; editors ask, preview, download (the appendix
    # names constituents) and send. 900002 is a tracked place of briefing_world with nothing to cite.
    "briefings-api:edition-list": [
        Row("GET", f"{C}/briefings/", SCOPED_READ),
        Row(
            "POST",
            f"{C}/briefings/",
            organizer(stranger=404, viewer=403, editor=202, owner=202, editor_token=202, operator=202),
            {"place": 900002},
        ),
    ],
    "briefings-api:edition-detail": [Row("GET", f"{C}/briefings/{{briefing}}/", SCOPED_READ)],
    "briefings-api:edition-preview": [Row("GET", f"{C}/briefings/{{briefing}}/preview/", EDITORS)],
    "briefings-api:edition-pdf": [Row("GET", f"{C}/briefings/{{briefing}}/pdf/", EDITORS)],
    "briefings-api:edition-send": [
        Row(
            "POST",
            f"{C}/briefings/{{briefing}}/send/",
            organizer(stranger=404, viewer=403, editor=201, owner=201, editor_token=201, operator=201),
            {},
        )
    ],
    "briefings-api:edition-deliveries": [Row("GET", f"{C}/briefings/{{briefing}}/deliveries/", SCOPED_READ)],
    "briefings-api:preferences": [
        Row("GET", f"{C}/briefing-preferences/", SCOPED_READ),
        Row("PATCH", f"{C}/briefing-preferences/", EDITORS, {"support_step": 50}),
    ],
    # Letters: anyone reads a drive and writes; viewers see drives and figures, editors write drives and
    # moderate, owners alone export letters (personal data).
    "campaigns-api:letter-campaign-detail": [Row("GET", "/api/v1/campaigns/ring/letters/end-ring/", each(200))],
    "campaigns-api:letter-write": [
        Row(
            "POST",
            "/api/v1/campaigns/ring/letters/end-ring/letters/",
            each(202),
            {"email": "fox@example.org", "name": "Fox Mulder", "zip": "07003", "text": LETTER_TEMPLATE},
        )
    ],
    "organizer-api:letter-campaign-list": [
        Row("GET", f"{C}/letter-drives/", SCOPED_READ),
        Row(
            "POST",
            f"{C}/letter-drives/",
            organizer(stranger=404, viewer=403, editor=201, owner=201, editor_token=201, operator=201),
            {"slug": "mayor", "title": "To the mayor", "subject_template": "Hello", "body_template": LETTER_TEMPLATE},
        ),
    ],
    "organizer-api:letter-campaign-detail": [
        Row("GET", f"{C}/letter-drives/{{letter_drive}}/", SCOPED_READ),
        Row("PATCH", f"{C}/letter-drives/{{letter_drive}}/", EDITORS, {"title": "Renamed"}),
    ],
    # Petitions: viewers read them and their figures, editors create, change, close and reopen them.
    "organizer-api:petition-list": [
        Row("GET", f"{C}/petitions/", SCOPED_READ),
        Row(
            "POST",
            f"{C}/petitions/",
            organizer(stranger=404, viewer=403, editor=201, owner=201, editor_token=201, operator=201),
            {"slug": "mayor", "title": "To the mayor", "text": "End the Ring partnership.", "place": 900002},
        ),
    ],
    "organizer-api:petition-detail": [
        Row("GET", f"{C}/petitions/{{petition}}/", SCOPED_READ),
        Row("PATCH", f"{C}/petitions/{{petition}}/", EDITORS, {"title": "Renamed"}),
    ],
    "organizer-api:petition-close": [Row("POST", f"{C}/petitions/{{petition}}/close/", EDITORS)],
    "organizer-api:petition-reopen": [Row("POST", f"{C}/petitions/{{petition}}/reopen/", EDITORS)],
    "organizer-api:held-letter-list": [Row("GET", f"{C}/letters/held/", EDITORS)],
    "organizer-api:letter-approve": [Row("POST", f"{C}/letters/{{held_letter}}/approve/", EDITORS)],
    "organizer-api:letter-reject": [Row("POST", f"{C}/letters/{{held_letter}}/reject/", EDITORS)],
    "organizer-api:letter-figures-officials": [Row("GET", f"{C}/letters/figures/officials/", SCOPED_READ)],
    "organizer-api:letter-figures-places": [Row("GET", f"{C}/letters/figures/places/", SCOPED_READ)],
    "organizer-api:letter-export": [Row("GET", f"{C}/letters/export.csv", OWNER_ONLY)],
    # Mailings: viewers read them and their figures; editors compose, preview and test to themselves;
    # owners send, pause, resume and cancel. Steering a mailing in the wrong state is a 400.
    "mailings-api:segment-size": [Row("GET", f"{C}/segment-size/?audience=signers", EDITORS)],
    "mailings-api:mailing-list": [
        Row("GET", f"{C}/mailings/", SCOPED_READ),
        Row(
            "POST",
            f"{C}/mailings/",
            organizer(stranger=404, viewer=403, editor=201, owner=201, editor_token=201, operator=201),
            {"title": "News", "variants": [{"language": "en", "subject": "News", "text": "Hi {{ first_name }}"}]},
        ),
    ],
    "mailings-api:mailing-detail": [
        Row("GET", f"{C}/mailings/{{draft_mailing}}/", SCOPED_READ),
        Row("PATCH", f"{C}/mailings/{{draft_mailing}}/", EDITORS, {"title": "Renamed"}),
        Row(
            "DELETE",
            f"{C}/mailings/{{draft_mailing}}/",
            organizer(stranger=404, viewer=403, editor=204, owner=204, editor_token=204, operator=204),
        ),
    ],
    # Partner origins for the widget: viewers read, owners alone decide who may frame the forms.
    "organizer-api:embed-origin-list": [
        Row("GET", f"{C}/embed-origins/", SCOPED_READ),
        Row(
            "POST",
            f"{C}/embed-origins/",
            {**OWNER_ONLY, "owner": 201, "operator": 201},
            {"origin": "https://partner.example.org", "referrer": "partner"},
        ),
    ],
    "organizer-api:embed-origin-detail": [
        Row("PATCH", f"{C}/embed-origins/{{embed_origin}}/", OWNER_ONLY, {"note": "Our friends"}),
        Row("DELETE", f"{C}/embed-origins/{{embed_origin}}/", {**OWNER_ONLY, "owner": 204, "operator": 204}),
    ],
    "mailings-api:mailing-preview": [Row("GET", f"{C}/mailings/{{draft_mailing}}/preview/", EDITORS)],
    "mailings-api:mailing-test": [
        Row(
            "POST",
            f"{C}/mailings/{{draft_mailing}}/test/",
            organizer(stranger=404, viewer=403, editor=202, owner=202, editor_token=202, operator=202),
            {},
        )
    ],
    "mailings-api:mailing-send": [
        Row("POST", f"{C}/mailings/{{draft_mailing}}/send/", {**OWNER_ONLY, "owner": 202, "operator": 202}, {})
    ],
    "mailings-api:mailing-pause": [Row("POST", f"{C}/mailings/{{sending_mailing}}/pause/", OWNER_ONLY)],
    "mailings-api:mailing-resume": [Row("POST", f"{C}/mailings/{{paused_mailing}}/resume/", OWNER_ONLY)],
    "mailings-api:mailing-cancel": [
        Row("POST", f"{C}/mailings/{{sending_mailing}}/cancel/", OWNER_ONLY),
        Row("POST", f"{C}/mailings/{{draft_mailing}}/cancel/", {**OWNER_ONLY, "owner": 400, "operator": 400}),
    ],
}


def api_route_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern) and route.startswith("api/"):
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "", "")
    return names


def test_it_has_a_row_for_every_api_endpoint():
    assert sorted(api_route_names() - MATRIX.keys()) == []
    assert sorted(MATRIX.keys() - api_route_names()) == []


@pytest.fixture
def world(db, user_factory, settings, tmp_path) -> dict[str, Any]:
    ring = Campaign.objects.create(slug="ring", title="Ring", is_public=True)
    other = Campaign.objects.create(slug="other", title="Other")
    people = {name: user_factory(f"{name}@example.org") for name in ("stranger", "viewer", "editor", "owner")}
    people["without_2fa"] = user_factory("no2fa@example.org", two_factors=False)
    people["operator"] = user_factory("operator@example.org", is_staff=True, is_superuser=True)
    Membership.objects.create(user=people["stranger"], campaign=other, role=Role.OWNER)
    Membership.objects.create(user=people["without_2fa"], campaign=ring, role=Role.OWNER)
    members = {
        role: Membership.objects.create(user=people[role], campaign=ring, role=Role(role))
        for role in ("viewer", "editor", "owner")
    }
    owner_token, _ = tokens.issue_token(
        membership=members["owner"], name="mine", role=Role.OWNER, actor=people["owner"]
    )
    _, editor_secret = tokens.issue_token(
        membership=members["owner"], name="ci", role=Role.EDITOR, actor=people["owner"]
    )
    invitation = Invitation.objects.create(
        campaign=ring,
        email="invited@example.org",
        role=Role.VIEWER,
        digest="x" * 64,
        expires_at=ring.created + INVITATION_LIFETIME,
    )
    tracker_ids = tracker_world(ring, people["owner"])
    tracker_ids["held_signature"] = held_signature(ring, Place.objects.get(pk=tracker_ids["place"])).pk
    tracker_ids["petition"] = Signature.objects.get(pk=tracker_ids["held_signature"]).petition_id
    tracker_ids |= letter_world(ring, Place.objects.get(pk=tracker_ids["place"]))
    tracker_ids["embed_origin"] = EmbedOrigin.objects.create(campaign=ring, origin="https://friends.example.org").pk
    export_ids = signature_export_world(ring, people["owner"])
    export_ids |= briefing_world(ring, Place.objects.get(pk=tracker_ids["place"]), settings, tmp_path)
    export_ids |= mailing_world(ring, people["owner"])
    return {
        "people": people,
        "editor_secret": editor_secret,
        "ids": {
            "viewer_membership": members["viewer"].pk,
            "owner_token": owner_token.pk,
            "invitation": invitation.pk,
            **tracker_ids,
            **export_ids,
        },
    }


def tracker_world(campaign: Campaign, owner: Any) -> dict[str, int]:
    """One tracked place with an agency, a partnership, an official, a source and a cited event."""
    place = Place.objects.create(
        name="Bloomfield",
        kind="township",
        state="NJ",
        ocd_id="ocd-division/country:us/state:nj/county:essex/place:bloomfield",
    )
    source = Source.objects.create(
        campaign=campaign,
        title="Amazon Is Coaching Cops",
        publisher="Motherboard",
        kind="news",
        url="https://example.org/article",
        is_verified=True,
    )
    agency = Agency.objects.create(campaign=campaign, name="Bloomfield Police Department")
    agency.places.add(place)
    partnership = Partnership.objects.create(agency=agency, program="neighbors_portal", how_known="Emails")
    citation = Citation.objects.create(source=source, partnership=partnership, locator="p. 1")
    official = Official.objects.create(campaign=campaign, place=place, name="A. Member", email="member@example.gov")
    event = tracker.change_status(
        campaign=campaign,
        place=place,
        status=Status.PARTNERSHIP_DOCUMENTED,
        occurred_on=date(2019, 8, 5),
        title="Emails published",
        citations=[tracker.CitationInput(source=source)],
        actor=owner,
        via="test",
    )
    return {
        "place": place.pk,
        "source": source.pk,
        "agency": agency.pk,
        "partnership": partnership.pk,
        "citation": citation.pk,
        "official": official.pk,
        "event": event.pk,
        # Spare rows with fixed ids, for request bodies in MATRIX (see its tracker rows).
        "spare_source": Source.objects.create(
            pk=900001, campaign=campaign, title="Council minutes", kind="meeting", url="https://example.org/m"
        ).pk,
        "spare_place": Place.objects.create(
            pk=900001,
            name="Montclair",
            kind="township",
            state="NJ",
            ocd_id="ocd-division/country:us/state:nj/place:montclair",
        ).pk,
        "spare_agency": Agency.objects.create(pk=900001, campaign=campaign, name="Essex County Sheriff's Office").pk,
    }


def held_signature(campaign: Campaign, place: Place) -> Signature:
    petition = Petition.objects.create(campaign=campaign, slug="end-ring", title="End Ring", text="End it.")
    supporter = Supporter.objects.create(email="dana@example.org")
    return Signature.objects.create(
        petition=petition, supporter=supporter, place=place, consent_version="1", review=Review.HELD, flags=["test"]
    )


def letter_world(campaign: Campaign, place: Place) -> dict[str, int]:
    """A letter drive and a held letter of it."""
    drive = LetterCampaign.objects.create(
        campaign=campaign, slug="end-ring", title="Write", subject_template="End it", body_template=LETTER_TEMPLATE
    )
    supporter = Supporter.objects.create(email="walter@example.org")
    letter = Letter.objects.create(
        letter_campaign=drive, supporter=supporter, place=place, consent_version="1", review=Review.HELD, body="x"
    )
    return {"letter_drive": drive.pk, "held_letter": letter.pk}


def signature_export_world(campaign: Campaign, owner: Any) -> dict[str, Any]:
    """A finished signature export, and a download link for it."""
    name = export_storage().save("signature-export-matrix.csv", ContentFile(b"created\n"))
    export = SignatureExport.objects.create(
        campaign=campaign, requested_by=owner, status=SignatureExport.Status.DONE, row_count=0, file_name=name
    )
    return {"signature_export": export.pk, "signature_export_token": downloads.download_token(export)}


def briefing_world(campaign: Campaign, place: Place, settings: Any, tmp_path: Any) -> dict[str, Any]:
    """A generated edition (files in tmp_path), and a tracked place with a fixed id for request bodies."""
    from briefings.figures import gather
    from briefings.models import Edition
    from briefings.storage import briefing_storage
    from campaigns.models import PlaceStatus

    settings.STORAGES = {
        **settings.STORAGES,
        "briefings": {"BACKEND": "briefings.storage.UnservedFileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    storage = briefing_storage()
    edition = Edition.objects.create(
        campaign=campaign,
        place=place,
        number=1,
        status=Edition.Status.DONE,
        fingerprint="0" * 64,
        figures=gather(campaign=campaign, place=place, official=None).figures,
        pdf_name=storage.save("matrix.pdf", ContentFile(b"%PDF-1.7 matrix")),
        html_name=storage.save("matrix.html", ContentFile(b"<p>matrix</p>")),
        sha256="0" * 64,
        page_count=1,
    )
    spare = Place.objects.create(
        pk=900002,
        name="Glen Ridge",
        kind="borough",
        state="NJ",
        ocd_id="ocd-division/country:us/state:nj/place:glen_ridge",
    )
    PlaceStatus.objects.create(campaign=campaign, place=spare)
    return {"briefing": edition.pk}


def client_for(persona: str, world: dict[str, Any]) -> Client:
    if persona == "anonymous":
        return Client()
    if persona == "editor_token":
        return Client(HTTP_AUTHORIZATION=f"Bearer {world['editor_secret']}")
    user = world["people"][persona]
    if persona == "without_2fa":
        client = Client()
        client.force_login(user)
        return client
    return sign_in_with_two_factors(Client(), user)


CASES = [
    pytest.param(row, persona, id=f"{row.method} {row.path} as {persona}")
    for rows in MATRIX.values()
    for row in rows
    for persona in PERSONAS
]


@pytest.mark.parametrize(("row", "persona"), CASES)
def test_it_answers_each_caller_as_the_matrix_says(world, row: Row, persona: str):
    client = client_for(persona, world)
    path = row.path.format(**world["ids"])

    if row.upload:
        name, content = row.upload
        response = client.post(path, {"file": SimpleUploadedFile(name, content), "dry_run": "true"})
    else:
        body = "" if row.body is None else json.dumps(row.body)
        response = client.generic(row.method, path, data=body, content_type="application/json")

    assert response.status_code == row.expected[persona], response.content[:300]
