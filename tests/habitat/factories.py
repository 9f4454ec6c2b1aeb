"""Habitat test data: files written the way districts write them, and a small register."""

import csv
from pathlib import Path

import openpyxl
from sqlalchemy.orm import Session

from tests.factories import Place, make_place
from yunong.core.scope import Scope
from yunong.habitat import water
from yunong.policy.loader import get
from yunong.policy.schema import Habitat


def shipped_habitat() -> Habitat:
    found = get().habitat
    assert found is not None
    return found


HABITAT = shipped_habitat()
RULES = HABITAT.black_odorous
BODY_HEADER = ["水体编号", "名称", "区划代码", "类型", "面积(平方米)", "经度", "纬度"]
TEST_HEADER = ["水体编号", "检测日期", "透明度(cm)", "水深(cm)", "溶解氧(mg/L)", "氨氮(mg/L)"]


def write_csv(
    path: Path, header: list[str], rows: list[list[object]], *, encoding: str = "utf-8-sig"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(
    path: Path, header: list[str], rows: list[list[object]], *, title: str | None = None
) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def bodies(place: Place) -> list[list[object]]:
    """Ten bodies: eight in 石坪村, one in the neighbouring village, one in another district."""
    rows: list[list[object]] = [
        [f"WB{index:03d}", f"石坪村{index}号塘", place.village, "坑塘", 1200 + index, 108.41, 30.81]
        for index in range(1, 9)
    ]
    rows.append(["WB009", "复兴村堰沟", place.neighbour_village, "沟渠", 800, "", ""])
    rows.append(["WB010", "凤阳村河段", place.other_district_village, "河段", 5000, 107.3, 29.7])
    return rows


def registered(session: Session, tmp_path: Path) -> Place:
    place = make_place(session)
    path = write_csv(tmp_path / "bodies.csv", BODY_HEADER, bodies(place))
    assert RULES is not None
    tally = water.import_bodies(session, scope=Scope.system(), path=path, rules=RULES)
    assert tally.rejected == 0, tally.errors
    return place


def add_list_rows(session: Session, village: str, count: int) -> None:
    """``count`` water bodies, settlements and toilet applications in ``village``: more than
    a page of each habitat list."""
    from datetime import date
    from decimal import Decimal

    from yunong.habitat import sewage, toilets
    from yunong.habitat.models import WaterBody

    system = Scope.system("factory")
    for number in range(count):
        session.add(
            WaterBody(
                code=f"L{village}{number:03d}", name=f"清单塘{number:03d}", region_code=village,
                kind="pond", area_m2=Decimal(500 + number),
            )
        )  # fmt: skip
        settlement_in = sewage.SettlementIn(
            f"LS{village}{number:03d}", f"清单院子{number:03d}", village, 120 + number, 300
        )
        sewage.create_settlement(session, scope=system, settlement_in=settlement_in)
        application = toilets.ApplicationIn(
            village, f"L{number:03d}", f"清单户{number:03d}", "三格式"
        )
        toilets.apply(session, scope=system, application_in=application, rules=HABITAT.toilets,
                      on=date(2024, 8, 1))  # fmt: skip
    session.flush()
