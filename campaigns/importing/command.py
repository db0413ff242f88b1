"""What every import command shares: a path or URL, --campaign, --dry-run, errors on stderr."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts import audit
from campaigns.importing.engine import Importer, ImportFailed, Report, Row, read_location, run_import
from campaigns.models import Campaign


class ImportCommand(BaseCommand):
    needs_campaign = True
    model: Any = None  # what the import writes, for the audit trail

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("location", help="A file path or an http(s) URL.")
        if self.needs_campaign:
            parser.add_argument("--campaign", required=True, help="The campaign's slug.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def make_importer(self, campaign: Campaign | None) -> Importer:
        raise NotImplementedError

    def read_rows(self, text: str, *, file: str) -> list[Row]:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = self._campaign(options.get("campaign"))
        try:
            file, text = read_location(options["location"])
            rows = self.read_rows(text, file=file)
            report = run_import(self.make_importer(campaign), rows, file=file, dry_run=options["dry_run"])
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(failed.errors)} problem(s) found; nothing was imported.") from None
        except (OSError, ValueError) as error:  # ValueError: a malformed URL
            raise CommandError(f"{options['location']}: cannot read: {error}") from None
        if not report.dry_run:
            self._audit(campaign, file, report)
        self._print(report)

    def _campaign(self, slug: str | None) -> Campaign | None:
        if not self.needs_campaign:
            return None
        campaign = Campaign.objects.filter(slug=slug).first()
        if campaign is None:
            raise CommandError(f"No campaign has the slug {slug!r}.")
        return campaign

    def _audit(self, campaign: Campaign | None, file: str, report: Report) -> None:
        if self.model is not None:
            audit.record_bulk_write(
                actor=None,
                via="command",
                model=self.model,
                campaign_id=campaign.pk if campaign else None,
                details={"file": file, **report.as_dict()},
            )

    def _print(self, report: Report) -> None:
        for note in report.notes:
            self.stdout.write(note)
        self.stdout.write(("Dry run: " if report.dry_run else "") + report.summary() + ".")
