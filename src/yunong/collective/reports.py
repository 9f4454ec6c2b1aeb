"""Reports from the books: the trial balance (科目余额表), the balance sheet (资产负债表) and
the income statement (收益及收益分配表), in yuan to the fen.

Balances are summed per chart account (a sub-account such as 11201 counts under 112) as
debit minus credit in fen, and shown on each account's normal side. The balance sheet's
equity includes the year's P&L not yet carried to 本年收益, so it balances in every month.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from yunong.collective.books import to_yuan
from yunong.collective.models import Organisation, Voucher, VoucherLine
from yunong.core.scope import Scope
from yunong.policy.schema import Collective

CATEGORY_LABELS = {
    "asset": "资产类",
    "liability": "负债类",
    "equity": "所有者权益类",
    "cost": "成本类",
    "profit_loss": "损益类",
}
SIDE_LABELS = {"debit": "借", "credit": "贷"}


@dataclass(frozen=True)
class TrialRow:
    account: str
    name: str
    category: str
    side: str
    opening: Decimal
    debit: Decimal
    credit: Decimal
    closing: Decimal
    """Balances on the account's normal side: negative when on the other."""


def sums(session: Session, org: Organisation, period: str) -> dict[str, tuple[int, int, int]]:
    """Per chart account: (balance before ``period``, debits in it, credits in it), in fen."""
    account = func.substr(VoucherLine.account, 1, 3)
    before = VoucherLine.period < period
    within = VoucherLine.period == period
    rows = session.execute(
        select(
            account,
            func.sum(case((before, VoucherLine.debit_fen - VoucherLine.credit_fen), else_=0)),
            func.sum(case((within, VoucherLine.debit_fen), else_=0)),
            func.sum(case((within, VoucherLine.credit_fen), else_=0)),
        )
        .where(VoucherLine.org_id == org.id, VoucherLine.period <= period)
        .group_by(account)
    ).all()
    return {code: (int(opening), int(debit), int(credit)) for code, opening, debit, credit in rows}


def signed(fen: int, side: str) -> Decimal:
    return to_yuan(fen if side == "debit" else -fen)


def trial_balance(
    session: Session, *, scope: Scope, org: Organisation, period: str, rules: Collective
) -> list[TrialRow]:
    """Every chart account with its opening balance, the month's debits and credits and its
    closing balance; accounts never used show zeros."""
    scope.check_read(org.region_code, f"集体经济组织“{org.code}”")
    found = sums(session, org, period)
    rows = []
    for code, account in rules.accounts.items():
        opening, debit, credit = found.get(code, (0, 0, 0))
        rows.append(
            TrialRow(
                account=code,
                name=account.name,
                category=account.category,
                side=account.side,
                opening=signed(opening, account.side),
                debit=to_yuan(debit),
                credit=to_yuan(credit),
                closing=signed(opening + debit - credit, account.side),
            )
        )
    return rows


def balances(session: Session, org: Organisation, period: str) -> dict[str, int]:
    """Debit-minus-credit balance in fen of each chart account at the end of ``period``."""
    return {
        code: opening + debit - credit
        for code, (opening, debit, credit) in sums(session, org, period).items()
    }


def balance_sheet(
    session: Session, *, scope: Scope, org: Organisation, period: str, rules: Collective
) -> dict[str, object]:
    """Totals and account lines at the end of ``period``; 生产(劳务)成本 counts with the
    assets (存货), and P&L not yet carried with the equity."""
    scope.check_read(org.region_code, f"集体经济组织“{org.code}”")
    found = balances(session, org, period)
    totals: dict[str, int] = defaultdict(int)
    lines: dict[str, list[dict[str, object]]] = defaultdict(list)
    for code, fen in sorted(found.items()):
        account = rules.accounts.get(code)
        if account is None:
            continue
        group = {
            "asset": "assets",
            "cost": "assets",
            "liability": "liabilities",
            "equity": "equity",
            "profit_loss": "equity",
        }[account.category]
        amount = fen if group == "assets" else -fen
        totals[group] += amount
        if account.category != "profit_loss" and fen:
            lines[group].append(
                {"account": code, "name": account.name, "amount": float(to_yuan(amount))}
            )
    unclosed = -sum(
        fen
        for code, fen in found.items()
        if code in rules.accounts and rules.accounts[code].category == "profit_loss"
    )
    if unclosed:
        lines["equity"].append(
            {"account": "", "name": "本年未结转收益", "amount": float(to_yuan(unclosed))}
        )
    return {
        "organisation": org.code,
        "name": org.name,
        "period": period,
        "total_assets": float(to_yuan(totals["assets"])),
        "total_liabilities": float(to_yuan(totals["liabilities"])),
        "total_equity": float(to_yuan(totals["equity"])),
        "balanced": totals["assets"] == totals["liabilities"] + totals["equity"],
        "assets": lines["assets"],
        "liabilities": lines["liabilities"],
        "equity": lines["equity"],
    }


def income_statement(
    session: Session, *, scope: Scope, org: Organisation, period: str, rules: Collective
) -> dict[str, object]:
    """The year's income and expenses from January to the end of ``period``, before the
    year-end carry, and 本年收益 (net_income)."""
    scope.check_read(org.region_code, f"集体经济组织“{org.code}”")
    account = func.substr(VoucherLine.account, 1, 3)
    rows = session.execute(
        select(account, func.sum(VoucherLine.credit_fen - VoucherLine.debit_fen))
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .where(
            VoucherLine.org_id == org.id,
            VoucherLine.period.between(f"{period[:4]}-01", period),
            Voucher.kind != "closing",
        )
        .group_by(account)
    ).all()
    items = []
    net = 0
    for code, fen in sorted(rows):
        chart = rules.accounts.get(code)
        if chart is None or chart.category != "profit_loss":
            continue
        net += int(fen)
        shown = int(fen) if chart.side == "credit" else -int(fen)
        items.append(
            {
                "account": code,
                "name": chart.name,
                "side": chart.side,
                "amount": float(to_yuan(shown)),
            }
        )
    return {
        "organisation": org.code,
        "name": org.name,
        "period": period,
        "income": [item for item in items if item["side"] == "credit"],
        "expenses": [item for item in items if item["side"] == "debit"],
        "net_income": float(to_yuan(net)),
    }


def trial_balances(
    session: Session, *, scope: Scope, period: str, rules: Collective
) -> dict[str, list[TrialRow]]:
    """The trial balance of every organisation in the scope for ``period``, by 全农码, in one
    grouped query over the lines (accounts without lines left out): what the town's 经管站
    and the district read for all their villages at once."""
    account = func.substr(VoucherLine.account, 1, 3)
    before = VoucherLine.period < period
    within = VoucherLine.period == period
    query = (
        select(
            Organisation.code,
            account,
            func.sum(case((before, VoucherLine.debit_fen - VoucherLine.credit_fen), else_=0)),
            func.sum(case((within, VoucherLine.debit_fen), else_=0)),
            func.sum(case((within, VoucherLine.credit_fen), else_=0)),
        )
        .join(VoucherLine, VoucherLine.org_id == Organisation.id)
        .where(VoucherLine.period <= period)
        .group_by(Organisation.code, account)
    )
    found: dict[str, list[TrialRow]] = defaultdict(list)
    for code, chart_code, opening, debit, credit in session.execute(
        scope.filter(query, Organisation.region_code)
    ).tuples():
        chart = rules.accounts.get(chart_code)
        if chart is None:
            continue
        opening, debit, credit = int(opening), int(debit), int(credit)
        found[code].append(
            TrialRow(
                chart_code,
                chart.name,
                chart.category,
                chart.side,
                signed(opening, chart.side),
                to_yuan(debit),
                to_yuan(credit),
                signed(opening + debit - credit, chart.side),
            )
        )
    return dict(found)
