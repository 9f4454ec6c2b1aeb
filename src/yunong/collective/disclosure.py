"""财务公开: a quarter's (or a month's) disclosure generated from the books in the eight
categories of the 农村集体经济组织财务公开规定, checked and approved by the village's
民主理财小组 before anyone outside the books sees it, then shown on the village's public page.

Once approved a disclosure is fixed: it is what the members read on the notice board.
"""

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.collective import books, registry, reports
from yunong.collective.models import Disclosure, Organisation, Voucher, VoucherLine
from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue, NotFound
from yunong.core.regions import service as regions
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.policy.schema import Collective
from yunong.store.base import utcnow

QUARTER = re.compile(r"^(\d{4})\s*[Qq季]?\s*([1-4])$")
DEBT_ACCOUNTS = ("201", "211", "212", "213", "214", "221", "231", "241")
CLAIM_ACCOUNTS = ("112", "113")


@dataclass(frozen=True)
class Span:
    label: str
    """2024Q4 or 2024-12."""
    first: str
    last: str


def span_of(text: str) -> Span:
    """A quarter (2024Q4, 2024-4) or a month (2024-12)."""
    value = text.strip()
    match = QUARTER.match(value.replace("-", ""))
    if match and ("Q" in value.upper() or "季" in value):
        year, quarter = match.group(1), int(match.group(2))
        return Span(
            f"{year}Q{quarter}", f"{year}-{quarter * 3 - 2:02d}", f"{year}-{quarter * 3:02d}"
        )
    month = books.parse_period(value)
    return Span(month, month, month)


def yuan(fen: int) -> float:
    return float(books.to_yuan(fen))


def compose(
    session: Session,
    org: Organisation,
    span: Span,
    rules: Collective,
    resources: list[dict[str, object]] | None = None,
) -> dict[str, object]:
    """The eight categories from the books: income and expenses of the span, balances at its
    end; and the resources of the 三资 registry (``resources``: label and book value)."""
    account = func.substr(VoucherLine.account, 1, 3)
    flows: dict[str, int] = dict(
        list(
            session.execute(
                select(account, func.sum(VoucherLine.credit_fen - VoucherLine.debit_fen))
                .join(Voucher, Voucher.id == VoucherLine.voucher_id)
                .where(
                    VoucherLine.org_id == org.id,
                    VoucherLine.period.between(span.first, span.last),
                    Voucher.kind.not_in(("closing", "opening")),
                )
                .group_by(account)
            ).tuples()
        )
    )
    balances = reports.balances(session, org, span.last)
    by_party: dict[str, int] = defaultdict(int)
    for code, party, fen in session.execute(
        select(
            account,
            VoucherLine.counterparty,
            func.sum(VoucherLine.debit_fen - VoucherLine.credit_fen),
        )
        .where(
            VoucherLine.org_id == org.id,
            VoucherLine.period <= span.last,
            VoucherLine.counterparty != "",
        )
        .group_by(account, VoucherLine.counterparty)
    ):
        if code in CLAIM_ACCOUNTS + DEBT_ACCOUNTS and fen:
            by_party[f"{rules.accounts[code].name}：{party}"] += int(fen)

    def item(code: str, fen: int) -> dict[str, object]:
        return {"label": rules.accounts[code].name, "amount": yuan(fen)}

    def category(code: str) -> str:
        return rules.accounts[code].category if code in rules.accounts else ""

    income = [
        item(c, int(f))
        for c, f in sorted(flows.items())
        if category(c) == "profit_loss" and rules.accounts[c].side == "credit" and f
    ]
    expenses = [
        item(c, -int(f))
        for c, f in sorted(flows.items())
        if category(c) == "profit_loss" and rules.accounts[c].side == "debit" and f
    ]
    assets = [
        item(c, b if rules.accounts[c].side == "debit" else -b)
        for c, b in sorted(balances.items())
        if category(c) == "asset" and b
    ]
    debts = [
        item(c, b if c in CLAIM_ACCOUNTS else -b)
        for c, b in sorted(balances.items())
        if c in CLAIM_ACCOUNTS + DEBT_ACCOUNTS and b
    ]
    debts += [{"label": label, "amount": yuan(abs(fen))} for label, fen in sorted(by_party.items())]
    vouchers = (
        session.scalar(
            select(func.count())
            .select_from(Voucher)
            .where(
                Voucher.org_id == org.id,
                Voucher.period.between(span.first, span.last),
                Voucher.kind.not_in(("closing", "opening")),
            )
        )
        or 0
    )
    year_pl = sum(int(f) for c, f in flows.items() if category(c) == "profit_loss")
    distribution = [
        {"label": "本期收益", "amount": yuan(year_pl)},
        *[item(c, -balances[c]) for c in ("321", "322") if balances.get(c)],
    ]
    sections = {
        "财务计划": ([], "本期未编制财务收支计划"),
        "收入": (income, "本期无收入"),
        "支出": (expenses, "本期无支出"),
        "资产": (assets, "期末无资产余额"),
        "资源": (resources or [], "尚未登记集体资源"),
        "债权债务": (debts, "期末无债权债务"),
        "收益分配": (distribution, ""),
        "其他": ([{"label": "本期记账凭证（张）", "amount": vouchers}], ""),
    }
    return {
        "period": span.label,
        "from": span.first,
        "to": span.last,
        "categories": [
            {
                "name": name,
                "items": sections[name][0],
                "note": "" if sections[name][0] else sections[name][1],
            }
            for name in rules.disclosure.categories
        ],
    }


def generate(
    session: Session, *, scope: Scope, org: Organisation, period: str, rules: Collective
) -> Disclosure:
    """Generate (or, before approval, regenerate) the disclosure of ``period`` from the books."""
    scope.check_write(org.region_code, f"集体经济组织“{org.code}”")
    if scope.role == Role.FINANCE_GROUP.value:
        raise Forbidden("财务公开由集体会计生成，民主理财小组审核")
    if org.books_start is None:
        raise InvalidValue("集体经济组织“{name}”尚无期初余额，账簿未建立", name=org.name)
    span = span_of(period)
    resources = registry.resources_for_disclosure(session, scope=scope, org=org, rules=rules)
    content = json.dumps(compose(session, org, span, rules, resources), ensure_ascii=False)
    found = session.scalars(
        select(Disclosure).where(Disclosure.org_id == org.id, Disclosure.period == span.label)
    ).first()
    if found is not None and found.approved_at is not None:
        raise Conflict(
            "{period} 的财务公开已经民主理财小组审核公开，不能重新生成", period=span.label
        )
    if found is None:
        found = Disclosure(
            org_id=org.id,
            region_code=org.region_code,
            period=span.label,
            content=content,
            generated_by=scope.actor,
        )
        session.add(found)
    else:
        found.content, found.generated_by, found.generated_at = content, scope.actor, utcnow()
    session.flush()
    return found


def get(session: Session, *, scope: Scope, disclosure_id: int) -> Disclosure:
    query = select(Disclosure).where(Disclosure.id == disclosure_id)
    found = session.scalars(scope.filter(query, Disclosure.region_code)).first()
    if found is None:
        raise NotFound("财务公开 {id} 不存在或不在您的管辖范围内", id=disclosure_id)
    return found


def approve(session: Session, *, scope: Scope, disclosure_id: int) -> Disclosure:
    """The 民主理财小组's approval, after which the disclosure is public."""
    found = get(session, scope=scope, disclosure_id=disclosure_id)
    if scope.role != Role.FINANCE_GROUP.value:
        raise Forbidden("财务公开只能由本村民主理财小组审核")
    scope.check_write(found.region_code, f"财务公开 {disclosure_id}")
    if found.approved_at is not None:
        raise Conflict("{period} 的财务公开已审核", period=found.period)
    found.approved_by, found.approved_at = scope.actor, utcnow()
    audit.record(
        session,
        scope=scope,
        action="collective.disclosure.approve",
        target_type="collective_disclosure",
        target_id=found.id,
        region_code=found.region_code,
        detail=found.period,
    )
    session.flush()
    return found


def get_all(session: Session, *, scope: Scope, org: Organisation) -> list[Disclosure]:
    scope.check_read(org.region_code, f"集体经济组织“{org.code}”")
    query = select(Disclosure).where(Disclosure.org_id == org.id).order_by(Disclosure.period.desc())
    return list(session.scalars(scope.filter(query, Disclosure.region_code)))


@dataclass(frozen=True)
class Published:
    org: Organisation
    period: str
    approved_at: datetime
    content: dict[str, object]


def get_published(session: Session, *, scope: Scope) -> list[Published]:
    """The approved disclosures of the organisations in ``scope`` (a village, for its public
    page), newest first; drafts are never among them."""
    query = (
        select(Disclosure, Organisation)
        .join(Organisation, Organisation.id == Disclosure.org_id)
        .where(Disclosure.approved_at.is_not(None))
        .order_by(Disclosure.period.desc(), Organisation.id)
    )
    rows = session.execute(scope.filter(query, Disclosure.region_code)).tuples()
    return [
        Published(org, found.period, found.approved_at, json.loads(found.content))
        for found, org in rows
        if found.approved_at is not None
    ]


@dataclass(frozen=True)
class VillagePage:
    village: str
    """The village's name."""
    items: list[Published]


def get_published_for_village(session: Session, *, village_code: str) -> VillagePage:
    """The public page of a village: anyone may read what its 民主理财小组 approved, and
    nothing else, so the page reads through a scope of that one village."""
    region = regions.get(session, code=village_code)
    if region.level != int(Level.VILLAGE):
        raise NotFound("村“{code}”不存在", code=village_code)
    public = Scope(actor="public", region_code=region.code, can_write=False)
    return VillagePage(region.name, get_published(session, scope=public))


def get_waiting(session: Session, *, scope: Scope) -> list[tuple[Disclosure, Organisation]]:
    """Disclosures of the caller's region, those waiting for the 民主理财小组 first."""
    query = (
        select(Disclosure, Organisation)
        .join(Organisation, Organisation.id == Disclosure.org_id)
        .order_by(Disclosure.approved_at.is_not(None), Disclosure.period.desc(), Disclosure.id)
        .limit(200)
    )
    return list(session.execute(scope.filter(query, Disclosure.region_code)).tuples())


def quarter_end(label: str) -> date:
    """The last day of a quarter written 2024Q4."""
    year, quarter = int(label[:4]), int(label[-1])
    return date(year + quarter // 4, quarter * 3 % 12 + 1, 1) - timedelta(days=1)


@dataclass(frozen=True)
class Overdue:
    org: Organisation
    period: str
    due_on: date


def get_overdue(session: Session, *, scope: Scope, today: date, rules: Collective) -> list[Overdue]:
    """Quarters with vouchers whose disclosure is past its due day (the pack's days after the
    quarter's end) and not yet generated, oldest first."""
    quarter = func.substr(Voucher.period, 1, 4)
    months = (
        select(Voucher.org_id, quarter, Voucher.period).where(Voucher.kind != "opening").distinct()
    )
    active = session.execute(scope.filter(months, Voucher.region_code)).tuples().all()
    wanted = {
        (org_id, f"{year}Q{(int(period[5:]) - 1) // 3 + 1}") for org_id, year, period in active
    }
    done = set(
        session.execute(
            scope.filter(select(Disclosure.org_id, Disclosure.period), Disclosure.region_code)
        ).tuples()
    )
    late = sorted(
        (quarter_end(label) + timedelta(days=rules.disclosure.due_days), org_id, label)
        for org_id, label in wanted - done
        if quarter_end(label) + timedelta(days=rules.disclosure.due_days) < today
    )
    ids = {org_id for _, org_id, _ in late}
    organisations = (
        {
            org.id: org
            for org in session.scalars(
                scope.filter(
                    select(Organisation).where(Organisation.id.in_(ids)), Organisation.region_code
                )
            )
        }
        if ids
        else {}
    )
    return [
        Overdue(organisations[org_id], label, due)
        for due, org_id, label in late
        if org_id in organisations
    ]
