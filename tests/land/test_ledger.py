"""以补定占: next year's cap is this year's net increase, and occupations over it are refused.

Rectangles: 100 m × 60 m = 9 亩, 100 m × 40 m = 6 亩, 80 m × 25 m = 3 亩.
"""

from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import make_place
from tests.land.factories import Plot, plot_code, plot_frame, rectangle, write
from yunong.core.errors import Conflict, InvalidValue, NotFound
from yunong.core.scope import Scope
from yunong.land import importers, ledger
from yunong.land.geometry import to_mu
from yunong.land.models import Parcel

SYSTEM = Scope.system("test")
DISTRICT = "500101000000"
SIZES = {
    "s0": (100, 60),
    "s1": (100, 60),
    "s2": (100, 40),
    "o1": (80, 25),
    "o2": (100, 60),
    "o3": (100, 40),
    "home": (80, 25),
}


@pytest.fixture
def plots(session, tmp_path):
    """Cultivated parcels by name, plus one homestead, in 石坪村; their 全农码 by name."""
    place = make_place(session)
    items = [
        Plot(
            plot_code(place.village, n),
            place.village,
            rectangle(n, width=w, height=h),
            **({"DKLX": "宅基地", "DLBM": "0702", "ZZSX": ""} if name == "home" else {}),
        )
        for n, (name, (w, h)) in enumerate(SIZES.items(), start=1)
    ]
    importers.import_file(
        session, scope=SYSTEM, path=write(plot_frame(items), tmp_path / "p.gpkg"), layer="parcels"
    )
    by_plot = {p.contract_plot_code: p.code for p in session.scalars(select(Parcel))}
    return {name: by_plot[item.plot] for name, item in zip(SIZES, items, strict=True)}


def supplement(session, number, on, *parcels, source="new"):
    return ledger.record(
        session,
        scope=SYSTEM,
        kind="supplement",
        region_code=DISTRICT,
        document_number=number,
        decided_on=on,
        parcel_codes=list(parcels),
        source=source,
    )


def occupy(session, number, on, *parcels, scope=SYSTEM):
    return ledger.record(
        session,
        scope=scope,
        kind="occupation",
        region_code=DISTRICT,
        document_number=number,
        decided_on=on,
        parcel_codes=list(parcels),
    )


@pytest.fixture
def books(session, plots):
    """2023: 9 亩 supplied. 2024: 3 亩 occupied (cap 9), 9 + 6 亩 supplied. Cap 2025: 12 亩."""
    supplement(session, "验收〔2023〕1号", date(2023, 11, 2), plots["s0"])
    occupy(session, "渝府地〔2024〕5号", date(2024, 3, 1), plots["o1"])
    supplement(session, "验收〔2024〕1号", date(2024, 6, 1), plots["s1"])
    supplement(session, "验收〔2024〕2号", date(2024, 9, 1), plots["s2"], source="restored")
    return plots


def test_the_cap_for_next_year_is_this_years_supplements_less_occupations(session, books):
    cap = ledger.get_cap(session, scope=SYSTEM, region_code=DISTRICT, year=2025)

    assert (to_mu(cap.supplemented), to_mu(cap.occupied_before)) == (15, 3)
    assert to_mu(cap.cap) == 12 and to_mu(cap.remaining) == 12


def test_an_occupation_within_the_cap_is_recorded_with_its_parcels_area(session, books):
    entry = occupy(session, "渝府地〔2025〕1号", date(2025, 4, 1), books["o2"])

    assert (entry.year, to_mu(entry.area_m2)) == (2025, 9)
    cap = ledger.get_cap(session, scope=SYSTEM, region_code=DISTRICT, year=2025)
    assert to_mu(cap.used) == 9 and to_mu(cap.remaining) == 3


def test_an_occupation_over_the_cap_is_refused_with_the_figures(session, books):
    occupy(session, "渝府地〔2025〕1号", date(2025, 4, 1), books["o2"])

    with pytest.raises(ledger.OverCap) as refused:
        occupy(session, "渝府地〔2025〕2号", date(2025, 8, 1), books["o3"])

    assert refused.value.message == (
        "万州区 2025 年非农建设占用耕地上限为 12.00 亩（2024 年补充耕地 15.00 亩 − 占用 3.00 亩 = "
        "稳定利用耕地净增加 12.00 亩）；本年已占用 9.00 亩，本次 6.00 亩，合计 15.00 亩，"
        "超出上限 3.00 亩，不予登记"
    )
    assert [
        e.document_number
        for e in ledger.get_all(session, scope=SYSTEM, region_code=DISTRICT, year=2025)
    ] == ["渝府地〔2025〕1号"]


def test_without_a_net_increase_the_year_before_nothing_may_be_occupied(session, plots):
    with pytest.raises(ledger.OverCap, match="上限为 0.00 亩"):
        occupy(session, "渝府地〔2024〕9号", date(2024, 5, 1), plots["o1"])


def test_a_parcel_is_occupied_only_once(session, books):
    with pytest.raises(Conflict, match="已记入占用记录 渝府地〔2024〕5号"):
        occupy(session, "渝府地〔2025〕3号", date(2025, 5, 1), books["o1"])


def test_the_same_document_is_recorded_only_once(session, books):
    with pytest.raises(Conflict, match="已登记"):
        supplement(session, "验收〔2024〕1号", date(2024, 6, 1), books["o3"])


def test_only_cultivated_land_enters_the_ledger(session, books):
    with pytest.raises(InvalidValue, match="不是耕地"):
        supplement(session, "验收〔2025〕1号", date(2025, 6, 1), books["home"])


def test_the_ledger_is_kept_per_county(session, books):
    with pytest.raises(InvalidValue, match="不是区县代码"):
        ledger.get_cap(session, scope=SYSTEM, region_code="500101108000", year=2025)


def test_an_officer_of_another_district_cannot_record_here(session, books):
    other = Scope(actor="fuling", region_code="500102000000")

    with pytest.raises(NotFound):
        occupy(session, "渝府地〔2025〕4号", date(2025, 5, 1), books["o2"], scope=other)
