from __future__ import annotations

import re
import unicodedata
from typing import ClassVar

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

OCD_PLACE_ID = RegexValidator(
    # Values may hold non-ASCII letters (place:española) and territories stand where states do
    # (territory:pr/municipio:adjuntas), as in the OCD list itself.
    r"^ocd-division/country:us/(state|territory):[a-z]{2}(/[a-z_]+:[^/\s:A-Z]+)+$",
    "An Open Civic Data division id such as ocd-division/country:us/state:nj/county:essex/place:bloomfield.",
)
US_STATE = RegexValidator(r"^[A-Z]{2}$", "A two-letter USPS state code such as NJ.")


def search_form(text: str) -> str:
    """Lower case, accents and punctuation folded: what place search compares ("São" ~ "sao")."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


class PlaceQuerySet(models.QuerySet["Place"]):
    def in_state(self, state: str) -> PlaceQuerySet:
        return self.filter(state=state.upper())


class Place(models.Model):
    """A US city, town, township, borough or county: reference data shared by all campaigns."""

    class Kind(models.TextChoices):
        CITY = "city", _("City")
        TOWN = "town", _("Town")
        TOWNSHIP = "township", _("Township")
        BOROUGH = "borough", _("Borough")
        VILLAGE = "village", _("Village")
        COUNTY = "county", _("County")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CITY)
    state = models.CharField(max_length=2, validators=[US_STATE], db_index=True)
    # Taken from the public OCD list, never built from a name: many towns sit under their county.
    ocd_id = models.CharField("OCD division id", max_length=255, unique=True, validators=[OCD_PLACE_ID])
    census_geoid = models.CharField("Census GEOID", max_length=12, blank=True, db_index=True)
    county_name = models.CharField(max_length=200, blank=True, help_text="e.g. Essex County, for ZIP matching.")
    population = models.PositiveIntegerField(null=True, blank=True)
    population_source = models.CharField(max_length=200, blank=True, help_text="e.g. Census 2020 (P1)")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    location_source = models.CharField(max_length=200, blank=True, help_text="e.g. zipcodes package ZIP centroid")
    # Trigram-indexed on PostgreSQL (migration 0004) for typo-tolerant search.
    search_name = models.CharField(max_length=200, editable=False, db_index=True)

    objects: ClassVar[PlaceQuerySet] = PlaceQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("state", "name")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="place_coordinates_in_range",
            ),
        )

    def __str__(self) -> str:
        return f"{self.name}, {self.state}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_name = search_form(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def audit_label(self) -> str:
        return str(self)
