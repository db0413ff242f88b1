from __future__ import annotations

from django.core.management.base import CommandError

from campaigns.importing.agencies import OPTIONAL, REQUIRED, AgencyImporter
from campaigns.importing.command import ImportCommand
from campaigns.importing.engine import Importer, Row, read_csv
from campaigns.models import Agency, Campaign


class Command(ImportCommand):
    help = (
        "Import a campaign's agencies, the places they police and their vendor partnerships with citations "
        f"(CSV; columns {', '.join(REQUIRED)}, optionally {', '.join(OPTIONAL)}) from a path or URL."
    )
    model = Agency

    def make_importer(self, campaign: Campaign | None) -> Importer:
        if campaign is None:
            raise CommandError("Agencies belong to a campaign: give --campaign.")
        return AgencyImporter(campaign=campaign)

    def read_rows(self, text: str, *, file: str) -> list[Row]:
        return read_csv(text, file=file, required=REQUIRED, known=OPTIONAL)
