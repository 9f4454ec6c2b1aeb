"""Vouchers from the workbooks accountants keep: one row per line, 凭证号 and 日期 written on
a voucher's first row and often left blank on the rows that continue it.

Each voucher is refused or kept whole; the opening balances (摘要 期初余额) are read first
wherever they stand in the file, since every other voucher is checked against their date.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from yunong.collective import books
from yunong.collective.books import LineIn, Refusal, VoucherIn
from yunong.collective.models import Organisation
from yunong.core import tabular
from yunong.core.audit import service as audit
from yunong.core.errors import InvalidValue
from yunong.core.parsing import fold, parse_amount, parse_date
from yunong.core.scope import Scope
from yunong.policy.schema import Collective

COLUMNS = {
    "number": ("凭证号", "凭证编号", "凭证字号"),
    "date": ("日期", "凭证日期", "记账日期"),
    "summary": ("摘要",),
    "account": ("科目编码", "科目代码", "会计科目编码"),
    "account_name": ("科目名称", "会计科目"),
    "debit": ("借方金额", "借方", "借方金额(元)"),
    "credit": ("贷方金额", "贷方", "贷方金额(元)"),
    "counterparty": ("辅助核算", "往来单位", "对方单位"),
}
REQUIRED = ("number", "date", "summary", "account", "debit", "credit")


@dataclass
class VoucherTally:
    imported: int = 0
    unchanged: int = 0
    lines: int = 0
    errors: list[Refusal] = field(default_factory=list)
    rejected_vouchers: set[tuple[int, str]] = field(default_factory=set)

    @property
    def rejected(self) -> int:
        return len(self.rejected_vouchers)

    def refuse(self, first_row: int, refusals: list[Refusal]) -> None:
        self.rejected_vouchers.add((first_row, refusals[0].voucher))
        self.errors += refusals

    def as_json(self) -> dict[str, object]:
        return {
            "vouchers": {
                "imported": self.imported,
                "unchanged": self.unchanged,
                "rejected": self.rejected,
            },
            "lines": self.lines,
            "errors": [
                {"row": error.row, "voucher": error.voucher, "reason": error.reason}
                for error in sorted(self.errors, key=lambda error: error.row)
            ],
        }


@dataclass
class Draft:
    """A voucher as read, with the refusals found while reading it."""

    number: str
    first_row: int
    voucher_date: date | None
    summary: str
    lines: list[LineIn] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)

    @property
    def opening(self) -> bool:
        return fold(self.summary).replace(" ", "") == books.OPENING

    def voucher(self) -> VoucherIn:
        assert self.voucher_date is not None
        kind = "opening" if self.opening else "entry"
        return VoucherIn(self.number, self.voucher_date, self.summary, self.lines, kind=kind)


def amount(text: str, label: str, line: int, number: str, refusals: list[Refusal]) -> Decimal:
    try:
        return parse_amount(text, allow_negative=True) or Decimal(0)
    except InvalidValue as error:
        refusals.append(Refusal(line, number, f"{label}：{error.message}"))
        return Decimal(0)


def read_drafts(path: Path) -> list[Draft]:
    """The file's vouchers in order: a row with a 凭证号 different from the one before starts
    a voucher; a row without one continues it."""
    drafts: list[Draft] = []
    for line, row in tabular.read_table(path, COLUMNS, REQUIRED):
        number = row["number"].strip()
        current = drafts[-1] if drafts else None
        if current is None or (number and number != current.number):
            current = Draft(number or "（无凭证号）", line, None, row["summary"])
            drafts.append(current)
            if row["date"]:
                try:
                    current.voucher_date = parse_date(row["date"])
                except InvalidValue as error:
                    current.refusals.append(Refusal(line, current.number, f"日期：{error.message}"))
            else:
                current.refusals.append(Refusal(line, current.number, "日期：凭证的第一行未填日期"))
            if not number:
                current.refusals.append(Refusal(line, current.number, "凭证号：未填"))
        elif row["date"]:
            try:
                if parse_date(row["date"]) != current.voucher_date:
                    current.refusals.append(
                        Refusal(line, current.number, "日期：同一凭证的各行日期不同")
                    )
            except InvalidValue as error:
                current.refusals.append(Refusal(line, current.number, f"日期：{error.message}"))
        debit = amount(row["debit"], "借方金额", line, current.number, current.refusals)
        credit = amount(row["credit"], "贷方金额", line, current.number, current.refusals)
        account = fold(row["account"]).replace(" ", "")
        if not account:
            current.refusals.append(Refusal(line, current.number, "科目编码：未填"))
            continue
        if debit == 0 and credit == 0 and not row["debit"].strip() and not row["credit"].strip():
            current.refusals.append(Refusal(line, current.number, "借方金额、贷方金额都未填"))
            continue
        current.lines.append(
            LineIn(
                account=account,
                debit=debit,
                credit=credit,
                summary=row["summary"] or current.summary,
                account_name=fold(row.get("account_name", "")),
                counterparty=row.get("counterparty", "").strip(),
                row=line,
            )
        )
    return drafts


def import_vouchers(
    session: Session, *, scope: Scope, org: Organisation, path: Path, rules: Collective
) -> VoucherTally:
    """Post the file's vouchers to ``org``'s books; refused vouchers are listed with their rows
    and reasons, good ones kept, and a voucher already posted the same is unchanged."""
    scope.check_write(org.region_code, f"集体经济组织“{org.code}”")
    drafts = read_drafts(path)
    tally = VoucherTally()
    closed = books.closed_periods(session, org)
    seen: set[tuple[str, str]] = set()
    for draft in sorted(drafts, key=lambda draft: not draft.opening):
        if draft.refusals:
            tally.refuse(draft.first_row, draft.refusals)
            continue
        voucher = draft.voucher()
        key = (voucher.period, voucher.number)
        if key in seen:
            tally.refuse(
                draft.first_row,
                [
                    Refusal(
                        draft.first_row,
                        draft.number,
                        f"凭证号 {draft.number} 在 {voucher.period} 中重复",
                    )
                ],
            )
            continue
        seen.add(key)
        posted = books.existing(session, org, voucher)
        if posted is not None:
            if posted.digest == voucher.digest():
                tally.unchanged += 1
            else:
                tally.refuse(
                    draft.first_row,
                    [
                        Refusal(
                            draft.first_row,
                            draft.number,
                            f"凭证号 {draft.number}（{voucher.period}）已入账且内容不同："
                            "已入账的凭证只能红字冲销，不能改写",
                        )
                    ],
                )
            continue
        refusals = books.check_lines(voucher, rules)
        found = books.check_date(voucher, org, closed)
        if found:
            refusals.insert(0, found)
        if refusals:
            tally.refuse(draft.first_row, refusals)
            continue
        books.write(session, scope=scope, org=org, voucher=voucher)
        tally.imported += 1
        tally.lines += len(voucher.lines)
    audit.record_file_import(
        session,
        scope=scope,
        action="collective.vouchers.import",
        path=path,
        detail=f"{org.code} 导入 {tally.imported}，未变 {tally.unchanged}，拒绝 {tally.rejected}",
    )
    return tally
