"""种粮宝's subsidies on the tiny demo equal a hand computation from the grower's parcels:
rate per 亩 times the area of the parcels the pack's rule counts, abandoned and non-grain
parcels left out."""

from decimal import Decimal

import pytest
from sqlalchemy import text

from tests.services.factories import SERVICES
from yunong.core.scope import Scope
from yunong.services import grower
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.db

GRAIN_OIL = ("grain", "oil", "rotation", "fallow")


def test_subsidies_equal_a_hand_computation_on_the_tiny_demo(tiny_demo_url):
    engine = make_engine(tiny_demo_url)
    with engine.connect() as connection:
        # A grower with an abandoned parcel and a non-grain one besides grain parcels.
        holder = connection.execute(
            text(
                "select holder_code from land_parcel where kind = 'cultivated'"
                " and holder_code is not null group by holder_code"
                " having sum(case when current_use = 'abandoned' then 1 else 0 end) > 0"
                " and sum(case when current_use in ('cash_crop', 'perennial', 'facility')"
                " then 1 else 0 end) > 0"
                " and sum(case when current_use = 'grain' then 1 else 0 end) > 0"
                " order by holder_code limit 1"
            )
        ).scalar_one()
        rows = connection.execute(
            text(
                "select area_m2, current_use from land_parcel"
                " where holder_code = :h and kind = 'cultivated'"
            ),
            {"h": holder},
        ).all()
    with transaction(make_sessionmaker(engine)) as session:
        found = grower.parcels(session, scope=Scope.system(), holder_code=holder)
        due = {item.key: item for item in grower.subsidies(found, SERVICES)}
    engine.dispose()

    def mu(area: object) -> Decimal:
        return (Decimal(str(area)) * 15 / 10000).quantize(Decimal("0.01"))

    by_hand_soil = sum((mu(a) for a, use in rows if use in GRAIN_OIL), Decimal(0)) * 105
    by_hand_rice = sum((mu(a) for a, use in rows if use == "grain"), Decimal(0)) * 30
    assert due["soil_fertility"].yuan == by_hand_soil.quantize(Decimal("0.01"))
    assert due["rice_grower"].yuan == by_hand_rice.quantize(Decimal("0.01"))
    reasons = dict(due["soil_fertility"].excluded)
    assert "撂荒" in reasons.values() and "非粮用途" in reasons.values()
    assert len(found) == len(rows)
