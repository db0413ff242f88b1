"""Importing the Open Civic Data list of US places (columns id,name,census_geoid).

Places are reference data shared by every campaign, keyed on their OCD id. A name's last word says
what kind of place it is ("Chatham township" → Chatham, township); a name without a kind word
("Anchorage municipality", "Township 1") is kept whole and gets the kind "other".
"""

from __future__ import annotations

import re
from typing import Any

from campaigns.importing.engine import Errors, Report, Row, header_of, read_csv, upsert
from campaigns.importing.place_matching import split_kind
from campaigns.models import Place
from campaigns.models.places import OCD_PLACE_ID, search_form
from campaigns.signals import tracker_imported

COLUMNS = ("id", "name", "census_geoid")
# What an import may set; population, county and coordinates come from elsewhere and are left alone.
FIELDS = ("name", "kind", "state", "census_geoid", "search_name")
CREATE_BATCH = 2000
UPDATE_BATCH = 500
LOAD_CHUNK = 5000
EXAMPLE_ID = "ocd-division/country:us/state:nj/county:essex/place:bloomfield"
_STATE = re.compile(r"/(?:state|territory):([a-z]{2})(?:/|$)")
_GEOID = re.compile(r"place-(\d{1,12})")
_OCD_PLACE_ID = re.compile(OCD_PLACE_ID.regex)
_MAX_LENGTH = {"id": 255, "name": 200}  # Place.ocd_id and Place.name


def read_place_rows(text: str, *, file: str) -> list[Row]:
    check_header(text, file=file, columns=COLUMNS)
    return read_csv(text, file=file, required=COLUMNS)


def check_header(text: str, *, file: str, columns: tuple[str, ...]) -> None:
    """Missing and unknown columns, both as errors of line 1 (read_csv lets unknown ones through
    when an importer has no optional columns)."""
    header = header_of(text, file=file)
    errors = Errors(file)
    for column in columns:
        if column not in header:
            errors.add(1, column, "required column missing from the header")
    for column in header:
        if column not in columns:
            errors.add(1, column, f"unknown column; accepted: {', '.join(columns)}")
    errors.raise_if_any()


class PlaceImporter:
    def run(self, rows: list[Row], *, file: str) -> Report:
        return write_places(validate_places(rows, file=file))


def validate_places(rows: list[Row], *, file: str) -> dict[str, dict[str, Any]]:
    """Each row's field values by OCD id; raises ImportFailed listing every bad row."""
    errors = Errors(file)
    first_line: dict[str, int] = {}
    wanted: dict[str, dict[str, Any]] = {}
    for row in rows:
        values = _place_values(row, errors)
        ocd_id = row.get("id")
        if ocd_id in first_line:
            errors.add(row, "id", f"{ocd_id} is already on line {first_line[ocd_id]}")
            continue
        first_line[ocd_id] = row.line
        if values is not None:
            wanted[ocd_id] = values
    errors.raise_if_any()
    return wanted


def _place_values(row: Row, errors: Errors) -> dict[str, Any] | None:
    before = len(errors.found)
    ocd_id, state = _ocd_id_and_state(row, errors)
    name, kind = split_kind(row.get("name"))
    if not name:
        errors.add(row, "name", "required")
    elif len(name) > _MAX_LENGTH["name"]:
        errors.add(row, "name", f"longer than {_MAX_LENGTH['name']} characters")
    geoid = _census_geoid(row, errors)
    if len(errors.found) > before:
        return None
    return {
        "ocd_id": ocd_id,
        "name": name,
        "kind": kind or Place.Kind.OTHER,
        "state": state,
        "census_geoid": geoid,
        "search_name": search_form(name),  # bulk writes skip Place.save(), which sets it otherwise
    }


def _ocd_id_and_state(row: Row, errors: Errors) -> tuple[str, str]:
    ocd_id = row.get("id")
    state = _STATE.search(ocd_id)
    if not ocd_id:
        errors.add(row, "id", "required")
    elif not _OCD_PLACE_ID.match(ocd_id) or state is None:
        reason = f"“{ocd_id}” is not an OCD id of a place in a state, such as {EXAMPLE_ID}"
        errors.add(row, "id", reason)
    elif len(ocd_id) > _MAX_LENGTH["id"]:
        errors.add(row, "id", f"longer than {_MAX_LENGTH['id']} characters")
    return ocd_id, state.group(1).upper() if state else ""


def _census_geoid(row: Row, errors: Errors) -> str:
    text = row.get("census_geoid")
    if not text:
        return ""  # not every place has one; the field may be blank
    match = _GEOID.fullmatch(text)
    if match is None:
        errors.add(row, "census_geoid", f"“{text}” is not a Census GEOID written place-<digits>, e.g. place-3412100")
        return ""
    return match.group(1)


def write_places(wanted: dict[str, dict[str, Any]]) -> Report:
    """Upsert on the OCD id: one query to load what exists, then bulk inserts and updates."""
    report = Report()
    existing = _existing_places(list(wanted))
    to_create: list[Place] = []
    to_update: list[Place] = []
    for ocd_id, values in wanted.items():
        place, changed = upsert(existing=existing, key=ocd_id, values=values, create=_new_place, report=report)
        if changed:
            (to_update if place.pk else to_create).append(place)
    Place.objects.bulk_create(to_create, batch_size=CREATE_BATCH)
    Place.objects.bulk_update(to_update, FIELDS, batch_size=UPDATE_BATCH)
    if to_create or to_update:
        tracker_imported.send(sender=write_places, campaign=None)
    others = sum(1 for values in wanted.values() if values["kind"] == Place.Kind.OTHER)
    if others:
        report.notes.append(f"{others} place name(s) end in no kind word (city, town, township…): kind “other”.")
    return report


def _new_place(values: dict[str, Any]) -> Place:
    return Place(**values)


def _existing_places(ocd_ids: list[str]) -> dict[str, Place]:
    existing: dict[str, Place] = {}
    for start in range(0, len(ocd_ids), LOAD_CHUNK):
        chunk = ocd_ids[start : start + LOAD_CHUNK]
        for place in Place.objects.filter(ocd_id__in=chunk).only("pk", "ocd_id", *FIELDS).order_by():
            existing[place.ocd_id] = place
    return existing
