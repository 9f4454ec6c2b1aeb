"""积分制: unreviewed entries are not public; approved entries of a month are published
together and appear on the village's public board with the heads' names masked; a refused
entry needs a reason and is never published; the balance is published points minus
redemptions, a redemption beyond it is refused, and corrections are reversing entries."""

from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import make_place
from tests.monitor.factories import Member, add_household
from yunong.core.audit.models import AuditRecord
from yunong.core.auth.roles import Role
from yunong.core.errors import Forbidden, InvalidValue
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.governance import households, points
from yunong.governance import indicators as governance_indicators
from yunong.policy import loader

pytestmark = pytest.mark.db
RULES = loader.get().governance


@pytest.fixture
def village(session):
    place = make_place(session)
    for number, head, born in (("001", "张建华", 1961), ("002", "李明", 1962)):
        add_household(
            session, village=place.village, number=number, members=[Member(head, date(born, 2, 3))]
        )
    return place.village


def scopes(village: str) -> tuple[Scope, Scope]:
    grid = Scope(actor="grid_shiping", region_code=village, role=Role.GRID_WORKER.value)
    cadre = Scope(actor="cadre_shiping", region_code=village, role=Role.VILLAGE_CADRE.value)
    return grid, cadre


def record(session, scope, household: str, item: str, day: date = date(2024, 5, 6)):
    return points.record(
        session, scope=scope, rules=RULES,
        entry_in=points.EntryIn(household, item, "院坝打扫干净", day),
    )  # fmt: skip


def first_household(session, village: str) -> households.Found:
    return households.find(session, scope=Scope.system(), key="001", village=village)


def board(session, village: str) -> list[tuple[str, str, int]]:
    found = points.public_board(session, scope=points.PUBLIC, village=village)
    return [(row.number, row.head, row.earned) for row in found.rows]


def test_only_approved_and_published_entries_appear_on_the_public_board_names_masked(
    session, village
):
    grid, cadre = scopes(village)
    approved = record(session, grid, "001", "wedding_simple")  # 10
    waiting = record(session, grid, "002", "yard_clean")
    refused = record(session, grid, "002", "volunteer")
    june = record(session, grid, "001", "meeting", date(2024, 6, 3))
    points.review(session, scope=cadre, entry_id=approved.id, approve=True)
    points.review(session, scope=cadre, entry_id=june.id, approve=True)
    points.review(session, scope=cadre, entry_id=refused.id, approve=False, reason="未参加")
    assert board(session, village) == []  # approved, not yet published
    assert points.publish(session, scope=cadre, village=village, month="2024-05") == 1
    assert board(session, village) == [("001", "张*华", 10)]
    assert (waiting.state, refused.state, june.state) == ("pending", "refused", "approved")


def test_a_refusal_needs_a_reason_and_only_village_cadres_review(session, village):
    grid, cadre = scopes(village)
    entry = record(session, grid, "001", "yard_clean")
    with pytest.raises(Forbidden, match="积分由村干部审核"):
        points.review(session, scope=grid, entry_id=entry.id, approve=True)
    with pytest.raises(InvalidValue, match="不通过时请写明理由"):
        points.review(session, scope=cadre, entry_id=entry.id, approve=False)


def test_the_balance_is_published_points_less_redemptions_which_may_not_exceed_it(session, village):
    grid, cadre = scopes(village)
    for item in ("wedding_simple", "filial_care", "yard_clean"):  # 10 + 10 + 5
        entry = record(session, grid, "001", item)
        points.review(session, scope=cadre, entry_id=entry.id, approve=True)
    points.publish(session, scope=cadre, village=village, month="2024-05")
    household = points.household_view(
        session, scope=cadre, code=first_household(session, village).code
    )
    points.redeem(session, scope=cadre, household="001", item="洗衣粉 2 袋", points=20)
    with pytest.raises(InvalidValue, match="积分不足：农户 .* 现有 5 分，兑换“食用油 1 桶”需 8 分"):
        points.redeem(session, scope=cadre, household="001", item="食用油 1 桶", points=8)
    balance = points.balance_of(
        session, scope=cadre, household_id=first_household(session, village).id
    )
    assert (balance.earned, balance.redeemed, balance.balance) == (25, 20, 5)
    assert household.balance.balance == 25


def test_a_correction_is_a_reversing_entry_and_the_ledger_row_stays(session, village):
    grid, cadre = scopes(village)
    entry = record(session, grid, "001", "wedding_simple")
    points.review(session, scope=cadre, entry_id=entry.id, approve=True)
    points.publish(session, scope=cadre, village=village, month="2024-05")
    redeemed = points.redeem(session, scope=cadre, household="001", item="毛巾", points=4)
    earned = points.household_view(
        session, scope=cadre, code=first_household(session, village).code
    ).ledger[0]
    with pytest.raises(InvalidValue, match="冲正后积分余额将为负数"):
        points.reverse(session, scope=cadre, ledger_id=earned.id, note="登记错户")
    points.reverse(session, scope=cadre, ledger_id=redeemed.id, note="退回物品")
    points.reverse(session, scope=cadre, ledger_id=earned.id, note="登记错户")
    found = points.household_view(session, scope=cadre, code=first_household(session, village).code)
    assert [(row.kind, row.points) for row in found.ledger] == [
        ("earned", 10), ("redeemed", -4), ("reversal", 4), ("reversal", -10),
    ]  # fmt: skip
    assert found.balance.balance == 0
    assert board(session, village) == [("001", "张*华", 0)]


def test_villages_running_points_are_those_with_an_entry_published_in_the_year(session, village):
    grid, cadre = scopes(village)
    entry = record(session, grid, "001", "volunteer")
    record(session, grid, "002", "volunteer")  # waiting: not published
    points.review(session, scope=cadre, entry_id=entry.id, approve=True)
    points.publish(session, scope=cadre, village=village, month="2024-05")
    found = governance_indicators.points_villages(
        session, period=2024, level=Level.DISTRICT, under="500101"
    )
    assert (found["500101000000"].numerator, found["500101000000"].denominator) == (1, 3)
    later = governance_indicators.points_villages(
        session, period=2025, level=Level.DISTRICT, under="500101"
    )
    assert later["500101000000"].numerator == 0


def test_every_view_of_an_entrys_photo_is_recorded(session, village):
    grid, cadre = scopes(village)
    entry = points.record(
        session, scope=grid, rules=RULES,
        entry_in=points.EntryIn("001", "yard_clean", "", date(2024, 5, 6)), photo=b"jpeg",
    )  # fmt: skip
    assert points.photo_of(session, scope=cadre, entry_id=entry.id) == b"jpeg"
    viewers = session.scalars(
        select(AuditRecord.actor).where(
            AuditRecord.action == "governance.points_photo_view",
            AuditRecord.target_id == str(entry.id),
        )
    ).all()
    assert viewers == ["cadre_shiping"]
