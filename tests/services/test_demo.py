"""The demo's 农事服务: machines, a season of orders dispatched within the machines' day,
work recorded on parcels, trusteeship contracts with one settled, a drying waiting list."""

import pytest
from sqlalchemy import text

from yunong.store.db import make_engine

pytestmark = pytest.mark.db


def test_the_tiny_demo_has_a_dispatched_season_and_contracts(tiny_demo_url):
    engine = make_engine(tiny_demo_url)
    with engine.connect() as connection:

        def count(sql: str) -> int:
            return int(connection.execute(text(sql)).scalar_one())

        assert count("select count(*) from services_machine") > 0
        assert count("select count(*) from services_order") > 0
        assert count("select count(*) from services_work_record") > 0
        assert count("select count(*) from services_trusteeship") > 0
        assert count("select count(*) from services_trusteeship where recorded_kg is not null") == 1
        assert count("select count(*) from services_drying_booking where status = 'waiting'") > 0
        # No machine is given more than its day's capacity.
        over = count(
            "select count(*) from (select m.id from services_assignment a"
            " join services_machine m on m.id = a.machine_id"
            " join services_order o on o.id = a.order_id"
            " group by m.id, a.day, m.capacity_mu having sum(o.area_mu) > m.capacity_mu) t"
        )
        assert over == 0
    engine.dispose()
