"""The demo's year of series trips each rule as the demo promises: the pig-grain dip, the
yellow sow months, the vegetable jump and the floors short of their pace."""

from collections import Counter
from datetime import date

from sqlalchemy import select

from tests.factories import make_place
from yunong.core.scope import Scope
from yunong.demo.industry import create_industry, mondays
from yunong.industry import service
from yunong.industry.catalogue import catalogue
from yunong.industry.models import Warning
from yunong.policy import loader

CITY = "500000000000"


def test_the_demo_year_raises_each_kind_of_warning(session):
    make_place(session)
    pack = loader.get()
    standing = create_industry(session, pack=pack)
    found = service.get_all(session, scope=Scope.system("t"), known=catalogue(pack))
    assert standing == len(found)
    weeks = mondays()
    pig_grain = [
        (w.period, w.level) for w in found if w.rule == "pig_grain" and w.region_code == CITY
    ]
    assert pig_grain == [(weeks[13], "3"), (weeks[14], "3"), (weeks[15], "2"), (weeks[16], "2"),
                         (weeks[17], "1"), (weeks[18], "3")]  # fmt: skip
    sows = Counter(w.level for w in found if w.rule == "sow_stock")
    assert sows == {"绿": 10, "黄": 2}
    assert {w.indicator for w in found if w.rule == "floors"} == {"生猪出栏量", "水产品产量"}
    assert [w.period for w in found if w.rule == "price_moves"] == [weeks[29], weeks[30]]
    district = session.scalars(select(Warning).where(Warning.region_code == "500101000000"))
    assert len(list(district)) == 6
    assert date(2024, 1, 1) == weeks[0]
