"""竣工验收: the parcels inside an accepted project become high-standard farmland.

A parcel is inside when at least half of it lies within the boundary (the land module's
rule for zones); the land module sets its flag, the project's 全农码 and year. Once the
acceptance is committed, the village land summary that the one map reads is recomputed for
the villages the project covers (:func:`refresh_map`), whether it was taken on a page or
the command line.
"""

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from yunong.core.errors import Conflict
from yunong.core.scope import Scope
from yunong.farmland import projects
from yunong.farmland.models import Project, ProjectParcel
from yunong.land import high_standard, summary
from yunong.land.models import Parcel
from yunong.policy import loader
from yunong.policy.schema import Pack

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


def villages_covered(session: Session, *, scope: Scope, number: str) -> list[str]:
    """The villages of the parcels the project's boundary covers, whose map figures its
    acceptance changes."""
    project = projects.get(session, scope=scope, number=number)
    return sorted(
        session.scalars(
            select(Parcel.village_code)
            .join(ProjectParcel, ProjectParcel.parcel_id == Parcel.id)
            .where(ProjectParcel.project_id == project.id)
            .distinct()
        )
    )


def refresh_map(engine: Engine, *, villages: list[str], pack: Pack | None = None) -> int:
    """Recompute the village land summary of ``villages`` from the committed parcels (the
    analysis reads the database, so this runs after the acceptance's transaction)."""
    if not villages:
        return 0
    return summary.refresh(engine, pack=pack or loader.get(), villages=villages)
