"""Traceability events: each out-of-order event is refused with its reason; valid chains pass."""

import pytest
from sqlalchemy import func, select

from tests.trace.factories import add_batch, grow_and_harvest, make_trace_world, record
from yunong.core.errors import InvalidValue
from yunong.trace.events import EventRefused
from yunong.trace.models import Event


@pytest.fixture
def batch(session):
    world = make_trace_world(session)
    return add_batch(session, world.product)


def steps(session, batch):
    return list(
        session.scalars(
            select(Event.step).where(Event.batch_id == batch.id).order_by(Event.event_time)
        )
    )


def test_a_whole_chain_from_planting_to_sale_is_accepted(session, batch):
    grow_and_harvest(session, batch)
    record(session, batch, "packing", "2024-11-07 08:00")
    record(session, batch, "shipping", "2024-11-08 08:00", partner="万州农贸市场")
    record(session, batch, "sale", "2024-11-09 08:00")
    assert steps(session, batch) == [
        "planting",
        "input_use",
        "harvest",
        "inspection",
        "packing",
        "shipping",
        "sale",
    ]


def test_a_harvest_before_planting_is_refused(session, batch):
    record(session, batch, "planting", "2024-03-05 08:00")
    with pytest.raises(EventRefused, match="之前没有种植/养殖记录"):
        record(session, batch, "harvest", "2024-03-01 08:00")


def test_a_harvest_without_any_planting_is_refused(session, batch):
    with pytest.raises(EventRefused, match="须先记录种植/养殖"):
        record(session, batch, "harvest", "2024-11-05 08:00")


def test_a_planting_recorded_after_the_harvest_is_refused(session, batch):
    record(session, batch, "planting", "2024-03-05 08:00")
    record(session, batch, "harvest", "2024-11-05 08:00")
    with pytest.raises(EventRefused, match="晚于已记录的采收/出栏"):
        record(session, batch, "planting", "2024-11-20 08:00")


def test_a_harvest_inside_a_pesticides_safe_interval_is_refused_with_the_earliest_day(
    session, batch
):
    record(session, batch, "planting", "2024-03-05 08:00")
    record(
        session,
        batch,
        "input_use",
        "2024-11-01 09:00",
        input_name="吡虫啉",
        input_kind="pesticide",
        safe_interval_days=14,
    )
    with pytest.raises(EventRefused, match="安全间隔期 14 天.*最早可于 2024-11-15 09:00"):
        record(session, batch, "harvest", "2024-11-10 08:00")


def test_a_harvest_on_the_day_the_interval_ends_is_accepted(session, batch):
    record(session, batch, "planting", "2024-03-05 08:00")
    record(
        session,
        batch,
        "input_use",
        "2024-11-01 09:00",
        input_name="吡虫啉",
        input_kind="农药",
        safe_interval_days=14,
    )
    record(session, batch, "harvest", "2024-11-15 09:00")
    assert steps(session, batch)[-1] == "harvest"


def test_a_slaughter_inside_a_veterinary_drugs_withdrawal_period_is_refused(session, batch):
    record(session, batch, "planting", "2024-01-05 08:00")
    record(
        session,
        batch,
        "input_use",
        "2024-06-01 09:00",
        input_name="恩诺沙星",
        input_kind="vet_drug",
        safe_interval_days=10,
    )
    with pytest.raises(EventRefused, match="休药期 10 天"):
        record(session, batch, "harvest", "2024-06-05 08:00")


def test_a_pesticide_whose_interval_would_cover_a_recorded_harvest_is_refused(session, batch):
    record(session, batch, "planting", "2024-03-05 08:00")
    record(session, batch, "harvest", "2024-11-10 08:00")
    with pytest.raises(EventRefused, match="晚于采收/出栏|安全间隔期"):
        record(
            session,
            batch,
            "input_use",
            "2024-11-05 09:00",
            input_name="吡虫啉",
            input_kind="pesticide",
            safe_interval_days=14,
        )


def test_an_input_after_the_harvest_is_refused(session, batch):
    record(session, batch, "planting", "2024-03-05 08:00")
    record(session, batch, "harvest", "2024-11-10 08:00")
    with pytest.raises(EventRefused, match="晚于采收/出栏"):
        record(
            session,
            batch,
            "input_use",
            "2024-11-12 09:00",
            input_name="尿素",
            input_kind="fertilizer",
        )


def test_a_pesticide_without_its_safe_interval_is_refused(session, batch):
    record(session, batch, "planting", "2024-03-05 08:00")
    with pytest.raises(InvalidValue, match="须填写安全间隔期"):
        record(
            session,
            batch,
            "input_use",
            "2024-05-01 09:00",
            input_name="吡虫啉",
            input_kind="pesticide",
        )


def test_shipping_a_batch_that_failed_inspection_is_refused(session, batch):
    grow_and_harvest(session, batch, inspection="fail")
    with pytest.raises(EventRefused, match="最近一次检测.*不合格，不能发货"):
        record(session, batch, "shipping", "2024-11-08 08:00")


def test_shipping_after_a_passed_re_inspection_is_accepted(session, batch):
    grow_and_harvest(session, batch, inspection="fail")
    record(session, batch, "inspection", "2024-11-07 10:00", result="合格")
    record(session, batch, "shipping", "2024-11-08 08:00")
    assert steps(session, batch)[-1] == "shipping"


def test_packing_before_the_harvest_is_refused(session, batch):
    record(session, batch, "planting", "2024-03-05 08:00")
    with pytest.raises(EventRefused, match="尚未采收"):
        record(session, batch, "packing", "2024-04-01 08:00")


def test_an_inspection_needs_a_result(session, batch):
    with pytest.raises(InvalidValue, match="检测须填写结果"):
        record(session, batch, "inspection", "2024-04-01 08:00")


def test_an_event_in_the_future_is_refused(session, batch):
    with pytest.raises(InvalidValue, match="在将来"):
        record(session, batch, "planting", "2025-06-01 08:00")


def test_the_same_event_sent_twice_is_stored_once(session, batch):
    first = record(session, batch, "planting", "2024-03-05 08:00")
    second = record(session, batch, "planting", "2024-03-05 08:00")
    assert first.id == second.id
    assert session.scalar(select(func.count()).select_from(Event)) == 1


def test_a_refused_event_writes_nothing(session, batch):
    with pytest.raises(EventRefused):
        record(session, batch, "harvest", "2024-11-05 08:00")
    assert session.scalar(select(func.count()).select_from(Event)) == 0


def test_an_event_before_2000_is_refused_as_a_typing_error(session, batch):
    with pytest.raises(InvalidValue, match="早于 2000 年"):
        record(session, batch, "planting", "0201-03-05 08:00")
