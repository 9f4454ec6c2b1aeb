"""High-standard farmland on the parcels: what the farmland module reads and the one way
the flag is set.

A parcel's ``high_standard`` flag, its project (全农码) and year are set only here, by the
acceptance (竣工验收) of a high-standard farmland project; survey imports and the map never
set them.
"""

from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import and_, case, func, literal_column, select, update
from sqlalchemy.orm import Session

from yunong.core.regions import codes
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.land.codes import UnitKind
from yunong.land.geometry import decode, wkb_column
from yunong.land.models import Parcel
from yunong.land.spatial import Box, ids_meeting
from yunong.store.base import utcnow
from yunong.store.bulk import chunks


@dataclass
class CultivatedParcels:
    """Cultivated parcels in a box: ids, villages, areas (m², Gauss–Krüger) and shapes."""

    ids: list[int]
    villages: list[str]
    areas_m2: np.ndarray
    geometries: np.ndarray
    uses: list[str | None]


def cultivated_in_box(session: Session, *, scope: Scope, box: Box) -> CultivatedParcels:
    """Cultivated parcels in the scope whose bounding box meets ``box`` (degrees)."""
    dialect = session.get_bind().dialect.name
    query = scope.filter(
        select(
            Parcel.id,
            Parcel.village_code,
            Parcel.area_m2,
            Parcel.current_use,
            wkb_column(Parcel.geom, dialect),
        ).where(
            Parcel.kind == UnitKind.CULTIVATED.value,
            # The spatial index (GiST or R-tree) finds the candidates.
            Parcel.id.in_(ids_meeting("land_parcel", box, dialect)),
        ),
        Parcel.village_code,
    ).order_by(Parcel.id)
    rows = session.execute(query).all()
    return CultivatedParcels(
        ids=[row[0] for row in rows],
        villages=[row[1] for row in rows],
        areas_m2=np.array([float(row[2]) for row in rows], dtype=float),
        geometries=decode([row[4] for row in rows]) if rows else np.empty(0, dtype=object),
        uses=[row[3] for row in rows],
    )


def mark(
    session: Session, *, scope: Scope, parcel_ids: list[int], project_code: str, year: int
) -> int:
    """Flag the parcels of an accepted project as high-standard farmland, with the project's
    全农码 and year; returns how many parcels changed."""
    changed = 0
    for chunk in chunks(sorted(set(parcel_ids))):
        query = scope.filter(
            select(Parcel.id).where(
                Parcel.id.in_(chunk),
                (Parcel.high_standard.is_(False))
                | (Parcel.high_standard_project.is_(None))
                | (Parcel.high_standard_project != project_code)
                | (Parcel.high_standard_year.is_(None))
                | (Parcel.high_standard_year != year),
            ),
            Parcel.village_code,
        )
        ids = list(session.scalars(query))
        if ids:
            session.execute(
                update(Parcel)
                .where(Parcel.id.in_(ids))
                .values(
                    high_standard=True,
                    high_standard_project=project_code,
                    high_standard_year=year,
                    updated_at=utcnow(),
                )
            )
            changed += len(ids)
    return changed


@dataclass(frozen=True)
class RegionFigures:
    """Square metres of a region's cultivated land, by what the high-standard flag says."""

    permanent: float = 0.0
    permanent_high_standard: float = 0.0
    high_standard: float = 0.0
    high_standard_with_use: float = 0.0
    """High-standard land whose current use is recorded."""
    high_standard_grain_oil: float = 0.0
    """High-standard land in one of ``uses`` (grain, oil and the pack's other allowed uses)."""


def figures(
    session: Session, *, scope: Scope, level: Level, uses: tuple[str, ...]
) -> dict[str, RegionFigures]:
    """Every region of ``level`` inside the scope that has cultivated land, by 12-digit code."""
    length = codes.PREFIX_LENGTHS[level]
    region = func.substr(Parcel.village_code, literal_column("1"), literal_column(str(length)))
    high = Parcel.high_standard.is_(True)
    permanent = Parcel.permanent_farmland.is_(True)

    def total(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, Parcel.area_m2), else_=0)), 0)

    query = scope.filter(
        select(
            region,
            total(permanent),
            total(and_(permanent, high)),
            total(high),
            total(and_(high, Parcel.current_use.is_not(None))),
            total(and_(high, Parcel.current_use.in_(uses))),
        )
        .where(Parcel.kind == UnitKind.CULTIVATED.value)
        .group_by(region),
        Parcel.village_code,
    )
    return {
        str(code).ljust(12, "0"): RegionFigures(*(float(value) for value in values))
        for code, *values in session.execute(query)
    }


def villages_of(session: Session, *, scope: Scope, parcel_ids: list[int]) -> dict[int, str]:
    """The village of each parcel in the scope, by id."""
    found: dict[int, str] = {}
    for chunk in chunks(sorted(set(parcel_ids))):
        query = scope.filter(
            select(Parcel.id, Parcel.village_code).where(Parcel.id.in_(chunk)),
            Parcel.village_code,
        )
        found.update({row[0]: row[1] for row in session.execute(query)})
    return found
