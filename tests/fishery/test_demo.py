"""The tiny demo of 长江治渔: each role finds its work, and the coverage the pages show
equals a count of the patrols' stored zone hits."""

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select

from yunong.core.auth.roles import Role
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.fishery import coverage, indicators, todo
from yunong.fishery.models import BanZone, Patrol, PatrolZone, RetiredFisher
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.db
WANZHOU = "500101000000"


@pytest.fixture(scope="module")
def demo(tiny_demo_url):
    engine = make_engine(tiny_demo_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def test_the_demo_districts_officer_has_a_tip_and_a_case_waiting(demo):
    officer = Scope(actor="demo", region_code=WANZHOU, role=Role.DISTRICT_OFFICER.value)
    with transaction(demo) as session:
        waiting = {kind.kind: kind.total for kind in todo.todo(session, officer, date.today())}
    assert waiting["tip"] == 1 and waiting["case"] == 1


def test_coverage_per_zone_and_month_equals_a_count_of_the_stored_hits(demo):
    with transaction(demo) as session:
        rows = coverage.by_zone_month(session, scope=Scope.system("test"))
        hits = session.execute(
            select(BanZone.number, Patrol.patrolled_on)
            .join(PatrolZone, PatrolZone.zone_id == BanZone.id)
            .join(Patrol, Patrol.id == PatrolZone.patrol_id)
        ).all()
        fishers = session.scalars(select(RetiredFisher)).all()
        found = indicators.fishers_insured(
            session, period=2024, level=Level.CITY, under="500000000000"
        )
    counted = Counter((f"{day:%Y-%m}", number) for number, day in hits)
    assert {(row.month, row.zone_number): row.patrols for row in rows} == dict(counted)
    assert len({month for month, _ in counted}) == 12
    insured = sum(1 for fisher in fishers if fisher.insurance != "none")
    assert (found["500000000000"].numerator, found["500000000000"].denominator) == (
        insured,
        len(fishers),
    )
