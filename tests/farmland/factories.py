"""High-standard farmland test data: projects ready for approval, parcels and boundaries.

Parcels are the land tests' rectangles on EPSG:4545 near 万州区 龙沙镇 (100 m × 60 m,
6,000 m² = 9 亩 each, column ``n`` at easting 538,000 + 150 n), so the cultivated land
inside a boundary can be counted by hand.
"""

from decimal import Decimal
from pathlib import Path

import geopandas
import shapely

from tests.land.factories import ORIGIN, Patch, frame, rectangle, write
from yunong.core.scope import Scope
from yunong.core.validators import USCC_ALPHABET, uscc_check_char
from yunong.farmland import projects
from yunong.land import importers

SYSTEM = Scope.system("test")
DISTRICT = "500101000000"  # 万州区


def uscc(serial: int) -> str:
    """A valid 统一社会信用代码 of a public institution (12) registered in 万州区."""
    body = f"12500101{serial:09d}"
    assert all(char in USCC_ALPHABET for char in body)
    return body + uscc_check_char(body)


def ready_project(
    session,
    number: str = "WZ2024-001",
    *,
    district: str = DISTRICT,
    scale: str = "6000",
    per_mu: int = 3000,
    kind: str = "新建",
    year: int = 2024,
    scope: Scope = SYSTEM,
):
    """A project with its legal entity, content and investment, ready for 申报审批."""
    project = projects.create(
        session,
        scope=scope,
        project_in=projects.ProjectIn(
            number, f"{number} 高标准农田建设项目", district, kind, year, scale
        ),
    )
    projects.add_party(
        session,
        scope=scope,
        number=number,
        party_in=projects.PartyIn("legal_entity", "万州区农业综合开发中心", uscc(1)),
    )
    projects.set_content(session, scope=scope, number=number, category="田块整治", quantity=scale)
    projects.set_content(
        session, scope=scope, number=number, category="灌溉与排水", quantity="12.5"
    )
    projects.set_funding(
        session,
        scope=scope,
        number=number,
        source="central",
        amount=Decimal(scale) * per_mu,
    )
    return project


def parcel_layer(session, village: str, tmp_path: Path, columns: int = 8) -> None:
    """Parcels in columns 1…``columns`` of row 0, imported through the land module."""
    patches = [Patch(f"{n:04d}", village, rectangle(n)) for n in range(1, columns + 1)]
    path = write(frame(patches), tmp_path / "parcels.gpkg")
    result = importers.import_file(session, scope=SYSTEM, path=path, layer="parcels")
    assert result.errors == []


def box(first_x: float, last_x: float, south: float = -10.0, north: float = 70.0):
    """A boundary from easting offset ``first_x`` to ``last_x`` (metres from ORIGIN)."""
    x, y = ORIGIN
    return shapely.box(x + first_x, y + south, x + last_x, y + north)


def column_span(first: int, last: int):
    """A boundary covering parcels ``first`` … ``last`` whole, with 10 m around."""
    return box(first * 150.0 - 10, last * 150.0 + 110)


def boundary_frame(features: list[dict], crs: str = "EPSG:4545") -> geopandas.GeoDataFrame:
    records = [{k: v for k, v in f.items() if k != "geometry"} for f in features]
    return geopandas.GeoDataFrame(records, geometry=[f["geometry"] for f in features], crs=crs)


def feature(number: str, geometry, kind: str = "新建", scale: str = "6000", year: str = "2024"):
    return {
        "项目编号": number,
        "项目名称": f"{number}项目",
        "建设年度": year,
        "建设类型": kind,
        "建设规模(亩)": scale,
        "geometry": geometry,
    }


def scope_rows(session, village: str) -> tuple[str, int]:
    """A project of the village's district kept up by the village, with an open damage
    report: (项目编号, report id), for the scope matrix."""
    from datetime import date

    from yunong.farmland import maintenance
    from yunong.farmland.models import Duty
    from yunong.policy import loader

    number = f"FL{village}"
    project = projects.create(
        session,
        scope=SYSTEM,
        project_in=projects.ProjectIn(
            number, f"矩阵项目{village[-3:]}", village[:6], "新建", 2024, "6000"
        ),
    )
    session.add(
        Duty(
            project_id=project.id,
            region_code=village,
            party_kind="collective",
            party_name="股份经济合作社",
            facilities="机耕路",
            until=date(2030, 12, 31),
        )
    )
    session.flush()
    report = maintenance.report(
        session,
        scope=Scope(actor="matrix", region_code=village, role="grid_worker"),
        pack=loader.get(),
        number=number,
        report_in=maintenance.ReportIn("damage", "渠道损毁"),
        photo=b"\xff\xd8 photo of the damage",
    )
    # A photo of the repair too, so that both photo routes have something to show.
    report.closing_photo_id = maintenance.keep_photo(session, b"\xff\xd8 photo of the repair")
    session.flush()
    return number, report.id


def add_list_rows(session, count: int) -> None:
    """``count`` projects of 万州区 in the library, for the paged list."""
    for number in range(count):
        projects.create(
            session,
            scope=SYSTEM,
            project_in=projects.ProjectIn(
                f"WZ-LIST-{number:03d}", f"清单项目{number:03d}", DISTRICT, "新建", 2024, "6000"
            ),
        )
