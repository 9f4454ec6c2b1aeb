"""Contracts of a collective economic organisation: letting (发包), leasing (租赁) or investing
(入股) its resources and assets, with the parties, the subject, the term, the price, the deposit
and the payment schedule; and what the accountant must watch (待办): instalments overdue or due
within 30 days, contracts ending within 90 days.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.collective.books import to_fen, to_yuan
from yunong.collective.lists import check_reader
from yunong.collective.models import Contract, ContractPayment, Organisation
from yunong.core.audit import service as audit
from yunong.core.errors import Conflict, InvalidValue, NotFound
from yunong.core.identity import service as identity
from yunong.core.scope import Scope

KINDS = {"letting": "发包", "lease": "租赁", "equity": "入股"}
ENDING_WITHIN_DAYS = 90
"""Contracts ending within this many days are listed for renewal or re-letting (issue 21)."""
DUE_WITHIN_DAYS = 30
"""Instalments due within this many days are listed before they fall due."""


@dataclass(frozen=True)
class ContractIn:
    number: str
    kind: str
    counterparty: str
    subject: str
    starts_on: date
    ends_on: date
    price: Decimal
    schedule: list[tuple[date, Decimal]]
    """(due date, yuan) of each instalment; together they make the price."""
    deposit: Decimal = Decimal(0)
    counterparty_code: str | None = None
    subject_code: str | None = None


def kind_of(text: str) -> str:
    value = text.strip()
    for key, label in KINDS.items():
        if value in (key, label):
            return key
    raise InvalidValue("合同类型“{value}”应为{names}", value=value, names="、".join(KINDS.values()))


def checked(contract_in: ContractIn) -> None:
    if not contract_in.number.strip():
        raise InvalidValue("合同编号不能为空")
    if not contract_in.counterparty.strip() or not contract_in.subject.strip():
        raise InvalidValue("合同应写明承包（承租）方与标的")
    if contract_in.ends_on <= contract_in.starts_on:
        raise InvalidValue(
            "合同期限 {starts} 至 {ends} 不成立：终止日期应晚于起始日期",
            starts=contract_in.starts_on,
            ends=contract_in.ends_on,
        )
    if contract_in.price <= 0 or contract_in.deposit < 0:
        raise InvalidValue("合同价款应大于 0，保证金不能为负数")
    for due_on, amount in contract_in.schedule:
        if not contract_in.starts_on <= due_on <= contract_in.ends_on or amount <= 0:
            raise InvalidValue(
                "付款计划中 {due} 的 {amount} 元不在合同期限内或金额不大于 0",
                due=due_on,
                amount=amount,
            )
    planned = sum((amount for _, amount in contract_in.schedule), Decimal(0))
    if planned != contract_in.price:
        raise InvalidValue(
            "付款计划合计 {planned} 元与合同价款 {price} 元不符",
            planned=planned,
            price=contract_in.price,
        )
    if len({due_on for due_on, _ in contract_in.schedule}) < len(contract_in.schedule):
        raise InvalidValue("付款计划中同一日期出现两次")


def create(
    session: Session, *, scope: Scope, org: Organisation, contract_in: ContractIn
) -> Contract:
    """Register a contract of the organisation with its payment schedule."""
    scope.check_write(org.region_code, f"集体经济组织“{org.code}”")
    checked(contract_in)
    number = contract_in.number.strip()
    if session.scalar(
        select(Contract.id).where(Contract.org_id == org.id, Contract.number == number)
    ):
        raise Conflict("合同编号“{number}”已登记", number=number)
    codes = [
        identity.get(session, scope=scope, code=code).code if code else None
        for code in (contract_in.counterparty_code, contract_in.subject_code)
    ]
    contract = Contract(
        org_id=org.id,
        region_code=org.region_code,
        number=number,
        kind=contract_in.kind,
        counterparty=contract_in.counterparty.strip(),
        counterparty_code=codes[0],
        subject=contract_in.subject.strip(),
        subject_code=codes[1],
        starts_on=contract_in.starts_on,
        ends_on=contract_in.ends_on,
        price_fen=to_fen(contract_in.price),
        deposit_fen=to_fen(contract_in.deposit),
    )
    session.add(contract)
    session.flush()
    session.add_all(
        ContractPayment(contract_id=contract.id, due_on=due_on, amount_fen=to_fen(amount))
        for due_on, amount in sorted(contract_in.schedule)
    )
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="collective.contract.create",
        target_type="collective_contract",
        target_id=f"{org.code}:{number}",
        region_code=org.region_code,
        after={"kind": contract.kind, "fen": contract.price_fen, "ends_on": str(contract.ends_on)},
    )
    return contract


def get(session: Session, *, scope: Scope, org: Organisation, number: str) -> Contract:
    query = select(Contract).where(Contract.org_id == org.id, Contract.number == number.strip())
    found = session.scalars(scope.filter(query, Contract.region_code)).first()
    if found is None:
        raise NotFound("合同“{number}”不存在或不在您的管辖范围内", number=number.strip())
    return found


def record_payment(
    session: Session, *, scope: Scope, contract: Contract, due_on: date, paid_on: date
) -> ContractPayment:
    """Mark the instalment due on ``due_on`` as paid on ``paid_on``."""
    scope.check_write(contract.region_code, f"合同“{contract.number}”")
    payment = session.scalars(
        select(ContractPayment).where(
            ContractPayment.contract_id == contract.id, ContractPayment.due_on == due_on
        )
    ).first()
    if payment is None:
        raise NotFound("合同“{number}”没有 {due} 到期的款项", number=contract.number, due=due_on)
    if payment.paid_on is not None:
        raise Conflict("该笔款项已于 {paid} 收讫", paid=payment.paid_on)
    payment.paid_on = paid_on
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="collective.contract.paid",
        target_type="collective_contract",
        target_id=contract.number,
        region_code=contract.region_code,
        after={"due_on": str(due_on), "paid_on": str(paid_on), "fen": payment.amount_fen},
    )
    return payment


def get_for_org(
    session: Session, *, scope: Scope, org: Organisation
) -> list[tuple[Contract, list[ContractPayment]]]:
    """The organisation's contracts, ending soonest first, each with its schedule."""
    query = select(Contract).where(Contract.org_id == org.id).order_by(Contract.ends_on)
    found = list(session.scalars(scope.filter(query, Contract.region_code)))
    schedules: dict[int, list[ContractPayment]] = {contract.id: [] for contract in found}
    if found:
        for payment in session.scalars(
            select(ContractPayment)
            .where(ContractPayment.contract_id.in_(list(schedules)))
            .order_by(ContractPayment.due_on)
        ):
            schedules[payment.contract_id].append(payment)
    return [(contract, schedules[contract.id]) for contract in found]


@dataclass(frozen=True)
class Watched:
    """A payment or a contract end the accountant should act on."""

    org: Organisation
    contract: Contract
    due_on: date
    amount: Decimal | None
    """The instalment's yuan; None for a contract's end."""
    overdue: bool


def get_watched(
    session: Session, *, scope: Scope, today: date
) -> tuple[list[Watched], list[Watched]]:
    """Unpaid instalments overdue or due within :data:`DUE_WITHIN_DAYS`, and contracts ending
    within :data:`ENDING_WITHIN_DAYS`, in the scope, most urgent first."""
    due_by = today + timedelta(days=DUE_WITHIN_DAYS)
    query = (
        select(ContractPayment, Contract, Organisation)
        .join(Contract, Contract.id == ContractPayment.contract_id)
        .join(Organisation, Organisation.id == Contract.org_id)
        .where(ContractPayment.paid_on.is_(None), ContractPayment.due_on <= due_by)
        .order_by(ContractPayment.due_on, Contract.id)
    )
    payments = [
        Watched(org, contract, payment.due_on, to_yuan(payment.amount_fen), payment.due_on < today)
        for payment, contract, org in session.execute(
            scope.filter(query, Contract.region_code)
        ).tuples()
    ]
    ending_by = today + timedelta(days=ENDING_WITHIN_DAYS)
    query_ends = (
        select(Contract, Organisation)
        .join(Organisation, Organisation.id == Contract.org_id)
        .where(Contract.ends_on >= today, Contract.ends_on <= ending_by)
        .order_by(Contract.ends_on, Contract.id)
    )
    ends = [
        Watched(org, contract, contract.ends_on, None, False)
        for contract, org in session.execute(
            scope.filter(query_ends, Contract.region_code)
        ).tuples()
    ]
    return payments, ends


def get_register(
    session: Session, *, scope: Scope, org: Organisation
) -> list[tuple[Contract, list[ContractPayment]]]:
    """The contract register of the organisation, for readers of its books."""
    check_reader(scope)
    return get_for_org(session, scope=scope, org=org)
