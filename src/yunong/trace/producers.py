"""Producers (生产经营主体) and the accounts that act for them."""

import re
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth.models import User
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, InvalidValue, NotFound
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.core.validators import clean_text, validate_uscc
from yunong.trace import access
from yunong.trace.models import Producer, ProducerAccount

PHONE = re.compile(r"1[3-9]\d{9}|0\d{2,3}\d{7,8}|400\d{7}")


class ProducerKind(StrEnum):
    ENTERPRISE = "enterprise"
    COOPERATIVE = "cooperative"
    FAMILY_FARM = "family_farm"
    HOUSEHOLD = "household"

    @property
    def label(self) -> str:
        return PRODUCER_KIND_LABELS[self]

    @classmethod
    def from_name(cls, name: str) -> "ProducerKind":
        for kind in cls:
            if name.strip() in (kind.value, kind.label):
                return kind
        choices = "、".join(f"{kind.label}（{kind.value}）" for kind in cls)
        raise InvalidValue(f"主体类型“{name}”无效，可选：{choices}")


PRODUCER_KIND_LABELS = {
    ProducerKind.ENTERPRISE: "企业",
    ProducerKind.COOPERATIVE: "农民专业合作社",
    ProducerKind.FAMILY_FARM: "家庭农场",
    ProducerKind.HOUSEHOLD: "农户",
}


@dataclass(frozen=True)
class ProducerIn:
    name: str
    kind: str
    region_code: str
    uscc: str | None = None
    household_code: str | None = None
    contact_name: str = ""
    contact_phone: str = ""


def validate_phone(text: str) -> str:
    """A mobile, a landline with its area code, or a 400 number, as printed on certificates."""
    number = clean_text(text).replace("(", "").replace(")", "")
    if not PHONE.fullmatch(number):
        raise InvalidValue(f"联系电话“{text.strip()}”无效：应为手机号、带区号的固定电话或 400 电话")
    return number


def create(session: Session, *, scope: Scope, producer_in: ProducerIn) -> Producer:
    """Register a producer: a company, co-op or family farm by its USCC, a household by its code."""
    kind = ProducerKind.from_name(producer_in.kind)
    name = producer_in.name.strip()
    if not name:
        raise InvalidValue("主体名称不能为空")
    region = regions.get(session, code=producer_in.region_code)
    scope.check_write(region.code, "区划")
    uscc = None
    if kind is ProducerKind.HOUSEHOLD:
        if not producer_in.household_code:
            raise InvalidValue("农户须填写户的全农码")
        entry = identity.get(session, scope=scope, code=producer_in.household_code)
        if entry.kind != Kind.SUBJECT.value:
            raise InvalidValue(f"全农码“{entry.code}”不是人类（户）全农码")
        code = entry.code
    else:
        if not producer_in.uscc:
            raise InvalidValue(f"{kind.label}须填写统一社会信用代码")
        uscc = validate_uscc(producer_in.uscc)
        if session.scalars(select(Producer.id).where(Producer.uscc == uscc)).first() is not None:
            raise Conflict(f"统一社会信用代码 {uscc} 的主体已登记")
        code = subject_code_for(session, scope=scope, uscc=uscc, region_code=region.code)
    if session.scalars(select(Producer.id).where(Producer.code == code)).first() is not None:
        raise Conflict(f"全农码 {code} 的主体已登记")
    producer = Producer(
        code=code,
        kind=kind.value,
        name=name,
        uscc=uscc,
        region_code=region.code,
        contact_name=producer_in.contact_name.strip(),
        contact_phone=validate_phone(producer_in.contact_phone)
        if producer_in.contact_phone
        else "",
    )
    session.add(producer)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="trace.producer_create",
        target_type="trace_producer",
        target_id=producer.id,
        region_code=producer.region_code,
        after={"code": code, "name": name, "kind": kind.value, "uscc": uscc},
    )
    return producer


def subject_code_for(session: Session, *, scope: Scope, uscc: str, region_code: str) -> str:
    """The 全农码 already registered beside this USCC, or a new one of kind 人."""
    try:
        return identity.get(session, scope=scope, code=uscc).code
    except (NotFound, InvalidValue):
        return identity.create(
            session,
            scope=scope,
            kind=Kind.SUBJECT,
            region_code=region_code,
            entity_type="trace_producer",
            entity_id=uscc,
            national_code=uscc,
        )


def get(session: Session, *, scope: Scope, producer_id: int) -> Producer:
    producer = session.get(Producer, producer_id)
    if producer is None:
        raise NotFound("生产经营主体不存在或不在您的管辖范围内")
    access.check_read(session, scope, producer, "生产经营主体")
    return producer


def get_by_code(session: Session, *, scope: Scope, code: str) -> Producer:
    """A producer by its 全农码 or its USCC."""
    text = clean_text(code).upper()
    producer = session.scalars(
        select(Producer).where((Producer.code == text) | (Producer.uscc == text))
    ).first()
    if producer is None:
        raise NotFound(f"生产经营主体“{code.strip()}”不存在或不在您的管辖范围内")
    access.check_read(session, scope, producer, f"生产经营主体“{code.strip()}”")
    return producer


def get_all(session: Session, *, scope: Scope) -> list[Producer]:
    query = access.filter_producers(session, scope, select(Producer)).order_by(Producer.id)
    return list(session.scalars(query))


def add_account(session: Session, *, scope: Scope, producer_id: int, user_id: int) -> None:
    """Let a producer-role user act for a producer; adding it twice changes nothing."""
    producer = get(session, scope=scope, producer_id=producer_id)
    scope.check_write(producer.region_code, "生产经营主体")
    user = session.get(User, user_id)
    if user is None or user.role != Role.PRODUCER.value:
        raise InvalidValue("只有“生产经营主体”角色的账号可以代表主体")
    if session.get(ProducerAccount, (producer.id, user.id)) is not None:
        return
    session.add(ProducerAccount(producer_id=producer.id, user_id=user.id))
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="trace.producer_account",
        target_type="trace_producer",
        target_id=producer.id,
        region_code=producer.region_code,
        after={"user_id": user.id},
    )


def public_name(producer: Producer) -> str:
    """What a scan page may say about the producer: a household is never named."""
    if producer.kind == ProducerKind.HOUSEHOLD.value:
        return "农户"
    return producer.name
