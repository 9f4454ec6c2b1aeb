"""Collective test data: an organisation registered through the service, and the voucher
workbook of 石坪村 for 2024 written the way village accountants keep it."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
from sqlalchemy.orm import Session

from yunong.collective import books, contracts, disclosure, members, orgs, projects
from yunong.collective.models import Member, Organisation, Project
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.parsing import parse_amount
from yunong.core.scope import Scope
from yunong.core.validators import resident_id_check_char, uscc_check_char
from yunong.policy.loader import get
from yunong.policy.schema import Collective

SYSTEM = Scope.system()


def shipped_rules() -> Collective:
    found = get().collective
    assert found is not None
    return found


RULES = shipped_rules()
HEADER = ["凭证号", "日期", "摘要", "科目编码", "科目名称", "借方金额", "贷方金额", "辅助核算"]


def uscc(region: str) -> str:
    """A valid code of a rural collective economic organisation: N2, the county, 9 more
    (the village's own number among them, so each village's code differs)."""
    body = f"N2{region[:6]}M{region[6:]}RX"
    return body + uscc_check_char(body)


def make_org(session: Session, region: str, name: str = "石坪村股份经济合作联合社") -> Organisation:
    org_in = orgs.OrgIn(region_code=region, name=name, uscc=uscc(region))
    return orgs.create(session, scope=SYSTEM, org_in=org_in, rules=RULES)


# 石坪村 2024: opening balances on 1 January, a year of vouchers, and five with the mistakes
# accountants make. Continuation rows leave 凭证号 and 日期 blank, amounts carry thousands
# separators, dates are typed several ways, and some amounts are numbers in the cell.
ROWS: list[list[object]] = [
    ["记-000", "2024-01-01", "期初余额", "101", "库存现金", "1,200.00", "", ""],
    ["", "", "期初余额", "102", "银行存款", "356,780.45", "", ""],
    ["", "", "期初余额", "112", "应收款", "12,000.00", "", "张三"],
    ["", "", "期初余额", "151", "固定资产", "800,000.00", "", ""],
    ["", "", "期初余额", "152", "累计折旧", "", "120,000.00", ""],
    ["", "", "期初余额", "211", "应付款", "", "35,000.00", "李四建筑队"],
    ["", "", "期初余额", "301", "资本", "", "900,000.00", ""],
    ["", "", "期初余额", "311", "公积公益金", "", "114,980.45", ""],
    ["记-001", "2024年1月15日", "收到鱼塘租金", "102", "银行存款", "18,000.00", "", ""],
    ["", "", "收到鱼塘租金", "501", "经营收入", "", "18,000.00", ""],
    ["记-002", "2024/2/3", "支付村务管理费", "513", "管理费用", "2,345.60", "", ""],
    ["", "", "支付村务管理费", "102", "银行存款", "", "2,345.60", ""],
    ["记-003", "2024.03.10", "收到村级组织运转补助", "102", "银行存款", 50000, "", ""],
    ["", "", "收到村级组织运转补助", "503", "补助收入", "", 50000, ""],
    # 借贷不平
    ["记-004", "2024-03-20", "支付采摘园人工", "511", "经营支出", "3,000.00", "", ""],
    ["", "", "支付采摘园人工", "102", "银行存款", "", "2,900.00", ""],
    # 519 is not an account of the chart
    ["记-005", "2024-04-08", "支付宣传费", "519", "宣传费", "1,000.00", "", ""],
    ["", "", "支付宣传费", "102", "银行存款", "", "1,000.00", ""],
    # the name does not match the code (513 is 管理费用)
    ["记-006", "2024-05-06", "购买办公用品", "513", "经营支出", "800.00", "", ""],
    ["", "", "购买办公用品", "101", "库存现金", "", "800.00", ""],
    # dated before the opening balances
    ["记-007", "2023-12-20", "补记上年电费", "513", "管理费用", "450.00", "", ""],
    ["", "", "补记上年电费", "102", "银行存款", "", "450.00", ""],
    # an amount typed with the letter O
    ["记-008", "2024-06-30", "支付保洁费", "514", "公益支出", "1,2O0.00", "", ""],
    ["", "", "支付保洁费", "102", "银行存款", "", "1,200.00", ""],
    ["记-009", "2024-06-30", "收回张三欠款", "102", "银行存款", "5,000.00", "", ""],
    ["", "", "收回张三欠款", "112", "应收款-张三", "", "5,000.00", "张三"],
    ["记-010", "2024-09-15", "修缮村道路灯", "514", "公益支出", "6,500.00", "", ""],
    ["", "", "修缮村道路灯", "102", "银行存款", "", "6,500.00", ""],
    ["记-011", "2024-11-30", "计提固定资产折旧", "513", "管理费用", "10,000.00", "", ""],
    ["", "", "计提固定资产折旧", "152", "累计折旧", "", "10,000.00", ""],
    ["记-012", "2024-12-20", "收到合作社分红", "102", "银行存款", 3210.15, "", ""],
    ["", "", "收到合作社分红", "502", "投资收益", "", 3210.15, "渝东柑橘合作社"],
    ["记-013", "2024-12-25", "采摘园人工费（未付）", "511", "经营支出", "4,000.00", "", ""],
    ["", "", "采摘园人工费（未付）", "211", "应付款", "", "4,000.00", "李四建筑队"],
]

# Worked by hand from the rows above.
NET_INCOME_2024 = Decimal(
    "48364.55"
)  # 18,000 + 50,000 + 3,210.15 − 2,345.60 − 6,500 − 10,000 − 4,000
TOTAL_ASSETS_2024 = Decimal(
    "1102345.00"
)  # cash 1,200; bank 424,145.00; 应收款 7,000; 800,000 − 130,000
TOTAL_LIABILITIES_2024 = Decimal("39000.00")  # 应付款 35,000 + 4,000
TOTAL_EQUITY_2024 = Decimal("1063345.00")  # 900,000 + 114,980.45 + 48,364.55


def write_book(path: Path, rows: list[list[object]] | None = None) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "记账凭证"
    sheet.append(HEADER)
    for row in ROWS if rows is None else rows:
        sheet.append(row)
    workbook.save(path)
    return path


def resident_id(serial: int) -> str:
    """A valid resident ID number of a person born in 万州区 in 1968."""
    body = f"50010119680{serial % 9 + 1}{serial % 28 + 1:02d}{serial % 1000:03d}"
    return body + resident_id_check_char(body)


def add_member(session: Session, org: Organisation, name: str, serial: int) -> Member:
    """A confirmed member with a 全农码 of the registry and 1 人口股."""
    person = identity.create(
        session,
        scope=SYSTEM,
        kind=Kind.SUBJECT,
        region_code=org.region_code,
        entity_type="person",
        entity_id=f"member-{serial}",
    )
    member = members.add(
        session,
        scope=SYSTEM,
        org=org,
        member_in=members.MemberIn(
            person_code=person,
            name=name,
            id_number=resident_id(serial),
            phone=f"1380238{serial:04d}",
            confirmed_on=date(2019, 6, 30),
            basis="户籍在本村且承包集体土地",
        ),
    )
    members.record_shares(
        session,
        scope=SYSTEM,
        member=member,
        kind="人口股",
        shares=1,
        effective_on=date(2019, 6, 30),
        reason="成员身份确认",
    )
    return member


def scope_rows(session: Session, village: str) -> tuple[str, int, int]:
    """The village's organisation with opening balances, a member and a disclosure waiting for
    approval, for the scope matrix: (its 全农码, the member's id, the disclosure's id)."""
    org = make_org(session, village, f"矩阵经济合作社{village[-3:]}")
    books.write(
        session,
        scope=SYSTEM,
        org=org,
        voucher=books.VoucherIn(
            "记-000",
            date(2024, 1, 1),
            books.OPENING,
            [
                books.LineIn("102", debit=Decimal("1000")),
                books.LineIn("301", credit=Decimal("1000")),
            ],
            kind="opening",
        ),
    )
    member = add_member(session, org, f"矩阵成员{village[-3:]}", int(village[-3:]))
    made = disclosure.generate(session, scope=SYSTEM, org=org, period="2024Q1", rules=RULES)
    make_project(session, village, matrix_project(village))
    contracts.create(
        session,
        scope=SYSTEM,
        org=org,
        contract_in=contracts.ContractIn(
            number=f"HT-{village}",
            kind="lease",
            counterparty=f"矩阵承租人{village[-3:]}",
            subject="村集体厂房",
            starts_on=date(2024, 1, 1),
            ends_on=date(2025, 12, 31),
            price=Decimal("2000"),
            schedule=[(date(2024, 12, 31), Decimal("1000")), (date(2025, 12, 31), Decimal("1000"))],
        ),
    )
    return org.code, member.id, made.id


def matrix_project(village: str) -> str:
    """The 项目编号 of the scope matrix's 帮扶项目 in ``village``."""
    return f"JZ-{village}"


def add_list_rows(session: Session, village: str, count: int) -> None:
    """``count`` group-level organisations (组级集体经济组织) of the village and ``count`` 帮扶项目,
    for the paged lists."""
    for number in range(count):
        make_project(session, village, f"LB-{number:03d}")
    for number in range(count):
        orgs.create(
            session,
            scope=SYSTEM,
            org_in=orgs.OrgIn(
                region_code=village,
                name=f"第{number + 1}组经济合作社",
                group_name=f"第{number + 1}村民小组",
            ),
            rules=RULES,
        )


PROJECT_RULES = RULES.projects


def make_project(
    session: Session,
    village: str,
    number: str,
    *,
    kind: str = "industry",
    funds: dict[str, str] | None = None,
    approved_on: date = date(2024, 3, 1),
    steps: dict[str, date] | None = None,
) -> Project:
    """A 帮扶项目 of the village, by default an industry project of 100 万元 central funds."""
    return projects.create(
        session,
        scope=SYSTEM,
        project_in=projects.ProjectIn(
            number=number,
            name=f"帮扶项目{number}",
            region_code=village,
            kind=kind,
            funds={
                source: parse_amount(amount) or Decimal(0)
                for source, amount in (funds or {"central": "1000000"}).items()
            },
            approved_on=approved_on,
            households=20,
            beneficiaries=60,
            monitored_households=3,
            steps=steps or {},
        ),
        rules=PROJECT_RULES,
    )
