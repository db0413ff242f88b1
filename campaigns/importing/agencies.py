"""Importing a campaign's agencies, the places they police and their vendor partnerships.

1. Read each row on its own: values, dates and their precision, which columns go together.
2. Match places (PlaceIndex, built once) and sources (the campaign's library, loaded once).
3. Merge rows that name the same agency or the same partnership; a later row may only repeat or
   add to what an earlier one said.
4. Load what exists (agencies, place links, partnerships, citations), work out every write, and
   check the merged dates; any error so far raises ImportFailed before anything is written.
5. Write in bulk. Empty cells never clear a stored value, and place links are only ever added.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

from campaigns.importing.engine import Errors, Report, Row
from campaigns.importing.place_matching import PlaceIndex, split_kind
from campaigns.models import Agency, Campaign, Citation, DatePrecision, Partnership, Place, Program, Source, Vendor
from campaigns.models.dates import check_partial_date
from campaigns.models.places import US_STATE, search_form
from campaigns.signals import tracker_imported

REQUIRED = ("agency", "state", "place")
# Columns that say something about a partnership, so need vendor and program.
PARTNERSHIP_ONLY = (
    "started_on",
    "started_precision",
    "ended_on",
    "ended_precision",
    "how_known",
    "source_url",
    "source_title",
    "quote",
    "locator",
)
OPTIONAL = ("place_ocd_id", "agency_kind", "website", "vendor", "program", *PARTNERSHIP_ONLY)
PARTNERSHIP_FIELDS = ("started_on", "started_precision", "ended_on", "ended_precision", "how_known")
BATCH = 1000
_THROUGH: type[Any] = Agency.places.through
_UPDATED_FIELDS: dict[type[Any], list[str]] = {
    Agency: ["kind", "website"],
    Partnership: [*PARTNERSHIP_FIELDS, "updated"],
    Citation: ["quote"],
}
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_FINENESS = {DatePrecision.YEAR: 0, DatePrecision.MONTH: 1, DatePrecision.DAY: 2}
_is_url = URLValidator(schemes=["http", "https"])
_US_STATE = re.compile(US_STATE.regex)
# The max_length of the model field each column fills.
LIMITS = {"agency": 200, "website": 200, "source_url": 1000, "source_title": 400, "locator": 100}


@dataclass
class CitationPlan:
    line: int
    url: str
    title: str
    quote: str
    locator: str


@dataclass
class PartnershipPlan:
    line: int
    vendor: str
    program: str
    values: dict[str, Any] = field(default_factory=dict)  # only the cells given
    lines: dict[str, int] = field(default_factory=dict)  # where each value came from
    citations: list[CitationPlan] = field(default_factory=list)


@dataclass
class AgencyPlan:
    name: str
    values: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    places: dict[int, Place] = field(default_factory=dict)
    partnerships: dict[tuple[str, str], PartnershipPlan] = field(default_factory=dict)


@dataclass
class ParsedRow:
    row: Row
    agency: str
    state: str
    agency_values: dict[str, str]
    places: list[tuple[str, str]]  # (name, OCD id or "")
    partnership: PartnershipPlan | None


def parse_partial_date(text: str) -> tuple[dt.date, DatePrecision]:
    """YYYY, YYYY-MM or YYYY-MM-DD, stored as 1 January or the 1st, with the precision written."""
    match = _DATE.fullmatch(text)
    if match is None:
        raise ValueError(f"“{text}” is not a date written YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    try:
        return dt.date(int(year), int(month or 1), int(day or 1)), precision
    except ValueError:
        raise ValueError(f"“{text}” is not a real date") from None


class AgencyImporter:
    def __init__(self, *, campaign: Campaign) -> None:
        self.campaign = campaign

    def run(self, rows: list[Row], *, file: str) -> Report:
        errors = Errors(file)
        parsed = [result for row in rows if (result := _parse_row(row, errors)) is not None]
        index = PlaceIndex({p.state for p in parsed}, {ocd for p in parsed for _, ocd in p.places if ocd})
        sources = _library(self.campaign, parsed, errors)
        plans = _merge(parsed, index, errors)
        writes = _Writes(self.campaign, plans, sources)
        writes.plan(errors)
        errors.raise_if_any()
        report = writes.apply()
        tracker_imported.send(sender=AgencyImporter, campaign=self.campaign)
        return report


# 1. One row on its own


def _parse_row(row: Row, errors: Errors) -> ParsedRow | None:
    before = len(errors.found)
    agency = _agency_name(row, errors)
    state = row.get("state").upper()
    if not _US_STATE.match(state):
        errors.add(row, "state", f"“{row.get('state')}” is not a two-letter state code such as NJ")
    places = _place_cells(row, errors)
    agency_values = _agency_values(row, errors)
    partnership = _partnership(row, errors)
    if len(errors.found) > before:
        return None
    return ParsedRow(row, agency, state, agency_values, places, partnership)


def _agency_name(row: Row, errors: Errors) -> str:
    name = row.get("agency")
    if not name:
        errors.add(row, "agency", "required")
    elif len(name) > LIMITS["agency"]:
        errors.add(row, "agency", f"longer than {LIMITS['agency']} characters")
    return name


def _place_cells(row: Row, errors: Errors) -> list[tuple[str, str]]:
    names = [name.strip() for name in row.get("place").split(";")]
    ocd_ids = [ocd.strip() for ocd in row.get("place_ocd_id").split(";")] if row.get("place_ocd_id") else []
    if not row.get("place"):
        errors.add(row, "place", "required")
    elif not all(names):
        errors.add(row, "place", "an empty name between semicolons")
    if ocd_ids and len(ocd_ids) != len(names):
        errors.add(
            row,
            "place_ocd_id",
            f"{len(ocd_ids)} OCD id(s) for {len(names)} place(s): give one per place, in the same order "
            "(an empty one between semicolons matches that place by name)",
        )
        return []
    return list(zip(names, ocd_ids or [""] * len(names), strict=True))


def _agency_values(row: Row, errors: Errors) -> dict[str, str]:
    values: dict[str, str] = {}
    if kind := row.get("agency_kind").lower():
        if kind in Agency.Kind.values:
            values["kind"] = kind
        else:
            errors.add(row, "agency_kind", f"“{kind}” is not one of {', '.join(Agency.Kind.values)}")
    if website := row.get("website"):
        if _url_problem(website, limit=LIMITS["website"]):
            errors.add(row, "website", f"“{website}” is not an http(s) URL of at most {LIMITS['website']} characters")
        else:
            values["website"] = website
    return values


def _url_problem(url: str, *, limit: int) -> bool:
    try:
        _is_url(url)
    except ValidationError:
        return True
    return len(url) > limit


def _partnership(row: Row, errors: Errors) -> PartnershipPlan | None:
    vendor, program = row.get("vendor").lower(), row.get("program").lower()
    if not vendor and not program:
        for column in PARTNERSHIP_ONLY:
            if row.get(column):
                errors.add(row, column, "only with a partnership: give vendor and program too")
        return None
    _choice(row, "vendor", vendor, Vendor.values, errors)
    _choice(row, "program", program, Program.values, errors)
    plan = PartnershipPlan(row.line, vendor, program)
    for prefix in ("started", "ended"):
        plan.values.update(_partial_date(row, f"{prefix}_on", f"{prefix}_precision", errors))
    if how_known := row.get("how_known"):
        plan.values["how_known"] = how_known  # required of a new partnership: checked once merged
    plan.lines = dict.fromkeys(plan.values, row.line)
    citation = _citation(row, errors)
    plan.citations = [citation] if citation else []
    return plan


def _choice(row: Row, column: str, value: str, accepted: list[str], errors: Errors) -> None:
    if not value:
        errors.add(row, column, "required with a partnership: give vendor and program, or neither")
    elif value not in accepted:
        errors.add(row, column, f"“{value}” is not one of {', '.join(accepted)}")


def _partial_date(row: Row, column: str, precision_column: str, errors: Errors) -> dict[str, Any]:
    text, precision = row.get(column), row.get(precision_column).lower()
    if not text:
        if precision:
            errors.add(row, precision_column, f"a precision without a date in {column}")
        return {}
    try:
        value, written = parse_partial_date(text)
    except ValueError as error:
        errors.add(row, column, str(error))
        return {}
    if not precision:
        return {column: value, precision_column: written}
    if precision not in DatePrecision.values:
        errors.add(row, precision_column, f"“{precision}” is not one of {', '.join(DatePrecision.values)}")
        return {}
    if _precision_mismatch(value, written, DatePrecision(precision)):
        reason = f"“{text}” does not fit the precision {precision}: {_how_to_write(precision)}"
        errors.add(row, precision_column, reason)
        return {}
    return {column: value, precision_column: DatePrecision(precision)}


def _precision_mismatch(value: dt.date, written: DatePrecision, precision: DatePrecision) -> bool:
    if _FINENESS[precision] > _FINENESS[written]:
        return True  # "2019" is not known to the day
    try:
        check_partial_date(value, precision, field="date")
    except ValidationError:
        return True  # "2019-05-14" is not the start of a month
    return False


def _how_to_write(precision: str) -> str:
    return {
        DatePrecision.YEAR: "a date known to the year is written YYYY",
        DatePrecision.MONTH: "a date known to the month is written YYYY-MM",
        DatePrecision.DAY: "a date known to the day is written YYYY-MM-DD",
    }[DatePrecision(precision)]


def _citation(row: Row, errors: Errors) -> CitationPlan | None:
    url, title = row.get("source_url"), row.get("source_title")
    quote, locator = row.get("quote"), row.get("locator")
    if not url:
        for column, value in (("source_title", title), ("quote", quote), ("locator", locator)):
            if value:
                errors.add(row, column, "only with a source: give source_url too")
        return None
    if _url_problem(url, limit=LIMITS["source_url"]):
        errors.add(row, "source_url", f"“{url}” is not an http(s) URL of at most {LIMITS['source_url']} characters")
    for column, value in (("source_title", title), ("locator", locator)):
        if len(value) > LIMITS[column]:
            errors.add(row, column, f"longer than {LIMITS[column]} characters")
    return CitationPlan(row.line, url, title, quote, locator)


# 2. Sources and places


def _library(campaign: Campaign, parsed: list[ParsedRow], errors: Errors) -> dict[str, Source]:
    """The source each cited URL means: the campaign's own (oldest first) or a new one with a title."""
    cited = [c for p in parsed if p.partnership for c in p.partnership.citations]
    sources: dict[str, Source] = {}
    for source in Source.objects.filter(campaign=campaign, url__in={c.url for c in cited}).order_by("-pk"):
        sources[source.url] = source  # the oldest is stored last
    titled: dict[str, CitationPlan] = {}
    for citation in cited:
        if citation.url in sources or not citation.title:
            continue
        first = titled.setdefault(citation.url, citation)
        if first.title != citation.title:
            errors.add(citation.line, "source_title", f"differs from “{first.title}” on line {first.line}")
    for url, citation in titled.items():
        sources[url] = Source(campaign=campaign, title=citation.title, url=url)
    for citation in cited:
        if citation.url not in sources:
            reason = "no source in this campaign's library has this URL: add it first, or give source_title"
            errors.add(citation.line, "source_url", reason)
    return sources


def _places(parsed: ParsedRow, index: PlaceIndex, errors: Errors) -> list[Place]:
    found: list[Place] = []
    for name, ocd_id in parsed.places:
        place, reason = index.find(name=name, state=parsed.state, ocd_id=ocd_id)
        if place is None:
            errors.add(parsed.row, "place_ocd_id" if ocd_id else "place", reason)
        elif ocd_id and not _fits(place, name, parsed.state):
            kind = place.get_kind_display().lower()
            reason = f"{ocd_id} is {place.name} {kind}, {place.state}, not “{name}” in {parsed.state}"
            errors.add(parsed.row, "place_ocd_id", reason)
        else:
            found.append(place)
    return found


def _fits(place: Place, name: str, state: str) -> bool:
    """Whether an OCD id and the name beside it mean the same place (catches ids out of order)."""
    base, kind = split_kind(name)
    same_name = place.search_name == search_form(name)
    same_base = kind is not None and place.search_name == search_form(base) and place.kind == kind
    return place.state == state and (same_name or same_base)


# 3. Rows merged by agency and partnership


def _merge(parsed: list[ParsedRow], index: PlaceIndex, errors: Errors) -> dict[str, AgencyPlan]:
    plans: dict[str, AgencyPlan] = {}
    for item in parsed:
        plan = plans.setdefault(item.agency, AgencyPlan(item.agency))
        _agree(plan.values, plan.lines, item.agency_values, item.row.line, errors, what="agency")
        plan.places.update((place.pk, place) for place in _places(item, index, errors))
        if item.partnership is not None:
            _merge_partnership(plan, item.partnership, errors)
    return plans


def _merge_partnership(plan: AgencyPlan, new: PartnershipPlan, errors: Errors) -> None:
    key = (new.vendor, new.program)
    earlier = plan.partnerships.setdefault(key, new)
    if earlier is new:
        return
    _agree(earlier.values, earlier.lines, new.values, new.line, errors, what="partnership")
    for citation in new.citations:
        same = [c for c in earlier.citations if (c.url, c.locator) == (citation.url, citation.locator)]
        if not same:
            earlier.citations.append(citation)
        elif citation.quote and same[0].quote and citation.quote != same[0].quote:
            errors.add(citation.line, "quote", f"differs from the quote for this source on line {same[0].line}")
        elif citation.quote:
            same[0].quote = citation.quote


def _agree(
    values: dict[str, Any], lines: dict[str, int], new: dict[str, Any], line: int, errors: Errors, *, what: str
) -> None:
    """A later row about the same agency or partnership may repeat or add values, not contradict."""
    for name, value in new.items():
        if name not in values:
            values[name], lines[name] = value, line
        elif values[name] != value:
            column = "agency_kind" if name == "kind" else name
            errors.add(line, column, f"differs from “{values[name]}” on line {lines[name]} for the same {what}")


# 4 and 5. What exists, what to write, and writing it


@dataclass
class _Tally:
    created: int = 0
    changed: int = 0
    unchanged: int = 0

    def count(self, *, created: bool, changed: bool) -> None:
        if created:
            self.created += 1
        elif changed:
            self.changed += 1
        else:
            self.unchanged += 1

    def __str__(self) -> str:
        return f"{self.created} created, {self.changed} changed, {self.unchanged} left as they were"


class _Writes:
    """Every write the plans need, worked out against what exists before any is made.

    New rows point at new agencies, partnerships and sources before those have primary keys;
    bulk_create fills the keys in, and Django takes them from the related objects when it saves.
    """

    def __init__(self, campaign: Campaign, plans: dict[str, AgencyPlan], sources: dict[str, Source]) -> None:
        self.campaign, self.plans, self.sources = campaign, plans, sources
        self.tallies = {name: _Tally() for name in ("agencies", "partnerships", "citations")}
        self.new: dict[type[Any], list[Any]] = {model: [] for model in (Agency, Partnership, Citation, _THROUGH)}
        self.updated: dict[type[Any], list[Any]] = {model: [] for model in (Agency, Partnership, Citation)}

    def plan(self, errors: Errors) -> None:
        in_file = Agency.objects.filter(campaign=self.campaign, name__in=list(self.plans))
        agencies = {agency.name: agency for agency in in_file}
        links = set(_THROUGH.objects.filter(agency__in=in_file).values_list("agency_id", "place_id"))
        partnerships = {(p.agency_id, p.vendor, p.program): p for p in Partnership.objects.filter(agency__in=in_file)}
        citations = {
            (c.partnership_id, c.source_id, c.locator): c
            for c in Citation.objects.filter(partnership__agency__in=in_file)
        }
        for plan in self.plans.values():
            agency = self._agency(plan, agencies.get(plan.name), links)
            for partnership_plan in plan.partnerships.values():
                key = (agency.pk, partnership_plan.vendor, partnership_plan.program)
                partnership = self._partnership(agency, partnership_plan, partnerships.get(key), errors)
                for citation_plan in partnership_plan.citations:
                    self._citation(partnership, citation_plan, citations)

    def _agency(self, plan: AgencyPlan, agency: Agency | None, links: set[tuple[int, int]]) -> Agency:
        if agency is None:
            agency = Agency(campaign=self.campaign, name=plan.name, **plan.values)
            self.new[Agency].append(agency)
            self.tallies["agencies"].count(created=True, changed=True)
        else:
            changed = _assign(agency, plan.values)
            if changed:
                self.updated[Agency].append(agency)
            self.tallies["agencies"].count(
                created=False, changed=changed or not links.issuperset((agency.pk, pk) for pk in plan.places)
            )
        self.new[_THROUGH].extend(
            _THROUGH(agency=agency, place=place) for pk, place in plan.places.items() if (agency.pk, pk) not in links
        )
        return agency

    def _partnership(
        self, agency: Agency, plan: PartnershipPlan, partnership: Partnership | None, errors: Errors
    ) -> Partnership:
        if partnership is None:
            partnership = Partnership(agency=agency, vendor=plan.vendor, program=plan.program, **plan.values)
            self.new[Partnership].append(partnership)
            self.tallies["partnerships"].count(created=True, changed=True)
            if not partnership.how_known:
                errors.add(plan.line, "how_known", "required of a new partnership: say which record or report shows it")
        else:
            changed = _assign(partnership, plan.values)
            if changed:
                self.updated[Partnership].append(partnership)
            self.tallies["partnerships"].count(created=False, changed=changed)
        started, ended = partnership.started_on, partnership.ended_on
        if started and ended and ended < started:
            line = plan.lines.get("ended_on", plan.lines.get("started_on", plan.line))
            errors.add(line, "ended_on", f"{ended} is before the partnership started ({started})")
        return partnership

    def _citation(self, partnership: Partnership, plan: CitationPlan, existing: dict[Any, Citation]) -> None:
        source = self.sources.get(plan.url)
        if source is None:
            return  # already reported
        citation = existing.get((partnership.pk, source.pk, plan.locator)) if partnership.pk and source.pk else None
        if citation is None:
            new = Citation(partnership=partnership, source=source, locator=plan.locator, quote=plan.quote)
            self.new[Citation].append(new)
            self.tallies["citations"].count(created=True, changed=True)
            return
        changed = bool(plan.quote) and _assign(citation, {"quote": plan.quote})
        if changed:
            self.updated[Citation].append(citation)
        self.tallies["citations"].count(created=False, changed=changed)

    def apply(self) -> Report:
        new_sources = [source for source in self.sources.values() if source.pk is None]
        Source.objects.bulk_create(new_sources, batch_size=BATCH)
        now = timezone.now()
        for partnership in self.updated[Partnership]:
            partnership.updated = now  # bulk_update skips auto_now
        for model in (Agency, _THROUGH, Partnership, Citation):
            model.objects.bulk_create(self.new[model], batch_size=BATCH)
            if model in self.updated:
                model.objects.bulk_update(self.updated[model], _UPDATED_FIELDS[model], batch_size=BATCH)
        return self._report(len(new_sources))

    def _report(self, new_sources: int) -> Report:
        report = Report()
        for name, tally in self.tallies.items():
            report.created += tally.created
            report.changed += tally.changed
            report.unchanged += tally.unchanged
            report.notes.append(f"{name.capitalize()}: {tally}.")
        if new_sources:
            report.notes.append(f"Sources: {new_sources} added to the library (from source_title).")
            report.created += new_sources
        return report


def _assign(instance: Any, values: dict[str, Any]) -> bool:
    """Set the values that differ; whether any did."""
    changed = {name: value for name, value in values.items() if getattr(instance, name) != value}
    for name, value in changed.items():
        setattr(instance, name, value)
    return bool(changed)
