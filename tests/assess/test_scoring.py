"""赛马比拼 against scores worked out by hand on three indicators of the pack.

rural_income_growth (weight 10, ≥7 %), primary_industry_growth (weight 6, 4 % ± 0.5) and
grain_output (weight 10, city ≥216 亿斤, shared out by each district's part of 2023).
In 2023 万州 reported 12 and 涪陵 8 亿斤 of grain: their 2024 targets are 129.6 and 86.4.
With the 2024 targets applied to 2023 as well (this test's pack only), 2023 ranks 涪陵
first (income 7 of 7) and 万州 second (income 3 of 7).

万州 2024: income 7.7 → 1; growth 4.3 → 1; grain 120 / 129.6 = 0.9259
           score 100 × (10 + 6 + 9.2593) / 26 = 97.15
涪陵 2024: income 3.5 → 0.5; growth 5.5, 1.0 over the tolerance → 1 − 1/4 = 0.75;
           grain 90 ≥ 86.4 → 1; score 100 × (5 + 4.5 + 10) / 26 = 75.00
The other 36 districts reported nothing: they get no score and no rank, and their
figures are shown as not reported (no progress, no colour) rather than as failing.
"""

import pytest
from sqlalchemy import select

from tests.assess.factories import (
    CITY,
    FULING,
    PACK,
    WANZHOU,
    approved,
    complete_values,
    officer,
)
from tests.factories import make_place
from yunong.assess import datasets, scoring
from yunong.assess.models import Figure, Score
from yunong.assess.scoring import Resolved, progress, ranks
from yunong.core.scope import Scope

pytestmark = pytest.mark.db
KEYS = ("rural_income_growth", "primary_industry_growth", "grain_output")


def with_2023_target(key):
    """The indicator as in the pack, with its 2024 target also set for 2023."""
    indicator = PACK.indicators[key]
    if key == "grain_output":
        return indicator
    targets = indicator.targets | {2023: indicator.targets[2024]}
    return indicator.model_copy(update={"targets": targets})


SMALL = PACK.model_copy(update={"indicators": {key: with_2023_target(key) for key in KEYS}})
OPERATOR = Scope.system("test")
QIANJIANG = "500114000000"


def two_years(session):
    make_place(session)
    approved(session, WANZHOU, 2023, SMALL, grain_output=12, rural_income_growth=3)
    approved(session, FULING, 2023, SMALL, grain_output=8, rural_income_growth=7)
    scoring.compute(session, scope=OPERATOR, pack=SMALL, period=2023)
    approved(
        session, WANZHOU, 2024, SMALL,
        rural_income_growth=7.7, primary_industry_growth=4.3, grain_output=120,
    )  # fmt: skip
    approved(
        session, FULING, 2024, SMALL,
        rural_income_growth=3.5, primary_industry_growth=5.5, grain_output=90,
    )  # fmt: skip
    return {score.region_code: score for score in scoring.compute(
        session, scope=OPERATOR, pack=SMALL, period=2024
    )}  # fmt: skip


def figure(session, region, key, period=2024):
    return session.scalars(
        select(Figure).where(
            Figure.period == period, Figure.region_code == region, Figure.indicator == key
        )
    ).one()


def test_district_scores_match_the_hand_computed_ones(session):
    scores = two_years(session)
    assert scores[WANZHOU].score == 97.15
    assert scores[FULING].score == 75.0


def test_ranks_and_the_change_since_the_last_period(session):
    scores = two_years(session)
    assert (scores[WANZHOU].rank, scores[WANZHOU].previous_rank) == (1, 2)
    assert (scores[FULING].rank, scores[FULING].previous_rank) == (2, 1)


def test_only_districts_that_reported_are_scored_and_ranked(session):
    scores = two_years(session)
    assert set(scores) == {WANZHOU, FULING}
    stored = session.scalars(select(Score.region_code).where(Score.period == 2024)).all()
    assert sorted(stored) == [WANZHOU, FULING]


def test_a_district_whose_figures_wait_for_approval_is_not_ranked(session):
    two_years(session)
    unit = officer(QIANJIANG)
    entries = complete_values(SMALL, QIANJIANG, 2024, rural_income_growth=9)
    datasets.save(
        session, scope=unit, pack=SMALL, period=2024, region_code=QIANJIANG, entries=entries
    )
    datasets.submit(session, scope=unit, pack=SMALL, period=2024, region_code=QIANJIANG)
    scores = scoring.compute(session, scope=OPERATOR, pack=SMALL, period=2024)
    assert [(score.region_code, score.rank) for score in scores] == [(WANZHOU, 1), (FULING, 2)]


def test_a_district_ranked_once_approved_takes_its_place_among_the_reported(session):
    two_years(session)
    approved(session, QIANJIANG, 2024, SMALL, rural_income_growth=9, primary_industry_growth=4)
    scores = scoring.compute(session, scope=OPERATOR, pack=SMALL, period=2024)
    assert [score.region_code for score in scores] == [QIANJIANG, WANZHOU, FULING]
    assert [score.rank for score in scores] == [1, 2, 3]


def test_a_sum_target_is_shared_out_by_last_years_part(session):
    two_years(session)
    grain = figure(session, WANZHOU, "grain_output")
    assert grain.target == pytest.approx(129.6)
    assert grain.progress == pytest.approx(120 / 129.6)
    assert grain.colour == "yellow"


def test_colours_follow_the_packs_thresholds(session):
    two_years(session)
    assert figure(session, FULING, "rural_income_growth").colour == "red"
    assert figure(session, WANZHOU, "rural_income_growth").colour == "green"


def test_the_city_figure_of_a_sum_is_the_districts_total(session):
    two_years(session)
    grain = figure(session, CITY, "grain_output")
    assert (grain.value, grain.target, grain.colour) == (210.0, 216.0, "yellow")
    assert grain.origin == "由区县填报值合计"


def test_a_missing_value_scores_zero_and_says_so(session):
    two_years(session)
    missing = figure(session, "500103000000", "rural_income_growth")
    assert (missing.value, missing.points, missing.origin) == (None, 0.0, "未报送或未审核")


def test_a_missing_value_is_shown_as_not_reported_rather_than_as_failing(session):
    two_years(session)
    missing = figure(session, "500103000000", "rural_income_growth")
    assert (missing.progress, missing.colour) == (None, "")


def test_computing_again_replaces_the_period_and_changes_nothing(session):
    first = {code: score.score for code, score in two_years(session).items()}
    again = scoring.compute(session, scope=OPERATOR, pack=SMALL, period=2024)
    assert {score.region_code: score.score for score in again} == first
    rows = session.scalars(select(Figure).where(Figure.period == 2024)).all()
    assert len(rows) == len({(row.region_code, row.indicator) for row in rows})


def test_a_year_without_weighted_targets_is_not_ranked(session):
    make_place(session)
    approved(session, WANZHOU, 2023, PACK)
    assert scoring.compute(session, scope=OPERATOR, pack=PACK, period=2023) == []


def test_only_the_city_computes_scores(session):
    make_place(session)
    district = Scope(actor="w", region_code=WANZHOU, role="district_officer")
    with pytest.raises(Exception, match="不存在或不在您的管辖范围内"):
        scoring.compute(session, scope=district, pack=SMALL, period=2024)


def test_equal_scores_share_a_rank():
    assert ranks({"a": 90.0, "b": 80.0, "c": 80.0, "d": 70.0}) == {"a": 1, "b": 2, "c": 2, "d": 4}


@pytest.mark.parametrize(
    ("target", "value", "expected"),
    [
        (Resolved("at_least", 7), 3.5, 0.5),
        (Resolved("at_least", 7), 9, 1.0),
        (Resolved("at_least", 0), -0.1, 0.0),
        (Resolved("at_least", 0), 0, 1.0),
        (Resolved("about", 4, 0.5), 4.4, 1.0),
        (Resolved("about", 4, 0.5), 2.5, 0.75),
        (Resolved("at_most", 0), 3, 0.0),
        (Resolved("at_most", 10), 20, 0.5),
    ],
)
def test_progress_against_each_kind_of_target(target, value, expected):
    assert progress(target, value) == pytest.approx(expected)
