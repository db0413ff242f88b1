"""The import engine every importer runs in.

1. Read every row of the file and validate it, collecting every error (not just the first).
2. If any row is bad, raise ImportFailed listing them all; nothing is written.
3. Otherwise upsert on the importer's natural key inside one transaction, counting what was
   created, changed and left as it was. A dry run does the same work and rolls it back.
"""

from __future__ import annotations

import csv
import io
import urllib.request
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import IntegrityError, connection, transaction

MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024
DOWNLOAD_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class RowError:
    file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.reason}"


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


@dataclass(frozen=True)
class Row:
    """One data row: its line in the file (for errors) and its values by column name."""

    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()


@dataclass
class Report:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would be" if self.dry_run else "were"
        return f"{self.created} {verb} created, {self.changed} {verb} changed, {self.unchanged} left as they were"

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "notes": self.notes,
            "dry_run": self.dry_run,
        }


class Importer(Protocol):
    """Validates all rows (raising ImportFailed with every error), then writes them."""

    def run(self, rows: list[Row], *, file: str) -> Report: ...


class Errors:
    """Collects row errors while an importer validates; raises them all at once."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.found: list[RowError] = []

    def add(self, row: Row | int, column: str, reason: str) -> None:
        line = row if isinstance(row, int) else row.line
        self.found.append(RowError(self.file, line, column, reason))

    def raise_if_any(self) -> None:
        if self.found:
            raise ImportFailed(sorted(self.found, key=lambda e: (e.line, e.column)))


class _DryRunRollback(Exception):
    pass


def run_import(importer: Importer, rows: list[Row], *, file: str, dry_run: bool = False) -> Report:
    """All or nothing: one transaction per file, rolled back on any error or in a dry run."""
    report = Report()
    try:
        with transaction.atomic():
            _one_import_of_a_kind_at_a_time(importer)
            report = importer.run(rows, file=file)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        report.dry_run = True
    except IntegrityError:
        # A concurrent edit outside imports took a natural key first; nothing was written.
        conflict = "another change conflicted with this import; run it again"
        raise ImportFailed([RowError(file, 0, "-", conflict)]) from None
    return report


def _one_import_of_a_kind_at_a_time(importer: Importer) -> None:
    # Two uploads of one kind at once would both see a key as new and insert it twice: the
    # second waits for the first (PostgreSQL advisory lock, released at commit).
    if connection.vendor == "postgresql":
        key = zlib.crc32(type(importer).__qualname__.encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def read_location(location: str) -> tuple[str, str]:
    """The text of a path or an http(s) URL, and the name errors should use for it."""
    if location.startswith(("http://", "https://")):
        with urllib.request.urlopen(location, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response:  # noqa: S310
            body = response.read(MAX_DOWNLOAD_BYTES + 1)
        if len(body) > MAX_DOWNLOAD_BYTES:
            raise ImportFailed([RowError(location, 0, "-", "the file is larger than 200 MB")])
        return location, decode_text(body, location)
    with open(location, "rb") as handle:
        return location, decode_text(handle.read(), location)


def decode_text(body: bytes, name: str) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        raise ImportFailed([RowError(name, line, "-", "not UTF-8 text")]) from None


def header_of(text: str, *, file: str) -> list[str]:
    """The header line's column names; an unreadable header is an error of line 1."""
    try:
        return [name.strip() for name in next(csv.reader(io.StringIO(text, newline="")), [])]
    except csv.Error as error:
        raise ImportFailed([RowError(file, 1, "-", f"not valid CSV: {error}")]) from None


def read_csv(text: str, *, file: str, required: tuple[str, ...], known: tuple[str, ...] = ()) -> list[Row]:
    """Rows of a CSV file with a header line; unknown or missing columns are errors of line 1."""
    header = header_of(text, file=file)
    reader = csv.DictReader(io.StringIO(text, newline=""), fieldnames=header)
    next(reader, None)  # the header line itself
    errors = Errors(file)
    for column in required:
        if column not in header:
            errors.add(1, column, "required column missing from the header")
    for column in header:
        if known and column not in known and column not in required:
            errors.add(1, column, f"unknown column; accepted: {', '.join((*required, *known))}")
    errors.raise_if_any()
    reader.fieldnames = header
    rows: list[Row] = []
    for values in _rows_with_lines(reader, errors):
        rows.append(values)
    errors.raise_if_any()
    return rows


def _rows_with_lines(reader: csv.DictReader[str], errors: Errors) -> Iterator[Row]:
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            errors.add(reader.line_num, "-", f"not valid CSV: {error}")
            return
        if None in values:  # more cells than header columns
            errors.add(reader.line_num, "-", "more cells than the header has columns")
            continue
        if not any((value or "").strip() for value in values.values()):
            continue  # blank lines are allowed
        yield Row(reader.line_num, {key: value or "" for key, value in values.items()})


def upsert(
    *,
    existing: dict[Any, Any],
    key: Any,
    values: dict[str, Any],
    create: Callable[[dict[str, Any]], Any],
    report: Report,
) -> tuple[Any, bool]:
    """Create the row for `key` or update the fields that differ; returns (row, changed)."""
    row = existing.get(key)
    if row is None:
        row = create(values)
        existing[key] = row
        report.created += 1
        return row, True
    changed = {name: value for name, value in values.items() if getattr(row, name) != value}
    if not changed:
        report.unchanged += 1
        return row, False
    for name, value in changed.items():
        setattr(row, name, value)
    report.changed += 1
    return row, True
