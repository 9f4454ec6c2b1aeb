"""`yunong governance grids import FILE`: grids and their households from a sheet (xlsx or
CSV) with the columns 村代码, 网格名称, 网格员(账号), 户编号 — one row per household.

A grid named for the first time is created with its grid worker; a household already in
that grid is left as it is, one in another grid moves. Each row is written whole or not at
all: a refused row is listed with its line, column and reason, the others go in, and the
same file imported twice changes nothing the second time.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from yunong.core.errors import InvalidValue, YunongError
from yunong.core.scope import Scope
from yunong.core.tabular import RowError, read_table
from yunong.governance import grids

COLUMNS = {
    "village": ("村代码", "村（社区）代码"),
    "grid": ("网格名称", "网格"),
    "worker": ("网格员(账号)", "网格员账号", "网格员"),
    "household": ("户编号", "全农码"),
}
REQUIRED = ("village", "grid", "worker", "household")
LABELS = {name: aliases[0] for name, aliases in COLUMNS.items()}


@dataclass
class GridImport:
    grids_created: int = 0
    assigned: int = 0
    moved: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "grids": {"created": self.grids_created},
            "households": {
                "assigned": self.assigned,
                "moved": self.moved,
                "unchanged": self.unchanged,
                "rejected": len(self.errors),
            },
            "errors": [
                {"line": e.line, "column": e.column, "reason": e.reason} for e in self.errors
            ],
        }

    def summary(self) -> str:
        return (
            f"新建网格 {self.grids_created} 个；农户入网格 {self.assigned} 户，"
            f"调整 {self.moved} 户，未变 {self.unchanged} 户，拒绝 {len(self.errors)} 行"
        )


def import_file(session: Session, *, scope: Scope, path: Path) -> GridImport:
    grids.check_may_keep(scope)
    result = GridImport()
    for line, row in read_table(path, COLUMNS, REQUIRED):
        column, created = "village", False
        try:
            with session.begin_nested():
                village = grids.village_in_scope(session, scope, row["village"])
                column = "grid"
                grid = grids.get_by_name(session, scope=scope, village=village, name=row["grid"])
                column = "worker"
                if grid is None:
                    grid = grids.create(
                        session,
                        scope=scope,
                        grid_in=grids.GridIn(village, row["grid"], row["worker"]),
                    )
                    created = True
                elif grid.worker != row["worker"].strip():
                    raise InvalidValue(
                        "网格“{grid}”的网格员是 {worker}", grid=grid.name, worker=grid.worker
                    )
                column = "household"
                done = grids.assign(session, scope=scope, grid=grid, keys=[row["household"]])
        except YunongError as error:
            result.errors.append(RowError(line, LABELS[column], str(error)))
            continue
        result.grids_created += int(created)
        result.assigned += done.assigned
        result.moved += done.moved
        result.unchanged += done.unchanged
    return result
