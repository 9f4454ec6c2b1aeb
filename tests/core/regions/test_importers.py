"""Importing official statistical division code lists."""

import pytest
from sqlalchemy import func, select

from yunong.core.errors import InvalidValue
from yunong.core.regions import service as regions
from yunong.core.regions.importers import import_division_codes, load_districts
from yunong.core.regions.models import Region
from yunong.core.scope import Scope

SYSTEM = Scope.system("test")

GOOD_LIST = """统计用区划代码,名称,上级代码,城乡分类代码
500101108000,龙沙镇,500101000000,
500101108201,石坪村,500101108000,220
500101108202,复兴村,500101108000,220
"""


def test_the_shipped_list_holds_the_38_districts_of_chongqing(session):
    load_districts(session)
    districts = regions.get_all(session, scope=SYSTEM, level=regions.Level.DISTRICT)
    assert len(districts) == 38
    assert (districts[0].code, districts[0].name) == ("500101000000", "万州区")
    assert districts[-1].name == "彭水苗族土家族自治县"


def test_a_good_list_is_imported_and_a_second_import_changes_nothing(session, tmp_path):
    load_districts(session)
    path = tmp_path / "towns.csv"
    path.write_text(GOOD_LIST, encoding="utf-8")
    first = import_division_codes(session, path=path)
    second = import_division_codes(session, path=path)
    assert (first.inserted, first.errors) == (3, [])
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 3)
    assert regions.get(session, code="500101108201").parent_code == "500101108000"


def test_bad_rows_are_named_and_good_rows_are_kept(session, tmp_path):
    load_districts(session)
    path = tmp_path / "mixed.csv"
    path.write_text(
        "代码,名称,级别\n"
        "500101108000,龙沙镇,乡镇\n"
        "50010110820,石坪村,村\n"
        "500101108202,复兴村,乡镇\n"
        "500101777201,无主村,村\n"
        "500101108203,,村\n"
        "500101108204,清水村,村\n",
        encoding="utf-8",
    )
    report = import_division_codes(session, path=path)
    assert report.inserted == 2
    assert [str(error) for error in report.errors] == [
        "第 3 行【代码】：区划代码“50010110820”应为 6、9 或 12 位数字",
        "第 4 行【级别】：代码 500101108202 是村级，与所填“乡镇”不符",
        "第 5 行【上级代码】：上级区划 500101777000 不存在",
        "第 6 行【名称】：名称为空",
    ]


def test_a_gbk_file_from_office_tools_is_read(session, tmp_path):
    load_districts(session)
    path = tmp_path / "gbk.csv"
    path.write_bytes(GOOD_LIST.encode("gbk"))
    assert import_division_codes(session, path=path).inserted == 3


def test_a_file_without_the_code_column_is_refused_whole(session, tmp_path):
    path = tmp_path / "nocode.csv"
    path.write_text("名称\n龙沙镇\n", encoding="utf-8")
    before = session.scalar(select(func.count()).select_from(Region))
    with pytest.raises(InvalidValue, match="缺少列：统计用区划代码"):
        import_division_codes(session, path=path)
    assert session.scalar(select(func.count()).select_from(Region)) == before
