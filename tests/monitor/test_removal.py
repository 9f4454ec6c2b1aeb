"""风险消除: met when every criterion of the pack holds; each one unmet on its own refuses."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from yunong.monitor.models import Visit
from yunong.monitor.removal import CRITERION_LABELS, evaluate, line_on, months_before
from yunong.policy import loader

PACK = loader.get()
TODAY = date(2024, 11, 15)
LINE = line_on(PACK, TODAY)  # 7,600 yuan in 2024
CHECKS = (
    "rigid_costs_resolved",
    "education_secure",
    "medical_secure",
    "housing_secure",
    "water_secure",
)


def visit(on: date, income: Decimal | None, number: int, **checks: bool) -> Visit:
    return Visit(
        id=number,
        visited_on=on,
        per_capita_income=income,
        **{name: checks.get(name, True) for name in CHECKS},
    )


def stable_history(**latest_checks: bool) -> list[Visit]:
    """Above the line seven months ago, three months ago and today; every need met."""
    return [
        visit(TODAY - timedelta(days=210), LINE + 500, 1),
        visit(TODAY - timedelta(days=90), LINE + 800, 2),
        visit(TODAY, LINE + 1000, 3, **latest_checks),
    ]


def test_the_pack_lists_every_criterion_of_the_seed_practice():
    assert set(PACK.monitoring.workflow.removal_criteria) == set(CRITERION_LABELS)
    assert PACK.monitoring.workflow.stable_months == 6


def test_risk_is_removable_when_every_criterion_holds():
    verdict = evaluate(stable_history(), pack=PACK, today=TODAY)
    assert verdict.met and verdict.unmet == []


def test_income_below_the_line_at_the_latest_visit_is_unmet():
    history = stable_history()
    history[-1].per_capita_income = LINE - 1
    unmet = evaluate(history, pack=PACK, today=TODAY).unmet
    assert any(item.startswith("人均纯收入高于监测线") for item in unmet)


def test_income_above_the_line_for_less_than_six_months_is_unmet():
    history = stable_history()[1:]  # the earliest figure is only three months old
    unmet = evaluate(history, pack=PACK, today=TODAY).unmet
    assert unmet == [f"收入持续稳定在监测线以上不少于 6 个月（自 {months_before(TODAY, 6)} 起）"]


def test_a_dip_below_the_line_within_six_months_is_unmet():
    history = stable_history()
    history[1].per_capita_income = LINE - 100
    unmet = evaluate(history, pack=PACK, today=TODAY).unmet
    assert [item for item in unmet if item.startswith("收入持续稳定")]
    assert not [item for item in unmet if item.startswith("人均纯收入")]


@pytest.mark.parametrize("check", CHECKS)
def test_each_need_not_met_at_the_latest_visit_is_unmet_on_its_own(check):
    unmet = evaluate(stable_history(**{check: False}), pack=PACK, today=TODAY).unmet
    assert unmet == [CRITERION_LABELS[check]]


@pytest.mark.parametrize("check", CHECKS)
def test_a_need_not_yet_checked_is_unmet(check):
    history = stable_history()
    setattr(history[-1], check, None)
    assert evaluate(history, pack=PACK, today=TODAY).unmet == [CRITERION_LABELS[check]]


def test_a_household_never_visited_meets_nothing():
    assert len(evaluate([], pack=PACK, today=TODAY).unmet) == len(CRITERION_LABELS)


def test_six_months_before_the_end_of_a_month_is_the_end_of_a_shorter_month():
    assert months_before(date(2024, 8, 31), 6) == date(2024, 2, 29)
