"""deploy/nginx.conf for real (Debian's nginx) in front of Django's live server: what the proxy keeps.

Place pages are the same for every visitor, so the proxy keeps them a moment and readers never wait
for Django; anything that sets a cookie is never kept; languages stay apart; a confirmation still
shows within 5 s; with the web tier down readers get the last copy.
"""

from __future__ import annotations

import http.client
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from campaigns import tallies
from campaigns.models import Campaign, Petition, Place, PlaceStatus, Status
from tests.deploy import nginx_proxy
from tests.emails.celery_broker import free_port

pytestmark = pytest.mark.django_db(transaction=True)

# nginx's statuses for an answer it gave from its cache, without Django.
ANSWERED_BY_THE_PROXY = {"HIT", "STALE", "UPDATING"}


@pytest.fixture
def proxy(live_server: Any) -> Iterator[nginx_proxy.Proxy]:
    assert nginx_proxy.available(), "nginx is missing: bin/test installs it from deploy/apt-test.txt"
    port = int(live_server.url.rsplit(":", 1)[1])
    with nginx_proxy.nginx_proxy(port) as running:
        yield running


@pytest.fixture
def place() -> Place:
    campaign = Campaign.objects.create(slug="ring", title="End Ring partnerships", is_public=True)
    ocd_id = "ocd-division/country:us/state:nj/place:bloomfield"
    bloomfield = Place.objects.create(ocd_id=ocd_id, name="Bloomfield", kind=Place.Kind.TOWNSHIP, state="NJ")
    PlaceStatus.objects.create(campaign=campaign, place=bloomfield, status=Status.PETITIONING)
    return bloomfield


def get(proxy: nginx_proxy.Proxy, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    connection.close()
    return response


def body(response: http.client.HTTPResponse) -> str:
    return str(response.body.decode())  # type: ignore[attr-defined]


def signatures_shown(response: http.client.HTTPResponse) -> int:
    return int(re.findall(r'data-count="signatures">(\d+)<', body(response))[0])


def test_nginx_accepts_the_deploy_file(tmp_path):
    (tmp_path / "site.conf").write_text(nginx_proxy.site_config(upstream_port=8000, port=free_port(), folder=tmp_path))
    (tmp_path / "nginx.conf").write_text(nginx_proxy.main_config(tmp_path))

    checked = nginx_proxy.check(tmp_path)

    assert checked.returncode == 0, checked.stderr


def test_the_maps_that_drop_tracking_parameters_are_one_chain_of_one_pattern():
    # nginx has no loop: six maps repeat one pattern, each reading the one before; an edit to one alone
    # would strip a parameter only when it comes first.
    maps = re.findall(r"map (\$\w+) \$townhall_args_(\d) \{\n\s+(\S+) ", nginx_proxy.DEPLOY_CONF.read_text())

    assert [number for _source, number, _pattern in maps] == ["1", "2", "3", "4", "5", "6"]
    assert [source for source, _number, _pattern in maps] == ["$args", *(f"$townhall_args_{n}" for n in range(1, 6))]
    assert len({pattern for _source, _number, pattern in maps}) == 1


def test_a_place_page_is_kept_and_served_by_the_proxy(proxy, place):
    path = f"/campaigns/ring/places/{place.pk}/"

    first, second = get(proxy, path), get(proxy, path)

    assert first.status == second.status == 200
    assert first.getheader("X-Cache-Status") == "MISS"
    assert second.getheader("X-Cache-Status") == "HIT", "the second reader is answered by the proxy alone"
    assert body(first) == body(second)
    assert "Bloomfield" in body(second)


def test_a_confirmation_shows_through_the_proxy_within_5_seconds(proxy, place):
    path = f"/campaigns/ring/places/{place.pk}/"
    ring = Campaign.objects.get(slug="ring")
    petition = Petition.objects.create(campaign=ring, slug="end-ring", title="End", text="We ask.")
    assert signatures_shown(get(proxy, path)) == 0
    tallies.add_to_tallies([(petition.pk, place.pk)])  # what a confirmation does
    confirmed_at = time.monotonic()

    while signatures_shown(get(proxy, path)) == 0:
        assert time.monotonic() - confirmed_at < 5.0, "the proxy and the page cache together kept a count over 5 s"
        time.sleep(0.1)


@pytest.mark.urls("tests.deploy.shareable_urls")
def test_a_response_that_sets_a_cookie_is_never_kept_even_if_it_says_public(proxy):
    get(proxy, "/public/")
    kept = get(proxy, "/public/")
    to_alice = get(proxy, "/public-with-cookie/?who=alice")
    to_bob = get(proxy, "/public-with-cookie/?who=alice")  # the same address, another reader

    assert kept.getheader("X-Cache-Status") == "HIT", "the control: a public answer without a cookie is kept"
    assert to_alice.getheader("X-Cache-Status") == to_bob.getheader("X-Cache-Status") == "MISS"
    assert "visitor=alice" in (to_bob.getheader("Set-Cookie") or ""), "bob's answer came from Django, not alice's copy"


def test_a_shared_link_with_a_click_id_is_served_the_kept_page(proxy, place):
    path = f"/campaigns/ring/places/{place.pk}/"
    get(proxy, path)

    clicks = [get(proxy, f"{path}?fbclid=IwAR{n}&utm_source=facebook") for n in range(3)]

    # Kept a second only (s-maxage=1): on a slow machine a click may get the copy while it is renewed.
    assert {click.getheader("X-Cache-Status") for click in clicks} <= ANSWERED_BY_THE_PROXY
    assert all(click.status == 200 and "Bloomfield" in body(click) for click in clicks)


@pytest.mark.urls("tests.deploy.shareable_urls")
def test_a_page_is_keyed_without_tracking_parameters_and_with_every_other_one(proxy):
    first = get(proxy, "/campaigns/echo/?utm_source=mail&state=CA&mc_eid=7f3a")
    tracked = [
        "/campaigns/echo/?state=CA",
        "/campaigns/echo/?state=CA&fbclid=IwAR1",
        "/campaigns/echo/?fbclid=IwAR2&state=CA",
        "/campaigns/echo/?utm_source=a&utm_medium=b&utm_campaign=c&utm_content=d&utm_term=e&state=CA&gclid=f",
    ]
    others = [
        "/campaigns/echo/?state=NY&fbclid=IwAR3",
        "/campaigns/echo/?xfbclid=1&state=CA",
        "/campaigns/echo/?q=fbclid=1",
        "/campaigns/echo/?fbclid&state=CA",
        "/campaigns/echo/?utm_source=a&utm_medium=b&utm_campaign=c&utm_content=d&utm_term=e&fbclid=f&gclid=g&state=CA",
    ]

    assert body(first) == "query: utm_source=mail&state=CA&mc_eid=7f3a", "Django receives the whole query"
    for path in tracked:
        kept = get(proxy, path)
        assert (kept.getheader("X-Cache-Status"), body(kept)) == ("HIT", body(first)), path
    for path in others:
        answered = get(proxy, path)
        assert answered.getheader("X-Cache-Status") == "MISS", path
        assert body(answered) == "query: " + path.split("?", 1)[1], path


@pytest.mark.urls("tests.deploy.shareable_urls")
def test_any_other_address_is_keyed_on_its_whole_query(proxy):
    # The public API's pagination links repeat the query: a reader's click id must not reach others.
    get(proxy, "/public-query/?state=CA")

    clicked = get(proxy, "/public-query/?state=CA&fbclid=IwAR1")

    assert clicked.getheader("X-Cache-Status") == "MISS"
    assert body(clicked) == "query: state=CA&fbclid=IwAR1"


def test_a_form_page_gives_each_reader_their_own_token(proxy, place):
    first, second = get(proxy, "/my-data/"), get(proxy, "/my-data/")

    tokens = [re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body(r)) for r in (first, second)]
    assert tokens[0] and tokens[1] and tokens[0] != tokens[1]
    assert second.getheader("X-Cache-Status") == "MISS"


def test_each_language_is_kept_on_its_own(proxy, place):
    path = f"/campaigns/ring/places/{place.pk}/"
    get(proxy, path, {"Accept-Language": "en"})
    english = get(proxy, path, {"Accept-Language": "en"})

    spanish = get(proxy, path, {"Accept-Language": "es"})
    chosen = get(proxy, path, {"Cookie": "django_language=es"})

    assert english.getheader("X-Cache-Status") == "HIT" and '<html lang="en">' in body(english)
    assert '<html lang="es">' in body(spanish) and "Firmas confirmadas" in body(spanish)
    assert '<html lang="es">' in body(chosen)


def test_with_the_web_tier_down_readers_get_the_last_copy(proxy, place):
    path = f"/campaigns/ring/places/{place.pk}/"
    kept = get(proxy, path)
    proxy.point_at(free_port())  # nothing listens there: gunicorn is down
    time.sleep(4.5)  # past the page's s-maxage and stale-while-revalidate, in nginx's whole seconds

    served = get(proxy, path)
    other_page = get(proxy, "/about/")

    assert served.status == 200 and served.getheader("X-Cache-Status") == "STALE"
    assert body(served) == body(kept)
    assert other_page.status == 502, "a page that was never kept cannot be served"
