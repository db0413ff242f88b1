"""The organizer API for the tracker: roles, campaign scoping, audited writes, input checks, query counts."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from accounts.models import AuditEvent, User
from campaigns import tracker
from campaigns.models import (
    Agency,
    Campaign,
    Citation,
    Membership,
    Official,
    Partnership,
    Place,
    PlaceStatus,
    Role,
    Source,
    Status,
    TimelineEvent,
)
from tests.conftest import sign_in_with_two_factors

pytestmark = pytest.mark.django_db

RING = "/api/v1/organizer/campaigns/ring"
OTHER = "/api/v1/organizer/campaigns/other"
JSON = "application/json"


def make_place(name: str = "Bloomfield", state: str = "NJ") -> Place:
    slug = name.lower().replace(" ", "_")
    return Place.objects.create(
        name=name, kind="township", state=state, ocd_id=f"ocd-division/country:us/state:{state.lower()}/place:{slug}"
    )


def make_source(campaign: Campaign, title: str = "Amazon Is Coaching Cops", kind: str = "news") -> Source:
    url = "" if kind == "internal" else "https://example.org/article"
    return Source.objects.create(campaign=campaign, title=title, kind=kind, url=url)


def make_rows(campaign: Campaign, place: Place, actor: User) -> dict[str, Any]:
    """One of each tracker row in `campaign`: a cited partnership, an official, a tracked place with an event."""
    source = make_source(campaign)
    agency = Agency.objects.create(campaign=campaign, name="Bloomfield Police Department")
    agency.places.add(place)
    partnership = Partnership.objects.create(agency=agency, program="neighbors_portal", how_known="Emails")
    citation = Citation.objects.create(source=source, partnership=partnership, locator="p. 1")
    official = Official.objects.create(
        campaign=campaign, place=place, name="A. Member", email="member@example.gov", phone="555-0100"
    )
    event = tracker.change_status(
        campaign=campaign,
        place=place,
        status=Status.PARTNERSHIP_DOCUMENTED,
        occurred_on=dt.date(2019, 8, 5),
        title="Emails published",
        citations=[tracker.CitationInput(source=source)],
        actor=actor,
        via="test",
    )
    return {
        "place": place,
        "source": source,
        "agency": agency,
        "partnership": partnership,
        "citation": citation,
        "official": official,
        "event": event,
    }


@pytest.fixture
def ring(db: Any) -> Campaign:
    return Campaign.objects.create(slug="ring", title="End Ring partnerships")


@pytest.fixture
def other(db: Any) -> Campaign:
    return Campaign.objects.create(slug="other", title="Another campaign")


@pytest.fixture
def member(user_factory: Any, ring: Campaign) -> Any:
    def make(role: Role) -> Client:
        user = user_factory(f"{role}@example.org")
        Membership.objects.create(user=user, campaign=ring, role=role)
        return sign_in_with_two_factors(Client(), user)

    return make


@pytest.fixture
def editor(member: Any) -> Client:
    return member(Role.EDITOR)


@pytest.fixture
def viewer(member: Any) -> Client:
    return member(Role.VIEWER)


@pytest.fixture
def rows(ring: Campaign, user_factory: Any) -> dict[str, Any]:
    return make_rows(ring, make_place(), user_factory("recorder@example.org"))


@pytest.fixture
def elsewhere(other: Campaign, user_factory: Any) -> dict[str, Any]:
    """The same rows in another campaign, which ring's organizers must never reach."""
    return make_rows(other, make_place("Newark"), user_factory("outsider@example.org"))


def last_audit(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("pk")


# --- Sources


def test_it_creates_reads_changes_and_deletes_a_source(editor: Client, ring: Campaign):
    created = editor.post(
        f"{RING}/sources/",
        {"title": "Council minutes", "kind": "meeting", "url": "https://example.org/minutes"},
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    source_id = created.json()["id"]
    assert created.json()["is_public"] is True
    assert Source.objects.get(pk=source_id).campaign == ring

    changed = editor.patch(f"{RING}/sources/{source_id}/", {"title": "Council minutes, 3 May"}, content_type=JSON)

    assert changed.status_code == 200
    assert editor.get(f"{RING}/sources/{source_id}/").json()["title"] == "Council minutes, 3 May"
    assert last_audit("update").changes["title"] == ["Council minutes", "Council minutes, 3 May"]
    assert editor.delete(f"{RING}/sources/{source_id}/").status_code == 204
    assert not Source.objects.filter(pk=source_id).exists()
    deleted = last_audit("delete")
    assert (deleted.target_id, deleted.via, deleted.campaign_id) == (str(source_id), "api", ring.pk)


def test_it_refuses_to_delete_a_cited_source(editor: Client, rows: dict[str, Any]):
    source = rows["source"]
    audits = AuditEvent.objects.count()

    response = editor.delete(f"{RING}/sources/{source.pk}/")

    assert response.status_code == 400
    assert "cited 2 time(s)" in response.json()["fields"]["non_field_errors"][0]
    assert Source.objects.filter(pk=source.pk).exists()
    assert AuditEvent.objects.count() == audits


# --- Agencies and partnerships


def test_it_creates_an_agency_with_its_places_and_audits_them(editor: Client, ring: Campaign):
    places = [make_place("Montclair"), make_place("Glen Ridge")]

    response = editor.post(
        f"{RING}/agencies/",
        {"name": "Essex County Sheriff's Office", "kind": "sheriff", "places": [p.pk for p in places]},
        content_type=JSON,
    )

    assert response.status_code == 201, response.content
    agency = Agency.objects.get(pk=response.json()["id"])
    assert set(agency.places.all()) == set(places)
    assert response.json()["partnerships"] == []
    created = last_audit("create")
    assert created.changes["places"] == [None, ",".join(str(p.pk) for p in sorted(places, key=lambda p: p.pk))]


def test_it_replaces_an_agencys_places(editor: Client, rows: dict[str, Any]):
    agency, newark = rows["agency"], make_place("Newark")

    response = editor.patch(f"{RING}/agencies/{agency.pk}/", {"places": [newark.pk]}, content_type=JSON)

    assert response.status_code == 200
    assert response.json()["places"] == [newark.pk]
    assert last_audit("update").changes["places"] == [str(rows["place"].pk), str(newark.pk)]


def test_it_creates_a_partnership_and_cites_it(editor: Client, rows: dict[str, Any]):
    created = editor.post(
        f"{RING}/partnerships/",
        {
            "agency": rows["agency"].pk,
            "program": "request_for_assistance",
            "started_on": "2021-06-01",
            "started_precision": "month",
            "how_known": "Ring's public post archive",
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    partnership_id = created.json()["id"]
    assert created.json()["period_display"] == "since June 2021"

    cited = editor.post(
        f"{RING}/partnerships/{partnership_id}/citations/",
        {"source_id": rows["source"].pk, "locator": "p. 4", "quote": "joined in June"},
        content_type=JSON,
    )

    assert cited.status_code == 201, cited.content
    assert cited.json()["source"]["title"] == "Amazon Is Coaching Cops"
    detail = editor.get(f"{RING}/partnerships/{partnership_id}/").json()
    assert [c["locator"] for c in detail["citations"]] == ["p. 4"]
    assert last_audit("create").target_id == str(cited.json()["id"])


def test_it_removes_a_citation(editor: Client, rows: dict[str, Any]):
    partnership, citation = rows["partnership"], rows["citation"]

    response = editor.delete(f"{RING}/partnerships/{partnership.pk}/citations/{citation.pk}/")

    assert response.status_code == 204
    assert not Citation.objects.filter(pk=citation.pk).exists()
    assert last_audit("delete").target_id == str(citation.pk)


def test_it_finds_a_citation_only_under_its_own_partnership(editor: Client, rows: dict[str, Any]):
    other_partnership = Partnership.objects.create(agency=rows["agency"], program="other", how_known="A report")

    response = editor.delete(f"{RING}/partnerships/{other_partnership.pk}/citations/{rows['citation'].pk}/")

    assert response.status_code == 404
    assert Citation.objects.filter(pk=rows["citation"].pk).exists()


# --- Officials: personal data


def test_it_shows_officials_contact_details_to_editors_only(editor: Client, viewer: Client, rows: dict[str, Any]):
    official = rows["official"]

    as_viewer = viewer.get(f"{RING}/officials/{official.pk}/").json()
    as_editor = editor.get(f"{RING}/officials/{official.pk}/").json()
    listed = viewer.get(f"{RING}/officials/").json()["results"]

    assert "email" not in as_viewer
    assert "phone" not in as_viewer
    assert "member@example.gov" not in str(listed)
    assert as_viewer["name"] == "A. Member"
    assert (as_editor["email"], as_editor["phone"]) == ("member@example.gov", "555-0100")


def test_it_audits_officials_without_their_contact_details(editor: Client, rows: dict[str, Any]):
    place = rows["place"]
    created = editor.post(
        f"{RING}/officials/",
        {"place": place.pk, "name": "B. Member", "email": "b.member@example.gov", "phone": "555-0199"},
        content_type=JSON,
    )
    official_id = created.json()["id"]
    editor.patch(
        f"{RING}/officials/{official_id}/",
        {"email": "new.b@example.gov", "phone": "555-0123", "district": "Ward 2"},
        content_type=JSON,
    )
    editor.delete(f"{RING}/officials/{official_id}/")

    trail = AuditEvent.objects.filter(target_id=str(official_id)).order_by("pk")

    assert [e.action for e in trail] == ["create", "update", "delete"]
    for secret in ("b.member@example.gov", "new.b@example.gov", "555-0199", "555-0123"):
        assert secret not in str([(e.changes, e.target_label) for e in trail])
    assert trail[0].changes["email"] == [None, "[redacted]"]
    assert set(trail[1].changes) == {"district", "updated"}  # a changed address leaves no trace of its value
    assert trail[1].changes["district"] == ["", "Ward 2"]


# --- Tracked places and the timeline


def test_it_starts_tracking_a_place_once(editor: Client, ring: Campaign):
    montclair = make_place("Montclair")

    first = editor.post(f"{RING}/places/", {"place_id": montclair.pk}, content_type=JSON)
    again = editor.post(f"{RING}/places/", {"place_id": montclair.pk}, content_type=JSON)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["place"]["name"] == "Montclair"
    assert first.json()["status"] == "not_started"
    assert PlaceStatus.objects.filter(campaign=ring, place=montclair).count() == 1
    assert AuditEvent.objects.filter(action="create", target_id=str(PlaceStatus.objects.get().pk)).count() == 1


def test_it_lists_tracked_places_with_their_place(viewer: Client, rows: dict[str, Any]):
    results = viewer.get(f"{RING}/places/").json()["results"]

    assert results == [
        {
            "place": {
                "id": rows["place"].pk,
                "name": "Bloomfield",
                "kind": "township",
                "state": "NJ",
                "county_name": "",
                "ocd_id": rows["place"].ocd_id,
                "population": None,
            },
            "status": "partnership_documented",
            "changed_at": results[0]["changed_at"],
            "notes": "",
        }
    ]


def test_it_shows_a_places_timeline_with_citations(viewer: Client, rows: dict[str, Any]):
    events = viewer.get(f"{RING}/places/{rows['place'].pk}/timeline/").json()["results"]

    assert [(e["title"], e["status_before"], e["status_after"]) for e in events] == [
        ("Emails published", "not_started", "partnership_documented")
    ]
    assert events[0]["occurred_display"] == "August 5, 2019"
    assert events[0]["citations"][0]["source"]["id"] == rows["source"].pk


def test_it_has_no_timeline_for_a_place_the_campaign_does_not_track(viewer: Client, rows: dict[str, Any]):
    untracked = make_place("Montclair")

    assert viewer.get(f"{RING}/places/{untracked.pk}/timeline/").status_code == 404


def test_it_changes_no_status_of_an_untracked_place(editor: Client, rows: dict[str, Any]):
    untracked = make_place("Montclair")
    body = {
        "status": "petitioning",
        "occurred_on": "2024-03-01",
        "title": "Petition launched",
        "citations": [{"source_id": rows["source"].pk}],
    }

    assert editor.post(f"{RING}/places/{untracked.pk}/status/", body, content_type=JSON).status_code == 404
    assert not PlaceStatus.objects.filter(place=untracked).exists()


# --- Roles and campaign scoping


def test_it_lets_a_viewer_read_but_not_write(viewer: Client, rows: dict[str, Any]):
    source = rows["source"]

    assert viewer.get(f"{RING}/sources/{source.pk}/").status_code == 200
    refused = viewer.patch(f"{RING}/sources/{source.pk}/", {"title": "Hijacked"}, content_type=JSON)

    assert refused.status_code == 403
    source.refresh_from_db()
    assert source.title == "Amazon Is Coaching Cops"


DETAIL_URLS = [
    ("sources/{source}/", "source"),
    ("agencies/{agency}/", "agency"),
    ("partnerships/{partnership}/", "partnership"),
    ("officials/{official}/", "official"),
]


@pytest.mark.parametrize(("template", "kind"), DETAIL_URLS)
@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_it_never_reaches_another_campaigns_rows(editor, rows, elsewhere, template, kind, method):
    url = f"{RING}/" + template.format(**{kind: elsewhere[kind].pk})
    audits = AuditEvent.objects.count()

    response = editor.generic(method, url, '{"name": "Taken over"}', content_type=JSON)

    assert response.status_code == 404
    assert type(elsewhere[kind]).objects.filter(pk=elsewhere[kind].pk).exists()
    assert AuditEvent.objects.count() == audits


@pytest.mark.parametrize(
    "template",
    [
        "partnerships/{partnership}/citations/{citation}/",
        "places/{place}/timeline/",
    ],
)
def test_it_never_reaches_another_campaigns_nested_rows(editor, rows, elsewhere, template):
    url = f"{RING}/" + template.format(**{k: v.pk for k, v in elsewhere.items()})
    method = "DELETE" if "citations" in template else "GET"

    assert editor.generic(method, url).status_code == 404
    assert Citation.objects.filter(pk=elsewhere["citation"].pk).exists()


def test_it_hides_campaigns_one_is_not_a_member_of(editor: Client, elsewhere: dict[str, Any]):
    assert editor.get(f"{OTHER}/sources/").status_code == 404
    assert editor.get(f"{OTHER}/sources/{elsewhere['source'].pk}/").status_code == 404


def test_it_answers_an_unmapped_method_with_405(editor: Client, rows: dict[str, Any]):
    response = editor.put(f"{RING}/sources/{rows['source'].pk}/", {"title": "X"}, content_type=JSON)

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


# --- Bad input: 400 with the fields named, nothing written

BAD_INPUT = [
    ("POST", "sources/", {}, {"title"}),
    ("POST", "sources/", {"title": ["a list"], "kind": "rumour"}, {"title", "kind"}),
    ("POST", "sources/", {"title": "A tip", "kind": "news"}, {"url"}),
    ("PATCH", "sources/{source}/", {"published_on": "last week", "url": "not a url"}, {"published_on", "url"}),
    ("POST", "agencies/", {}, {"name", "places"}),
    ("POST", "agencies/", {"name": "PD", "places": [999999999]}, {"places"}),
    ("POST", "agencies/", {"name": "PD", "places": "1"}, {"places"}),
    ("POST", "agencies/", {"name": "Bloomfield Police Department", "places": ["{place}"]}, {"non_field_errors"}),
    ("PATCH", "agencies/{agency}/", {"places": [], "kind": 7}, {"places", "kind"}),
    ("POST", "partnerships/", {}, {"agency", "program", "how_known"}),
    (
        "POST",
        "partnerships/",
        {"agency": "abc", "program": "nope", "how_known": ""},
        {"agency", "program", "how_known"},
    ),
    (
        "POST",
        "partnerships/",
        {"agency": "{agency}", "program": "neighbors_portal", "how_known": "x"},
        {"non_field_errors"},
    ),
    ("PATCH", "partnerships/{partnership}/", {"agency": 999999999, "started_on": 20190101}, {"agency", "started_on"}),
    ("POST", "partnerships/{partnership}/citations/", {}, {"source_id"}),
    (
        "POST",
        "partnerships/{partnership}/citations/",
        {"source_id": True, "locator": "x" * 101},
        {"source_id", "locator"},
    ),
    ("POST", "officials/", {}, {"place", "name"}),
    ("POST", "officials/", {"place": 1.5, "name": "B", "email": "no"}, {"place", "email"}),
    ("PATCH", "officials/{official}/", {"term_start": "2024-01-01", "term_end": "2023-12-31"}, {"term_end"}),
    ("PATCH", "officials/{official}/", {"is_active": "perhaps", "office": "king"}, {"is_active", "office"}),
    ("POST", "places/", {}, {"place_id"}),
    ("POST", "places/", {"place_id": 999999999}, {"place_id"}),
    ("POST", "places/", {"place_id": "1"}, {"place_id"}),
    ("POST", "places/{place}/status/", {}, {"status", "occurred_on", "title", "citations"}),
    (
        "POST",
        "places/{place}/status/",
        {"status": "won", "occurred_on": "soon", "title": "x", "precision": "week", "citations": "all"},
        {"status", "occurred_on", "precision", "citations"},
    ),
    (
        "POST",
        "places/{place}/status/",
        {"status": "petitioning", "occurred_on": "2024-03-01", "title": "x", "citations": [{"source_id": 999999999}]},
        {"citations.0.source_id"},
    ),
]


def database_state() -> dict[str, Any]:
    models = (Source, Agency, Partnership, Citation, Official, PlaceStatus, TimelineEvent, AuditEvent)
    state: dict[str, Any] = {model.__name__: list(model.objects.order_by("pk").values()) for model in models}
    state["places"] = sorted(Agency.places.through.objects.values_list("agency_id", "place_id"))
    return state


def fill(value: Any, ids: dict[str, int]) -> Any:
    """The body with "{agency}"-style strings replaced by the ids of the rows fixture."""
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value


@pytest.mark.parametrize(("method", "template", "body", "fields"), BAD_INPUT)
def test_it_names_the_fields_of_bad_input_and_writes_nothing(editor, rows, method, template, body, fields):
    ids = {kind: row.pk for kind, row in rows.items()}
    before = database_state()

    response = editor.generic(
        method, f"{RING}/" + template.format(**ids), json.dumps(fill(body, ids)), content_type=JSON
    )

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert set(response.json()["fields"]) == fields
    assert database_state() == before


# --- Query counts: the same for 3 rows and for 30


def add_rows(campaign: Campaign, place: Place, count: int) -> None:
    source = make_source(campaign, title="Bulk source")
    for n in range(count):
        new_place = make_place(f"Town {n}")
        agency = Agency.objects.create(campaign=campaign, name=f"Police {n}")
        agency.places.add(new_place, place)
        partnership = Partnership.objects.create(agency=agency, program="neighbors_portal", how_known="Emails")
        Citation.objects.create(source=source, partnership=partnership)
        make_source(campaign, title=f"Source {n}")
        Official.objects.create(campaign=campaign, place=new_place, name=f"Member {n}")
        PlaceStatus.objects.create(campaign=campaign, place=new_place)
        event = TimelineEvent.objects.create(
            campaign=campaign, place=place, occurred_on=dt.date(2020, 1, 1), title=f"Event {n}"
        )
        Citation.objects.create(source=source, event=event)


LISTS = ["sources/", "agencies/", "partnerships/", "officials/", "places/", "places/{place}/timeline/"]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("count", [3, 30])
def test_it_lists_in_a_fixed_number_of_queries(editor, ring, django_assert_num_queries, path, count):
    place = make_place("Hub")
    PlaceStatus.objects.create(campaign=ring, place=place)
    add_rows(ring, place, count)
    url = f"{RING}/" + path.format(place=place.pk)
    # Session, user, second factor (middleware and permission), membership, the page, then
    # one query per prefetch (agencies: places and partnerships; partnerships and events:
    # citations with their sources) and, for a timeline, the tracked place.
    expected = {"agencies/": 8, "partnerships/": 7, "places/{place}/timeline/": 8}.get(path, 6)

    with django_assert_num_queries(expected):
        response = editor.get(url)

    assert response.status_code == 200
    assert len(response.json()["results"]) >= count


# --- Admin


@pytest.fixture
def staff_editor(user_factory: Any, ring: Campaign) -> Client:
    user = user_factory("staff@example.org", is_staff=True)
    Membership.objects.create(user=user, campaign=ring, role=Role.EDITOR)
    return sign_in_with_two_factors(Client(), user)


def test_it_shows_a_staff_editor_only_their_campaigns_tracker_rows(staff_editor, rows, elsewhere):
    for model in ("source", "agency", "partnership", "official", "placestatus", "timelineevent", "citation"):
        page = staff_editor.get(f"/admin/campaigns/{model}/")
        assert page.status_code == 200, model
        assert all(_campaign_of(row) == rows["source"].campaign_id for row in page.context["cl"].queryset), model


def _campaign_of(row: Any) -> int:
    if isinstance(row, Partnership):
        return row.agency.campaign_id
    if isinstance(row, Citation):
        return row.source.campaign_id
    return int(row.campaign_id)


def test_it_keeps_places_to_the_operator(staff_editor, operator, rows):
    assert staff_editor.get("/admin/campaigns/place/").status_code == 403
    operator_client = sign_in_with_two_factors(Client(), operator)
    page = operator_client.get("/admin/campaigns/place/?q=bloomfield")
    assert list(page.context["cl"].queryset) == [rows["place"]]


def test_it_audits_a_citation_added_in_the_admin(staff_editor, rows, ring):
    partnership = rows["partnership"]
    form = _partnership_form(partnership)
    form.update({"citations-TOTAL_FORMS": "2", "citations-1-source": str(rows["source"].pk)})
    form["citations-1-locator"] = "p. 9"

    response = staff_editor.post(f"/admin/campaigns/partnership/{partnership.pk}/change/", form)

    assert response.status_code == 302, response.context and response.context["errors"]
    added = Citation.objects.get(locator="p. 9")
    event = AuditEvent.objects.get(action="create", target_id=str(added.pk))
    assert (event.via, event.campaign_id) == ("admin", ring.pk)


def test_it_refuses_another_campaigns_source_in_the_admin(staff_editor, rows, elsewhere):
    partnership = rows["partnership"]
    form = _partnership_form(partnership)
    form.update({"citations-TOTAL_FORMS": "2", "citations-1-source": str(elsewhere["source"].pk)})

    response = staff_editor.post(f"/admin/campaigns/partnership/{partnership.pk}/change/", form)

    assert response.status_code == 200  # the form again, with the error
    assert "Select a valid choice" in response.content.decode()  # not even offered
    assert Citation.objects.filter(partnership=partnership).count() == 1


def test_it_refuses_a_source_from_another_of_ones_campaigns_in_the_admin(staff_editor, rows, elsewhere, other):
    Membership.objects.create(user=User.objects.get(email="staff@example.org"), campaign=other, role=Role.EDITOR)
    partnership = rows["partnership"]
    form = _partnership_form(partnership)
    form.update({"citations-TOTAL_FORMS": "2", "citations-1-source": str(elsewhere["source"].pk)})

    response = staff_editor.post(f"/admin/campaigns/partnership/{partnership.pk}/change/", form)

    assert "Cite a source from the same campaign" in response.content.decode()
    assert Citation.objects.filter(partnership=partnership).count() == 1


def _partnership_form(partnership: Partnership) -> dict[str, str]:
    citation = partnership.citations.get()
    return {
        "agency": str(partnership.agency_id),
        "vendor": partnership.vendor,
        "program": partnership.program,
        "started_precision": "day",
        "ended_precision": "day",
        "how_known": partnership.how_known,
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "1",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
        "citations-0-id": str(citation.pk),
        "citations-0-partnership": str(partnership.pk),
        "citations-0-source": str(citation.source_id),
        "citations-0-locator": citation.locator,
        "citations-1-partnership": str(partnership.pk),
    }


ADMIN_MODELS = ["source", "agency", "partnership", "official", "placestatus", "timelineevent", "citation", "place"]


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_it_renders_every_tracker_admin_page_for_the_operator(operator, rows, model):
    client = sign_in_with_two_factors(Client(), operator)
    row = {"placestatus": PlaceStatus.objects.get(), "timelineevent": rows["event"]}.get(model) or rows[model]

    for page in ("", f"{row.pk}/change/", "add/"):
        assert client.get(f"/admin/campaigns/{model}/{page}").status_code == 200, page


@pytest.mark.postgres
def test_it_audits_an_official_changed_in_the_admin_without_contact_details(staff_editor, rows, ring):
    official = rows["official"]
    form = {
        "campaign": str(ring.pk),
        "place": str(official.place_id),
        "name": official.name,
        "office": official.office,
        "district": "Ward 3",
        "email": "changed@example.gov",
        "phone": "555-0111",
        "is_active": "on",
    }

    response = staff_editor.post(f"/admin/campaigns/official/{official.pk}/change/", form)

    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action="update", target_id=str(official.pk))
    assert event.changes["district"] == ["", "Ward 3"]
    assert (event.via, event.campaign_id) == ("admin", ring.pk)
    for secret in ("member@example.gov", "changed@example.gov", "555-0100", "555-0111"):
        assert secret not in str(event.changes)
