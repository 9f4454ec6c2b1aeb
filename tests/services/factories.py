"""农事服务 test data: tables written as service centres keep them, and two parcels of a
farmer in 石坪村 imported through the one map."""

import csv
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import Place
from tests.land.factories import Plot, plot_code, plot_frame, rectangle, write
from yunong.core.scope import Scope
from yunong.land import importers as land_importers
from yunong.land.models import Parcel
from yunong.policy.loader import get
from yunong.policy.schema import Services

MACHINE_HEADER = ["机具编号", "类型", "作业能力(亩/天)", "经度", "纬度", "服务组织", "区划代码"]
ORDER_HEADER = ["订单编号", "作业类型", "面积(亩)", "最早日期", "最晚日期", "经度", "纬度"]
ORDER_HEADER += ["地块编码", "区划代码"]


def shipped_services() -> Services:
    found = get().services
    assert found is not None
    return found


SERVICES = shipped_services()


def write_csv(
    path: Path, header: list[str], rows: list[list[object]], *, encoding: str = "utf-8-sig"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def two_parcels(session: Session, place: Place, tmp_path: Path) -> list[Parcel]:
    """Two cultivated parcels of 石坪村 (100 m × 60 m each, 9 亩), imported as the one map
    imports them."""
    plots = [Plot(plot_code(place.village, n), place.village, rectangle(n)) for n in (1, 2)]
    path = write(plot_frame(plots), tmp_path / "parcels.gpkg")
    land_importers.import_file(session, scope=Scope.system(), path=path, layer="parcels")
    return list(session.scalars(select(Parcel).order_by(Parcel.code)))
