"""The sewage registers from files: facilities and settlements, refused row by row, and the
same file twice changes nothing."""

import pytest

from tests.factories import make_place
from tests.habitat.factories import HABITAT, write_csv, write_xlsx
from yunong.core.scope import Scope
from yunong.habitat import registers, sewage
from yunong.policy.loader import get

pytestmark = pytest.mark.db
SYSTEM = Scope.system()


def test_facilities_and_settlements_make_the_unserved_list(session, tmp_path):
    place = make_place(session)
    facilities = write_xlsx(
        tmp_path / "facilities.xlsx",
        ["设施编号", "设施名称", "区划代码", "设计处理能力（吨/天）", "排放标准", "配套管网"],
        [
            ["F1", "石坪村污水站", place.village, 80, "一级标准", "是"],
            ["F2", "复兴村污水站", place.neighbour_village, 50, "2", "否"],
            ["F3", "坏站", place.village, 0, "一级", "是"],
            ["F4", "坏站", place.village, 10, "四级", "是"],
        ],
        title="万州区农村生活污水处理设施台账",
    )
    tally = registers.import_facilities(
        session, scope=SYSTEM, path=facilities, rules=HABITAT.sewage
    )
    assert tally.as_json("facilities") == {
        "facilities": {"imported": 2, "unchanged": 0, "rejected": 2},
        "errors": [
            {"row": 5, "reason": "设计处理能力(m³/d)：应大于 0"},
            {"row": 6, "reason": "排放标准等级：“四级”不是一级、二级、三级"},
        ],
    }
    settlements = write_csv(
        tmp_path / "settlements.csv",
        [
            "聚居点编号",
            "名称",
            "区划代码",
            "常住户数",
            "常住人口",
            "污水处理设施编号",
            "纳入垃圾收运",
        ],
        [
            ["S1", "大院子", place.village, 260, 700, "F1", "是"],
            ["S2", "新村", place.neighbour_village, 210, 480, "F2", "是"],
            ["S3", "小湾", place.village, 80, 510, "", "否"],
            ["S4", "坡上", place.village, 50, 120, "", ""],
            ["S5", "错", place.village, "二百", 120, "", ""],
            ["S6", "错", place.village, 20, 120, "F9", ""],
        ],
        encoding="gbk",
    )
    tally = registers.import_settlements(session, scope=SYSTEM, path=settlements)
    assert tally.as_json("settlements")["errors"] == [
        {"row": 6, "reason": "户数：“二百”不是数字"},
        {"row": 7, "reason": "污水处理设施编号：设施“F9”未登记"},
    ]
    found = sewage.unserved(session, scope=SYSTEM, pack=get())
    assert [(item.code, item.reason) for item in found] == [
        ("S2", "设施无配套管网"),
        ("S3", "无污水处理设施"),
    ]
    again = registers.import_settlements(session, scope=SYSTEM, path=settlements)
    assert (again.imported, again.unchanged, again.rejected) == (0, 4, 2)
