"""Trusteeship settlement against a hand computation, and drying bookings refused over the
day's capacity onto a waiting list."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import make_place
from tests.services.factories import SERVICES
from yunong.core.errors import InvalidValue
from yunong.core.scope import Scope
from yunong.services import drying, trusteeship
from yunong.services.models import DryingCentre, Provider, Trusteeship

SYSTEM = Scope.system()


def contract(model: str, share: str = "0") -> Trusteeship:
    return Trusteeship(
        code="TG-1", region_code="500101108201", kind="full", profit_model=model,
        farmer="张三", provider_id=1, year=2026, crop="水稻", area_mu=Decimal("20"),
        fee_yuan_per_mu=Decimal("1000"), guaranteed_kg_per_mu=Decimal("500"),
        dividend_share=Decimal(share), price_yuan_per_kg=Decimal("2.8"),
        recorded_kg=Decimal("11500"),
    )  # fmt: skip


def test_guaranteed_yield_plus_dividend_settles_as_by_hand() -> None:
    # 20 亩 × 500 kg = 10,000 kg guaranteed; 11,500 harvested, 1,500 above it, 40 % of which
    # (600 kg) is the farmer's dividend: 10,600 kg × 2.8 = 29,680 元, less 20 × 1,000 元 fee.
    result = trusteeship.settle(contract("guaranteed_dividend", "0.4"))
    assert (result.guaranteed_kg, result.surplus_kg) == (Decimal("10000.00"), Decimal("1500.00"))
    assert (result.farmer_kg, result.provider_kg) == (Decimal("10600.00"), Decimal("900.00"))
    assert (result.farmer_yuan, result.fee_yuan) == (Decimal("9680.00"), Decimal("20000.00"))


def test_guaranteed_yield_alone_leaves_the_surplus_and_a_shortfall_to_the_provider() -> None:
    above = trusteeship.settle(contract("guaranteed", "0.4"))
    assert (above.farmer_kg, above.provider_kg) == (Decimal("10000.00"), Decimal("1500.00"))
    short = contract("guaranteed_dividend", "0.4")
    short.recorded_kg = Decimal("9000")
    result = trusteeship.settle(short)
    assert (result.surplus_kg, result.farmer_kg) == (Decimal("0.00"), Decimal("10000.00"))
    assert result.provider_kg == Decimal("-1000.00")


@pytest.mark.db
def test_contracts_need_the_packs_kind_and_model_and_mark_their_parcels(session) -> None:
    place = make_place(session)
    session.add(Provider(id=1, name="龙沙农机合作社", kind="合作社", region_code=place.village))
    session.flush()
    with pytest.raises(InvalidValue):
        trusteeship.create(session, scope=SYSTEM, rules=SERVICES,
                           contract=contract("shared_profit"), parcels=[])  # fmt: skip
    made = trusteeship.create(
        session, scope=SYSTEM, rules=SERVICES, contract=contract("guaranteed"), parcels=["P1"]
    )
    assert trusteeship.parcels_under(session, scope=SYSTEM) == {"P1"}
    settled = trusteeship.record_harvest(session, scope=SYSTEM, code=made.code, kg=Decimal(10500))
    assert settled.farmer_yuan == Decimal("8000.00")  # 10,000 kg × 2.8 − 20,000


@pytest.mark.db
def test_drying_over_the_days_capacity_waits_and_moves_up_when_room_is_made(session) -> None:
    place = make_place(session)
    session.add(
        DryingCentre(
            code="HG-1",
            name="龙沙烘干中心",
            region_code=place.village,
            longitude=108.4,
            latitude=30.8,
            tonnes_per_day=Decimal(30),
        )  # fmt: skip
    )
    session.flush()
    day = date(2026, 8, 20)
    first = drying.book(
        session, scope=SYSTEM, code="HG-1", day=day, tonnes=Decimal(20), requester="甲"
    )
    second = drying.book(
        session, scope=SYSTEM, code="HG-1", day=day, tonnes=Decimal(15), requester="乙"
    )
    third = drying.book(
        session, scope=SYSTEM, code="HG-1", day=day, tonnes=Decimal(5), requester="丙"
    )
    # 丙 would fit, but waits behind 乙: first come, first served.
    assert [first.status, second.status, third.status] == ["booked", "waiting", "waiting"]
    promoted = drying.cancel(session, scope=SYSTEM, booking_id=first.id)
    assert [b.requester for b in promoted] == ["乙", "丙"]
