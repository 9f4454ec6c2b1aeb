"""基层治理 test data: matters reported through the service; grids and points entries for
the scope matrix and the lists."""

from datetime import date

from sqlalchemy import select

from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.governance import grids, matters, points
from yunong.monitor.models import Household
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


def grid_worker_of(session, village: str) -> str:
    """The first grid worker account of ``village``."""
    return users.get_active_names(
        session, scope=SYSTEM, role=Role.GRID_WORKER, region_code=village
    )[0]


def scope_row(session, village: str) -> tuple[str, int, int]:
    """For the scope matrix, in ``village``: a 小事 waiting for the village, a grid of the
    village's first household, and a points entry of that household waiting for review."""
    number = small_matter(session, village, f"矩阵事项{village[-3:]}路灯不亮").number
    household = session.scalars(
        select(Household.code).where(Household.village_code == village).order_by(Household.id)
    ).first()
    grid = grids.create(
        session,
        scope=SYSTEM,
        grid_in=grids.GridIn(village, "矩阵网格", grid_worker_of(session, village)),
    )
    grids.assign(session, scope=SYSTEM, grid=grid, keys=[household])
    entry = points.record(
        session,
        scope=SYSTEM,
        rules=RULES,
        entry_in=points.EntryIn(household, "yard_clean", "庭院整洁", date(2024, 6, 3)),
    )
    return number, grid.id, entry.id


def add_list_rows(session, village: str, count: int) -> None:
    """More than a page of matters and of grids in ``village``."""
    worker = grid_worker_of(session, village)
    for number in range(count):
        small_matter(session, village, f"清单事项{number:03d}：院坝路灯不亮")
        grids.create(
            session, scope=SYSTEM, grid_in=grids.GridIn(village, f"清单网格{number:03d}", worker)
        )
