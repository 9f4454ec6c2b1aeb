"""Import parcels and protection zones from a vector file.

Every feature is checked — geometry (present, a valid polygon, inside
Chongqing), attributes, village (known, inside the caller's scope), code
(not twice in the file) — and refused with its number and a Chinese reason;
the others are written. A feature matches a stored one by its 全农码 or by its
key in the source layer; it is updated only when something differs, so the
same file imported twice changes nothing.
"""

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.identity.models import IdentityCode
from yunong.core.scope import Scope
from yunong.land import layers
from yunong.land.checks import (
    Checked,
    FeatureError,
    check_geometries,
    differs,
    refuse_duplicates,
    refuse_foreign,
    refuse_places,
)
from yunong.land.codes import Use
from yunong.land.geometry import encode
from yunong.land.layers import ParcelIn, Refused, Skipped, ZoneIn
from yunong.land.models import Parcel, Zone
from yunong.land.readers import Layer, read_layer
from yunong.land.spatial import bounds_of, bounds_of_many
from yunong.store.base import table_of, utcnow
from yunong.store.bulk import bulk_insert, chunks

ABANDONED = str(Use.ABANDONED)


@dataclass
class LandImport:
    layer: str
    schema: str
    features: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    errors: list[FeatureError] = field(default_factory=list)
    villages: list[str] = field(default_factory=list)
    """The villages whose parcels were imported or updated."""

    @property
    def rejected(self) -> int:
        return len({error.index for error in self.errors})

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["rejected"] = self.rejected
        data["errors"] = [asdict(error) for error in self.errors]
        del data["villages"]
        return data

    def summary(self) -> str:
        skipped = sum(self.skipped.values())
        return (
            f"要素 {self.features}：新增 {self.imported}，更新 {self.updated}，"
            f"未变 {self.unchanged}，"
            f"拒绝 {self.rejected}" + (f"，非“三块地”地类未导入 {skipped}" if skipped else "")
        )


def import_file(
    session: Session,
    *,
    scope: Scope,
    path: Path,
    layer: str,
    crs: str | None = None,
    year: int | None = None,
) -> LandImport:
    """Import the parcels or zones of ``path`` (``layer`` is ``parcels`` or ``zones``)."""
    if layer not in ("parcels", "zones"):
        raise ValueError(layer)
    read = read_layer(path, crs)
    rows = upper_rows(read)
    if layer == "parcels":
        schema = layers.parcel_schema(list(read.columns))
        result = LandImport(layer, schema, features=len(read))
        checked = check_geometries(read, result.errors)
        save_parcels(session, scope, rows, checked, schema, year or date.today().year, result)
    else:
        result = LandImport(layer, "zones", features=len(read))
        checked = check_geometries(read, result.errors)
        save_zones(session, scope, rows, checked, result)
    result.errors.sort(key=lambda error: (error.index, error.field))
    audit.record_file_import(
        session,
        scope=scope,
        action=f"land.{layer}_import",
        path=path,
        detail=result.summary(),
    )
    return result


def upper_rows(layer: Layer) -> list[dict[str, str]]:
    names = layers.folded_names(list(layer.columns))
    values = [layer.columns[original] for original in names.values()]
    keys = list(names)
    return [dict(zip(keys, row, strict=True)) for row in zip(*values, strict=True)] or [
        {} for _ in range(len(layer))
    ]


def parse_parcels(
    rows: list[dict[str, str]], checked: Checked, schema: str, year: int, result: LandImport
) -> tuple[dict[int, ParcelIn], dict[int, tuple[Any, float]]]:
    reader = layers.PARCEL_READERS[schema]
    parcels: dict[int, ParcelIn] = {}
    shapes: dict[int, tuple[Any, float]] = {}
    skipped: Counter[str] = Counter()
    for position, geometry, area in zip(
        checked.positions.tolist(), checked.geometries, checked.areas.tolist(), strict=True
    ):
        try:
            parcels[position] = reader(rows[position], year)
        except Skipped as skip:
            skipped[skip.land_class] += 1
            continue
        except Refused as refused:
            result.errors.append(FeatureError(position + 1, refused.field_name, refused.reason))
            continue
        shapes[position] = (geometry, area)
    result.skipped = dict(skipped)
    return parcels, shapes


def refuse_unknown_holders(
    session: Session, parcels: dict[int, ParcelIn], errors: list[FeatureError]
) -> None:
    """Holder codes must be registered 全农码; contractor codes resolve to them when stored
    beside a code as its national code."""
    holders = {p.holder_code for p in parcels.values() if p.holder_code}
    contractors = {p.contractor_code for p in parcels.values() if p.contractor_code}
    registered: set[str] = set()
    by_national: dict[str, str] = {}
    for chunk in chunks(sorted(holders)):
        registered |= set(
            session.scalars(select(IdentityCode.code).where(IdentityCode.code.in_(chunk)))
        )
    for chunk in chunks(sorted(contractors)):
        found = session.execute(
            select(IdentityCode.national_code, IdentityCode.code).where(
                IdentityCode.national_code.in_(chunk)
            )
        ).tuples()
        by_national |= {national: code for national, code in found if national}
    for position, parcel in list(parcels.items()):
        if parcel.holder_code and parcel.holder_code not in registered:
            errors.append(
                FeatureError(position + 1, "CBFQNM", f"承包方全农码 {parcel.holder_code} 尚未登记")
            )
            del parcels[position]
        elif parcel.holder_code is None and parcel.contractor_code in by_national:
            parcel.holder_code = by_national[parcel.contractor_code]


def parcel_values(parcel: ParcelIn, geometry: Any, area: float) -> dict[str, Any]:
    return {
        "source_key": parcel.source_key,
        "contract_plot_code": parcel.contract_plot_code,
        "real_estate_unit_code": parcel.real_estate_unit_code,
        "village_code": parcel.village_code,
        "kind": str(parcel.kind),
        "land_class_code": parcel.land_class_code,
        "land_class": parcel.land_class,
        "area_m2": Decimal(str(round(area, 2))),
        "reported_area_m2": parcel.reported_area_m2,
        "slope_grade": parcel.slope_grade,
        "terrace": parcel.terrace,
        "permanent_farmland": parcel.permanent_farmland,
        "current_use": parcel.current_use,
        "use_year": parcel.use_year,
        "holder_code": parcel.holder_code,
        "contractor_code": parcel.contractor_code,
        "owner_code": parcel.owner_code,
        "geom": geometry,
    }


def save_parcels(
    session: Session,
    scope: Scope,
    rows: list[dict[str, str]],
    checked: Checked,
    schema: str,
    year: int,
    result: LandImport,
) -> None:
    parcels, shapes = parse_parcels(rows, checked, schema, year, result)
    field_name = {"dltb": "ZLDWDM", "contract": "DKBM", "yunong": "CUNDM"}[schema]
    refuse_places(
        session, scope, parcels, lambda p: p.village_code, lambda _p: field_name, result.errors
    )
    refuse_duplicates(parcels, result.errors)
    refuse_unknown_holders(session, parcels, result.errors)
    existing = stored_parcels(session, list(parcels.values()))
    refuse_foreign(scope, parcels, existing, result.errors)
    new: list[tuple[ParcelIn, dict[str, Any]]] = []
    changes: list[dict[str, Any]] = []
    for position, parcel in parcels.items():
        values = parcel_values(parcel, *shapes[position])
        stored = existing.get(parcel.code or "") or existing.get(parcel.source_key)
        if stored is None:
            values |= history(None, values)
            new.append((parcel, values))
            continue
        values.pop("source_key")
        values |= history(stored, values)
        if differs(stored, values):
            changes.append(
                {"id": stored.id, **values, **bounds_of(values["geom"]), "updated_at": utcnow()}
            )
        else:
            result.unchanged += 1
    insert_parcels(session, scope, new)
    for chunk in chunks(changes, 2000):
        session.execute(update(Parcel), list(chunk))
    result.imported, result.updated = len(new), len(changes)
    result.villages = sorted(
        {values["village_code"] for _, values in new} | {row["village_code"] for row in changes}
    )


def history(stored: Parcel | None, values: dict[str, Any]) -> dict[str, Any]:
    """When a parcel was found abandoned and when it was re-cultivated, kept across imports."""
    use, year = values["current_use"], values["use_year"]
    abandoned = stored.abandoned_year if stored else None
    recultivated = stored.recultivated_year if stored else None
    was_abandoned = stored is not None and stored.current_use == ABANDONED
    if use == ABANDONED and not was_abandoned:
        abandoned, recultivated = year, None
    elif use is not None and use != ABANDONED and was_abandoned:
        recultivated = year
    return {"abandoned_year": abandoned, "recultivated_year": recultivated}


def stored_parcels(session: Session, parcels: list[ParcelIn]) -> dict[str, Parcel]:
    """Stored parcels by code and by source key."""
    found: dict[str, Parcel] = {}
    codes = [p.code for p in parcels if p.code]
    keys = [p.source_key for p in parcels]
    for chunk in chunks(codes):
        found |= {p.code: p for p in session.scalars(select(Parcel).where(Parcel.code.in_(chunk)))}
    for chunk in chunks(keys):
        found |= {
            p.source_key: p
            for p in session.scalars(select(Parcel).where(Parcel.source_key.in_(chunk)))
        }
    return found


def insert_parcels(
    session: Session, scope: Scope, new: list[tuple[ParcelIn, dict[str, Any]]]
) -> None:
    """New parcels with fresh 地 codes, registered with their national codes."""
    if not new:
        return
    wanted = Counter(values["village_code"] for _, values in new)
    reserved = {
        village: iter(codes)
        for village, codes in identity.reserve(
            session, scope=scope, kind=Kind.LAND, counts=dict(wanted)
        ).items()
    }
    now = utcnow()
    # Encoding every geometry in one call is far faster than one by one as rows are bound.
    shapes = np.empty(len(new), dtype=object)
    shapes[:] = [values["geom"] for _, values in new]
    encoded = encode(shapes, session.get_bind().dialect.name)
    rows = [
        {
            **values,
            **box,
            "geom": wkb,
            "code": next(reserved[values["village_code"]]),
            "updated_at": now,
        }
        for (_, values), wkb, box in zip(new, encoded, bounds_of_many(shapes), strict=True)
    ]
    ids: list[int] = []
    for batch in chunks(rows, 20_000):
        bulk_insert(session, table_of(Parcel), batch)
    for codes in chunks([row["code"] for row in rows]):
        found = dict(
            session.execute(select(Parcel.code, Parcel.id).where(Parcel.code.in_(codes)))
            .tuples()
            .all()
        )
        ids += [found[code] for code in codes]
    identity.register(
        session,
        scope=scope,
        kind=Kind.LAND,
        entity_type="land_parcel",
        codes_and_ids=[(row["code"], str(pid)) for row, pid in zip(rows, ids, strict=True)],
        national_codes=[row["contract_plot_code"] or row["real_estate_unit_code"] for row in rows],
    )


def save_zones(
    session: Session,
    scope: Scope,
    rows: list[dict[str, str]],
    checked: Checked,
    result: LandImport,
) -> None:
    zones: dict[int, ZoneIn] = {}
    shapes: dict[int, tuple[Any, float]] = {}
    for position, geometry, area in zip(
        checked.positions.tolist(), checked.geometries, checked.areas.tolist(), strict=True
    ):
        try:
            zones[position] = layers.zone_of(rows[position])
        except Refused as refused:
            result.errors.append(FeatureError(position + 1, refused.field_name, refused.reason))
            continue
        shapes[position] = (geometry, area)
    refuse_places(session, scope, zones, lambda z: z.region_code, lambda _z: "XZQDM", result.errors)
    refuse_duplicates(zones, result.errors)
    existing: dict[str, Zone] = {}
    for chunk in chunks([z.code for z in zones.values() if z.code]):
        existing |= {z.code: z for z in session.scalars(select(Zone).where(Zone.code.in_(chunk)))}
    for chunk in chunks([z.source_key for z in zones.values()]):
        existing |= {
            z.source_key: z for z in session.scalars(select(Zone).where(Zone.source_key.in_(chunk)))
        }
    refuse_foreign(scope, zones, existing, result.errors)
    new: list[dict[str, Any]] = []
    for position, zone in zones.items():
        geometry, area = shapes[position]
        values = {
            "kind": zone.kind.value,
            "name": zone.name,
            "region_code": zone.region_code,
            "area_m2": Decimal(str(round(area, 2))),
            "geom": geometry,
        }
        stored = existing.get(zone.code or "") or existing.get(zone.source_key)
        if stored is None:
            new.append({"source_key": zone.source_key, **values, **bounds_of(geometry)})
        elif differs(stored, values):
            for key, value in (values | bounds_of(geometry)).items():
                setattr(stored, key, value)
            stored.updated_at = utcnow()
            result.updated += 1
        else:
            result.unchanged += 1
    for region, group in group_by_region(new).items():
        codes = identity.reserve(session, scope=scope, kind=Kind.LAND, counts={region: len(group)})
        added = [
            Zone(code=code, **values) for values, code in zip(group, codes[region], strict=True)
        ]
        session.add_all(added)
        session.flush()
        identity.register(
            session,
            scope=scope,
            kind=Kind.LAND,
            entity_type="land_zone",
            codes_and_ids=[(zone.code, str(zone.id)) for zone in added],
        )
    result.imported = len(new)


def group_by_region(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["region_code"]].append(row)
    return grouped
