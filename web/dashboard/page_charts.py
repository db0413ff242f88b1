"""The dashboard's charts: the figures of a window turned into titled SVG geometry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from donations.money import format_amount, major_units
from web.dashboard import charts, figures
from web.dashboard.places import PlaceRow

TOP_PLACES = 10


@dataclass(frozen=True)
class ChartView:
    slug: str  # the figure's id in the page, and what tests look for
    title: str | Promise
    value_heading: str | Promise
    shape: Literal["columns", "rows"]
    chart: charts.Chart
    total: str  # the whole chart's figure, as people read it

    @property
    def key_heading(self) -> str | Promise:
        return _("Day") if self.shape == "columns" else _("Place")


def over_time(campaign: Campaign, window: figures.Window) -> list[ChartView]:
    """Signatures, letters and money raised per day of the window."""
    signatures = figures.signatures_by_day(campaign, window)
    letters = figures.letters_by_day(campaign, window)
    currency = figures.donation_currency(campaign)
    raised = figures.donations_by_day(campaign, window, currency)
    return [
        _columns("signatures-by-day", _("Signatures per day"), _("Signatures"), signatures),
        _columns("letters-by-day", _("Letters per day"), _("Letters"), letters),
        _columns(
            "donations-by-day",
            _("Money raised per day (%(currency)s)") % {"currency": currency.upper()},
            _("Raised"),
            raised,
            money=currency,
        ),
    ]


def by_place(rows: list[PlaceRow]) -> list[ChartView]:
    """The places with the most signatures, and with the most letters (those with none left out)."""
    return [
        _rows("signatures-by-place", _("Places with the most signatures"), _("Signatures"), rows, "signatures"),
        _rows("letters-by-place", _("Places with the most letters"), _("Letters"), rows, "letters"),
    ]


def _columns(
    slug: str, title: str | Promise, heading: str | Promise, series: figures.Series, *, money: str = ""
) -> ChartView:
    points = [
        charts.Point(key=day.isoformat(), label=date_format(day, "M j"), value=value)
        for day, value in zip(series.days, series.values, strict=True)
    ]
    if money:
        chart = charts.column_chart(points, fmt=lambda cents: major_units(cents, money))
        return ChartView(slug, title, heading, "columns", chart, format_amount(series.total, money))
    return ChartView(slug, title, heading, "columns", charts.column_chart(points), str(series.total))


def _rows(slug: str, title: str | Promise, heading: str | Promise, rows: list[PlaceRow], field: str) -> ChartView:
    top = sorted((row for row in rows if getattr(row, field)), key=lambda row: (-getattr(row, field), row.place.name))[
        :TOP_PLACES
    ]
    points = [charts.Point(key=str(row.place.pk), label=str(row.place), value=getattr(row, field)) for row in top]
    chart = charts.row_chart(points)
    return ChartView(slug, title, heading, "rows", chart, str(chart.total))
