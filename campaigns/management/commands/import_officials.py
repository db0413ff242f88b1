from __future__ import annotations

from django.core.management.base import CommandError

from campaigns.importing.command import ImportCommand
from campaigns.importing.engine import Importer, Row
from campaigns.importing.officials import OfficialImporter, read_officials
from campaigns.models import Campaign, Official


class Command(ImportCommand):
    help = (
        "Import a campaign's officials from our CSV, or from Open States municipal people (CSV or JSON); "
        "all or nothing, matched on external_id or on place, name and office."
    )
    model = Official

    def make_importer(self, campaign: Campaign | None) -> Importer:
        if campaign is None:
            raise CommandError("Officials belong to a campaign: give --campaign.")
        return OfficialImporter(campaign)

    def read_rows(self, text: str, *, file: str) -> list[Row]:
        return read_officials(text, file=file)
