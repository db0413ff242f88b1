"""Dates known to a day, a month or only a year ("since 2019"), and how to show them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


def check_partial_date(value: dt.date | None, precision: str, *, field: str) -> None:
    """A month-precise date is stored as the 1st of the month, a year-precise one as 1 January."""
    if value is None:
        return
    if precision == DatePrecision.MONTH and value.day != 1:
        raise ValidationError({field: [_("A date known to the month is stored as the 1st of that month.")]})
    if precision == DatePrecision.YEAR and (value.month, value.day) != (1, 1):
        raise ValidationError({field: [_("A date known to the year is stored as 1 January of that year.")]})


def format_partial_date(value: dt.date | None, precision: str) -> str:
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{value:%B %Y}"
    return f"{value:%B} {value.day}, {value:%Y}"


def ends_after_it_starts(start: str, end: str, *, name: str) -> models.CheckConstraint:
    """A period may be open at either end, but never end before it starts."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{end}__isnull": True})
        | models.Q(**{f"{start}__isnull": True})
        | models.Q(**{f"{end}__gte": models.F(start)}),
        name=name,
    )


def precision_field(**kwargs: object) -> models.CharField[str, str]:
    return models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY, **kwargs)  # type: ignore[arg-type]
