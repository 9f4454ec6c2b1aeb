"""基层治理 test data: matters reported through the service."""

from datetime import date

from yunong.core.scope import Scope
from yunong.governance import matters
from yunong.policy import loader

SYSTEM = Scope.system("test")
RULES = loader.get().governance


def small_matter(session, village: str, text: str, day: date = date(2024, 6, 3)):
    return matters.report(
        session,
        scope=SYSTEM,
        rules=RULES,
        matter_in=matters.MatterIn(village, "小事", text, "张建国", "resident", reported_on=day),
    )


def scope_row(session, village: str) -> str:
    """For the scope matrix: a 小事 reported in ``village``, waiting for the village."""
    return small_matter(session, village, f"矩阵事项{village[-3:]}路灯不亮").number


def add_list_rows(session, village: str, count: int) -> None:
    """More than a page of matters in ``village``."""
    for number in range(count):
        small_matter(session, village, f"清单事项{number:03d}：院坝路灯不亮")
