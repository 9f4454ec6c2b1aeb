"""农事服务 待办: a trusteeship contract waits for its harvest settlement from the month after
the pack's grain harvest (收获 in August: September 1st to October 31st) until it is settled;
the town's service centre confirms a day's proposed dispatch."""

from datetime import date
from decimal import Decimal

from tests.factories import make_place
from tests.services.factories import SERVICES, SYSTEM, add_machine, add_order
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.services import dispatch, todo
from yunong.services.models import Trusteeship


def settle_todo(session, scope: Scope, today: date) -> list[str]:
    found = {kind.kind: kind for kind in todo.todo(session, scope, today)}
    return [item.subject for item in found["settle"].items] if "settle" in found else []


def test_a_contract_waits_for_settlement_from_the_month_after_the_grain_harvest(session):
    place = make_place(session)
    provider = add_machine(session, "J-T-01", place.village).provider_id
    session.add(
        Trusteeship(
            code="TG-2026-01",
            region_code=place.village,
            kind="full",
            profit_model="guaranteed",
            farmer="张三",
            provider_id=provider,
            year=2026,
            crop="水稻",
            area_mu=Decimal(20),
            fee_yuan_per_mu=Decimal(1000),
            guaranteed_kg_per_mu=Decimal(500),
            price_yuan_per_kg=Decimal("2.8"),
        )  # fmt: skip
    )
    session.flush()
    cadre = Scope(actor="cadre", region_code=place.village, role=Role.VILLAGE_CADRE.value)
    assert todo.settlement_window(SERVICES, 2026) == (date(2026, 9, 1), date(2026, 10, 31))
    assert settle_todo(session, cadre, date(2026, 8, 31)) == []
    assert settle_todo(session, cadre, date(2026, 9, 1)) == ["TG-2026-01 张三"]


def test_a_proposed_day_waits_for_the_town_to_confirm_it(session):
    place = make_place(session)
    add_machine(session, "J-T-02", place.village)
    add_order(session, "D-T-01", place.village, day=date(2026, 9, 15))
    day = date(2026, 9, 15)
    dispatch.plan(session, scope=SYSTEM, day=day, rules=SERVICES)
    town = Scope(actor="town", region_code=place.town, role=Role.TOWN_OFFICER.value)
    waiting = {kind.kind: kind for kind in todo.todo(session, town, date(2026, 9, 14))}
    assert [item.link for item in waiting["confirm"].items] == ["/services/dispatch?day=2026-09-15"]
    dispatch.confirm(session, scope=town, day=day)
    assert "confirm" not in {kind.kind for kind in todo.todo(session, town, date(2026, 9, 14))}
