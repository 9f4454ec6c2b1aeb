"""The books of 石坪村 from the accountant's workbook: exactly the faulty vouchers refused
with their rows and reasons, the reports equal to hand-worked figures to the fen, months
closed in order, the year's P&L carried to 本年收益, and reversal instead of deletion."""

from datetime import date
from decimal import Decimal

import pytest

from tests.collective.factories import (
    NET_INCOME_2024,
    ROWS,
    RULES,
    SYSTEM,
    TOTAL_ASSETS_2024,
    TOTAL_EQUITY_2024,
    TOTAL_LIABILITIES_2024,
    make_org,
    write_book,
)
from tests.factories import make_place
from yunong.collective import books, importer, reports
from yunong.collective.books import LineIn, VoucherIn
from yunong.core.errors import Conflict, InvalidValue

pytestmark = pytest.mark.db


@pytest.fixture
def village_books(session, tmp_path):
    place = make_place(session)
    org = make_org(session, place.village)
    path = write_book(tmp_path / "石坪村2024年凭证.xlsx")
    tally = importer.import_vouchers(session, scope=SYSTEM, org=org, path=path, rules=RULES)
    return org, path, tally


def yuan(value: object) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_the_workbook_keeps_good_vouchers_and_refuses_each_faulty_one_with_its_reason(
    village_books,
):
    _, _, tally = village_books
    assert tally.as_json() == {
        "vouchers": {"imported": 9, "unchanged": 0, "rejected": 5},
        "lines": 24,
        "errors": [
            {
                "row": 16,
                "voucher": "记-004",
                "reason": "借贷不平：借方合计 3,000.00 元，贷方合计 2,900.00 元",
            },
            {"row": 18, "voucher": "记-005", "reason": "科目编码“519”不在会计科目表中"},
            {
                "row": 20,
                "voucher": "记-006",
                "reason": "科目名称“经营支出”与科目编码 513（管理费用）不符",
            },
            {
                "row": 22,
                "voucher": "记-007",
                "reason": "日期 2023-12-20 早于期初余额日期 2024-01-01，不在会计期间内",
            },
            {
                "row": 24,
                "voucher": "记-008",
                "reason": "借方金额：金额“1,2O0.00”无法识别，应为数字，可带“万”“千”",
            },
        ],
    }


def test_the_same_workbook_twice_changes_nothing(session, village_books):
    org, path, _ = village_books
    again = importer.import_vouchers(session, scope=SYSTEM, org=org, path=path, rules=RULES)
    assert again.as_json()["vouchers"] == {"imported": 0, "unchanged": 9, "rejected": 5}
    assert again.lines == 0
    sheet = reports.balance_sheet(session, scope=SYSTEM, org=org, period="2024-12", rules=RULES)
    assert yuan(sheet["total_assets"]) == TOTAL_ASSETS_2024


def test_the_balance_sheet_balances_and_equals_the_hand_worked_totals(session, village_books):
    org, _, _ = village_books
    sheet = reports.balance_sheet(session, scope=SYSTEM, org=org, period="2024-12", rules=RULES)
    assert yuan(sheet["total_assets"]) == TOTAL_ASSETS_2024
    assert yuan(sheet["total_liabilities"]) == TOTAL_LIABILITIES_2024
    assert yuan(sheet["total_equity"]) == TOTAL_EQUITY_2024
    assert sheet["balanced"] is True
    income = reports.income_statement(session, scope=SYSTEM, org=org, period="2024-12", rules=RULES)
    assert yuan(income["net_income"]) == NET_INCOME_2024


def test_the_trial_balance_shows_contra_accounts_on_the_credit_side(session, village_books):
    org, _, _ = village_books
    rows = {
        row.account: row
        for row in reports.trial_balance(
            session, scope=SYSTEM, org=org, period="2024-11", rules=RULES
        )
    }
    assert len(rows) == 42
    depreciation = rows["152"]
    assert (depreciation.side, depreciation.opening, depreciation.credit, depreciation.closing) == (
        "credit",
        Decimal("120000.00"),
        Decimal("10000.00"),
        Decimal("130000.00"),
    )
    assert rows["102"].opening == Decimal("420934.85")
    assert sum(row.debit for row in rows.values()) == sum(row.credit for row in rows.values())


def test_closing_a_month_blocks_vouchers_dated_in_it(session, village_books, tmp_path):
    org, _, _ = village_books
    books.close(session, scope=SYSTEM, org=org, period="2024-01", rules=RULES)
    late = write_book(
        tmp_path / "补记.xlsx",
        [
            ["记-020", "2024-01-31", "补记1月利息", "102", "银行存款", "12.30", "", ""],
            ["", "", "补记1月利息", "504", "其他收入", "", "12.30", ""],
        ],
    )
    tally = importer.import_vouchers(session, scope=SYSTEM, org=org, path=late, rules=RULES)
    assert tally.as_json()["errors"] == [
        {"row": 2, "voucher": "记-020", "reason": "2024-01 已结账，不能再记入凭证"}
    ]


def test_months_are_closed_in_order(session, village_books):
    org, _, _ = village_books
    with pytest.raises(Conflict, match="下一个应结账的期间是 2024-01"):
        books.close(session, scope=SYSTEM, org=org, period="2024-03", rules=RULES)


def test_closing_december_carries_the_years_pl_to_321_and_the_closed_year_stays_put(
    session, village_books
):
    org, _, _ = village_books
    for month in range(1, 13):
        books.close(session, scope=SYSTEM, org=org, period=f"2024-{month:02d}", rules=RULES)
    rows = {
        row.account: row
        for row in reports.trial_balance(
            session, scope=SYSTEM, org=org, period="2024-12", rules=RULES
        )
    }
    assert rows["321"].closing == NET_INCOME_2024
    assert all(row.closing == 0 for row in rows.values() if row.category == "profit_loss")
    before = reports.balance_sheet(session, scope=SYSTEM, org=org, period="2024-12", rules=RULES)
    books.post(
        session,
        scope=SYSTEM,
        org=org,
        rules=RULES,
        voucher=VoucherIn(
            "记-001",
            date(2025, 1, 6),
            "收到租金",
            [LineIn("102", debit=Decimal("9000")), LineIn("501", credit=Decimal("9000"))],
        ),
    )
    after = reports.balance_sheet(session, scope=SYSTEM, org=org, period="2024-12", rules=RULES)
    assert after == before
    income = reports.income_statement(session, scope=SYSTEM, org=org, period="2024-12", rules=RULES)
    assert yuan(income["net_income"]) == NET_INCOME_2024


def test_a_posted_voucher_is_reversed_not_deleted(session, village_books):
    org, _, _ = village_books
    books.reverse(
        session, scope=SYSTEM, org=org, period="2024-12", number="记-013", on=date(2024, 12, 31)
    )
    sheet = reports.balance_sheet(session, scope=SYSTEM, org=org, period="2024-12", rules=RULES)
    assert yuan(sheet["total_liabilities"]) == Decimal("35000.00")
    with pytest.raises(Conflict, match="已冲销"):
        books.reverse(
            session, scope=SYSTEM, org=org, period="2024-12", number="记-013", on=date(2024, 12, 31)
        )


def test_a_voucher_before_any_opening_balances_is_refused(session, tmp_path):
    place = make_place(session)
    org = make_org(session, place.village)
    path = write_book(tmp_path / "无期初.xlsx", ROWS[8:10])
    tally = importer.import_vouchers(session, scope=SYSTEM, org=org, path=path, rules=RULES)
    assert tally.rejected == 1
    assert "尚无期初余额" in tally.errors[0].reason
    with pytest.raises(InvalidValue, match="尚无期初余额"):
        books.close(session, scope=SYSTEM, org=org, period="2024-01", rules=RULES)


def test_the_trial_balance_of_all_organisations_equals_each_ones_own(session, village_books):
    org, _, _ = village_books
    everyone = reports.trial_balances(session, scope=SYSTEM, period="2024-11", rules=RULES)
    own = reports.trial_balance(session, scope=SYSTEM, org=org, period="2024-11", rules=RULES)
    used = [row for row in own if row.opening or row.debit or row.credit]
    assert sorted(everyone[org.code], key=lambda row: row.account) == used
