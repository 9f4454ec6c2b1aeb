"""The books of an organisation: vouchers checked against the chart and posted, months closed
in order (结账) with the year's P&L carried to 本年收益 when December closes, and reversal
(红字冲销) instead of deletion.

A voucher is checked whole before anything is written: one bad line refuses the voucher.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.collective.models import ClosedPeriod, Organisation, Voucher, VoucherLine
from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue, NotFound
from yunong.core.scope import Scope
from yunong.policy.schema import Collective

FEN = Decimal("0.01")
OPENING = "期初余额"
NAME_SEPARATORS = re.compile(r"[-—_/\\:：·.．\s]+")


def to_fen(amount: Decimal) -> int:
    return int((amount / FEN).to_integral_value())


def to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) * FEN).quantize(FEN)


def period_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def next_period(period: str) -> str:
    year, month = int(period[:4]), int(period[5:])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def parse_period(text: str) -> str:
    """YYYY-MM from 2024-03, 2024-3 or 202403."""
    match = re.fullmatch(r"(\d{4})-?(\d{1,2})", text.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise InvalidValue("会计期间“{text}”无效，应如 2024-03", text=text.strip())
    return f"{match.group(1)}-{int(match.group(2)):02d}"


@dataclass(frozen=True)
class LineIn:
    account: str
    debit: Decimal = Decimal(0)
    credit: Decimal = Decimal(0)
    summary: str = ""
    account_name: str = ""
    counterparty: str = ""
    row: int = 0
    """The file's row of the line, for refusals; 0 when not from a file."""


@dataclass
class VoucherIn:
    number: str
    voucher_date: date
    summary: str
    lines: list[LineIn] = field(default_factory=list)
    kind: str = "entry"

    @property
    def period(self) -> str:
        return period_of(self.voucher_date)

    @property
    def first_row(self) -> int:
        return self.lines[0].row if self.lines else 0

    def digest(self) -> str:
        """What makes two vouchers the same: date, kind and lines (not row numbers)."""
        lines = [
            [
                line.account,
                str(to_fen(line.debit)),
                str(to_fen(line.credit)),
                line.counterparty,
                line.summary,
            ]
            for line in self.lines
        ]
        text = json.dumps([self.voucher_date.isoformat(), self.kind, lines], ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Refusal:
    row: int
    voucher: str
    reason: str


def chart_account(code: str, rules: Collective) -> str | None:
    """The chart's account of a code: itself, or the account a sub-account code (11201 →
    112) belongs to."""
    for length in (3,):
        if code[:length] in rules.accounts and code.isdigit():
            return code[:length]
    return None


def name_matches(name: str, account: str, rules: Collective) -> bool:
    """Whether the name written beside a code is its account's (or a sub-account of it,
    written as 应收款-张三 or 应收款/张三)."""
    if not name:
        return True
    expected = rules.accounts[account].name
    folded = name.replace("（", "(").replace("）", ")").strip()
    if folded == expected or folded.startswith(expected):
        return True
    return NAME_SEPARATORS.split(folded)[0] == expected


def check_lines(voucher: VoucherIn, rules: Collective) -> list[Refusal]:
    """Refusals of the voucher's own content: accounts, names, sides and balance."""
    refusals = []
    for line in voucher.lines:
        account = chart_account(line.account, rules)
        if account is None:
            refusals.append(
                Refusal(line.row, voucher.number, f"科目编码“{line.account}”不在会计科目表中")
            )
        elif not name_matches(line.account_name, account, rules):
            reason = (
                f"科目名称“{line.account_name}”与科目编码 {line.account}"
                f"（{rules.accounts[account].name}）不符"
            )
            refusals.append(Refusal(line.row, voucher.number, reason))
        if line.debit and line.credit:
            refusals.append(Refusal(line.row, voucher.number, "同一行借方、贷方都有金额"))
    if not voucher.lines:
        refusals.append(Refusal(voucher.first_row, voucher.number, "凭证没有分录"))
    debit = sum((line.debit for line in voucher.lines), Decimal(0))
    credit = sum((line.credit for line in voucher.lines), Decimal(0))
    if debit != credit:
        refusals.append(
            Refusal(
                voucher.first_row,
                voucher.number,
                f"借贷不平：借方合计 {debit:,.2f} 元，贷方合计 {credit:,.2f} 元",
            )
        )
    elif voucher.lines and debit == 0:
        refusals.append(Refusal(voucher.first_row, voucher.number, "凭证金额合计为零"))
    return refusals


def closed_periods(session: Session, org: Organisation) -> set[str]:
    return set(session.scalars(select(ClosedPeriod.period).where(ClosedPeriod.org_id == org.id)))


def check_date(voucher: VoucherIn, org: Organisation, closed: set[str]) -> Refusal | None:
    """A voucher must fall in an open month on or after the opening balances."""
    day = voucher.voucher_date
    if voucher.kind == "opening":
        if org.books_start is not None and org.books_start != day:
            return Refusal(
                voucher.first_row,
                voucher.number,
                f"期初余额已于 {org.books_start.isoformat()} 建账，不能再次导入不同日期的期初余额",
            )
        return None
    if org.books_start is None:
        return Refusal(
            voucher.first_row,
            voucher.number,
            "尚无期初余额，账簿未建立：请先导入摘要为“期初余额”的凭证",
        )
    if day < org.books_start:
        return Refusal(
            voucher.first_row,
            voucher.number,
            f"日期 {day.isoformat()} 早于期初余额日期 {org.books_start.isoformat()}"
            "，不在会计期间内",
        )
    if voucher.period in closed:
        return Refusal(
            voucher.first_row, voucher.number, f"{voucher.period} 已结账，不能再记入凭证"
        )
    return None


def existing(session: Session, org: Organisation, voucher: VoucherIn) -> Voucher | None:
    return session.scalars(
        select(Voucher).where(
            Voucher.org_id == org.id,
            Voucher.period == voucher.period,
            Voucher.number == voucher.number,
        )
    ).first()


def write(
    session: Session,
    *,
    scope: Scope,
    org: Organisation,
    voucher: VoucherIn,
    reverses: int | None = None,
) -> Voucher:
    """Write a checked voucher and its lines."""
    row = Voucher(
        org_id=org.id,
        region_code=org.region_code,
        period=voucher.period,
        number=voucher.number,
        voucher_date=voucher.voucher_date,
        summary=voucher.summary[:200],
        kind=voucher.kind,
        reverses_id=reverses,
        digest=voucher.digest(),
        posted_by=scope.actor,
    )
    session.add(row)
    session.flush()
    session.add_all(
        VoucherLine(
            voucher_id=row.id,
            org_id=org.id,
            period=voucher.period,
            account=line.account,
            summary=(line.summary or voucher.summary)[:200],
            counterparty=line.counterparty[:100],
            debit_fen=to_fen(line.debit),
            credit_fen=to_fen(line.credit),
        )
        for line in voucher.lines
    )
    if voucher.kind == "opening":
        org.books_start = voucher.voucher_date
    session.flush()
    return row


def post(
    session: Session, *, scope: Scope, org: Organisation, voucher: VoucherIn, rules: Collective
) -> Voucher:
    """Check and post one voucher, or raise with the first reason it is refused."""
    scope.check_write(org.region_code, f"集体经济组织“{org.code}”")
    refusals = check_lines(voucher, rules)
    found = check_date(voucher, org, closed_periods(session, org))
    if found:
        refusals.insert(0, found)
    if refusals:
        raise InvalidValue(
            "凭证 {number}：{reason}", number=voucher.number, reason=refusals[0].reason
        )
    if existing(session, org, voucher):
        raise Conflict(
            "凭证号 {number}（{period}）已使用", number=voucher.number, period=voucher.period
        )
    return write(session, scope=scope, org=org, voucher=voucher)


def reverse(
    session: Session, *, scope: Scope, org: Organisation, period: str, number: str, on: date
) -> Voucher:
    """Reverse a posted voucher by a new one dated ``on`` with each line's sides swapped:
    the original stays in the books, as the accounting rules require."""
    scope.check_write(org.region_code, f"集体经济组织“{org.code}”")
    check_bookkeeper(scope)
    original = session.scalars(
        select(Voucher).where(
            Voucher.org_id == org.id, Voucher.period == period, Voucher.number == number
        )
    ).first()
    if original is None:
        raise NotFound("凭证 {number}（{period}）不存在", number=number, period=period)
    if session.scalar(select(Voucher.id).where(Voucher.reverses_id == original.id)):
        raise Conflict("凭证 {number}（{period}）已冲销", number=number, period=period)
    lines = session.scalars(
        select(VoucherLine).where(VoucherLine.voucher_id == original.id).order_by(VoucherLine.id)
    )
    reversal = VoucherIn(
        number=f"冲{number}"[:20],
        voucher_date=on,
        summary=f"冲销 {period} 第 {number} 号凭证"[:200],
        kind="reversal",
        lines=[
            LineIn(
                line.account,
                debit=to_yuan(line.credit_fen),
                credit=to_yuan(line.debit_fen),
                summary=line.summary,
                counterparty=line.counterparty,
            )
            for line in lines
        ],
    )
    found = check_date(reversal, org, closed_periods(session, org))
    if found:
        raise InvalidValue(found.reason)
    row = write(session, scope=scope, org=org, voucher=reversal, reverses=original.id)
    audit.record(
        session,
        scope=scope,
        action="collective.voucher.reverse",
        target_type="collective_voucher",
        target_id=original.id,
        region_code=org.region_code,
        detail=f"{period} {number}",
    )
    return row


def check_bookkeeper(scope: Scope) -> None:
    """Posting, closing and reversing are the accountant's (or command-line work's)."""
    if scope.role is not None and scope.role != Role.COLLECTIVE_ACCOUNTANT.value:
        raise Forbidden("记账、结账和冲销由集体会计办理")


def next_to_close(session: Session, org: Organisation) -> str:
    if org.books_start is None:
        raise InvalidValue("集体经济组织“{name}”尚无期初余额，账簿未建立", name=org.name)
    last = session.scalar(
        select(func.max(ClosedPeriod.period)).where(ClosedPeriod.org_id == org.id)
    )
    return next_period(last) if last else period_of(org.books_start)


def close(
    session: Session, *, scope: Scope, org: Organisation, period: str, rules: Collective
) -> Voucher | None:
    """Close a month (结账), the earliest open one only; closing December first carries the
    year's P&L to 本年收益 with a closing voucher dated 31 December, which it returns."""
    scope.check_write(org.region_code, f"集体经济组织“{org.code}”")
    check_bookkeeper(scope)
    wanted = next_to_close(session, org)
    if period != wanted:
        raise Conflict("应按月依次结账：下一个应结账的期间是 {wanted}", wanted=wanted)
    carried = None
    if period.endswith("-12"):
        carried = carry_profit(session, scope=scope, org=org, year=int(period[:4]), rules=rules)
    session.add(ClosedPeriod(org_id=org.id, period=period, closed_by=scope.actor))
    audit.record(
        session,
        scope=scope,
        action="collective.period.close",
        target_type="collective_org",
        target_id=org.code,
        region_code=org.region_code,
        detail=period,
    )
    session.flush()
    return carried


def carry_profit(
    session: Session, *, scope: Scope, org: Organisation, year: int, rules: Collective
) -> Voucher | None:
    """The year-end voucher that empties every P&L account into 本年收益."""
    balances = session.execute(
        select(VoucherLine.account, func.sum(VoucherLine.debit_fen - VoucherLine.credit_fen))
        .where(
            VoucherLine.org_id == org.id,
            VoucherLine.period.between(f"{year}-01", f"{year}-12"),
        )
        .group_by(VoucherLine.account)
    ).all()
    lines = []
    net = 0
    for account, balance in sorted(balances):
        chart = rules.accounts.get(account[:3])
        if chart is None or chart.category != "profit_loss" or not balance:
            continue
        net -= int(balance)
        amount = to_yuan(abs(int(balance)))
        lines.append(
            LineIn(account, credit=amount) if balance > 0 else LineIn(account, debit=amount)
        )
    if not lines:
        return None
    target = rules.profit_carry_account
    lines.append(
        LineIn(target, credit=to_yuan(net)) if net >= 0 else LineIn(target, debit=to_yuan(-net))
    )
    voucher = VoucherIn(
        number="结转损益",
        voucher_date=date(year, 12, 31),
        summary=f"{year} 年损益结转本年收益",
        kind="closing",
        lines=lines,
    )
    return write(session, scope=scope, org=org, voucher=voucher)
