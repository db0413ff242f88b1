from __future__ import annotations

from django.core.management.base import CommandError

from campaigns.importing.command import ImportCommand
from campaigns.importing.engine import Importer, Row
from campaigns.importing.sources import SourceImporter, read_sources
from campaigns.models import Campaign, Source


class Command(ImportCommand):
    help = "Import a campaign's sources from CSV or JSON; all or nothing, matched on URL (or title if internal)."
    model = Source

    def make_importer(self, campaign: Campaign | None) -> Importer:
        if campaign is None:
            raise CommandError("Sources belong to a campaign: give --campaign.")
        return SourceImporter(campaign)

    def read_rows(self, text: str, *, file: str) -> list[Row]:
        return read_sources(text, file=file)
