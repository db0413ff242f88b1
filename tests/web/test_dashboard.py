"""The organizer dashboard: who may open it, and figures that equal what was really counted.

The clock stands at 10:00 in New York on 20 November 2026; the campaign counts days in New York.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from accounts.models import AuditEvent, User
from briefings.models import Edition
from campaigns import tallies
from campaigns.models import (
    Campaign,
    Letter,
    LetterCampaign,
    Membership,
    Petition,
    Place,
    PlaceStatus,
    Review,
    Role,
    Signature,
    Status,
    TimelineEvent,
)
from donations.models import Donation
from donations.models.checkouts import Frequency
from emails.models import BulkSend
from mailings.models import Mailing
from supporters.models import Supporter
from tests.conftest import sign_in_with_two_factors
from tests.web.pages import parse

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=NEW_YORK)
TODAY = NOW.date()
DASHBOARD = "/organizer/campaigns/ring/"
_serial = count(1)


@dataclass
class World:
    campaign: Campaign
    bloomfield: Place
    maywood: Place
    petition: Petition
    drive: LetterCampaign
    owner: User
    editor: User
    viewer: User


def make_world(user_factory: Any) -> World:
    campaign = Campaign.objects.create(slug="ring", title="End Ring partnerships", time_zone="America/New_York")
    bloomfield, maywood = place("Bloomfield"), place("Maywood")
    for tracked in (bloomfield, maywood):
        PlaceStatus.objects.create(campaign=campaign, place=tracked)
    users = {}
    for name, role in (("owner", Role.OWNER), ("editor", Role.EDITOR), ("viewer", Role.VIEWER)):
        users[name] = user_factory(f"{name}@example.org")
        Membership.objects.create(user=users[name], campaign=campaign, role=role)
    petition = Petition.objects.create(campaign=campaign, slug="end-ring", title="End Ring", text="End it.")
    drive = LetterCampaign.objects.create(
        campaign=campaign, slug="write", title="Write to your council", subject_template="Ring", body_template="End it."
    )
    return World(campaign, bloomfield, maywood, petition, drive, **users)


def place(name: str, state: str = "NJ") -> Place:
    slug = name.lower().replace(" ", "_")
    return Place.objects.create(
        name=name, state=state, ocd_id=f"ocd-division/country:us/state:{state.lower()}/place:{slug}"
    )


def on(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=NEW_YORK)


def days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def supporter() -> Supporter:
    return Supporter.objects.create(email=f"supporter{next(_serial)}@example.org", confirmed_at=NOW)


def sign(
    world: World,
    where: Place,
    *,
    confirmed: dt.datetime | None,
    review: str = Review.ACCEPTED,
    referrer: str = "",
    flags: tuple[str, ...] = (),
) -> Signature:
    """A signature as signing and confirming leave it: counted ones are in the tallies."""
    signature = Signature.objects.create(
        petition=world.petition,
        supporter=supporter(),
        place=where,
        consent_version="1",
        confirmed_at=confirmed,
        review=review,
        referrer=referrer,
        flags=list(flags),
        created_at=confirmed or NOW,
    )
    if signature.is_counted:
        tallies.add_to_tallies([(world.petition.pk, where.pk)])
    return signature


def write(
    world: World,
    where: Place,
    *,
    confirmed: dt.datetime | None,
    review: str = Review.ACCEPTED,
    referrer: str = "",
    body: str = "End it.",
    flags: tuple[str, ...] = (),
) -> Letter:
    return Letter.objects.create(
        letter_campaign=world.drive,
        supporter=supporter(),
        place=where,
        body=body,
        consent_version="1",
        confirmed_at=confirmed,
        review=review,
        referrer=referrer,
        flags=list(flags),
        created_at=confirmed or NOW,
    )


def donate(
    world: World,
    cents: int,
    *,
    paid: dt.datetime,
    status: str = Donation.Status.SUCCEEDED,
    currency: str = "usd",
    refunded: int = 0,
) -> Donation:
    return Donation.objects.create(
        campaign=world.campaign,
        kind=Frequency.ONE_TIME,
        status=status,
        amount=cents,
        amount_refunded=refunded,
        currency=currency,
        stripe_payment_intent_id=f"pi_{next(_serial)}",
        paid_at=paid,
        created_at=paid,
    )


def chart_figures(response: Any, slug: str) -> dict[str, int]:
    """The figures of one chart as its table gives them: key (ISO day or place id) -> value."""
    html = response.content.decode()
    start = html.index(f'id="{slug}"')
    figure = html[start : html.index("</figure>", start)]
    return {key: int(value) for key, value in re.findall(r'<tr data-key="([^"]+)">.*?data-value="(\d+)"', figure, re.S)}


def chart_total(response: Any, slug: str) -> int:
    [figure] = [e for e in parse(response).all("figure") if e.attrs.get("id") == slug]
    return int(figure.attrs["data-total"] or 0)


def table_column(response: Any, attribute: str) -> list[tuple[int, int]]:
    """(place id, figure) per row of the places table, in the order shown."""
    rows = parse(response).elements
    found, current = [], 0
    for element in rows:
        if element.tag == "tr" and element.attrs.get("data-place"):
            current = int(element.attrs["data-place"] or 0)
        if attribute in element.attrs:
            found.append((current, int(element.attrs[attribute] or 0)))
    return found


@pytest.fixture(autouse=True)
def _morning() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(user_factory: Any) -> World:
    return make_world(user_factory)


def as_user(client: Client, user: User) -> Client:
    return sign_in_with_two_factors(client, user)


# Who may open it


def test_it_sends_anonymous_visitors_to_the_login(client, world):
    for url in ("/organizer/campaigns/", DASHBOARD):
        response = client.get(url)

        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"


def test_it_asks_for_the_second_factor_first(client, world):
    client.force_login(world.owner)  # the password only

    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/"


def test_it_refuses_a_signed_in_user_who_organizes_nothing(client, world, user_factory):
    nobody = as_user(client, user_factory("nobody@example.org"))

    assert nobody.get("/organizer/campaigns/").status_code == 403
    assert nobody.get(DASHBOARD).status_code == 403


def test_another_campaigns_organizer_finds_nothing_here(client, world, user_factory):
    stranger = user_factory("stranger@example.org")
    other = Campaign.objects.create(slug="other", title="Other campaign")
    Membership.objects.create(user=stranger, campaign=other, role=Role.OWNER)

    assert as_user(client, stranger).get(DASHBOARD).status_code == 404
    assert client.get("/organizer/campaigns/nowhere/").status_code == 404


def test_it_lists_the_organizers_campaigns_with_their_role(client, world):
    Campaign.objects.create(slug="other", title="Other campaign")

    response = as_user(client, world.editor).get("/organizer/campaigns/")

    assert response.status_code == 200
    assert [(e.campaign.slug, e.role) for e in response.context["campaigns"]] == [("ring", Role.EDITOR)]
    assert DASHBOARD in parse(response).urls()
    assert "Editor" in response.content.decode()


def test_the_operator_sees_every_campaign(client, world, operator):
    Campaign.objects.create(slug="other", title="Other campaign")

    response = as_user(client, operator).get("/organizer/campaigns/")

    assert [entry.campaign.slug for entry in response.context["campaigns"]] == ["ring", "other"]
    assert as_user(client, operator).get("/organizer/campaigns/other/").status_code == 200


def test_it_is_never_cached_and_styled_without_style_attributes(client, world):
    sign(world, world.bloomfield, confirmed=on(TODAY))

    response = as_user(client, world.owner).get(DASHBOARD)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert [e.tag for e in parse(response).elements if "style" in e.attrs] == []
    assert "<style" not in response.content.decode()


# Figures equal what was counted


def test_the_signature_chart_counts_confirmed_accepted_signatures_per_day(client, world):
    for _twice in range(2):
        sign(world, world.bloomfield, confirmed=on(TODAY, 9))
    sign(world, world.maywood, confirmed=on(days_ago(1)))
    sign(world, world.maywood, confirmed=on(days_ago(40)))  # outside the 30 days
    sign(world, world.bloomfield, confirmed=None)  # not confirmed
    sign(world, world.bloomfield, confirmed=on(TODAY, 8), review=Review.HELD)
    sign(world, world.bloomfield, confirmed=on(TODAY, 8), review=Review.REJECTED)

    response = as_user(client, world.viewer).get(DASHBOARD)

    figures = chart_figures(response, "signatures-by-day")
    assert len(figures) == 30
    assert min(figures) == days_ago(29).isoformat()
    assert figures[TODAY.isoformat()] == 2
    assert figures[days_ago(1).isoformat()] == 1
    assert sum(figures.values()) == 3 == chart_total(response, "signatures-by-day")
    ninety = chart_figures(as_user(client, world.viewer).get(DASHBOARD, {"days": 90}), "signatures-by-day")
    assert len(ninety) == 90
    assert ninety[days_ago(40).isoformat()] == 1
    assert sum(ninety.values()) == 4


def test_days_are_the_campaigns_own(client, world):
    # 03:00 UTC on the 20th is still the 19th in New York.
    sign(world, world.bloomfield, confirmed=dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC))

    response = as_user(client, world.viewer).get(DASHBOARD, {"days": 7})

    figures = chart_figures(response, "signatures-by-day")
    assert list(figures) == [days_ago(n).isoformat() for n in range(6, -1, -1)]
    assert figures[days_ago(1).isoformat()] == 1
    assert figures[TODAY.isoformat()] == 0


def test_an_unknown_window_shows_thirty_days(client, world):
    write(world, world.bloomfield, confirmed=on(TODAY))

    response = as_user(client, world.viewer).get(DASHBOARD, {"days": "1000"})

    assert len(chart_figures(response, "letters-by-day")) == 30


def test_the_letter_chart_counts_confirmed_accepted_letters_per_day(client, world):
    write(world, world.bloomfield, confirmed=on(TODAY))
    write(world, world.bloomfield, confirmed=on(days_ago(3)))
    write(world, world.maywood, confirmed=on(days_ago(3)))
    write(world, world.maywood, confirmed=on(days_ago(3)), review=Review.HELD)
    write(world, world.maywood, confirmed=None)

    response = as_user(client, world.viewer).get(DASHBOARD)

    figures = chart_figures(response, "letters-by-day")
    assert figures[TODAY.isoformat()] == 1
    assert figures[days_ago(3).isoformat()] == 2
    assert chart_total(response, "letters-by-day") == 3


def test_the_donation_chart_adds_up_money_received_per_day_in_cents(client, world):
    donate(world, 2500, paid=on(TODAY, 8))
    donate(world, 1000, paid=on(TODAY, 9))
    donate(world, 5000, paid=on(days_ago(2)), refunded=2000)
    donate(world, 9900, paid=on(TODAY), status=Donation.Status.FAILED)
    donate(world, 9900, paid=on(TODAY), status=Donation.Status.PENDING)
    donate(world, 9900, paid=on(TODAY), currency="eur")  # not the campaign's currency

    response = as_user(client, world.viewer).get(DASHBOARD)

    figures = chart_figures(response, "donations-by-day")
    assert figures[TODAY.isoformat()] == 3500
    assert figures[days_ago(2).isoformat()] == 3000
    assert chart_total(response, "donations-by-day") == 6500
    assert "65.00 USD" in response.content.decode()


def test_the_place_charts_and_table_show_each_places_counts(client, world):
    for _n in range(3):
        sign(world, world.maywood, confirmed=on(days_ago(100)))  # long ago: by place counts the whole campaign
    sign(world, world.bloomfield, confirmed=on(TODAY))
    sign(world, world.bloomfield, confirmed=on(TODAY), review=Review.HELD)
    write(world, world.bloomfield, confirmed=on(TODAY))
    write(world, world.bloomfield, confirmed=on(days_ago(1)))

    response = as_user(client, world.viewer).get(DASHBOARD)

    bloomfield, maywood = str(world.bloomfield.pk), str(world.maywood.pk)
    assert chart_figures(response, "signatures-by-place") == {maywood: 3, bloomfield: 1}
    assert list(chart_figures(response, "signatures-by-place")) == [maywood, bloomfield]  # most first
    assert chart_figures(response, "letters-by-place") == {bloomfield: 2}
    assert dict(table_column(response, "data-signatures")) == {world.maywood.pk: 3, world.bloomfield.pk: 1}
    assert dict(table_column(response, "data-letters")) == {world.maywood.pk: 0, world.bloomfield.pk: 2}


def test_it_counts_supporters_per_referrer_code(client, world):
    sign(world, world.bloomfield, confirmed=on(TODAY), referrer="partner-a")
    sign(world, world.bloomfield, confirmed=on(TODAY), referrer="partner-a")
    write(world, world.bloomfield, confirmed=on(TODAY), referrer="partner-a")
    sign(world, world.bloomfield, confirmed=on(TODAY))

    response = as_user(client, world.viewer).get(DASHBOARD)

    assert [(row.code, row.signatures, row.letters) for row in response.context["referrers"]] == [
        ("partner-a", 2, 1),
        ("", 1, 0),
    ]
    assert "<code>partner-a</code>" in response.content.decode()


# The places table


@pytest.fixture
def three_places(world: World) -> World:
    newark = place("Newark")
    PlaceStatus.objects.create(campaign=world.campaign, place=newark, status=Status.ON_AGENDA)
    PlaceStatus.objects.filter(place=world.maywood).update(status=Status.PETITIONING)
    for _n in range(3):
        sign(world, world.maywood, confirmed=on(TODAY))
    sign(world, newark, confirmed=on(TODAY))
    for _n in range(2):
        write(world, newark, confirmed=on(TODAY))
    event = TimelineEvent.objects.create
    event(campaign=world.campaign, place=world.bloomfield, occurred_on=days_ago(300), title="Partnership found")
    event(campaign=world.campaign, place=world.bloomfield, occurred_on=days_ago(10), title="Council discussed it")
    event(campaign=world.campaign, place=newark, occurred_on=days_ago(50), title="On the agenda")
    return world


def _place_order(response: Any) -> list[str]:
    return [row.place.name for row in response.context["rows"]]


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("", ["Maywood", "Newark", "Bloomfield"]),  # most signatures first
        ("signatures", ["Bloomfield", "Newark", "Maywood"]),
        ("-letters", ["Newark", "Bloomfield", "Maywood"]),
        ("place", ["Bloomfield", "Maywood", "Newark"]),
        ("-place", ["Newark", "Maywood", "Bloomfield"]),
        ("status", ["Bloomfield", "Maywood", "Newark"]),  # not started, petitioning, on the agenda
        ("-last_event", ["Bloomfield", "Newark", "Maywood"]),
        ("bogus", ["Maywood", "Newark", "Bloomfield"]),
    ],
)
def test_it_sorts_the_places_by_each_column(client, three_places, sort, order):
    response = as_user(client, three_places.viewer).get(DASHBOARD, {"sort": sort})

    assert _place_order(response) == order


def test_the_sorted_header_says_so_and_links_to_the_other_direction(client, three_places):
    response = as_user(client, three_places.viewer).get(DASHBOARD, {"sort": "-letters", "days": "7"})

    headers = [e for e in parse(response).all("th") if "aria-sort" in e.attrs]
    assert [h.attrs["aria-sort"] for h in headers] == ["descending"]
    links = parse(response).urls()
    assert "?days=7&sort=letters#places" in links  # letters again: the other way
    assert "?days=7&sort=-signatures#places" in links  # counts start with the most
    assert "?days=7&sort=place#places" in links
    html = response.content.decode()
    assert "Council discussed it" in html
    assert "Partnership found" not in html  # only the latest event per place


def test_the_query_count_does_not_grow_with_places_or_signatures(client, world, django_assert_max_num_queries):
    owner = as_user(client, world.owner)
    sign(world, world.bloomfield, confirmed=on(TODAY), flags=("disposable",), review=Review.HELD)
    write(world, world.bloomfield, confirmed=on(TODAY), flags=("link",), review=Review.HELD)
    _outreach(world, [world.bloomfield])
    with CaptureQueriesContext(connection) as small:
        assert owner.get(DASHBOARD).status_code == 200

    towns = _grow(world, places=50, signatures=2000)
    _outreach(world, towns[:4])
    for town in towns[:25]:
        sign(world, town, confirmed=on(TODAY), review=Review.HELD)
        write(world, town, confirmed=None, review=Review.HELD)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = owner.get(DASHBOARD)

    assert len(response.context["rows"]) == 52
    assert chart_total(response, "signatures-by-day") == 2000
    assert len(response.context["queue"].signatures) == 20
    assert len(response.context["mailings"]) == 5
    assert len(response.context["editions"]) == 5


def _grow(world: World, *, places: int, signatures: int) -> list[Place]:
    more = [place(f"Town {n}") for n in range(places)]
    PlaceStatus.objects.bulk_create(PlaceStatus(campaign=world.campaign, place=town) for town in more)
    people = Supporter.objects.bulk_create(Supporter(email=f"many{n}@example.org") for n in range(signatures))
    signed = Signature.objects.bulk_create(
        Signature(
            petition=world.petition,
            supporter=person,
            place=more[n % places],
            consent_version="1",
            confirmed_at=on(days_ago(n % 20)),
        )
        for n, person in enumerate(people)
    )
    tallies.add_to_tallies([(world.petition.pk, signature.place_id) for signature in signed])
    TimelineEvent.objects.bulk_create(
        TimelineEvent(campaign=world.campaign, place=town, occurred_on=days_ago(5), title="Met") for town in more
    )
    return more


def _outreach(world: World, places: list[Place]) -> None:
    """A briefing edition and a mailing (one being sent) per place."""
    for where in places:
        Edition.objects.create(campaign=world.campaign, place=where, number=1)
        bulk = BulkSend.objects.create(
            list_key="campaign", kind="mailing", state=BulkSend.State.RUNNING, rate_per_minute=1
        )
        Mailing.objects.create(
            campaign=world.campaign, title=f"News for {where.name}", state=Mailing.State.SENDING, bulk=bulk
        )


# What each role sees


def test_a_viewer_sees_how_many_wait_but_neither_the_queue_nor_buttons(client, world):
    sign(world, world.bloomfield, confirmed=on(TODAY), review=Review.HELD, flags=("disposable",))
    write(world, world.bloomfield, confirmed=on(TODAY), review=Review.HELD, body="Visit spam.example.com now")

    response = as_user(client, world.viewer).get(DASHBOARD)

    page = parse(response)
    assert [e.attrs["data-queue-size"] for e in page.elements if "data-queue-size" in e.attrs] == ["2"]
    assert [e for e in page.all("form") if "review" in (e.attrs.get("action") or "")] == []
    assert "spam.example.com" not in response.content.decode()
    assert not [e for e in page.elements if e.attrs.get("id") == "audit"]


def test_an_editor_sees_the_queue_without_supporters_addresses(client, world):
    signature = sign(world, world.bloomfield, confirmed=on(TODAY), review=Review.HELD, flags=("disposable",))
    letter = write(world, world.maywood, confirmed=None, review=Review.HELD, body="Visit spam.example.com now")

    response = as_user(client, world.editor).get(DASHBOARD)

    html = response.content.decode()
    actions = [e.attrs["action"] for e in parse(response).all("form")]
    assert f"{DASHBOARD}signatures/{signature.pk}/review/" in actions
    assert f"{DASHBOARD}letters/{letter.pk}/review/" in actions
    assert "Visit spam.example.com now" in html
    assert "disposable" in html
    assert "Bloomfield, NJ" in html
    assert "@example.org" not in html.replace("editor@example.org", "")
    assert 'name="csrfmiddlewaretoken"' in html


def test_only_owners_see_the_audit_trail(client, world):
    record = AuditEvent.objects.create
    record(
        actor_label="editor@example.org",
        via="web",
        action="update",
        target_label="signature",
        campaign_id=world.campaign.pk,
    )
    record(actor_label="someone@example.org", via="api", action="update", target_label="elsewhere", campaign_id=None)

    owner = as_user(client, world.owner).get(DASHBOARD)
    editor = as_user(client, world.editor).get(DASHBOARD)

    assert [(e.actor_label, e.target_label) for e in owner.context["events"]] == [("editor@example.org", "signature")]
    assert 'id="audit"' in owner.content.decode()
    assert "elsewhere" not in owner.content.decode()
    assert 'id="audit"' not in editor.content.decode()


def test_it_links_the_widget_settings_when_that_page_exists(client, world):
    try:
        widget = reverse("web:embed-settings", kwargs={"slug": "ring"})
    except NoReverseMatch:
        pytest.skip("the widget settings page is not there yet")

    response = as_user(client, world.viewer).get(DASHBOARD)

    assert widget in parse(response).urls()


def test_the_charts_draw_the_same_in_every_language(client, world):
    for _n in range(3):
        sign(world, world.bloomfield, confirmed=on(TODAY))

    response = as_user(client, world.viewer).get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="es")

    assert response["Content-Language"] == "es"
    rects = parse(response).all("rect")
    assert rects
    for rect in rects:
        # Spanish writes 12,5: in SVG that would be two numbers. Coordinates stay as SVG reads them.
        assert all(float(rect.attrs[name] or "") >= 0 for name in ("x", "y", "width", "height"))
    assert chart_figures(response, "signatures-by-day")[TODAY.isoformat()] == 3
