"""Importing a campaign's source library (CSV or JSON).

Rows are matched to sources already in the campaign by URL, or by title for an internal source
without one. A column missing from the header (or a key missing from a JSON object) leaves that
field as it is; an empty value clears it.
"""

from __future__ import annotations

import copy
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from campaigns.importing.cells import (
    Cells,
    check_repeats,
    index_by_key,
    json_object_row,
    looks_like_json,
    one_match,
    read_json_list,
    save_planned,
)
from campaigns.importing.engine import Errors, Report, Row, read_csv
from campaigns.models import Campaign, Source

SOURCE_COLUMNS = (
    "title",
    "url",
    "publisher",
    "authors",
    "author",
    "date",
    "archived_url",
    "documentcloud_id",
    "kind",
    "retrieved_on",
    "verified",
    "summary",  # accepted and ignored: a source has no summary
)
# The model's field behind each column (for its own rules' errors).
SOURCE_FIELD_COLUMNS = {
    "title": "title",
    "url": "url",
    "publisher": "publisher",
    "published_on": "date",
    "published_precision": "date",
    "archived_url": "archived_url",
    "documentcloud_id": "documentcloud_id",
    "kind": "kind",
    "retrieved_on": "retrieved_on",
    "is_verified": "verified",
}


def read_sources(text: str, *, file: str) -> list[Row]:
    if looks_like_json(text, file):
        items = read_json_list(text, file=file)
        return [json_object_row(line, item, known=SOURCE_COLUMNS) for line, item in enumerate(items, start=1)]
    return read_csv(text, file=file, required=("title",), known=SOURCE_COLUMNS[1:])


@dataclass
class _PlannedSource:
    cells: Cells
    key: tuple[str, str]
    values: dict[str, Any]
    found: Source | None


class SourceImporter:
    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign

    def run(self, rows: list[Row], *, file: str) -> Report:
        errors = Errors(file)
        existing = index_by_key(Source.objects.filter(campaign=self.campaign), _source_keys)
        planned = [plan for row in rows if (plan := self._plan(Cells(row, errors), existing))]
        check_repeats(
            (plan.cells, plan.found.pk if plan.found else plan.key, plan.key[0], plan.key[0].replace("url", "URL"))
            for plan in planned
        )
        errors.raise_if_any()
        report = Report()
        save_planned(planned, create=lambda values: Source(campaign=self.campaign, **values), report=report)
        return report

    def _plan(self, cells: Cells, existing: dict[Hashable, list[Source]]) -> _PlannedSource | None:
        if cells.broken:
            return None
        values = _source_values(cells)
        if cells.bad:
            return None
        key = ("url", values["url"]) if values.get("url") else ("title", values["title"])
        found = one_match(cells, existing.get(key, []), column=key[0], what="sources")
        candidate = copy.copy(found) if found else Source(campaign=self.campaign)
        for name, value in values.items():
            setattr(candidate, name, value)
        columns = {**SOURCE_FIELD_COLUMNS, "authors": _authors_column(cells)}
        cells.check_model(candidate, columns=columns, exclude=("campaign",))
        return None if cells.bad else _PlannedSource(cells, key, values, found)


def _source_keys(source: Source) -> list[Hashable]:
    return [("url", source.url)] if source.url else [("title", source.title)]


def _authors_column(cells: Cells) -> str:
    """Either name will do (the Ring bibliography says author)."""
    return "author" if cells.row.get("author") or not cells.has("authors") else "authors"


def _source_values(cells: Cells) -> dict[str, Any]:
    """The fields this row sets: only those whose column the row has."""
    if cells.row.get("authors") and cells.row.get("author"):
        cells.fail("author", "give authors or author, not both")
    kind = cells.choice("kind", Source.Kind, default=Source.Kind.NEWS)
    internal = " (only an internal source may go without)"
    published_on, precision = cells.partial_date("date")
    read: dict[str, tuple[str, Any]] = {
        "title": ("title", cells.text("title", required=True)),
        "url": ("url", cells.url("url", required=kind != Source.Kind.INTERNAL, why=internal)),
        "publisher": ("publisher", cells.text("publisher")),
        "authors": (_authors_column(cells), cells.text(_authors_column(cells))),
        "published_on": ("date", published_on),
        "published_precision": ("date", precision),
        "archived_url": ("archived_url", cells.url("archived_url")),
        "documentcloud_id": ("documentcloud_id", cells.text("documentcloud_id")),
        "kind": ("kind", kind),
        "retrieved_on": ("retrieved_on", cells.day("retrieved_on")),
        "is_verified": ("verified", cells.flag("verified", default=False)),
    }
    values = {name: value for name, (column, value) in read.items() if cells.has(column)}
    values.setdefault("url", "")  # part of the key: a row without the column is an internal source's
    return values
