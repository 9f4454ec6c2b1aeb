"""竣工验收: the parcels inside an accepted project become high-standard farmland.

A parcel is inside when at least half of it lies within the boundary (the land module's
rule for zones); the land module sets its flag, the project's 全农码 and year.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.errors import Conflict
from yunong.core.scope import Scope
from yunong.farmland.models import Project, ProjectParcel
from yunong.land import high_standard

INSIDE_SHARE = 0.5


def parcels_inside(session: Session, *, project: Project) -> list[int]:
    """Ids of the parcels at least half inside the project's boundary."""
    rows = session.execute(
        select(ProjectParcel.parcel_id, ProjectParcel.overlap_m2, ProjectParcel.parcel_m2).where(
            ProjectParcel.project_id == project.id
        )
    )
    return sorted(
        parcel for parcel, overlap, area in rows if float(overlap) >= INSIDE_SHARE * float(area)
    )


def accept(session: Session, *, scope: Scope, project: Project) -> int:
    """Flag the parcels inside ``project``; returns how many changed."""
    if project.geom is None:
        raise Conflict(
            "项目“{number}”尚未上图入库（没有项目边界），不能竣工验收", number=project.number
        )
    if project.code is None:
        raise Conflict("项目“{number}”没有全农码", number=project.number)
    return high_standard.mark(
        session,
        scope=scope,
        parcel_ids=parcels_inside(session, project=project),
        project_code=project.code,
        year=project.year,
    )
