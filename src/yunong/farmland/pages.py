"""What the project page shows: the project, its steps, parties, content, investment, the
boundary with the parcels inside drawn to scale, its maintenance list and reports; and
which step form the caller may see."""

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.farmland import maintenance, projects, steps
from yunong.farmland.codes import STEP_ROLES, Step
from yunong.farmland.models import Duty, Project, ProjectParcel, ProjectStep, Report
from yunong.land import high_standard

SVG_SIZE = 320.0


@dataclass
class Drawing:
    """The boundary and the parcels it meets as SVG paths in a square of SVG_SIZE."""

    boundary: str = ""
    inside: list[str] = field(default_factory=list)
    edge: list[str] = field(default_factory=list)


@dataclass
class ProjectView:
    project: Project
    detail: projects.ProjectDetail | None
    history: list[ProjectStep]
    next_step: Step | None
    may_take: bool
    duties: list[Duty]
    reports: list[Report]
    drawing: Drawing
    keeps: bool
    """The caller's district keeps the project (else they see it for its maintenance)."""


def path_of(geometry: shapely.Geometry, west: float, north: float, scale: float) -> str:
    parts = []
    polygons = getattr(geometry, "geoms", [geometry])
    for polygon in polygons:
        for ring in [polygon.exterior, *polygon.interiors]:
            points = " L ".join(
                f"{(x - west) * scale:.1f} {(north - y) * scale:.1f}" for x, y in ring.coords
            )
            parts.append(f"M {points} Z")
    return " ".join(parts)


def drawing(session: Session, scope: Scope, project: Project) -> Drawing:
    if project.geom is None:
        return Drawing()
    west, south, east, north = shapely.bounds(project.geom).tolist()
    scale = SVG_SIZE / max(east - west, north - south, 1e-9)
    inside = set(
        session.scalars(
            select(ProjectParcel.parcel_id).where(ProjectParcel.project_id == project.id)
        )
    )
    from yunong.land.spatial import Box

    parcels = high_standard.cultivated_in_box(
        session, scope=scope, box=Box(west, south, east, north)
    )
    found = Drawing(boundary=path_of(project.geom, west, north, scale))
    shapes = np.asarray(parcels.geometries, dtype=object)
    for parcel_id, shape in zip(parcels.ids, shapes, strict=True):
        clipped = shapely.intersection(shape, shapely.box(west, south, east, north))
        if clipped.is_empty or clipped.geom_type not in ("Polygon", "MultiPolygon"):
            continue
        (found.inside if parcel_id in inside else found.edge).append(
            path_of(clipped, west, north, scale)
        )
    return found


def project_view(session: Session, *, scope: Scope, number: str) -> ProjectView:
    project, duties = maintenance.visible_project(session, scope=scope, number=number)
    keeps = scope.covers(project.region_code)
    upcoming = steps.next_step(project)
    may_take = (
        keeps
        and scope.can_write
        and upcoming is not None
        and scope.role is not None
        and Role(scope.role) in STEP_ROLES[upcoming]
    )
    reports = list(
        session.scalars(
            scope.filter(
                select(Report).where(Report.project_id == project.id), Report.region_code
            ).order_by(Report.reported_on.desc(), Report.id.desc())
        )
    ) if not keeps else list(
        session.scalars(
            select(Report)
            .where(Report.project_id == project.id)
            .order_by(Report.reported_on.desc(), Report.id.desc())
        )
    )  # fmt: skip
    return ProjectView(
        project=project,
        detail=projects.detail(session, scope=scope, number=number) if keeps else None,
        history=steps.history(session, project=project),
        next_step=upcoming,
        may_take=may_take,
        duties=duties,
        reports=reports,
        drawing=drawing(session, scope, project),
        keeps=keeps,
    )


def today() -> date:
    return date.today()
