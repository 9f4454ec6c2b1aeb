"""Black and odorous water: the thresholds at their exact edges, the register and test imports
as districts write them (per-row refusals, idempotence), and each body by its latest test."""

import json
from datetime import date
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from tests.factories import make_place
from tests.habitat.factories import (
    BODY_HEADER,
    RULES,
    TEST_HEADER,
    bodies,
    registered,
    write_csv,
    write_xlsx,
)
from yunong.cli import app
from yunong.core.scope import Scope
from yunong.habitat import water
from yunong.habitat.water import Reading
from yunong.store.db import make_engine, make_sessionmaker, transaction

TODAY = date(2024, 11, 18)
runner = CliRunner()


def black(transparency: str, depth: str | None, oxygen: str = "5", ammonia: str = "1") -> bool:
    assert RULES is not None
    reading = Reading(
        Decimal(transparency),
        None if depth is None else Decimal(depth),
        Decimal(oxygen),
        Decimal(ammonia),
    )
    return bool(water.classify(reading, RULES))


@pytest.mark.parametrize(
    ("transparency", "depth", "expected"),
    [
        ("25", "100", False),  # at 25 cm: not below it
        ("24.9", "100", True),
        ("24.9", "25", True),  # 25 cm deep is not shallow: the 25 cm rule
        ("10", "25", True),
        ("9.96", "24.9", False),  # shallow: 40 % of 24.9 is 9.96, not below it
        ("9.95", "24.9", True),
        ("9.8", "24.5", False),  # 40 % of 24.5 is exactly 9.8 (no float rounding)
        ("9.79", "24.5", True),
        ("8", "20", False),
        ("7.99", "20", True),
        ("20", "20", False),  # seen to the bottom of shallow water
        ("24", None, True),  # no depth: judged as full depth
        ("30", None, False),
    ],
)
def test_transparency_with_the_shallow_water_rule(transparency, depth, expected):
    assert black(transparency, depth) is expected


@pytest.mark.parametrize(
    ("oxygen", "ammonia", "expected"),
    [
        ("2", "1", False),  # 2 mg/L is not below 2
        ("1.99", "1", True),
        ("5", "15", False),  # 15 mg/L is not above 15
        ("5", "15.01", True),
        ("1.5", "20", True),
    ],
)
def test_dissolved_oxygen_and_ammonia_nitrogen_edges(oxygen, ammonia, expected):
    assert black("50", "100", oxygen, ammonia) is expected


def test_any_one_threshold_is_enough_and_the_reasons_say_which():
    assert RULES is not None
    reading = Reading(Decimal("12"), Decimal("80"), Decimal("1.2"), Decimal("18"))
    reasons = water.classify(reading, RULES)
    assert reasons == [
        "透明度 12 cm 低于 25 cm",
        "溶解氧 1.2 mg/L 低于 2 mg/L",
        "氨氮 18 mg/L 高于 15 mg/L",
    ]


def test_the_register_is_read_with_a_title_row_header_variants_and_units(session, tmp_path):
    place = make_place(session)
    header = [
        "序号",
        " 水体编号 ",
        "水体名称",
        "区划代码",
        "水体类型",
        "面积（亩）",
        "经度",
        "纬度",
    ]
    rows = [
        [1, "WB001", "大塘", place.village, "池塘", 3, 108.4, 30.8],
        [2, "WB002", "小沟", place.village, "沟", 1.5, "", ""],
    ]
    path = write_xlsx(tmp_path / "register.xlsx", header, rows, title="万州区农村黑臭水体排查名录")
    assert RULES is not None
    tally = water.import_bodies(session, scope=Scope.system(), path=path, rules=RULES)
    assert (tally.imported, tally.rejected) == (2, 0), tally.errors
    found = {body.code: body for body in water.get_all(session, scope=Scope.system())}
    assert found["WB001"].kind == "pond" and found["WB002"].kind == "ditch"
    assert found["WB001"].area_m2 == Decimal("2000.00")  # 3 亩
    assert found["WB002"].longitude is None


def test_register_rows_are_refused_one_by_one_and_the_rest_kept(session, tmp_path):
    place = make_place(session)
    rows = [
        ["WB001", "大塘", place.village, "坑塘", 1200, 108.4, 30.8],
        ["WB002", "", place.village, "坑塘", 800, "", ""],
        ["WB003", "无名塘", "500101108999", "坑塘", 800, "", ""],
        ["WB004", "湖", place.village, "湖泊", 800, "", ""],
        ["WB005", "塘", place.village, "坑塘", "-3", "", ""],
        ["WB006", "塘", place.village, "坑塘", 300, 116.4, 39.9],
        ["WB001", "大塘", place.village, "坑塘", 1200, 108.4, 30.8],
    ]
    path = write_csv(tmp_path / "register.csv", BODY_HEADER, rows, encoding="gbk")
    assert RULES is not None
    tally = water.import_bodies(session, scope=Scope.system(), path=path, rules=RULES)
    assert tally.as_json("bodies") == {
        "bodies": {"imported": 1, "unchanged": 0, "rejected": 6},
        "errors": [
            {"row": 3, "reason": "名称：不能为空"},
            {"row": 4, "reason": "区划代码：区划代码“500101108999”不存在或不在您的管辖范围内"},
            {"row": 5, "reason": "类型：“湖泊”不是水体类型（坑塘、沟渠、河段）"},
            {"row": 6, "reason": "面积(平方米)：“-3”不能为负数"},
            {"row": 7, "reason": "经度：116.4 不在重庆市范围内（105.0–110.5）"},
            {"row": 8, "reason": "水体编号：水体编号“WB001”与第 2 行重复"},
        ],
    }


def test_tests_are_classified_refused_by_row_and_a_second_import_changes_nothing(session, tmp_path):
    registered(session, tmp_path)
    rows = [
        ["WB001", "2024-03-04", 30, 120, 5.1, 2.0],  # clean
        ["WB002", "2024/3/4", 20, 100, 5.1, 2.0],  # transparency
        ["WB003", "2024年3月4日", 8, 20, 5.1, 2.0],  # shallow, 40 % of 20 is 8: clean
        ["WB004", "45355", 7.9, 20, 5.1, 2.0],  # Excel serial 2024-03-04; shallow: black
        ["WB005", "2024-03-04", 40, 100, 1.9, 2.0],  # oxygen
        ["WB006", "2024-03-04", 40, 100, 5.0, 15.5],  # ammonia
        ["WB999", "2024-03-04", 40, 100, 5.0, 1.0],  # unknown body
        ["WB007", "2024-13-04", 40, 100, 5.0, 1.0],  # bad date
        ["WB007", "2024-03-04", "清", 100, 5.0, 1.0],  # not a number
        ["WB008", "2025-01-01", 40, 100, 5.0, 1.0],  # after today
    ]
    path = write_csv(tmp_path / "tests.csv", TEST_HEADER, rows)
    assert RULES is not None
    first = water.import_tests(session, scope=Scope.system(), path=path, rules=RULES, today=TODAY)
    assert first.as_json("tests") == {
        "tests": {"imported": 6, "unchanged": 0, "rejected": 4},
        "errors": [
            {"row": 8, "reason": "水体编号：水体“WB999”未登记，请先导入水体名录"},
            {"row": 9, "reason": "检测日期：日期“2024-13-04”无法识别，应如 2024-03-04"},
            {"row": 10, "reason": "透明度(cm)：“清”不是数字"},
            {"row": 11, "reason": "检测日期：日期 2025-01-01 晚于今天"},
        ],
    }
    found = water.classes(session, scope=Scope.system(), region_code="500101")
    assert found == [
        {"id": "WB001", "class": "非黑臭", "tested": "2024-03-04"},
        {"id": "WB002", "class": "黑臭", "tested": "2024-03-04"},
        {"id": "WB003", "class": "非黑臭", "tested": "2024-03-04"},
        {"id": "WB004", "class": "黑臭", "tested": "2024-03-04"},
        {"id": "WB005", "class": "黑臭", "tested": "2024-03-04"},
        {"id": "WB006", "class": "黑臭", "tested": "2024-03-04"},
    ]
    again = water.import_tests(session, scope=Scope.system(), path=path, rules=RULES, today=TODAY)
    assert again.as_json("tests")["tests"] == {"imported": 0, "unchanged": 6, "rejected": 4}


def test_test_headers_may_carry_units_in_any_form(session, tmp_path):
    registered(session, tmp_path)
    header = [
        "检测时间",
        "水体编号",
        "透明度/cm",
        "水深（m）",
        "溶解氧 (mg/L)",
        "氨氮（mg/L）",
        "备注",
    ]
    rows = [
        ["2024-03-04", "WB001", 9, "0.2", 5, 1, "浅塘"],
        ["2024-03-04", "WB002", 7, "0.2", 5, 1, ""],
    ]
    path = write_xlsx(tmp_path / "tests.xlsx", header, rows, title="2024 年一季度水质检测")
    tally = water.import_tests(session, scope=Scope.system(), path=path, rules=RULES, today=TODAY)
    assert (tally.imported, tally.errors) == (2, [])
    found = water.classes(session, scope=Scope.system(), region_code="500101108201")
    assert [item["class"] for item in found] == ["非黑臭", "黑臭"]  # 40 % of 20 cm is 8 cm


def test_a_body_is_classed_by_its_latest_test(session, tmp_path):
    registered(session, tmp_path)
    rows = [
        ["WB001", "2024-05-01", 40, 100, 5.0, 1.0],
        ["WB001", "2024-03-01", 10, 100, 5.0, 1.0],
        ["WB002", "2024-03-01", 40, 100, 5.0, 1.0],
        ["WB002", "2024-06-01", 40, 100, 1.0, 1.0],
    ]
    path = write_xlsx(tmp_path / "tests.xlsx", TEST_HEADER, rows)
    assert RULES is not None
    water.import_tests(session, scope=Scope.system(), path=path, rules=RULES, today=TODAY)
    assert water.classes(session, scope=Scope.system(), region_code="500101108201") == [
        {"id": "WB001", "class": "非黑臭", "tested": "2024-05-01"},
        {"id": "WB002", "class": "黑臭", "tested": "2024-06-01"},
    ]


def test_a_test_of_a_body_outside_the_callers_region_is_refused_as_unknown(session, tmp_path):
    place = registered(session, tmp_path)
    rows = [["WB010", "2024-03-01", 40, 100, 5.0, 1.0], ["WB001", "2024-03-01", 40, 100, 5, 1]]
    path = write_csv(tmp_path / "tests.csv", TEST_HEADER, rows)
    town = Scope(actor="town", region_code=place.town, role="town_officer")
    assert RULES is not None
    tally = water.import_tests(session, scope=town, path=path, rules=RULES, today=TODAY)
    assert tally.errors == [(2, "水体编号：水体“WB010”未登记，请先导入水体名录")]
    assert tally.imported == 1


def test_the_commands_print_the_json_of_the_issue(configured, tmp_path):
    with transaction(make_sessionmaker(make_engine(configured))) as session:
        place = make_place(session)
    write_csv(tmp_path / "bodies.csv", BODY_HEADER, bodies(place))
    tests = [
        ["WB001", "2024-03-04", 30, 120, 5.1, 2.0],
        ["WB002", "2024-03-04", 7, 20, 5, 2],
        ["WBX", "2024-03-04", 30, 120, 5.1, 2.0],
    ]
    write_csv(tmp_path / "tests.csv", TEST_HEADER, tests)
    result = runner.invoke(
        app, ["habitat", "import", "water-bodies", str(tmp_path / "bodies.csv"), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "bodies": {"imported": 10, "unchanged": 0, "rejected": 0},
        "errors": [],
    }
    result = runner.invoke(
        app, ["habitat", "import", "water-tests", str(tmp_path / "tests.csv"), "--json"]
    )
    assert result.exit_code == 3
    assert json.loads(result.stdout) == {
        "tests": {"imported": 2, "unchanged": 0, "rejected": 1},
        "errors": [{"row": 4, "reason": "水体编号：水体“WBX”未登记，请先导入水体名录"}],
    }
    result = runner.invoke(app, ["habitat", "water-bodies", "--region", place.town, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [
        {"id": "WB001", "class": "非黑臭", "tested": "2024-03-04"},
        {"id": "WB002", "class": "黑臭", "tested": "2024-03-04"},
    ]
