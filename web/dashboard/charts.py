"""Bar charts as SVG geometry: plain numbers in, rectangles, ticks and labels out (no Django).

The templates draw what these return; every coordinate is in the chart's own viewBox, so the SVG
scales to any width. Axis steps are 1, 2 or 5 times a power of ten, and whole numbers: the
figures are counts and cents.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Format = Callable[[int], str]

WIDTH = 640
COLUMN_HEIGHT = 240
ROW_HEIGHT = 26
_TOP, _BOTTOM, _LEFT, _RIGHT = 12, 34, 56, 12
_NAME_WIDTH = 180  # the place names' column in a row chart
_VALUE_WIDTH = 64  # room for the figure after the longest bar
_MOST_LABELS = 6  # day labels under a column chart; more would overlap on a phone


@dataclass(frozen=True)
class Point:
    key: str  # what a machine reads: an ISO date, a place id
    label: str  # what people read: a short date, a place name
    value: int


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    key: str
    label: str
    value: int
    shown: str  # the value as people read it

    @property
    def end(self) -> float:
        return round(self.x + self.width, 2)

    @property
    def middle(self) -> float:
        return round(self.x + self.width / 2, 2)


@dataclass(frozen=True)
class Tick:
    at: float  # y of a horizontal grid line (column chart), x of a vertical one (row chart)
    label: str


@dataclass(frozen=True)
class AxisLabel:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    labels: list[AxisLabel]
    left: float
    right: float
    top: float
    bottom: float  # the baseline (column chart) or the last row's end (row chart)

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)

    @property
    def tick_labels_x(self) -> float:
        """Where a column chart's tick labels end, just left of the plot."""
        return self.left - 6

    @property
    def is_empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def axis_steps(maximum: int, *, most: int = 4) -> list[int]:
    """0 up to the first round value at or above `maximum`, in at most `most` + 1 whole steps."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / most
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    top = math.ceil(maximum / step) * step
    return list(range(0, top + 1, step))


def column_chart(points: Sequence[Point], *, fmt: Format = str) -> Chart:
    """One column per point (a day each), left to right, over a y axis with round steps."""
    steps = axis_steps(max((point.value for point in points), default=0))
    top, bottom = float(_TOP), float(COLUMN_HEIGHT - _BOTTOM)
    left, right = float(_LEFT), float(WIDTH - _RIGHT)
    slot = (right - left) / max(len(points), 1)

    def y_of(value: int) -> float:
        return bottom - (bottom - top) * value / steps[-1]

    bars = [
        Bar(
            x=round(left + slot * n + slot * 0.1, 2),
            y=round(y_of(point.value), 2),
            width=round(slot * 0.8, 2),
            height=round(bottom - y_of(point.value), 2),
            key=point.key,
            label=point.label,
            value=point.value,
            shown=fmt(point.value),
        )
        for n, point in enumerate(points)
    ]
    every = math.ceil(len(points) / _MOST_LABELS) or 1
    axis = [
        AxisLabel(x=round(left + slot * n + slot / 2, 2), y=bottom + 24, text=point.label)
        for n, point in enumerate(points)
        if n % every == 0
    ]
    ticks = [Tick(at=round(y_of(step), 2), label=fmt(step)) for step in steps]
    return Chart(WIDTH, COLUMN_HEIGHT, bars, ticks, axis, left, right, top, bottom)


def row_chart(points: Sequence[Point], *, fmt: Format = str) -> Chart:
    """One horizontal bar per point (a place each), top to bottom, named on the left."""
    steps = axis_steps(max((point.value for point in points), default=0))
    left, right = float(_NAME_WIDTH), float(WIDTH - _VALUE_WIDTH)
    top = float(_TOP)
    rows_end = top + ROW_HEIGHT * max(len(points), 1)

    def length(value: int) -> float:
        return (right - left) * value / steps[-1]

    bars = [
        Bar(
            x=left,
            y=top + ROW_HEIGHT * n + 4,
            width=round(length(point.value), 2),
            height=ROW_HEIGHT - 8,
            key=point.key,
            label=point.label,
            value=point.value,
            shown=fmt(point.value),
        )
        for n, point in enumerate(points)
    ]
    names = [
        AxisLabel(x=left - 8, y=top + ROW_HEIGHT * n + ROW_HEIGHT / 2 + 5, text=_short(point.label))
        for n, point in enumerate(points)
    ]
    ticks = [Tick(at=round(left + length(step), 2), label=fmt(step)) for step in steps]
    return Chart(WIDTH, int(rows_end + _BOTTOM), bars, ticks, names, left, right, top, rows_end)


def _short(name: str, most: int = 20) -> str:
    """A place name that fits the names' column; the table under the chart has it in full."""
    return name if len(name) <= most else f"{name[: most - 1].rstrip()}…"
