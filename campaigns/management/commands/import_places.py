from __future__ import annotations

from campaigns.importing.command import ImportCommand
from campaigns.importing.engine import Importer, Row
from campaigns.importing.places import PlaceImporter, read_place_rows
from campaigns.models import Campaign, Place


class Command(ImportCommand):
    help = "Import the Open Civic Data list of US places (CSV: id,name,census_geoid) from a path or URL."
    needs_campaign = False
    model = Place

    def make_importer(self, campaign: Campaign | None) -> Importer:
        return PlaceImporter()

    def read_rows(self, text: str, *, file: str) -> list[Row]:
        return read_place_rows(text, file=file)
