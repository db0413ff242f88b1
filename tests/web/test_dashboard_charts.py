"""The dashboard's chart geometry: round axis steps, bars proportional to their figures, every figure kept."""

from __future__ import annotations

import pytest

from web.dashboard.charts import COLUMN_HEIGHT, WIDTH, Point, axis_steps, column_chart, row_chart


@pytest.mark.parametrize(
    ("maximum", "steps"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (10, [0, 5, 10]),
        (37, [0, 10, 20, 30, 40]),
        (1234, [0, 500, 1000, 1500]),
        (250_000, [0, 100_000, 200_000, 300_000]),
    ],
)
def test_it_steps_the_axis_in_round_whole_numbers_up_to_the_largest_figure(maximum, steps):
    assert axis_steps(maximum) == steps


def _days(*values: int) -> list[Point]:
    return [Point(key=f"2026-11-{n + 1:02d}", label=f"Nov {n + 1}", value=v) for n, v in enumerate(values)]


def test_it_draws_one_column_per_day_each_as_tall_as_its_figure():
    chart = column_chart(_days(0, 5, 10, 2))

    assert [bar.value for bar in chart.bars] == [0, 5, 10, 2]
    assert [bar.key for bar in chart.bars] == ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"]
    tallest = chart.bars[2]
    assert tallest.y == chart.top
    assert tallest.height == chart.bottom - chart.top
    assert chart.bars[1].height == pytest.approx(tallest.height / 2)
    assert chart.bars[0].height == 0
    assert all(bar.y + bar.height == pytest.approx(chart.bottom) for bar in chart.bars)
    assert chart.total == 17
    assert not chart.is_empty


def test_its_columns_stay_inside_the_view_box_left_to_right():
    chart = column_chart(_days(*range(90)))

    xs = [bar.x for bar in chart.bars]
    assert xs == sorted(xs)
    assert chart.bars[0].x >= chart.left
    assert chart.bars[-1].end <= chart.right <= WIDTH
    assert chart.height == COLUMN_HEIGHT
    assert len(chart.labels) <= 6  # a phone still reads the day labels


def test_it_labels_the_axis_with_the_figures_as_people_read_them():
    chart = column_chart(_days(2500, 10000), fmt=lambda cents: f"${cents // 100}")

    assert [tick.label for tick in chart.ticks] == ["$0", "$50", "$100"]
    assert [bar.shown for bar in chart.bars] == ["$25", "$100"]
    # The higher the figure, the higher its grid line.
    assert [tick.at for tick in chart.ticks] == sorted((tick.at for tick in chart.ticks), reverse=True)


def test_a_window_without_any_figure_is_empty():
    assert column_chart(_days(0, 0, 0)).is_empty
    assert row_chart([]).is_empty


def test_it_draws_one_row_per_place_named_on_the_left():
    chart = row_chart(
        [
            Point("1", "Bloomfield, NJ", 40),
            Point("2", "Maywood, NJ", 10),
            Point("3", "A place whose name is far too long for the column, NJ", 20),
        ]
    )

    assert [bar.label for bar in chart.bars] == [
        "Bloomfield, NJ",
        "Maywood, NJ",
        "A place whose name is far too long for the column, NJ",
    ]
    assert chart.bars[0].width == pytest.approx(chart.right - chart.left)
    assert chart.bars[1].width == pytest.approx(chart.bars[0].width / 4)
    assert [bar.y for bar in chart.bars] == sorted(bar.y for bar in chart.bars)
    assert chart.labels[2].text.endswith("…")
    assert len(chart.labels[2].text) <= 20
    assert all(label.x < chart.left for label in chart.labels)
