"""Department screening feeds: each row a dated signal on the household of the person it names."""

import csv
import json
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.factories import make_place
from tests.monitor.factories import Member, add_household, family, id_number
from yunong.cli import app
from yunong.core.audit.models import AuditRecord
from yunong.core.errors import InvalidValue
from yunong.core.scope import ReadOnly, Scope
from yunong.monitor.feeds import FEEDS, import_feed, write_template
from yunong.monitor.models import Signal
from yunong.store.db import make_engine, make_sessionmaker, transaction

SYSTEM = Scope.system("test")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def number_ending_in_x(born: date) -> str:
    while not (number := id_number(born)).endswith("X"):
        pass
    return number


def write_csv(tmp_path, headers, rows, name="feed.csv"):
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def write_xlsx(tmp_path, headers, rows, name="feed.xlsx"):
    workbook = openpyxl.Workbook()
    workbook.active.append(headers)
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def run(session, kind, path, scope=SYSTEM):
    return import_feed(session, scope=scope, kind=kind, path=path)


def signals(session):
    return list(session.scalars(select(Signal).order_by(Signal.id)))


def count(session, table) -> int:
    return session.scalar(select(func.count()).select_from(table))


@pytest.fixture
def place(session):
    return make_place(session)


@pytest.fixture
def made(session, place):
    return add_household(session, village=place.village, number="0001", members=family())


MEDICAL = ["证件号码", "姓名", "就诊日期", "医疗总费用（元）", "个人自付（元）", "类别"]


def medical_row(number, paid="8000", on="2024-03-05", category="疾病", total="20000"):
    return [number, "张建国", on, total, paid, category]


# One row of each feed, and the signal it must become: (source, kind, amount, days, detail).
CASES = [
    (
        "medical_insurance",
        MEDICAL,
        ["2024-03-05", "20000", "8000", "疾病"],
        ("medical_insurance", "illness", Decimal("8000.00"), None, ""),
    ),
    (
        "medical_insurance",
        MEDICAL,
        ["2024-03-05", "9000", "6000", "意外伤害"],
        ("medical_insurance", "accident", Decimal("6000.00"), None, ""),
    ),
    (
        "disaster",
        ["证件号码", "姓名", "受灾日期", "灾害类型", "损失金额（元）"],
        ["2024-03-05", "洪涝", "15000"],
        ("disaster", "disaster", Decimal("15000.00"), None, "洪涝"),
    ),
    (
        "civil_affairs",
        ["证件号码", "姓名", "救助类别", "起始日期"],
        ["低保边缘", "2024-03-05"],
        ("civil_affairs", "dibao_edge", None, None, ""),
    ),
    (
        "housing",
        ["证件号码", "姓名", "鉴定日期", "安全等级"],
        ["2024-03-05", "C"],
        ("housing", "grade_c", None, None, ""),
    ),
    (
        "water",
        ["证件号码", "姓名", "发现日期", "问题", "持续天数"],
        ["2024-03-05", "断水", "45"],
        ("water", "cut", None, 45, ""),
    ),
    (
        "employment",
        ["证件号码", "姓名", "变化日期", "变化"],
        ["2024-03-05", "返乡"],
        ("employment", "returned", None, None, ""),
    ),
]


@pytest.mark.parametrize(
    ("kind", "headers", "values", "expected"),
    CASES,
    ids=[f"{case[0]}-{case[3][1]}" for case in CASES],
)
def test_each_feed_row_becomes_one_dated_signal_on_the_persons_household(
    session, made, tmp_path, kind, headers, values, expected
):
    head = made.persons[0]
    report = run(
        session, kind, write_csv(tmp_path, headers, [[head.id_number, head.name, *values]])
    )
    assert (report.inserted, report.unchanged, report.errors) == (1, 0, [])
    (signal,) = signals(session)
    assert (signal.source, signal.kind, signal.amount, signal.days, signal.detail) == expected
    assert (signal.household_id, signal.person_id) == (made.household.id, head.id)
    assert (signal.signal_date, signal.year) == (date(2024, 3, 5), 2024)


def test_what_departments_really_type_is_accepted_in_csv(session, place, tmp_path):
    number = number_ending_in_x(date(1975, 6, 1))
    add_household(
        session,
        village=place.village,
        number="0001",
        members=[Member("王大山", date(1975, 6, 1), number=number)],
    )
    typed = " " + number[:6].translate(FULL_WIDTH) + number[6:-1] + "x "
    headers = [" 类别 ", "个人自付(元)", "证件号码", "就诊日期", "医疗总费用(元)"]
    rows = [["意外伤害", "1.2万", typed, "２０２４年３月５日", "３万"]]
    report = run(session, "medical_insurance", write_csv(tmp_path, headers, rows))
    assert report.errors == []
    (signal,) = signals(session)
    assert (signal.kind, signal.amount, signal.signal_date) == (
        "accident",
        Decimal("12000.00"),
        date(2024, 3, 5),
    )


def test_an_xlsx_with_real_dates_and_numbers_reads_like_the_csv(session, made, tmp_path):
    head = made.persons[0]
    rows = [[head.id_number, head.name, datetime(2024, 7, 1), 30000, 12500.5, "疾病"]]
    report = run(session, "medical_insurance", write_xlsx(tmp_path, MEDICAL, rows))
    assert report.errors == []
    (signal,) = signals(session)
    assert (signal.signal_date, signal.amount) == (date(2024, 7, 1), Decimal("12500.50"))


def test_a_housing_grade_written_as_c_level_in_full_width_is_grade_c(session, made, tmp_path):
    head = made.persons[0]
    headers = ["证件号码", "姓名", "鉴定日期", "安全等级"]
    rows = [[head.id_number, head.name, "2024-03-05", "Ｃ级"]]
    assert run(session, "housing", write_csv(tmp_path, headers, rows)).errors == []
    assert signals(session)[0].kind == "grade_c"


def test_a_bad_value_names_its_line_column_and_reason_and_good_rows_are_kept(
    session, made, tmp_path
):
    head, spouse, child = made.persons
    rows = [
        medical_row(head.id_number),
        medical_row(spouse.id_number, paid="三千"),
        medical_row(child.id_number, on="2024-02-30"),
        medical_row(head.id_number, on="2024-04-01", category="感冒"),
        medical_row(spouse.id_number, on="2024-04-02", paid="-5"),
        medical_row(child.id_number, on="2024-04-03", paid="9000", total="8000"),
        medical_row("500101198001010010", on="2024-04-04"),
    ]
    report = run(session, "medical_insurance", write_csv(tmp_path, MEDICAL, rows))
    assert report.inserted == 1 and len(signals(session)) == 1
    assert [(e.line, e.column) for e in report.errors] == [
        (3, "个人自付（元）"),
        (4, "就诊日期"),
        (5, "类别"),
        (6, "个人自付（元）"),
        (7, "医疗总费用（元）"),
        (8, "证件号码"),
    ]
    reasons = [error.reason for error in report.errors]
    assert "无法识别" in reasons[0]
    assert "无法识别" in reasons[1]
    assert reasons[2] == "“感冒”不是可接受的类别，应为 疾病、意外伤害 之一"
    assert "不能为负数" in reasons[3]
    assert reasons[4] == "个人自付 9000.00 元大于医疗总费用 8000.00 元"
    assert "校验位错误" in reasons[5]
    assert str(report.errors[0]).startswith("第 3 行【个人自付（元）】：")


def test_an_empty_required_value_is_named(session, made, tmp_path):
    headers = ["证件号码", "姓名", "发现日期", "问题", "持续天数"]
    rows = [[made.persons[0].id_number, "张建国", "2024-03-05", "断水", ""]]
    (error,) = run(session, "water", write_csv(tmp_path, headers, rows)).errors
    assert (error.line, error.column, error.reason) == (2, "持续天数", "持续天数为空")


def test_a_date_in_the_future_is_refused(session, made, tmp_path):
    rows = [medical_row(made.persons[0].id_number, on=f"{date.today().year + 1}-01-01")]
    (error,) = run(session, "medical_insurance", write_csv(tmp_path, MEDICAL, rows)).errors
    assert error.column == "就诊日期" and "晚于今天" in error.reason


def test_an_id_number_outside_the_registry_is_reported_not_dropped(session, made, tmp_path):
    stranger = id_number(date(1966, 2, 2))
    rows = [medical_row(made.persons[0].id_number), medical_row(stranger)]
    report = run(session, "medical_insurance", write_csv(tmp_path, MEDICAL, rows))
    assert report.inserted == 1
    (error,) = report.errors
    assert (error.line, error.column) == (3, "证件号码")
    assert error.reason == f"证件号码 {stranger} 不在您管辖范围的农户花名册中"


def test_importing_the_same_file_twice_changes_nothing(session, made, tmp_path):
    rows = [medical_row(person.id_number) for person in made.persons]
    path = write_csv(tmp_path, MEDICAL, rows)
    first = run(session, "medical_insurance", path)
    before = [(s.id, s.amount) for s in signals(session)]
    second = run(session, "medical_insurance", path)
    assert (first.inserted, first.unchanged) == (3, 0)
    assert (second.inserted, second.unchanged, second.errors) == (0, 3, [])
    assert [(s.id, s.amount) for s in signals(session)] == before


def test_a_row_that_disagrees_with_a_stored_signal_is_reported_and_the_signal_kept(
    session, made, tmp_path
):
    number = made.persons[0].id_number
    run(session, "medical_insurance", write_csv(tmp_path, MEDICAL, [medical_row(number)]))
    changed = write_csv(tmp_path, MEDICAL, [medical_row(number, paid="9000")], "changed.csv")
    report = run(session, "medical_insurance", changed)
    (error,) = report.errors
    assert (report.inserted, error.line, error.column) == (0, 2, "个人自付（元）")
    assert error.reason == "2024-03-05 的这条记录已导入（8000.00 元），与本行不同，未改动"
    assert [s.amount for s in signals(session)] == [Decimal("8000.00")]


def test_the_same_row_twice_in_one_file_is_one_signal_and_a_different_one_is_refused(
    session, made, tmp_path
):
    number = made.persons[0].id_number
    rows = [medical_row(number), medical_row(number), medical_row(number, paid="100")]
    report = run(session, "medical_insurance", write_csv(tmp_path, MEDICAL, rows))
    assert (report.inserted, report.unchanged) == (1, 1)
    (error,) = report.errors
    assert error.line == 4 and "与第 2 行是同一人同一天的同类记录" in error.reason


def test_a_caller_scoped_to_another_village_cannot_attach_signals_there(
    session, place, made, tmp_path
):
    neighbour = Scope(actor="cadre", region_code=place.neighbour_village, role="village_cadre")
    stranger = id_number(date(1966, 2, 2))
    rows = [medical_row(made.persons[0].id_number), medical_row(stranger)]
    report = run(session, "medical_insurance", write_csv(tmp_path, MEDICAL, rows), neighbour)
    assert report.inserted == 0 and signals(session) == []
    inside, unknown = report.errors
    assert inside.reason.replace(made.persons[0].id_number, "…") == unknown.reason.replace(
        stranger, "…"
    )


def test_a_town_officer_reaches_the_households_of_the_town(session, place, made, tmp_path):
    town = Scope(actor="officer", region_code=place.town, role="town_officer")
    rows = [medical_row(made.persons[0].id_number)]
    assert run(session, "medical_insurance", write_csv(tmp_path, MEDICAL, rows), town).inserted == 1


def test_a_read_only_caller_is_refused_before_anything_is_read(session, made, tmp_path):
    viewer = replace(SYSTEM, can_write=False)
    path = write_csv(tmp_path, MEDICAL, [medical_row(made.persons[0].id_number)])
    with pytest.raises(ReadOnly):
        run(session, "medical_insurance", path, viewer)
    assert signals(session) == []


def test_an_unknown_kind_names_the_kinds_there_are(session, tmp_path):
    with pytest.raises(InvalidValue) as raised:
        run(session, "police", tmp_path / "feed.csv")
    assert "未知的数据类别“police”" in raised.value.message
    assert all(kind in raised.value.message for kind in FEEDS)


def test_a_kind_may_be_named_by_its_chinese_label(session, made, tmp_path):
    rows = [medical_row(made.persons[0].id_number)]
    assert run(session, "医保报销", write_csv(tmp_path, MEDICAL, rows)).inserted == 1


def test_a_missing_column_refuses_the_whole_file(session, made, tmp_path):
    headers = ["证件号码", "姓名", "就诊日期", "类别"]
    path = write_csv(
        tmp_path, headers, [[made.persons[0].id_number, "张建国", "2024-03-05", "疾病"]]
    )
    with pytest.raises(InvalidValue, match="缺少列：个人自付（元）"):
        run(session, "medical_insurance", path)


def test_each_import_is_recorded_once_in_the_audit_trail(session, made, tmp_path):
    rows = [medical_row(made.persons[0].id_number), medical_row(id_number(date(1966, 2, 2)))]
    run(session, "medical_insurance", write_csv(tmp_path, MEDICAL, rows))
    query = select(AuditRecord).where(AuditRecord.action == "monitor.feed_import")
    (entry,) = session.scalars(query)
    assert entry.target_id == "feed.csv"
    assert entry.detail == "medical_insurance（医保报销）：新增 1，未变 0，拒绝 1"


TEMPLATE_VALUES = {
    "医疗总费用（元）": "20000",
    "个人自付（元）": "8000",
    "类别": "疾病",
    "灾害类型": "风雹",
    "损失金额（元）": "3000",
    "救助类别": "特困",
    "安全等级": "D",
    "问题": "水质",
    "持续天数": "10",
    "变化": "失业",
}


@pytest.mark.parametrize("kind", list(FEEDS))
def test_a_filled_template_imports(session, made, tmp_path, kind):
    path = tmp_path / f"{kind}.xlsx"
    write_template(kind, path)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert sheet.freeze_panes == "A2" and all(cell.font.bold for cell in sheet[1])
    notes = workbook["说明"]
    assert [row[0] for row in notes.iter_rows(min_row=2, values_only=True)] == headers
    head = made.persons[0]
    filled = {"证件号码": head.id_number, "姓名": head.name, **TEMPLATE_VALUES}
    sheet.append([filled.get(header, "2024-03-05") for header in headers])
    workbook.save(path)
    report = run(session, kind, path)
    assert (report.inserted, report.errors) == (1, [])
    assert signals(session)[0].source == kind


def test_the_template_explains_the_accepted_values(tmp_path):
    path = tmp_path / "civil.xlsx"
    write_template("civil_affairs", path)
    notes = dict(openpyxl.load_workbook(path)["说明"].iter_rows(min_row=2, values_only=True))
    assert "低保、特困、低保边缘、临时救助" in notes["救助类别"]
    assert "花名册" in notes["证件号码"]


runner = CliRunner()


@pytest.fixture
def registry_ready(configured):
    with transaction(make_sessionmaker(make_engine(configured))) as session:
        place = make_place(session)
        made = add_household(session, village=place.village, number="0001", members=family())
    return [person.id_number for person in made.persons]


def test_cli_json_counts_rows_and_exits_3_when_some_are_refused(registry_ready, tmp_path):
    stranger = id_number(date(1966, 2, 2))
    path = write_csv(tmp_path, MEDICAL, [medical_row(registry_ready[0]), medical_row(stranger)])
    result = runner.invoke(app, ["import", "feed", "medical_insurance", str(path), "--json"])
    assert result.exit_code == 3
    assert json.loads(result.stdout) == {
        "inserted": 1,
        "unchanged": 0,
        "errors": [
            {
                "row": 3,
                "field": "证件号码",
                "reason": f"证件号码 {stranger} 不在您管辖范围的农户花名册中",
            }
        ],
    }
    again = runner.invoke(app, ["import", "feed", "medical_insurance", str(path), "--json"])
    assert json.loads(again.stdout)["unchanged"] == 1


def test_cli_clean_file_exits_0_with_a_chinese_summary(registry_ready, tmp_path):
    headers = ["证件号码", "姓名", "变化日期", "变化"]
    path = write_csv(tmp_path, headers, [[registry_ready[1], "李秀英", "2024-05-01", "失业"]])
    result = runner.invoke(app, ["import", "feed", "employment", str(path)])
    assert result.exit_code == 0, result.output
    assert "就业变化：新增 1，未变 0，拒绝 0" in result.output


def test_cli_writes_a_template(tmp_path):
    path = tmp_path / "water.xlsx"
    result = runner.invoke(app, ["import", "feed", "water", "--template", str(path)])
    assert result.exit_code == 0
    headers = [cell.value for cell in openpyxl.load_workbook(path).active[1]]
    assert headers == ["证件号码", "姓名", "发现日期", "问题", "持续天数"]


def test_cli_unknown_kind_is_one_chinese_line(tmp_path):
    result = runner.invoke(
        app, ["import", "feed", "police", "--template", str(tmp_path / "x.xlsx")]
    )
    assert result.exit_code == 1
    assert "未知的数据类别“police”" in result.output and "Traceback" not in result.output
