"""Importing a campaign's officials: our CSV, or Open States municipal people (CSV or JSON).

Open States records are translated to our columns first (TranslatedRow), so one set of rules
checks every format, while errors still name the file's own column or key.

A row with an external_id updates the official with that id; failing that, one without an id
that has the same place, name and office (so officials typed in by hand are not doubled).
A row without an external_id updates the official with the same place, name and office.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from campaigns.importing.cells import (
    Cells,
    TranslatedRow,
    check_repeats,
    csv_header,
    index_by_key,
    json_text,
    looks_like_json,
    one_match,
    read_json_list,
    save_planned,
)
from campaigns.importing.engine import Errors, Report, Row, read_csv
from campaigns.importing.place_matching import PlaceIndex
from campaigns.models import Campaign, Official, Place, places

OFFICIAL_COLUMNS = (
    "name",
    "office",
    "state",
    "place",
    "place_ocd_id",
    "district",
    "email",
    "phone",
    "term_start",
    "term_end",
    "active",
    "external_id",
)
OFFICIAL_FIELD_COLUMNS = {
    "name": "name",
    "office": "office",
    "district": "district",
    "email": "email",
    "phone": "phone",
    "term_start": "term_start",
    "term_end": "term_end",
    "external_id": "external_id",
}
# Open States CSV column -> ours, for the columns we read; the others are ignored.
OPEN_STATES_COLUMNS = {
    "ocd_person_id": "external_id",
    "name": "name",
    "state": "state",
    "email": "email",
    "office_voice": "phone",
    "role_start_date": "term_start",
    "role_end_date": "term_end",
}
US_STATE = re.compile(places.US_STATE.regex)
OPEN_STATES_OFFICES = {
    "mayor": Official.Office.MAYOR,
    "councilmember": Official.Office.COUNCIL_MEMBER,
    "council member": Official.Office.COUNCIL_MEMBER,
}


def read_officials(text: str, *, file: str) -> list[Row]:
    if looks_like_json(text, file):
        people = read_json_list(text, file=file)
        return [open_states_person_row(line, person) for line, person in enumerate(people, start=1)]
    header = csv_header(text, file=file)
    if "ocd_person_id" in header:
        place_column = () if "ocd_jurisdiction_id" in header else ("ocd_division_id",)
        rows = read_csv(text, file=file, required=("ocd_person_id", "name", "role_type", *place_column))
        return [open_states_csv_row(row) for row in rows]
    required = ("name", "office") if "place_ocd_id" in header else ("name", "office", "state", "place")
    known = tuple(column for column in OFFICIAL_COLUMNS if column not in required)
    return read_csv(text, file=file, required=required, known=known)


def office_for(role_type: str) -> str:
    words = " ".join(role_type.lower().replace("_", " ").split())
    return OPEN_STATES_OFFICES.get(words, Official.Office.OTHER) if words else ""


def division_for(jurisdiction: str) -> str:
    """ocd-jurisdiction/…/place:x/government -> ocd-division/…/place:x"""
    prefix = "ocd-jurisdiction/"
    path = jurisdiction.removesuffix("/government")
    return "ocd-division/" + path.removeprefix(prefix) if path.startswith(prefix) else path


def open_states_csv_row(row: Row) -> Row:
    values = {ours: row.get(theirs) for theirs, ours in OPEN_STATES_COLUMNS.items() if theirs in row.values}
    origin = {ours: theirs for theirs, ours in OPEN_STATES_COLUMNS.items()}
    values["office"], origin["office"] = office_for(row.get("role_type")), "role_type"
    if row.get("ocd_division_id") or not row.get("ocd_jurisdiction_id"):
        values["place_ocd_id"], origin["place_ocd_id"] = row.get("ocd_division_id"), "ocd_division_id"
    else:
        values["place_ocd_id"] = division_for(row.get("ocd_jurisdiction_id"))
        origin["place_ocd_id"] = "ocd_jurisdiction_id"
    values["active"] = "true"  # the list is the truth: active unless the term has ended
    return TranslatedRow(row.line, values, origin=origin)


class _Translation:
    """An Open States person's JSON keys read into our columns, problems noted."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {"active": "true"}
        self.origin: dict[str, str] = {}
        self.problems: list[tuple[str, str]] = []

    def take(self, ours: str, key: str, value: Any) -> None:
        text = json_text(value)
        if text is None:
            self.problems.append((key, "expected text"))
        self.values[ours], self.origin[ours] = (text or "").strip(), key

    def row(self, line: int) -> Row:
        return TranslatedRow(line, self.values, origin=self.origin, problems=tuple(self.problems))


def open_states_person_row(line: int, person: Any) -> Row:
    """One official per person, from their municipal role (the latest ending, if several)."""
    if not isinstance(person, dict):
        return TranslatedRow(line, {}, problems=(("-", "expected an object (an Open States person)"),))
    found = _Translation()
    found.take("external_id", "id", person.get("id"))
    found.take("name", "name", person.get("name"))
    found.take("email", "email", person.get("email"))
    _take_role(found, person.get("roles"))
    _take_phone(found, person.get("offices"))
    return found.row(line)


def _take_role(found: _Translation, roles: Any) -> None:
    if not isinstance(roles, list):
        _without_role(found, "expected a list of roles")
        return
    municipal = [
        (index, role)
        for index, role in enumerate(roles)
        if isinstance(role, dict) and _is_municipal(role.get("jurisdiction"))
    ]
    if not municipal:
        _without_role(found, "no role in a place's government (state and federal roles are skipped)")
        return
    index, role = max(municipal, key=lambda pair: str(pair[1].get("end_date") or "9999-12-31"))
    key = f"roles[{index}]"
    found.take("office", f"{key}.type", office_for(json_text(role.get("type")) or ""))
    found.values["place_ocd_id"], found.origin["place_ocd_id"] = (
        division_for(role["jurisdiction"]),
        f"{key}.jurisdiction",
    )
    found.take("term_start", f"{key}.start_date", role.get("start_date"))
    found.take("term_end", f"{key}.end_date", role.get("end_date"))
    if "district" in role:
        found.take("district", f"{key}.district", role.get("district"))


def _without_role(found: _Translation, reason: str) -> None:
    found.problems.append(("roles", reason))
    # The office and place come from the role: "roles" says all there is to say about them.
    found.origin.update(dict.fromkeys(("office", "place", "state", "place_ocd_id"), "roles"))


def _is_municipal(jurisdiction: Any) -> bool:
    # ocd-division/country:us/state:nj is a state's; anything below it is local.
    return isinstance(jurisdiction, str) and division_for(jurisdiction).count("/") > 2


def _take_phone(found: _Translation, offices: Any) -> None:
    voices = [
        (index, office["voice"])
        for index, office in enumerate(offices if isinstance(offices, list) else [])
        if isinstance(office, dict) and office.get("voice")
    ]
    if voices:
        found.take("phone", f"offices[{voices[0][0]}].voice", voices[0][1])
    else:
        found.values["phone"], found.origin["phone"] = "", "offices"


@dataclass
class _PlannedOfficial:
    cells: Cells
    key: tuple[Hashable, ...]
    values: dict[str, Any]
    found: Official | None
    note: str


class OfficialImporter:
    def __init__(self, campaign: Campaign, *, today: dt.date | None = None) -> None:
        self.campaign = campaign
        self.today = today or timezone.localdate()

    def run(self, rows: list[Row], *, file: str) -> Report:
        errors = Errors(file)
        places = PlaceIndex(
            states={row.get("state") for row in rows if not row.get("place_ocd_id")},
            ocd_ids={row.get("place_ocd_id") for row in rows if row.get("place_ocd_id")},
        )
        existing = index_by_key(Official.objects.filter(campaign=self.campaign), _official_keys)
        planned = [plan for row in rows if (plan := self._plan(Cells(row, errors), places, existing))]
        check_repeats((plan.cells, plan.found.pk if plan.found else plan.key, *_key_column(plan)) for plan in planned)
        errors.raise_if_any()
        report = Report(notes=[plan.note for plan in planned if plan.note])
        save_planned(planned, create=lambda values: Official(campaign=self.campaign, **values), report=report)
        return report

    def _plan(
        self, cells: Cells, places: PlaceIndex, existing: dict[Hashable, list[Official]]
    ) -> _PlannedOfficial | None:
        if cells.broken:
            return None
        place = _find_place(cells, places)
        values = self._values(cells)
        if cells.bad or place is None:
            return None
        values["place_id"] = place.pk
        key, found = _match(cells, values, existing)
        candidate = copy.copy(found) if found else Official(campaign=self.campaign)
        for name, value in values.items():
            setattr(candidate, name, value)
        cells.check_model(candidate, columns=OFFICIAL_FIELD_COLUMNS, exclude=("campaign", "place"))
        if cells.bad:
            return None
        note = ""
        if values.get("term_end") and values["term_end"] < self.today:
            note = f"line {cells.row.line}: {values['name']}'s term ended {values['term_end']}: imported as inactive"
        return _PlannedOfficial(cells, key, values, found, note)

    def _values(self, cells: Cells) -> dict[str, Any]:
        """The fields this row sets: only those whose column the row has (name and office always)."""
        term_start, term_end = cells.day("term_start"), cells.day("term_end")
        if term_start and term_end and term_end < term_start:
            cells.fail("term_end", f"the term ends ({term_end}) before it starts ({term_start})")
        read: dict[str, Any] = {
            "name": cells.text("name", required=True),
            "office": cells.choice("office", Official.Office),
            "district": cells.text("district"),
            "email": cells.email("email"),
            "phone": cells.text("phone"),
            "term_start": term_start,
            "term_end": term_end,
            "is_active": cells.flag("active", default=True),
            "external_id": cells.text("external_id"),
        }
        columns = {**OFFICIAL_FIELD_COLUMNS, "is_active": "active"}
        values = {name: value for name, value in read.items() if cells.has(columns[name])}
        if not values.get("external_id"):
            values.pop("external_id", None)  # a blank one never clears an official's id
        if term_end and term_end < self.today:
            values["is_active"] = False
        return values


def _find_place(cells: Cells, places: PlaceIndex) -> Place | None:
    ocd_id, state = cells.text("place_ocd_id"), cells.text("state").upper()
    if state and not US_STATE.match(state):
        cells.fail("state", f"not a two-letter state code such as NJ: {state!r}")
        return None
    if not ocd_id:
        name = cells.text("place", required=True, why=" (or give place_ocd_id)")
        state = cells.text("state", required=True, why=" (or give place_ocd_id)").upper()
        if not (name and state):
            return None
    place, reason = places.find(name=cells.text("place"), state=state, ocd_id=ocd_id)
    if place is None:
        cells.fail("place_ocd_id" if ocd_id else "place", reason)
    elif state and place.state != state:
        cells.fail("state", f"{place.ocd_id} is in {place.state}, not {state}")
    return place


def _key_column(plan: _PlannedOfficial) -> tuple[str, str]:
    """The column a repeated row is reported under, and what it repeats."""
    return ("external_id", "external_id") if plan.key[0] == "external_id" else ("name", "place, name and office")


def _official_keys(official: Official) -> list[Hashable]:
    natural = ("place", official.place_id, official.name, official.office)
    if official.external_id:
        return [("external_id", official.external_id), natural]
    return [natural, ("without_external_id", *natural)]


def _match(
    cells: Cells, values: dict[str, Any], existing: dict[Hashable, list[Official]]
) -> tuple[tuple[Hashable, ...], Official | None]:
    natural = ("place", values["place_id"], values["name"], values["office"])
    external_id = values.get("external_id")
    if not external_id:
        return natural, one_match(cells, existing.get(natural, []), column="name", what="officials")
    key = ("external_id", external_id)
    matches = existing.get(key) or existing.get(("without_external_id", *natural), [])
    return key, one_match(cells, matches, column="external_id", what="officials")
