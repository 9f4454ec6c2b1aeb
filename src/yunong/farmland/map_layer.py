"""The projects' layer of the one map (``/apps/land``): the boundaries of the projects in a
view, served with the parcels by the land map's JSON under ``projects``.

A project belongs to its district, so the layer shows the projects whose district lies in the
caller's scope (narrowed to the map's region filter), as the project pages do. Every project
with a boundary is drawn, accepted or not; its properties say its kind and its step so the
page can colour it and fill its card.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.scope import Scope
from yunong.farmland.codes import KIND_LABELS, STEP_LABELS, ProjectKind, Step
from yunong.farmland.models import Project
from yunong.land import map as land_map
from yunong.land.geometry import decode, to_mu, wkb_column
from yunong.land.spatial import Box

MIN_ZOOM = 8
"""From about the whole city across a screen on, projects are drawn."""
MAX_PROJECTS = 2000
ACCEPTED = frozenset({Step.ACCEPT.value, Step.EVALUATE.value})
KIND_COLOURS = {ProjectKind.NEW: "#00838f", ProjectKind.UPGRADE: "#ef6c00"}


def projects_in(session: Session, box: Box, scope: Scope, zoom: int) -> list[land_map.Feature]:
    """The projects whose boundary's box meets the view, clipped and simplified for the zoom."""
    if zoom < MIN_ZOOM:
        return []
    dialect = session.get_bind().dialect.name
    query = scope.filter(
        select(
            Project.number,
            Project.name,
            Project.kind,
            Project.year,
            Project.step,
            Project.cultivated_m2,
            wkb_column(Project.geom, dialect),
        ).where(
            Project.geom.is_not(None),
            Project.min_x <= box.east,
            Project.max_x >= box.west,
            Project.min_y <= box.north,
            Project.max_y >= box.south,
        ),
        Project.region_code,
    )
    rows = session.execute(query.order_by(Project.number).limit(MAX_PROJECTS)).tuples().all()
    if not rows:
        return []
    shapes = land_map.shaped(decode([row[-1] for row in rows]), box, zoom)
    features = []
    for (number, name, kind, year, step, cultivated, _), shape in zip(rows, shapes, strict=True):
        if shape.is_empty:
            continue
        properties = {
            "number": number,
            "name": name,
            "kind": kind,
            "year": year,
            "step": step or "",
            "accepted": (step or "") in ACCEPTED,
            "cultivated_mu": float(to_mu(cultivated)) if cultivated is not None else None,
        }
        features.append((land_map.ENCODE(properties), shape))
    return features


LAYER = land_map.Overlay(
    name="高标准农田项目",
    features=projects_in,
    prop="kind",
    classes={kind.value: (KIND_LABELS[kind], KIND_COLOURS[kind]) for kind in ProjectKind},
    labels={"": "未开始", **{step.value: label for step, label in STEP_LABELS.items()}},
    link="/farmland/projects/{}",
)
land_map.register_overlay("projects", LAYER)
