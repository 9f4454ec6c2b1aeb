"""Importing the household workbooks villages keep."""

import csv
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import func, select

from tests.factories import make_place
from tests.monitor.factories import id_number
from yunong.core.scope import Scope
from yunong.monitor.models import Household, HouseholdYear, Person, PersonYear
from yunong.monitor.registry import import_households

SYSTEM = Scope.system("test")
HEADERS = [
    "行政区划代码",
    "户编号",
    "姓名",
    "证件号码",
    "与户主关系",
    "联系电话",
    "是否残疾",
    "是否在校生",
    "家庭年纯收入（元）",
    "医疗自付费用（元）",
    "受灾情况",
]
VILLAGE = "500101108201"


def person(
    number,
    name,
    relation,
    id_no=None,
    *,
    income="",
    phone="",
    disabled="",
    student="",
    medical="",
    disaster="",
    village=VILLAGE,
):
    return [
        village,
        number,
        name,
        id_no or id_number(date(1980, 1, 1)),
        relation,
        phone,
        disabled,
        student,
        income,
        medical,
        disaster,
    ]


def household(number, income="36000", village=VILLAGE, **head):
    return [
        person(number, "张建国", "户主", income=income, village=village, **head),
        person(number, "李秀英", "配偶", village=village),
        person(
            number, "张小明", "子女", id_number(date(2009, 5, 6)), student="是", village=village
        ),
    ]


def write_csv(tmp_path, rows, headers=HEADERS, name="households.csv"):
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def run(session, path, year=2024):
    return import_households(session, scope=SYSTEM, path=path, year=year)


def count(session, table) -> int:
    return session.scalar(select(func.count()).select_from(table))


@pytest.fixture
def place(session):
    return make_place(session)


def test_a_good_household_is_imported_with_codes_and_yearly_figures(session, place, tmp_path):
    result = run(session, write_csv(tmp_path, household("0001")))
    assert (result.households.imported, result.persons.imported, result.errors) == (1, 3, [])
    stored = session.scalars(select(HouseholdYear)).one()
    assert (stored.members, stored.per_capita_income) == (3, Decimal("12000.00"))
    assert all(p.code.startswith("P" + VILLAGE) for p in session.scalars(select(Person)))


def test_an_xlsx_workbook_reads_like_the_csv(session, place, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADERS)
    for row in household("0001"):
        workbook.active.append(row)
    path = tmp_path / "households.xlsx"
    workbook.save(path)
    assert run(session, path).households.imported == 1


def test_what_villages_really_type_is_accepted(session, place, tmp_path):
    number = id_number(date(1970, 3, 3))
    typed = "５００１０１" + number[6:-1] + number[-1].lower()
    rows = [
        person(
            " 0001 ",
            " 王大山 ",
            "户主",
            typed,
            income="1.2万",
            phone="138-2345 6789",
            medical="３千",
            village=f" {VILLAGE} ",
        )
    ]
    headers = [h.replace("（", "(").replace("）", ")") for h in HEADERS]
    result = run(session, write_csv(tmp_path, rows, headers))
    assert result.errors == []
    stored = session.scalars(select(Person)).one()
    assert (stored.id_number, stored.phone, stored.name) == (number, "13823456789", "王大山")
    assert session.scalars(select(HouseholdYear)).one().net_income == Decimal("12000.00")
    assert session.scalars(select(PersonYear)).one().medical_out_of_pocket == Decimal("3000.00")


@pytest.mark.parametrize(
    ("change", "column", "reason"),
    [
        ({"id_no": "500101198001010010"}, "证件号码", "校验位错误"),
        ({"village": "500101999201"}, "行政区划代码", "未知的区划代码"),
        ({"village": "5001011082"}, "行政区划代码", "不是 12 位村级区划代码"),
        ({"income": "-500"}, "家庭年纯收入（元）", "不能为负数"),
        ({"income": "三万"}, "家庭年纯收入（元）", "无法识别"),
        ({"phone": "12345"}, "联系电话", "手机号码"),
        ({"disabled": "也许"}, "是否残疾", "应填“是”或“否”"),
    ],
)
def test_a_bad_head_row_refuses_the_whole_household(
    session, place, tmp_path, change, column, reason
):
    result = run(session, write_csv(tmp_path, household("0001", **change) + household("0002")))
    assert (result.households.imported, result.households.rejected) == (1, 1)
    first = result.errors[0]
    assert (first.line, first.column) == (2, column) and reason in first.reason
    assert {error.line for error in result.errors} == {2, 3, 4}
    assert count(session, Household) == 1


def test_a_household_without_a_head_is_refused(session, place, tmp_path):
    rows = household("0001")[1:]
    result = run(session, write_csv(tmp_path, rows))
    assert result.households.rejected == 1
    assert "没有户主" in result.errors[0].reason


def test_a_household_with_two_heads_is_refused(session, place, tmp_path):
    rows = household("0001") + [person("0001", "张建军", "户主")]
    result = run(session, write_csv(tmp_path, rows))
    assert result.households.rejected == 1
    assert any("有 2 个户主" in error.reason for error in result.errors)


def test_an_id_number_in_two_households_of_one_file_refuses_both(session, place, tmp_path):
    shared = id_number(date(1990, 2, 2))
    rows = household("0001") + [person("0001", "赵一", "其他", shared)]
    rows += household("0002") + [person("0002", "赵一", "其他", shared)]
    rows += household("0003")
    result = run(session, write_csv(tmp_path, rows))
    assert (result.households.imported, result.households.rejected) == (1, 2)
    assert sum("重复" in error.reason for error in result.errors) == 2


def test_an_id_number_of_another_household_in_the_database_refuses(session, place, tmp_path):
    first = household("0001")
    run(session, write_csv(tmp_path, first, name="first.csv"))
    moved = household("0002")
    moved.append(person("0002", "李秀英", "其他", first[1][3]))
    result = run(session, write_csv(tmp_path, moved, name="second.csv"))
    assert result.households.rejected == 1
    assert "已登记在" in next(e.reason for e in result.errors if e.column == "证件号码")


def test_the_same_file_twice_changes_nothing(session, place, tmp_path):
    path = write_csv(tmp_path, household("0001") + household("0002"))
    run(session, path)
    before = (count(session, Person), count(session, HouseholdYear))
    again = run(session, path)
    assert (again.households.unchanged, again.persons.unchanged) == (2, 6)
    assert (again.households.imported, again.households.updated) == (0, 0)
    assert (count(session, Person), count(session, HouseholdYear)) == before


def test_changed_figures_update_only_their_household(session, place, tmp_path):
    first, second = household("0001"), household("0002")
    run(session, write_csv(tmp_path, first + second, name="a.csv"))
    first[0][8] = "30000"
    result = run(session, write_csv(tmp_path, first + second, name="b.csv"))
    assert (result.households.updated, result.households.unchanged) == (1, 1)
    incomes = session.scalars(
        select(HouseholdYear.net_income).order_by(HouseholdYear.household_id)
    ).all()
    assert incomes == [Decimal("30000.00"), Decimal("36000.00")]


def test_a_new_year_keeps_the_history_of_the_last(session, place, tmp_path):
    path = write_csv(tmp_path, household("0001"))
    run(session, path, year=2023)
    run(session, path, year=2024)
    assert count(session, HouseholdYear) == 2
    assert count(session, Household) == 1


def test_a_village_outside_the_callers_scope_is_refused(session, place, tmp_path):
    other_town = Scope(actor="town", region_code="500101109000")
    result = import_households(
        session, scope=other_town, path=write_csv(tmp_path, household("1")), year=2024
    )
    assert result.households.rejected == 1
    assert "不在您的管辖范围内" in result.errors[0].reason


def test_blank_lines_keep_the_line_numbers_a_spreadsheet_shows(session, place, tmp_path):
    path = write_csv(tmp_path, household("0001") + [[]] + household("0002", income="-1"))
    result = run(session, path)
    assert result.households.rejected == 1
    assert {error.line for error in result.errors} == {6, 7, 8}


def test_a_gb18030_file_is_read(session, place, tmp_path):
    path = tmp_path / "households.csv"
    lines = [",".join(HEADERS)] + [",".join(row) for row in household("0001")]
    path.write_bytes("\r\n".join(lines).encode("gb18030"))
    result = run(session, path)
    assert (result.households.imported, result.errors) == (1, [])
    assert session.scalar(select(Person.name).where(Person.relation == "户主")) == "张建国"


def test_an_id_number_twice_in_one_household_refuses_it(session, place, tmp_path):
    rows = household("0001")
    rows.append(person("0001", "张小红", "子女", rows[2][3]))
    result = run(session, write_csv(tmp_path, rows))
    assert result.households.rejected == 1
    repeated = [error for error in result.errors if "重复" in error.reason]
    assert [(error.line, error.reason.split(" ", 2)[2]) for error in repeated] == [
        (4, "与第 5 行重复"),
        (5, "与第 4 行重复"),
    ]


def test_members_no_longer_listed_are_marked_as_left(session, place, tmp_path):
    rows = household("0001")
    run(session, write_csv(tmp_path, rows, name="a.csv"))
    newcomer = person("0001", "王小芳", "儿媳", id_number(date(1995, 6, 1)))
    result = run(session, write_csv(tmp_path, rows[:2] + [newcomer], name="b.csv"))
    assert (result.households.updated, result.persons.imported) == (1, 1)
    assert (result.persons.unchanged, result.persons.updated) == (2, 0)
    left = session.scalars(select(Person.name).where(Person.left_year == 2024)).all()
    assert left == ["张小明"]
    joined = session.scalars(select(Person).where(Person.name == "王小芳")).one()
    assert joined.code.startswith("P" + VILLAGE)
    assert session.scalars(select(HouseholdYear)).one().members == 3


@pytest.mark.parametrize(
    ("typed", "income", "per_capita"),
    [
        ("1,2000 元", "12000.00", "4000.00"),
        ("０.５万", "5000.00", "1666.67"),
        ("100.01", "100.01", "33.34"),
        ("0.015千", "15.00", "5.00"),
        ("1.005", "1.00", "0.33"),
    ],
)
def test_amounts_are_read_to_the_cent(session, place, tmp_path, typed, income, per_capita):
    result = run(session, write_csv(tmp_path, household("0001", income=typed)))
    assert result.errors == []
    stored = session.scalars(select(HouseholdYear)).one()
    assert (stored.net_income, stored.per_capita_income) == (Decimal(income), Decimal(per_capita))
