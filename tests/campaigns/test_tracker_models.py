from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from campaigns.models import Agency, Campaign, Citation, Partnership, Place, Source
from campaigns.models.dates import DatePrecision, check_partial_date, format_partial_date
from campaigns.models.places import search_form


@pytest.mark.parametrize(
    ("value", "precision", "shown"),
    [
        (dt.date(2019, 8, 5), DatePrecision.DAY, "August 5, 2019"),
        (dt.date(2019, 8, 1), DatePrecision.MONTH, "August 2019"),
        (dt.date(2019, 1, 1), DatePrecision.YEAR, "2019"),
    ],
)
def test_it_shows_a_date_no_more_precisely_than_it_is_known(value, precision, shown):
    check_partial_date(value, precision, field="started_on")

    assert format_partial_date(value, precision) == shown


@pytest.mark.parametrize(
    ("value", "precision"),
    [(dt.date(2019, 8, 5), DatePrecision.MONTH), (dt.date(2019, 8, 1), DatePrecision.YEAR)],
)
def test_it_refuses_a_date_more_precise_than_its_precision(value, precision):
    with pytest.raises(ValidationError) as error:
        check_partial_date(value, precision, field="started_on")

    assert "started_on" in error.value.message_dict


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Bloomfield", "bloomfield"),
        ("Cañon City", "canon city"),
        ("Winston-Salem", "winston salem"),
        ("St. Paul", "st paul"),
    ],
)
def test_it_folds_place_names_for_search(name, folded):
    assert search_form(name) == folded


@pytest.mark.django_db
def test_it_refuses_an_ocd_id_that_is_not_one():
    place = Place(name="Bloomfield", state="NJ", ocd_id="bloomfield, nj")

    with pytest.raises(ValidationError) as error:
        place.full_clean()

    assert "ocd_id" in error.value.message_dict


@pytest.mark.django_db
def test_it_keeps_coordinates_on_the_globe():
    with pytest.raises(IntegrityError), transaction.atomic():
        Place.objects.create(
            name="Nowhere",
            state="NJ",
            ocd_id="ocd-division/country:us/state:nj/place:nowhere",
            latitude=91,
            longitude=0,
        )


@pytest.mark.django_db
def test_it_refuses_a_partnership_that_ends_before_it_starts():
    campaign = Campaign.objects.create(slug="ring", title="Ring")
    agency = Agency.objects.create(campaign=campaign, name="Maywood Police Department")

    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(
            agency=agency,
            program="neighbors_portal",
            how_known="x",
            started_on=dt.date(2020, 1, 1),
            ended_on=dt.date(2019, 1, 1),
        )


@pytest.mark.django_db
def test_it_lets_a_citation_cite_exactly_one_thing():
    campaign = Campaign.objects.create(slug="ring", title="Ring")
    source = Source.objects.create(campaign=campaign, title="Report", url="https://example.org/r")

    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(source=source)


@pytest.mark.django_db
def test_it_asks_a_public_source_for_a_way_to_check_it():
    campaign = Campaign.objects.create(slug="ring", title="Ring")

    with pytest.raises(ValidationError) as error:
        Source(campaign=campaign, title="Somewhere", kind="news").full_clean()

    assert "url" in error.value.message_dict
    Source(campaign=campaign, title="Our call log", kind="internal").full_clean()


@pytest.mark.django_db
def test_it_refuses_an_unknown_time_zone():
    with pytest.raises(ValidationError) as error:
        Campaign(slug="ring", title="Ring", time_zone="Mars/Olympus").full_clean()

    assert "time_zone" in error.value.message_dict
