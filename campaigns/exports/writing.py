"""Writing an export's CSV into its storage, row by row: memory stays flat however many rows."""

from __future__ import annotations

import csv
import io
import secrets
import tempfile
from zoneinfo import ZoneInfo

from django.core.files import File
from django.db import transaction

from campaigns.exports.filters import ExportFilters
from campaigns.exports.rows import HEADER, signature_rows
from campaigns.exports.storage import export_storage
from campaigns.models import SignatureExport


def write_csv(export: SignatureExport) -> tuple[str, int]:
    """Writes the rows its filters select; returns the stored file's name and the number of rows.

    The rows go to a local temporary file first, then to the storage in chunks, so a storage that
    is not a local directory works the same. UTF-8 with a byte order mark: spreadsheets then read
    names and comments in any script correctly.
    """
    campaign = export.campaign
    signatures = ExportFilters.from_json(export.filters).signatures(campaign)
    with tempfile.TemporaryFile() as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow(HEADER)
        count = 0
        # A transaction: outside one, Django declares its server-side cursor WITH HOLD, and
        # PostgreSQL then computes every row before sending the first.
        with transaction.atomic():
            for row in signature_rows(signatures, zone=ZoneInfo(campaign.time_zone)):
                writer.writerow(row)
                count += 1
        text.flush()
        text.detach()
        raw.seek(0)
        name = export_storage().save(file_name_for(export), File(raw))
    return name, count


def file_name_for(export: SignatureExport) -> str:
    # Random as well: a database restored from a backup reuses ids, and must never find an old file.
    return f"signature-export-{export.pk}-{secrets.token_hex(8)}.csv"
