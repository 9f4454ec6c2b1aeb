"""The tiny demo's 渝农经管: an organisation with balanced 2024 books in every administrative
village, and in the demo village members, closed months and a disclosure per quarter."""

import pytest
from sqlalchemy import select

from yunong.assess.model_village import is_administrative_village
from yunong.collective import disclosure, reports
from yunong.collective.models import (
    Disclosure,
    Member,
    Organisation,
    Project,
    RegistryItem,
    StockTake,
)
from yunong.core.regions.codes import Level
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.policy.loader import get
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.db
RULES = get().collective


@pytest.fixture(scope="module")
def tiny(tiny_demo_url):
    engine = make_engine(tiny_demo_url)
    yield engine
    engine.dispose()


def test_every_administrative_village_has_balanced_books(tiny):
    with transaction(make_sessionmaker(tiny)) as session:
        villages = [
            code
            for code in session.scalars(
                select(Region.code).where(Region.level == int(Level.VILLAGE))
            )
            if is_administrative_village(code)
        ]
        organisations = list(session.scalars(select(Organisation)))
        assert sorted(org.region_code for org in organisations) == sorted(villages)
        for org in organisations:
            sheet = reports.balance_sheet(
                session, scope=Scope.system(), org=org, period="2024-12", rules=RULES
            )
            assert sheet["balanced"], org.name


def test_the_demo_village_has_members_and_a_disclosure_per_quarter(tiny):
    with transaction(make_sessionmaker(tiny)) as session:
        waiting = {
            item.period: item.approved_at is not None
            for item in session.scalars(select(Disclosure))
        }
        assert waiting == {"2024Q1": True, "2024Q2": True, "2024Q3": True, "2024Q4": False}
        village = session.scalar(select(Disclosure.region_code))
        assert session.scalar(select(Member.id).where(Member.region_code == village))
        shown = disclosure.get_published_for_village(session, village_code=village)
        assert [item.period for item in shown.items] == ["2024Q3", "2024Q2", "2024Q1"]


def test_the_demo_has_projects_at_several_stages_whose_built_assets_are_registered(tiny):
    with transaction(make_sessionmaker(tiny)) as session:
        stages = {stage for stage in session.scalars(select(Project.stage))}
        assert {"approved", "handed_over"} <= stages
        built = session.scalars(
            select(Project.id).where(Project.stage != "approved", Project.stage != "")
        ).all()
        formed = session.scalars(
            select(RegistryItem.project_id).where(RegistryItem.project_id.is_not(None))
        ).all()
        assert len(formed) > 0 and set(formed) <= set(built)
        kinds = set(session.scalars(select(Project.kind)))
        assert {"industry", "infrastructure"} <= kinds
        assert session.scalar(select(StockTake.id)) is not None
