"""Contracts of the collective: a schedule that does not make the price is refused, and the
accountant's 待办 lists the payments overdue (red) or due within 30 days (yellow) and the
contracts ending within 90 days."""

from datetime import date
from decimal import Decimal

import pytest

from tests.collective.factories import SYSTEM, make_org
from tests.factories import make_place
from yunong.collective import contracts, todo
from yunong.core.auth.roles import Role
from yunong.core.errors import InvalidValue
from yunong.core.scope import Scope

pytestmark = pytest.mark.db
TODAY = date(2024, 11, 1)


def fishpond(number: str, ends_on: date, schedule: list[tuple[date, str]]) -> contracts.ContractIn:
    return contracts.ContractIn(
        number=number,
        kind="letting",
        counterparty="渝东水产养殖合作社",
        subject="村集体鱼塘 10 亩",
        starts_on=date(2022, 1, 1),
        ends_on=ends_on,
        price=sum((Decimal(amount) for _, amount in schedule), Decimal(0)),
        schedule=[(due, Decimal(amount)) for due, amount in schedule],
    )


def test_a_schedule_that_does_not_make_the_price_is_refused(session):
    place = make_place(session)
    org = make_org(session, place.village)
    contract_in = fishpond("HT-1", date(2026, 12, 31), [(date(2024, 12, 31), "5000")])
    short = contracts.ContractIn(**{**contract_in.__dict__, "price": Decimal("6000")})
    with pytest.raises(InvalidValue) as refused:
        contracts.create(session, scope=SYSTEM, org=org, contract_in=short)
    assert refused.value.message == "付款计划合计 5000 元与合同价款 6000 元不符"


def test_the_accountant_is_told_of_payments_due_and_contracts_ending(session):
    place = make_place(session)
    org = make_org(session, place.village)
    overdue = fishpond(
        "HT-1", date(2030, 12, 31), [(date(2024, 10, 15), "5000"), (date(2025, 10, 15), "5000")]
    )
    due_soon = fishpond("HT-2", date(2030, 12, 31), [(date(2024, 11, 20), "3000")])
    ending = fishpond("HT-3", date(2025, 1, 20), [(date(2024, 1, 20), "2000")])
    paid = fishpond("HT-4", date(2030, 12, 31), [(date(2024, 10, 1), "1000")])
    for contract_in in (overdue, due_soon, ending, paid):
        made = contracts.create(session, scope=SYSTEM, org=org, contract_in=contract_in)
    contracts.record_payment(
        session, scope=SYSTEM, contract=made, due_on=date(2024, 10, 1), paid_on=date(2024, 10, 2)
    )
    contracts.record_payment(
        session,
        scope=SYSTEM,
        contract=contracts.get(session, scope=SYSTEM, org=org, number="HT-3"),
        due_on=date(2024, 1, 20),
        paid_on=date(2024, 1, 20),
    )
    accountant = Scope(
        actor="会计", region_code=place.village, role=Role.COLLECTIVE_ACCOUNTANT.value
    )
    work = {item.kind: item for item in todo.todo(session, accountant, today=TODAY)}
    collect = [(item.due_on, item.level) for item in work["collect"].items]
    assert collect == [(date(2024, 10, 15), "red"), (date(2024, 11, 20), "yellow")]
    assert [item.due_on for item in work["renew"].items] == [date(2025, 1, 20)]
    assert work["renew"].items[0].link == f"/collective/orgs/{org.code}/contracts"
    other_village = Scope(
        actor="会计", region_code=place.neighbour_village, role=Role.COLLECTIVE_ACCOUNTANT.value
    )
    elsewhere = {item.kind: item for item in todo.todo(session, other_village, today=TODAY)}
    assert "collect" not in elsewhere and "renew" not in elsewhere
