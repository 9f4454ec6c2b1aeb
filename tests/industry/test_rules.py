"""The warning rules stated with hand-checkable figures: each edge the pack's wording leaves
to be read (exactly 6, exactly 5, a break in the three weeks, a recovery) pinned."""

from datetime import date

import pytest

from tests.industry.factories import week
from yunong.industry import rules
from yunong.policy import loader

INDUSTRY = loader.get().industry
assert INDUSTRY is not None


def levels(ratios: list[float | None]) -> list[str | None]:
    """The level of each week for these ratios (None: no data that week)."""
    pig = {week(n): r * 2.5 for n, r in enumerate(ratios, start=1) if r is not None}
    corn = {week(n): 2.5 for n, r in enumerate(ratios, start=1) if r is not None}
    found = {f.period: f.level for f in rules.pig_grain(pig, corn, INDUSTRY.pig_grain)}
    return [found.get(week(n)) for n in range(1, len(ratios) + 1)]


def test_exactly_six_is_not_below_six_and_raises_nothing():
    assert levels([6.0, 6.0, 6.0, 6.5]) == [None, None, None, None]


def test_just_below_six_is_level_three():
    assert levels([5.99]) == ["3"]


def test_exactly_five_is_in_the_band_not_below_five():
    assert levels([5.0]) == ["3"]
    assert levels([5.0, 5.0, 5.0]) == ["3", "3", "2"]


def test_below_five_is_level_one_at_once():
    assert levels([4.99, 4.5]) == ["1", "1"]


def test_the_third_consecutive_week_between_five_and_six_is_level_two_and_stays_so():
    assert levels([5.8, 5.6, 5.4, 5.2, 5.9]) == ["3", "3", "2", "2", "2"]


def test_a_week_at_six_breaks_the_run():
    assert levels([5.8, 5.6, 6.0, 5.4, 5.5, 5.3]) == ["3", "3", None, "3", "3", "2"]


def test_a_missing_week_breaks_the_run():
    assert levels([5.8, 5.6, None, 5.4, 5.5]) == ["3", "3", None, "3", "3"]


def test_a_week_below_five_breaks_the_run_of_the_band():
    assert levels([5.8, 5.6, 4.9, 5.4]) == ["3", "3", "1", "3"]


def test_recovery_above_six_ends_the_warnings():
    assert levels([5.5, 5.5, 5.5, 6.2, 6.4]) == ["3", "3", "2", None, None]


def test_the_ratio_is_compared_rounded_so_sixteen_point_eight_over_two_point_eight_is_six():
    found = rules.pig_grain({week(1): 16.8}, {week(1): 2.8}, INDUSTRY.pig_grain)
    assert found == []


@pytest.mark.parametrize(
    ("stock", "zone"),
    [(92, "绿"), (105, "绿"), (100, "绿"), (91.99, "黄"), (85, "黄"), (105.01, "黄"),
     (110, "黄"), (84.99, "红"), (110.01, "红"), (60, "红")],
)  # fmt: skip
def test_sow_stock_zones_against_a_normal_holding_of_100(stock, zone):
    found = rules.sow_stock({date(2024, 3, 1): stock}, 100, INDUSTRY.sow_stock)
    assert [f.level for f in found] == [zone]


def test_vegetable_moves_both_ways_by_the_pack_bands():
    bands = INDUSTRY.price_moves.bands["vegetable"]
    prices = {week(1): 4.0, week(2): 4.28, week(3): 4.0, week(4): 4.8, week(5): 3.3, week(7): 5.0}
    found = {f.period: (f.level, f.value) for f in rules.weekly_moves(prices, bands)}
    # +7 % steady; −6.54 % steady; +20 % very large; −31.25 % steep; week 7 has no week 6.
    assert found == {week(4): ("2", 20.0), week(5): ("1", -31.25)}


def test_pork_rise_against_the_same_week_a_year_earlier():
    bands = INDUSTRY.pork_rise.bands
    last_year = date(2023, 1, 2)
    now = date(2024, 1, 1)
    assert [f.level for f in rules.year_on_year({last_year: 20, now: 26}, bands)] == ["2"]
    assert [f.level for f in rules.year_on_year({last_year: 20, now: 28}, bands)] == ["2"]
    assert [f.level for f in rules.year_on_year({last_year: 20, now: 28.2}, bands)] == ["1"]
    assert rules.year_on_year({last_year: 20, now: 25.9}, bands) == []


def test_floors_project_the_year_from_the_months_so_far():
    floors = INDUSTRY.floors
    # 140 万头 a month projects 1,680 (6.7 % short: level 2); 160 projects 1,920 (no warning).
    months = {date(2024, 1, 1): 140.0, date(2024, 2, 1): 140.0, date(2024, 3, 1): 260.0}
    found = rules.floor_pace(months, {2024: 1800}, floors)
    assert [(f.period, f.level, f.value) for f in found] == [
        (date(2024, 1, 1), "2", 1680.0),
        (date(2024, 2, 1), "2", 1680.0),
    ]
