"""The cockpit's 菜篮子 figures computed from the monthly series: a year's total per region,
the city from its districts where it has no rows of its own."""

from tests.factories import make_place
from tests.industry.factories import CITY, WANZHOU, write_csv
from yunong.assess import figures
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.industry import importers
from yunong.policy import loader

FULING = "500102000000"
PACK = loader.get()


def load(session, tmp_path, rows):
    path = write_csv(tmp_path / "months.csv", rows)
    importers.import_file(session, scope=Scope.system("t"), path=path, pack=PACK)


def values(session, key: str, level: Level, under: str = CITY) -> dict[str, float]:
    found = figures.values(session, pack=PACK, key=key, period=2024, level=level, under=under)
    return {code: measure.value for code, measure in found.items()}


def test_slaughter_adds_up_the_year_per_district_and_for_the_city(session, tmp_path):
    make_place(session)
    load(session, tmp_path, [
        ["2024-01", "生猪出栏量", "万州区", 100_000, "头", ""],
        ["2024-02", "生猪出栏量", "万州区", 120_000, "头", ""],
        ["2024-01", "生猪出栏量", "涪陵区", 50_000, "头", ""],
        ["2023-12", "生猪出栏量", "涪陵区", 990_000, "头", ""],
    ])  # fmt: skip
    assert values(session, "basket_hog_output", Level.DISTRICT) == {WANZHOU: 22.0, FULING: 5.0}
    assert values(session, "basket_hog_output", Level.CITY) == {CITY: 27.0}
    assert values(session, "basket_hog_output", Level.DISTRICT, under=WANZHOU) == {WANZHOU: 22.0}


def test_the_city_own_figures_are_not_added_to_its_districts(session, tmp_path):
    make_place(session)
    load(session, tmp_path, [
        ["2024-01", "水产品产量", "重庆市", 4.5, "万吨", ""],
        ["2024-01", "水产品产量", "万州区", 0.3, "万吨", ""],
    ])  # fmt: skip
    assert values(session, "basket_aquatic_output", Level.CITY) == {CITY: 4.5}
    assert values(session, "basket_vegetable_output", Level.CITY) == {}
