"""农事服务 test data: tables written as service centres keep them, parcels of 石坪村 imported
through the one map (some held by a household), and machines, orders, contracts and drying
bookings for the pages."""

import csv
from datetime import date
from decimal import Decimal
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
from yunong.services.models import (
    DryingBooking,
    DryingCentre,
    Machine,
    Order,
    Provider,
    Trusteeship,
)

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


SYSTEM = Scope.system("test")


def held_parcels(
    session: Session, place: Place, holder: str, tmp_path: Path, numbers=(11, 12, 13)
) -> list[str]:
    """Cultivated parcels of 石坪村 (9 亩 each) held by the household ``holder``, imported
    through the one map; their 全农码, in order."""
    plots = [
        Plot(plot_code(place.village, n), place.village, rectangle(n), CBFQNM=holder)
        for n in numbers
    ]
    path = write(plot_frame(plots), tmp_path / f"held-{numbers[0]}.gpkg")
    done = land_importers.import_file(session, scope=Scope.system(), path=path, layer="parcels")
    assert not done.errors, done.errors
    return list(
        session.scalars(
            select(Parcel.code)
            .where(Parcel.contract_plot_code.in_([plot.plot for plot in plots]))
            .order_by(Parcel.contract_plot_code)
        )
    )


def add_machine(
    session: Session,
    code: str,
    region: str,
    *,
    kind: str = "联合收割机",
    capacity: str = "40",
    lon: float = 108.40,
    lat: float = 30.80,
    provider: str = "龙沙农机合作社",
) -> Machine:
    found = session.scalars(select(Provider).where(Provider.name == provider)).first()
    if found is None:
        found = Provider(name=provider, kind="合作社", region_code=region)
        session.add(found)
        session.flush()
    machine = Machine(
        code=code, kind=kind, capacity_mu=Decimal(capacity), longitude=lon, latitude=lat,
        provider_id=found.id, region_code=region, operator="李师傅",
    )  # fmt: skip
    session.add(machine)
    session.flush()
    return machine


def add_order(
    session: Session,
    code: str,
    region: str,
    *,
    day: date = date(2026, 9, 15),
    area: str = "10",
    operation: str = "收获",
) -> Order:
    order = Order(
        code=code, operation=operation, area_mu=Decimal(area), earliest=day, latest=day,
        longitude=108.41, latitude=30.80, region_code=region, requester="清单",
    )  # fmt: skip
    session.add(order)
    session.flush()
    return order


def scope_rows(session: Session, village: str) -> tuple[str, str, int]:
    """For the scope matrix: a machine, its provider and an open order in ``village``."""
    suffix = village[-6:]
    machine = add_machine(session, f"JJ{suffix}", village, provider=f"矩阵农机{suffix}")
    order = add_order(session, f"DD{suffix}", village)
    assert machine.provider_id is not None
    return order.code, machine.code, machine.provider_id


def add_list_rows(session: Session, village: str, count: int) -> None:
    """More than a page of machines, orders, trusteeship contracts and drying bookings."""
    for number in range(count):
        add_machine(session, f"LIST-J{number:03d}", village, provider="清单农机合作社")
        add_order(session, f"LIST-D{number:03d}", village)
    provider = session.scalars(select(Provider).where(Provider.name == "清单农机合作社")).one()
    centre = DryingCentre(
        code="LIST-HG", name="清单烘干中心", region_code=village, longitude=108.4,
        latitude=30.8, tonnes_per_day=Decimal(1000),
    )  # fmt: skip
    session.add(centre)
    session.flush()
    for number in range(count):
        session.add(
            Trusteeship(
                code=f"LIST-T{number:03d}",
                region_code=village,
                kind="full",
                profit_model="guaranteed",
                farmer=f"农户{number:03d}",
                provider_id=provider.id,
                year=2026,
                crop="水稻",
                area_mu=Decimal(10),
                fee_yuan_per_mu=Decimal(500),
                guaranteed_kg_per_mu=Decimal(450),
                price_yuan_per_kg=Decimal("2.8"),
            )  # fmt: skip
        )
        session.add(
            DryingBooking(
                centre_id=centre.id,
                day=date(2026, 9, 15),
                tonnes=Decimal(5),
                requester=f"农户{number:03d}",
                region_code=village,
                status="booked",
            )  # fmt: skip
        )
    session.flush()
