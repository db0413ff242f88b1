"""Place pages and the campaign home served from the page cache: fast, fresh enough, nothing of one visitor."""

from __future__ import annotations

import socket
import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from campaigns import tallies
from campaigns.models import Agency, Campaign, LetterCampaign, Petition, Place, PlaceStatus, Status
from donations.models import DonationSettings
from web import page_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def ring() -> Campaign:
    campaign = Campaign.objects.create(slug="ring", title="End Ring partnerships", is_public=True)
    for name in ("Bloomfield", "Maywood"):
        place = Place.objects.create(
            ocd_id=f"ocd-division/country:us/state:nj/place:{name.lower()}",
            name=name,
            kind=Place.Kind.TOWNSHIP,
            state="NJ",
        )
        PlaceStatus.objects.create(campaign=campaign, place=place, status=Status.PETITIONING)
    return campaign


@pytest.fixture
def bloomfield(ring: Campaign) -> Place:
    return Place.objects.get(name="Bloomfield")


def _url(place: Place) -> str:
    return f"/campaigns/ring/places/{place.pk}/"


def test_a_cached_place_page_is_served_without_a_database_query(client, bloomfield, django_assert_num_queries):
    first = client.get(_url(bloomfield))

    with django_assert_num_queries(0):
        again = client.get(_url(bloomfield))

    assert first.status_code == again.status_code == 200
    assert "Bloomfield, NJ" in again.content.decode()
    assert "Petitioning" in again.content.decode()


def test_the_campaign_home_first_page_is_cached_and_a_filtered_one_is_not(client, ring, django_assert_num_queries):
    client.get("/campaigns/ring/")
    with django_assert_num_queries(0):
        home = client.get("/campaigns/ring/")
    client.get("/campaigns/ring/", {"state": "NJ"})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        filtered = client.get("/campaigns/ring/", {"state": "NJ"})

    assert home.status_code == filtered.status_code == 200
    assert "Bloomfield, NJ" in home.content.decode() and "Maywood, NJ" in home.content.decode()
    assert len(queries) > 0, "a search or filter is answered from the database"


@pytest.mark.parametrize("page", ["/campaigns/ring/", "place"])
def test_a_shared_link_with_tracking_parameters_gets_the_page_everyone_gets(
    client, bloomfield, page, django_assert_num_queries
):
    path = _url(bloomfield) if page == "place" else page
    plain = client.get(path)
    with django_assert_num_queries(0):
        shared = client.get(path, {"fbclid": "IwAR0abc", "utm_source": "newsletter"})

    assert shared.status_code == 200
    assert shared.content == plain.content, "the same bytes: no reader's click id in a copy others get"
    assert shared.headers["ETag"] == plain.headers["ETag"], "a copy kept from either revalidates for both"
    assert "s-maxage" in shared.headers["Cache-Control"], "a shared copy, as the plain link's"


def test_a_later_page_of_the_list_is_not_the_cached_home(client, ring):
    client.get("/campaigns/ring/")

    later = client.get("/campaigns/ring/", {"page": "2", "utm_source": "newsletter"})

    assert later.status_code == 200
    assert "s-maxage" not in later.headers.get("Cache-Control", "")


def test_a_status_change_shows_at_once_on_the_place_page_and_the_home(client, bloomfield, ring):
    client.get(_url(bloomfield))
    client.get("/campaigns/ring/")
    status = PlaceStatus.objects.get(campaign=ring, place=bloomfield)

    status.status = Status.PARTNERSHIP_ENDED
    status.save()

    assert "Partnership ended" in client.get(_url(bloomfield)).content.decode()
    home = client.get("/campaigns/ring/").content.decode()
    assert "status--partnership_ended" in home  # the list of places


def test_a_new_agency_or_a_renamed_place_shows_at_once(client, bloomfield, ring):
    client.get(_url(bloomfield))

    agency = Agency.objects.create(campaign=ring, name="Bloomfield Police Department")
    agency.places.add(bloomfield)
    assert "Bloomfield Police Department" in client.get(_url(bloomfield)).content.decode()

    bloomfield.name = "Bloomfield Township"
    bloomfield.save()
    assert "Bloomfield Township, NJ" in client.get(_url(bloomfield)).content.decode()


def test_a_change_in_another_campaign_leaves_this_one_cached(client, bloomfield, django_assert_num_queries):
    client.get(_url(bloomfield))
    Campaign.objects.create(slug="other", title="Another campaign", is_public=True)

    with django_assert_num_queries(0):
        assert client.get(_url(bloomfield)).status_code == 200


def test_counts_lag_at_most_the_cache_lifetime(client, bloomfield, ring, monkeypatch):
    """Signatures are not an invalidation: a confirmed one shows once the entry expires (5 s in production)."""
    monkeypatch.setattr(page_cache, "PAGE_SECONDS", 1)
    petition = Petition.objects.create(campaign=ring, slug="end-ring", title="End it", text="We ask.")
    client.get(_url(bloomfield))
    tallies.add_to_tallies([(petition.pk, bloomfield.pk)])

    stale = client.get(_url(bloomfield)).content.decode()
    time.sleep(1.2)
    fresh = client.get(_url(bloomfield)).content.decode()

    assert 'data-count="signatures">0<' in stale
    assert 'data-count="signatures">1<' in fresh


def test_the_production_lifetimes_keep_counts_within_5_seconds():
    """The entry's lifetime and then what a shared cache in front may add on top.

    nginx keeps an answer while its clock, in whole seconds, is at most s-maxage past the second it
    stored it: up to a second more than s-maxage.
    """
    nginx_rounding = 1
    shared = page_cache.SHARED_SECONDS + nginx_rounding + page_cache.SHARED_STALE_SECONDS
    assert page_cache.PAGE_SECONDS + shared <= 5


def test_a_visitor_gets_the_page_everyone_gets_with_no_token_cookie_or_session(bloomfield, ring):
    alice, bob = Client(), Client()
    alice.force_login(get_user_model().objects.create_user(email="alice@example.org"))

    to_alice = alice.get(_url(bloomfield))
    to_bob = bob.get(_url(bloomfield))  # served from the cache alice's visit filled

    assert to_alice.content == to_bob.content
    assert "csrfmiddlewaretoken" not in to_bob.content.decode()
    assert "alice" not in to_bob.content.decode()
    assert not to_bob.cookies, "a response that sets a cookie is never kept by a shared cache"
    assert to_alice.headers["ETag"] == to_bob.headers["ETag"]


def test_shared_caches_may_keep_it_a_moment_and_browsers_revalidate(client, bloomfield):
    response = client.get(_url(bloomfield))

    cache_control = {part.strip() for part in response.headers["Cache-Control"].split(",")}
    assert cache_control == {
        "public",
        "max-age=0",
        f"s-maxage={page_cache.SHARED_SECONDS}",
        f"stale-while-revalidate={page_cache.SHARED_STALE_SECONDS}",
    }
    assert {"Cookie", "Accept-Language"} <= {part.strip() for part in response.headers["Vary"].split(",")}
    assert response.headers["ETag"]


def test_an_unchanged_page_answers_304_from_the_cache_and_a_changed_one_200(
    client, bloomfield, ring, django_assert_num_queries
):
    first = client.get(_url(bloomfield))

    with django_assert_num_queries(0):
        unchanged = client.get(_url(bloomfield), headers={"if-none-match": first.headers["ETag"]})
    PlaceStatus.objects.filter(campaign=ring, place=bloomfield).get().delete()
    gone = client.get(_url(bloomfield), headers={"if-none-match": first.headers["ETag"]})

    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert gone.status_code == 404, "an untracked place is no longer served from the cache"


def test_a_copy_stays_valid_until_the_content_or_language_differs(bloomfield, ring):
    english = Client().get(_url(bloomfield), headers={"accept-language": "en"}).headers["ETag"]

    in_spanish = Client().get(_url(bloomfield), headers={"accept-language": "es", "if-none-match": english})
    page_cache.invalidate(ring.slug)
    rendered_alike = Client().get(_url(bloomfield), headers={"if-none-match": english})
    PlaceStatus.objects.filter(campaign=ring, place=bloomfield).update(status=Status.PARTNERSHIP_ENDED)
    page_cache.invalidate(ring.slug)
    changed = Client().get(_url(bloomfield), headers={"if-none-match": english})

    assert in_spanish.status_code == 200 and '<html lang="es">' in in_spanish.content.decode()
    assert rendered_alike.status_code == 304, "rendered anew, the same content: the copy is still good"
    assert changed.status_code == 200
    assert changed.headers["ETag"] != english


def test_each_language_is_cached_on_its_own(bloomfield):
    english = Client().get(_url(bloomfield), headers={"accept-language": "en"}).content.decode()
    spanish = Client().get(_url(bloomfield), headers={"accept-language": "es"}).content.decode()
    english_again = Client().get(_url(bloomfield), headers={"accept-language": "en"}).content.decode()

    assert '<html lang="es">' in spanish and "Firmas confirmadas" in spanish
    assert '<html lang="en">' in english_again and "Confirmed signatures" in english_again
    assert english_again.count("Confirmed signatures") == english.count("Confirmed signatures") == 1


def test_an_unknown_place_or_a_draft_campaign_is_not_found_and_not_cached(client, bloomfield, ring):
    Campaign.objects.create(slug="draft", title="Draft", is_public=False)

    assert client.get("/campaigns/ring/places/999999/").status_code == 404
    assert client.get("/campaigns/draft/").status_code == 404
    ring.is_public = False
    ring.save()
    assert client.get(_url(bloomfield)).status_code == 404


def test_with_the_cache_down_pages_render_and_changes_save(client, bloomfield, ring, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    saved = settings.CACHES
    settings.CACHES = {**saved, "default": {**saved["default"], "LOCATION": f"redis://127.0.0.1:{closed_port}/0"}}
    try:
        status = PlaceStatus.objects.get(campaign=ring, place=bloomfield)
        status.status = Status.PARTNERSHIP_ENDED
        status.save()
        response = client.get(_url(bloomfield))
    finally:
        settings.CACHES = saved  # the test's own cache back for its teardown

    assert response.status_code == 200
    assert "Partnership ended" in response.content.decode()


def test_a_new_letter_drive_or_turning_donations_off_shows_at_once(client, bloomfield, ring, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_townhall"
    DonationSettings.objects.create(campaign=ring)
    before = client.get(_url(bloomfield)).content.decode()
    assert "Donate to the campaign" in before

    LetterCampaign.objects.create(
        campaign=ring, slug="write", title="Write to the council", body_template="Dear {{ official_name }}, " * 3
    )
    assert "Write to your officials: Write to the council" in client.get(_url(bloomfield)).content.decode()

    DonationSettings.objects.filter(campaign=ring).delete()
    assert "Donate to the campaign" in client.get(_url(bloomfield)).content.decode()  # defaults: donations on
    DonationSettings.objects.create(campaign=ring, enabled=False)
    assert "Donate to the campaign" not in client.get(_url(bloomfield)).content.decode()


def test_entries_expire_at_scattered_moments_within_the_lifetime():
    lifetimes = {page_cache.lifetime() for _ in range(200)}

    assert lifetimes == set(range(page_cache.SHORTEST_SECONDS, page_cache.PAGE_SECONDS + 1))


def test_an_entry_given_the_shortest_lifetime_is_rendered_again_after_it(client, bloomfield, ring, monkeypatch):
    monkeypatch.setattr(page_cache, "SHORTEST_SECONDS", 1)
    monkeypatch.setattr("web.page_cache.random.randint", lambda low, _high: low)  # the draw that lands lowest
    petition = Petition.objects.create(campaign=ring, slug="end-ring", title="End it", text="We ask.")
    client.get(_url(bloomfield))
    tallies.add_to_tallies([(petition.pk, bloomfield.pk)])

    time.sleep(1.2)  # under PAGE_SECONDS: only the drawn lifetime has passed
    fresh = client.get(_url(bloomfield)).content.decode()

    assert 'data-count="signatures">1<' in fresh


def test_a_place_counts_refresh_without_rendering_its_content_again(
    client, bloomfield, ring, monkeypatch, django_assert_num_queries
):
    """The counts are kept apart (1-2 s) from the rest of the content (20-30 s), which only a change replaces."""
    monkeypatch.setattr(page_cache, "PAGE_SECONDS", 1)
    monkeypatch.setattr(page_cache, "SHORTEST_SECONDS", 1)
    petition = Petition.objects.create(campaign=ring, slug="end-ring", title="End it", text="We ask.")
    client.get(_url(bloomfield))
    tallies.add_to_tallies([(petition.pk, bloomfield.pk)])
    time.sleep(1.2)

    with django_assert_num_queries(3):  # the campaign, its signatures and its letters: no content query
        fresh = client.get(_url(bloomfield)).content.decode()

    assert 'data-count="signatures">1<' in fresh
    assert "<!--slot:" not in fresh


def test_a_new_count_names_a_new_copy_so_no_cache_keeps_the_old_one(client, bloomfield, ring, monkeypatch):
    monkeypatch.setattr(page_cache, "PAGE_SECONDS", 1)
    monkeypatch.setattr(page_cache, "SHORTEST_SECONDS", 1)
    petition = Petition.objects.create(campaign=ring, slug="end-ring", title="End it", text="We ask.")
    before = client.get(_url(bloomfield)).headers["ETag"]
    tallies.add_to_tallies([(petition.pk, bloomfield.pk)])
    time.sleep(1.2)

    revalidated = client.get(_url(bloomfield), headers={"if-none-match": before})

    assert revalidated.status_code == 200, "the proxy revalidates with If-None-Match: a 304 would keep 0"
    assert revalidated.headers["ETag"] != before
    assert 'data-count="signatures">1<' in revalidated.content.decode()


def test_the_place_page_has_a_slot_for_every_public_count(bloomfield, ring):
    from campaigns.api.public.counts import place_counts
    from web.tracker import PLACE_COUNTS

    assert set(PLACE_COUNTS) == set(place_counts(campaign=ring, place=bloomfield))


def test_an_import_of_places_shows_at_once(client, bloomfield, ring):
    from campaigns.importing.places import write_places
    from campaigns.models.places import search_form

    client.get(_url(bloomfield))
    name = "Bloomfield Township"
    values = {"ocd_id": bloomfield.ocd_id, "name": name, "kind": bloomfield.kind, "state": "NJ", "census_geoid": ""}
    values["search_name"] = search_form(name)
    write_places({bloomfield.ocd_id: values})

    assert "Bloomfield Township" in client.get(_url(bloomfield)).content.decode()


def test_counts_are_written_as_the_page_language_writes_numbers(bloomfield, ring):
    petition = Petition.objects.create(campaign=ring, slug="end-ring", title="End it", text="We ask.")
    tallies.add_to_tallies([(petition.pk, bloomfield.pk)], delta=12345)

    english = Client().get(_url(bloomfield), headers={"accept-language": "en"}).content.decode()
    spanish = Client().get(_url(bloomfield), headers={"accept-language": "es"}).content.decode()

    assert 'data-count="signatures">12,345<' in english
    assert 'data-count="signatures">12\xa0345<' in spanish  # Django's Spanish groups with a no-break space
