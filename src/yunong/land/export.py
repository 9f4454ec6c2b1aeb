"""Write parcels or zones of a region to GeoPackage, Shapefile, GeoJSON or GeoParquet.

The fields are those of :data:`yunong.land.layers.EXPORT_FIELDS` (ASCII names
of ten characters at most, so a Shapefile keeps them), the values in Chinese,
the geometry in CGCS2000 (EPSG:4490). Shapefiles are written in UTF-8 with a
.cpg file saying so. What is exported can be imported again unchanged.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas
import pyogrio
from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.errors import InvalidValue
from yunong.core.regions import service as regions
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.land.codes import (
    UNIT_KIND_LABELS,
    USE_LABELS,
    ZONE_KIND_LABELS,
    UnitKind,
    Use,
    ZoneKind,
)
from yunong.land.geometry import STORAGE_EPSG, to_mu
from yunong.land.models import Parcel, Zone

FORMATS = {"gpkg": ".gpkg", "shp": ".shp", "geojson": ".geojson", "parquet": ".parquet"}


@dataclass(frozen=True)
class Exported:
    path: Path
    features: int


def yes_no(value: bool) -> str:
    return "是" if value else "否"


def parcel_record(parcel: Parcel, village_names: dict[str, str]) -> dict[str, Any]:
    """The exported fields of one parcel (also the attributes of the OGC API)."""
    return {
        "QNM": parcel.code,
        "DKBM": parcel.contract_plot_code,
        "BDCDYH": parcel.real_estate_unit_code,
        "CUNDM": parcel.village_code,
        "CUNMC": village_names.get(parcel.village_code, ""),
        "DKLX": UNIT_KIND_LABELS[UnitKind(parcel.kind)],
        "DLBM": parcel.land_class_code,
        "DLMC": parcel.land_class,
        "MJ": float(parcel.area_m2),
        "MJM": float(to_mu(parcel.area_m2)),
        "TBMJ": None if parcel.reported_area_m2 is None else float(parcel.reported_area_m2),
        "PDJB": parcel.slope_grade,
        "GDLX": parcel.terrace,
        "YJJBNT": yes_no(parcel.permanent_farmland),
        "GBZNT": yes_no(parcel.high_standard),
        "GBZXM": parcel.high_standard_project,
        "ZZSX": USE_LABELS[Use(parcel.current_use)] if parcel.current_use else None,
        "SJNF": parcel.use_year,
        "CBFQNM": parcel.holder_code,
        "CBFBM": parcel.contractor_code,
        "QSDWDM": parcel.owner_code,
    }


def zone_record(zone: Zone) -> dict[str, Any]:
    """The exported fields of one protection zone."""
    return {
        "QNM": zone.code,
        "BHLX": ZONE_KIND_LABELS[ZoneKind(zone.kind)],
        "MC": zone.name,
        "BH": zone.source_key.rsplit(":", 1)[-1],
        "XZQDM": zone.region_code,
        "MJ": float(zone.area_m2),
        "MJM": float(to_mu(zone.area_m2)),
    }


def village_names(session: Session, scope: Scope) -> dict[str, str]:
    query = scope.filter(select(Region.code, Region.name), Region.code)
    return dict(session.execute(query).tuples().all())


def parcel_frame(session: Session, scope: Scope) -> geopandas.GeoDataFrame:
    names = village_names(session, scope)
    query = scope.filter(select(Parcel), Parcel.village_code).order_by(Parcel.code)
    records, shapes = [], []
    for parcel in session.scalars(query).yield_per(20_000):
        records.append(parcel_record(parcel, names))
        shapes.append(parcel.geom)
    return geopandas.GeoDataFrame(records, geometry=shapes, crs=f"EPSG:{STORAGE_EPSG}")


def zone_frame(session: Session, scope: Scope) -> geopandas.GeoDataFrame:
    query = scope.filter(select(Zone), Zone.region_code).order_by(Zone.code)
    records, shapes = [], []
    for zone in session.scalars(query):
        records.append(zone_record(zone))
        shapes.append(zone.geom)
    return geopandas.GeoDataFrame(records, geometry=shapes, crs=f"EPSG:{STORAGE_EPSG}")


def export(
    session: Session, *, scope: Scope, region_code: str, out: Path, file_format: str, layer: str
) -> Exported:
    """Write the parcels (or zones) inside ``region_code`` and the caller's scope to ``out``."""
    if file_format not in FORMATS:
        raise InvalidValue(f"导出格式“{file_format}”无效，可选：{'、'.join(FORMATS)}")
    if layer not in ("parcels", "zones"):
        raise InvalidValue(f"图层“{layer}”无效，应为 parcels 或 zones")
    region = regions.get_visible(session, scope=scope, code=region_code)
    within = scope.narrowed_to(region.code)
    data = parcel_frame(session, within) if layer == "parcels" else zone_frame(session, within)
    path = out if out.suffix else out.with_suffix(FORMATS[file_format])
    path.parent.mkdir(parents=True, exist_ok=True)
    if file_format == "parquet":
        data.to_parquet(path)
    else:
        options = {"encoding": "UTF-8"} if file_format == "shp" else {}
        name = "parcels" if layer == "parcels" else "zones"
        pyogrio.write_dataframe(
            data, path, layer=name if file_format == "gpkg" else None, **options
        )
    audit.record(
        session,
        scope=scope,
        action=f"land.{layer}_export",
        target_type="region",
        target_id=region.code,
        region_code=region.code,
        detail=f"{len(data)} 个要素，{file_format}",
    )
    return Exported(path, len(data))
