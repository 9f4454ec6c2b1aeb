"""Order groups: a village's orders for one operation whose work windows overlap form one
group (the dispatcher sends one machine for the batch); another village or operation, or a
window that does not overlap, makes another group."""

from datetime import date
from decimal import Decimal

from yunong.services.grouping import group_orders
from yunong.services.models import Order

SHIPING = "500101001001"
HEPING = "500101001002"
NAMES = {SHIPING: "石坪村", HEPING: "和平村"}


def order(code, village=SHIPING, operation="收获", days=(14, 16), area="5"):
    return Order(
        code=code, operation=operation, area_mu=Decimal(area), region_code=village,
        earliest=date(2026, 9, days[0]), latest=date(2026, 9, days[1]),
    )  # fmt: skip


def test_orders_of_one_village_with_overlapping_windows_fall_in_one_group():
    groups = group_orders(
        [order("A", days=(14, 16)), order("B", days=(16, 18), area="3.5"),
         order("C", days=(17, 20))],
        NAMES,
    )  # fmt: skip
    assert len(groups) == 1
    (group,) = groups
    assert [o.code for o in group.orders] == ["A", "B", "C"]
    assert (group.count, group.area_mu) == (3, Decimal("13.5"))
    assert (group.earliest, group.latest) == (date(2026, 9, 14), date(2026, 9, 20))
    assert group.village == "石坪村"


def test_another_village_operation_or_a_later_window_makes_another_group():
    groups = group_orders(
        [order("A"), order("B", village=HEPING), order("C", operation="耕整地"),
         order("D", days=(20, 22))],
        NAMES,
    )  # fmt: skip
    assert sorted(tuple(o.code for o in g.orders) for g in groups) == [
        ("A",),
        ("B",),
        ("C",),
        ("D",),
    ]
