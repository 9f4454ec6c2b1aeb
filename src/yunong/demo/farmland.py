"""Demo high-standard farmland: a project a town over the permanent farmland of its first
village, at every step of the procedure; the accepted ones flag their parcels, have a
maintenance list, an inspection and, in the demo village, an open damage report.

Boundaries go through the same import as a district's file (上图入库), steps through the
same service as the pages, so the demo's high-standard parcels come only from acceptance.
"""

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np
import shapely
from pyproj import CRS
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from yunong.core.geometry import STORAGE_EPSG
from yunong.core.identity.models import IdentityCode
from yunong.core.scope import Scope
from yunong.farmland import boundaries, maintenance, projects, steps
from yunong.farmland.codes import STEPS
from yunong.land import summary
from yunong.land.codes import ZoneKind
from yunong.land.models import Zone
from yunong.land.readers import Layer
from yunong.policy.schema import Pack
from yunong.store.db import make_sessionmaker, transaction

if TYPE_CHECKING:
    from yunong.demo.steps import Context

SCOPE = Scope.system("demo")
LEGAL_ENTITY = "12500101MB1234567"
"""First 17 characters of the legal entity's code; the check character is computed."""
DAMAGE = "机耕路边沟垮塌约 6 米，雨后积水冲刷田坎"
INSPECTION = "灌溉渠道畅通，田间道路完好"


@dataclass
class FarmlandDemo:
    projects: int
    accepted: int
    reports: int


def photo() -> bytes:
    """A small picture standing for a phone's photo."""
    from PIL import Image

    encoded = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 140, 90)).save(encoded, "JPEG")
    return encoded.getvalue()


def step(context: "Context") -> None:
    """The demo step: after the land is loaded, before the cockpit scores."""
    from yunong.demo.steps import demo_village

    create_farmland(context.engine, pack=context.pack, demo_village=demo_village(context))
    context.progress("高标准农田", 1, 1)


def credit_code() -> str:
    from yunong.core.validators import uscc_check_char

    return LEGAL_ENTITY + uscc_check_char(LEGAL_ENTITY)


def create_farmland(
    engine: Engine, *, pack: Pack, demo_village: str, today: date | None = None
) -> FarmlandDemo:
    today = today or date.today()
    sessions = make_sessionmaker(engine)
    with transaction(sessions) as session:
        made = build(session, pack, demo_village, today)
        fix_issue_times(session, today)
        villages = sorted({v for v in touched_villages(session)})
    if villages:
        summary.refresh(engine, pack=pack, villages=villages)
    return made


def fix_issue_times(session: Session, today: date) -> None:
    """The projects' codes issued at the start of the build's day, as the demo cases' are, so
    that two builds on one day are identical."""
    session.execute(
        update(IdentityCode)
        .where(IdentityCode.entity_type == "farmland_project")
        .values(issued_at=datetime.combine(today, time(), UTC))
    )


def town_zones(session: Session, demo_village: str) -> list[tuple[str, shapely.Geometry]]:
    """The permanent farmland zone of each town's first village (the demo village's own for
    its town)."""
    rows = session.execute(
        select(Zone.region_code, Zone.geom)
        .where(Zone.kind == ZoneKind.PERMANENT_FARMLAND.value)
        .order_by(Zone.region_code)
    ).all()
    chosen: dict[str, tuple[str, shapely.Geometry]] = {}
    for village, geometry in rows:
        town = village[:9]
        if town not in chosen or village == demo_village:
            chosen[town] = (village, geometry)
    return sorted(chosen.values())


def build(session: Session, pack: Pack, demo_village: str, today: date) -> FarmlandDemo:
    zones = town_zones(session, demo_village)
    if not zones:
        return FarmlandDemo(0, 0, 0)
    numbers, geometries, kinds, years, scales, names = [], [], [], [], [], []
    for index, (village, zone) in enumerate(zones):
        west, south, east, north = shapely.bounds(zone).tolist()
        # Two thirds of the zone's width: some of its parcels inside, some outside.
        geometries.append(shapely.box(west, south, west + (east - west) * 2 / 3, north))
        year = today.year - (index % 4)
        numbers.append(f"{village[:6]}-{year}-{village[6:9]}")
        kinds.append("改造提升" if index % 3 == 2 else "新建")
        years.append(str(year))
        scales.append(str(5000 + (index * 37) % 3000))
        names.append(f"{year}年高标准农田建设项目（{village[6:9]}）")
    layer = Layer(
        columns={
            "项目编号": numbers,
            "项目名称": names,
            "建设年度": years,
            "建设类型": kinds,
            "建设规模(亩)": scales,
            "区县代码": [village[:6] for village, _ in zones],
        },
        geometries=np.asarray(geometries, dtype=object),
        crs=CRS.from_epsg(STORAGE_EPSG),
    )
    result = boundaries.import_layer(session, scope=SCOPE, layer=layer)
    refused = {error.index - 1 for error in result.errors}
    kept = [i for i in range(len(zones)) if i not in refused]
    accepted = reports = 0
    legal_entity = credit_code()
    for index in kept:
        village, number = zones[index][0], numbers[index]
        projects.add_party(
            session,
            scope=SCOPE,
            number=number,
            party_in=projects.PartyIn("legal_entity", "区农业综合开发服务中心", legal_entity),
        )
        scale = Decimal(scales[index])
        projects.set_content(
            session, scope=SCOPE, number=number, category="田块整治", quantity=scale
        )
        projects.set_content(
            session, scope=SCOPE, number=number, category="灌溉与排水", quantity="8.6"
        )
        projects.set_content(
            session, scope=SCOPE, number=number, category="田间道路", quantity="5.2"
        )
        projects.set_funding(
            session, scope=SCOPE, number=number, source="central", amount=scale * 2000
        )
        projects.set_funding(
            session, scope=SCOPE, number=number, source="city", amount=scale * 1200
        )
        # The demo village's project is accepted; the others stand at every step in turn.
        last = len(STEPS) - 2 if village == demo_village else index % (len(STEPS) + 1) - 1
        start = today - timedelta(days=60 * (last + 1) + 30 * (index % 5))
        for position in range(last + 1):
            steps.take(
                session,
                scope=SCOPE,
                pack=pack,
                number=number,
                step_in=steps.StepIn(
                    STEPS[position].value,
                    min(today, start + timedelta(days=60 * position)),
                    document=f"演示〔{years[index]}〕{position + 1}号",
                ),
                today=today,
            )
        if last >= STEPS.index(steps.Step.ACCEPT):
            accepted += 1
            reports += keep_up(session, pack, number, village, today, village == demo_village)
    return FarmlandDemo(len(kept), accepted, reports)


def keep_up(
    session: Session, pack: Pack, number: str, village: str, today: date, damaged: bool
) -> int:
    maintenance.add_duty(
        session,
        scope=SCOPE,
        number=number,
        duty_in=maintenance.DutyIn(
            village, "collective", "村股份经济合作社", "灌溉渠道、机耕路、田间道路", today.replace(
                year=today.year + 5
            ),
        ),
    )  # fmt: skip
    village_scope = Scope(actor="demo", region_code=village, role="grid_worker")
    maintenance.report(
        session,
        scope=village_scope,
        pack=pack,
        number=number,
        report_in=maintenance.ReportIn("inspection", INSPECTION),
        today=today - timedelta(days=10),
    )
    if not damaged:
        return 1
    maintenance.report(
        session,
        scope=village_scope,
        pack=pack,
        number=number,
        report_in=maintenance.ReportIn("damage", DAMAGE),
        photo=photo(),
        today=today - timedelta(days=3),
    )
    return 2


def touched_villages(session: Session) -> list[str]:
    from yunong.farmland.models import ProjectParcel
    from yunong.land.models import Parcel

    return list(
        session.scalars(
            select(Parcel.village_code)
            .join(ProjectParcel, ProjectParcel.parcel_id == Parcel.id)
            .distinct()
        )
    )
