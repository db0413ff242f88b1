"""Reading and checking the cells of import rows: what the CSV and JSON importers share."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models

from campaigns.importing.engine import Errors, ImportFailed, Report, Row, RowError, header_of, upsert
from campaigns.models import DatePrecision

_M = TypeVar("_M", bound=models.Model)

DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0"})
HTTP_URL = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class TranslatedRow(Row):
    """A JSON object or another list's record, put in our columns.

    `origin` names the file's own column or key behind each of ours, so errors point at what the
    file says; `problems` are (file's column, reason) found while translating, reported with the rest.
    """

    origin: dict[str, str] = field(default_factory=dict)
    problems: tuple[tuple[str, str], ...] = ()


def looks_like_json(text: str, file: str) -> bool:
    return urlsplit(file).path.lower().endswith(".json") or text.lstrip().startswith(("[", "{"))


def csv_header(text: str, *, file: str = "") -> list[str]:
    return header_of(text, file=file)


def read_json_list(text: str, *, file: str) -> list[Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        reason = f"not valid JSON: {error.msg} (column {error.colno})"
        raise ImportFailed([RowError(file, error.lineno, "-", reason)]) from None
    except (RecursionError, ValueError) as error:  # nesting too deep, a number too long
        raise ImportFailed([RowError(file, 1, "-", f"not usable JSON: {type(error).__name__}")]) from None
    if not isinstance(data, list):
        raise ImportFailed([RowError(file, 1, "-", "expected a JSON list of objects")])
    return data


def json_text(value: Any) -> str | None:
    """A JSON value as cell text: null is empty, a list of strings is joined; None if not text-like."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ", ".join(value)
    return None


def json_object_row(line: int, item: Any, *, known: tuple[str, ...]) -> Row:
    """A flat JSON object whose keys are our columns; line is its 1-based place in the list."""
    if not isinstance(item, dict):
        return TranslatedRow(line, {}, problems=(("-", "expected an object"),))
    values: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    for key, value in item.items():
        text = json_text(value)
        if key not in known:
            problems.append((key, f"unknown key; accepted: {', '.join(known)}"))
        elif text is None:
            problems.append((key, "expected text, a number, true, false or null"))
        else:
            values[key] = text
    return TranslatedRow(line, values, problems=tuple(problems))


class Cells:
    """Reads one row's values, adding an error for each bad one under the file's own column name."""

    def __init__(self, row: Row, errors: Errors) -> None:
        self.row = row
        self.errors = errors
        problems = row.problems if isinstance(row, TranslatedRow) else ()
        for column, reason in problems:
            self.errors.add(row, column, reason)
        self.bad = bool(problems)
        self.broken = any(column == "-" for column, _ in problems)  # not even an object: nothing more to say
        self.reported = {column for column, _ in problems}  # said once, not again as a consequence

    def has(self, column: str) -> bool:
        return column in self.row.values

    def name(self, column: str) -> str:
        return self.row.origin.get(column, column) if isinstance(self.row, TranslatedRow) else column

    def fail(self, column: str, reason: str) -> None:
        if self.name(column) not in self.reported:
            self.errors.add(self.row, self.name(column), reason)
        self.bad = True

    def text(self, column: str, *, required: bool = False, why: str = "") -> str:
        value = self.row.get(column)
        if required and not value:
            self.fail(column, f"a value is required{why}")
        return value

    def choice(self, column: str, choices: type[models.TextChoices], *, default: str = "") -> str:
        value = self.row.get(column) or default
        if not value:
            self.fail(column, "a value is required")
        elif value not in choices.values:
            self.fail(column, f"unknown value {value!r}; accepted: {', '.join(choices.values)}")
        return value

    def day(self, column: str) -> dt.date | None:
        value = self.row.get(column)
        if not value:
            return None
        try:
            if DAY.match(value):
                return dt.date.fromisoformat(value)
        except ValueError:
            pass
        self.fail(column, f"not a date: {value!r}; write YYYY-MM-DD")
        return None

    def partial_date(self, column: str) -> tuple[dt.date | None, str]:
        """YYYY, YYYY-MM or YYYY-MM-DD: the first day it can mean, and how precise it is."""
        value = self.row.get(column)
        match = PARTIAL_DATE.match(value)
        if not value:
            return None, DatePrecision.DAY
        if match:
            year, month, day = match.groups()
            precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
            try:
                return dt.date(int(year), int(month or 1), int(day or 1)), precision
            except ValueError:
                pass
        self.fail(column, f"not a date: {value!r}; write YYYY, YYYY-MM or YYYY-MM-DD")
        return None, DatePrecision.DAY

    def flag(self, column: str, *, default: bool) -> bool:
        value = self.row.get(column).lower()
        if value in TRUE_WORDS or value in FALSE_WORDS:
            return value in TRUE_WORDS
        if value:
            self.fail(column, f"write true or false, not {value!r}")
        return default

    def email(self, column: str) -> str:
        value = self.row.get(column)
        try:
            if value:
                validate_email(value)
        except ValidationError:
            self.fail(column, f"not an e-mail address: {value!r}")
        return value

    def url(self, column: str, *, required: bool = False, why: str = "") -> str:
        value = self.text(column, required=required, why=why)
        try:
            if value:
                HTTP_URL(value)
        except ValidationError:
            self.fail(column, f"not an http(s) URL: {value!r}")
        return value

    def check_model(self, instance: models.Model, *, columns: dict[str, str], exclude: tuple[str, ...]) -> None:
        """The model's own field rules and clean() (lengths, formats), with no query."""
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for model_field, messages in error.message_dict.items():
                self.fail(columns.get(model_field, "-"), " ".join(messages))


def index_by_key(rows: Iterable[_M], keys: Callable[[_M], list[Hashable]]) -> dict[Hashable, list[_M]]:
    index: dict[Hashable, list[_M]] = defaultdict(list)
    for row in rows:
        for key in keys(row):
            index[key].append(row)
    return index


def one_match(cells: Cells, matches: list[_M], *, column: str, what: str) -> _M | None:
    """The existing row a file row updates: never a guess between two."""
    if len(matches) > 1:
        ids = ", ".join(str(match.pk) for match in matches)
        cells.fail(
            column, f"{len(matches)} {what} in the campaign already match (ids {ids}); cannot tell which to update"
        )
        return None
    return matches[0] if matches else None


def check_repeats(planned: Iterable[tuple[Cells, Hashable, str, str]]) -> None:
    """(cells, what the row writes to, column, what to call its key): a second mention would silently win."""
    first: dict[Hashable, int] = {}
    for cells, identity, column, what in planned:
        line = first.setdefault(identity, cells.row.line)
        if line != cells.row.line:
            cells.fail(column, f"the same {what} as line {line}: each may appear once in a file")


def save_all(rows: Iterable[tuple[models.Model, bool]]) -> None:
    for row, changed in rows:
        if changed:
            row.save()


def save_planned(planned: Iterable[Any], *, create: Callable[[dict[str, Any]], models.Model], report: Report) -> None:
    """Upsert each planned row (its `key`, `values` and the existing row `found`, if any), saving what changed."""
    save_all(
        upsert(
            existing={plan.key: plan.found} if plan.found else {},
            key=plan.key,
            values=plan.values,
            create=create,
            report=report,
        )
        for plan in planned
    )
