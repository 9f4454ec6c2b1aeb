"""Members of a collective economic organisation, linked to persons of the household registry
by 全农码, and their shares: each change is a dated event, never an overwrite, and a member's
holding is the sum of their events.

Members' ID numbers and phones are personal data: lists show them masked, and a whole
record is shown only to roles allowed to see personal data, each view audited.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.collective.models import Member, Organisation, ShareEvent
from yunong.core import tabular
from yunong.core.audit import service as audit
from yunong.core.errors import Conflict, Forbidden, InvalidValue, NotFound
from yunong.core.identity import service as identity
from yunong.core.masking import mask_id_number, mask_phone
from yunong.core.parsing import parse_amount, parse_date
from yunong.core.scope import Scope
from yunong.core.validators import validate_resident_id

STATUSES = {"confirmed": "已确认", "left": "已退出", "deceased": "已去世"}


@dataclass(frozen=True)
class MemberIn:
    person_code: str
    name: str
    id_number: str
    confirmed_on: date
    basis: str
    phone: str = ""
    status: str = "confirmed"


@dataclass(frozen=True)
class MemberRow:
    """A member as lists show them: personal data masked, shares summed by kind."""

    id: int
    person_code: str
    name: str
    id_number: str
    phone: str
    status: str
    confirmed_on: date
    shares: dict[str, int]


def add(session: Session, *, scope: Scope, org: Organisation, member_in: MemberIn) -> Member:
    """Confirm a member; the person must be in the registry (by 全农码) within the scope."""
    scope.check_write(org.region_code, f"集体经济组织“{org.code}”")
    person = identity.get(session, scope=scope, code=member_in.person_code)
    if member_in.status not in STATUSES:
        raise InvalidValue(
            "成员状态“{status}”应为 已确认、已退出 或 已去世", status=member_in.status
        )
    if session.scalar(
        select(Member.id).where(Member.org_id == org.id, Member.person_code == person.code)
    ):
        raise Conflict("全农码“{code}”已是本组织成员", code=person.code)
    member = Member(
        org_id=org.id,
        region_code=org.region_code,
        person_code=person.code,
        name=member_in.name.strip(),
        id_number=validate_resident_id(member_in.id_number),
        phone=member_in.phone.strip(),
        confirmed_on=member_in.confirmed_on,
        basis=member_in.basis.strip(),
        status=member_in.status,
    )
    session.add(member)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="collective.member.add",
        target_type="collective_member",
        target_id=member.id,
        region_code=org.region_code,
    )
    return member


def record_shares(
    session: Session,
    *,
    scope: Scope,
    member: Member,
    kind: str,
    shares: int,
    effective_on: date,
    reason: str = "",
) -> ShareEvent:
    """Add a share event (negative shares take shares away); a holding never goes below 0."""
    scope.check_write(member.region_code, f"成员“{member.person_code}”")
    if not kind.strip() or shares == 0:
        raise InvalidValue("股份变动应写明股份类别和非零的股数")
    held = session.scalar(
        select(func.coalesce(func.sum(ShareEvent.shares), 0)).where(
            ShareEvent.member_id == member.id, ShareEvent.kind == kind.strip()
        )
    )
    if int(held or 0) + shares < 0:
        raise InvalidValue(
            "{kind}只有 {held} 股，不能减少 {shares} 股", kind=kind, held=held, shares=-shares
        )
    event = ShareEvent(
        member_id=member.id,
        kind=kind.strip(),
        shares=shares,
        effective_on=effective_on,
        reason=reason.strip(),
        recorded_by=scope.actor,
    )
    session.add(event)
    session.flush()
    return event


def holdings(
    session: Session, member_ids: list[int], on: date | None = None
) -> dict[int, dict[str, int]]:
    """Shares by kind of each member, from the events effective up to ``on``."""
    query = (
        select(ShareEvent.member_id, ShareEvent.kind, func.sum(ShareEvent.shares))
        .where(ShareEvent.member_id.in_(member_ids))
        .group_by(ShareEvent.member_id, ShareEvent.kind)
    )
    if on is not None:
        query = query.where(ShareEvent.effective_on <= on)
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for member_id, kind, shares in session.execute(query):
        found[member_id][kind] = int(shares)
    return found


def rows_of(session: Session, found: list[Member]) -> list[MemberRow]:
    """Members as lists show them: ID numbers and phones masked, shares summed by kind."""
    shares = holdings(session, [member.id for member in found])
    return [
        MemberRow(
            member.id,
            member.person_code,
            member.name,
            mask_id_number(member.id_number),
            mask_phone(member.phone),
            member.status,
            member.confirmed_on,
            shares.get(member.id, {}),
        )
        for member in found
    ]


def get(session: Session, *, scope: Scope, org: Organisation, member_id: int) -> Member:
    """A member's whole record, for roles that may see personal data; every view audited."""
    if not scope.can_view_personal_data:
        raise Forbidden("您的角色不能查看成员的完整个人信息")
    member = session.scalars(
        scope.filter(
            select(Member).where(Member.id == member_id, Member.org_id == org.id),
            Member.region_code,
        )
    ).first()
    if member is None:
        raise NotFound("成员 {id} 不存在或不在您的管辖范围内", id=member_id)
    audit.record(
        session,
        scope=scope,
        action="collective.member.view",
        target_type="collective_member",
        target_id=member.id,
        region_code=member.region_code,
    )
    return member


COLUMNS = {
    "person_code": ("全农码", "成员全农码"),
    "name": ("姓名", "成员姓名"),
    "id_number": ("证件号码", "身份证号码", "公民身份号码"),
    "phone": ("电话", "联系电话"),
    "confirmed_on": ("确认日期", "成员确认日期"),
    "basis": ("确认依据",),
    "status": ("状态", "成员状态"),
}
STATUS_NAMES = {label: key for key, label in STATUSES.items()}
SHARE_HEADERS = ("人口股", "劳龄股")


@dataclass
class MemberTally:
    imported: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "members": {
                "imported": self.imported,
                "unchanged": self.unchanged,
                "rejected": len(self.errors),
            },
            "errors": [{"row": row, "reason": reason} for row, reason in self.errors],
        }


def import_members(session: Session, *, scope: Scope, org: Organisation, path: Path) -> MemberTally:
    """Members from a list (xlsx or csv) with their 人口股 and 劳龄股 as first share events; a
    member already confirmed is unchanged (later changes of shares are events of their own)."""
    scope.check_write(org.region_code, f"集体经济组织“{org.code}”")
    columns = COLUMNS | {kind: (kind,) for kind in SHARE_HEADERS}
    required = ("person_code", "name", "id_number", "confirmed_on", "basis")
    tally = MemberTally()
    for line, row in tabular.read_table(path, columns, required):
        try:
            code = row["person_code"].strip().upper()
            if session.scalar(
                select(Member.id).where(Member.org_id == org.id, Member.person_code == code)
            ):
                tally.unchanged += 1
                continue
            with session.begin_nested():
                confirmed = parse_date(row["confirmed_on"])
                status = STATUS_NAMES.get(row.get("status", "").strip() or "已确认")
                if status is None:
                    raise InvalidValue(
                        "成员状态“{status}”应为 已确认、已退出 或 已去世", status=row["status"]
                    )
                member = add(
                    session,
                    scope=scope,
                    org=org,
                    member_in=MemberIn(
                        code,
                        row["name"],
                        row["id_number"],
                        confirmed,
                        row["basis"],
                        row.get("phone", ""),
                        status,
                    ),
                )
                for kind in SHARE_HEADERS:
                    shares = share_count(row.get(kind, ""), kind)
                    if shares:
                        record_shares(
                            session,
                            scope=scope,
                            member=member,
                            kind=kind,
                            shares=shares,
                            effective_on=confirmed,
                            reason="成员身份确认",
                        )
            tally.imported += 1
        except (InvalidValue, Conflict, NotFound) as error:
            tally.errors.append((line, error.message))
    return tally


def share_count(text: str, kind: str) -> int:
    """A whole number of shares; empty is none."""
    value = parse_amount(text) if text.strip() else None
    if value is None:
        return 0
    if value != int(value) or value < 0:
        raise InvalidValue("{kind}“{text}”应为非负整数", kind=kind, text=text.strip())
    return int(value)
