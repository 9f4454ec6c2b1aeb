"""群众反映: a resident reports a matter about their village on a public page, from a phone
without signing in.

The report gets a reference number its reporter follows it by (the number is the secret:
the follow-up shows the state, the class and the feedback, nothing personal). It arrives
unclassed (``pending``) with the village, whose cadres class it as 大事, 小事 or 私事
(:func:`yunong.governance.matters.classify`), which routes it as 三事分流 does. Until it is
classed its due day is the shortest limit of the pack (私事's), so that the village classes it
within that; once classed, its due day counts from the day it was reported.
"""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.errors import InvalidValue, NotFound
from yunong.core.regions import codes as region_codes
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.governance.matters import CLASS_LABELS, PENDING
from yunong.governance.models import Matter
from yunong.policy.schema import Governance

REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
"""No 0/O or 1/I: a reference is read out over the phone."""
PUBLIC = Scope(actor="anonymous", region_code=region_codes.CITY_CODE, can_write=False)
"""Anyone reporting, or following a report by its reference, which is the secret."""
STATE_LABELS = {"pending": "待村里分类", "open": "办理中", "closed": "已办结"}
ANONYMOUS = "群众（公开页面）"


@dataclass
class ReportIn:
    village: str
    text: str
    reporter: str = ""


@dataclass(frozen=True)
class Followed:
    """What the reporter sees: nothing personal."""

    reference: str
    village: str
    reported_on: date
    state: str
    kind: str
    due_on: date
    feedback: str


def new_reference(day: date) -> str:
    suffix = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"FY{day:%Y%m%d}{suffix}"


def unused_reference(session: Session, *, scope: Scope, day: date) -> str:
    """A new reference no matter in ``scope`` (the whole city) has."""
    while True:
        reference = new_reference(day)
        query = scope.filter(
            select(Matter.id).where(Matter.reference == reference), Matter.village_code
        )
        if session.scalars(query).first() is None:
            return reference


def village_of(session: Session, code: str) -> str:
    text = code.strip()
    try:
        village = region_codes.normalise(text) if text else ""
    except InvalidValue:
        village = ""
    if not village or region_codes.level_of(village) is not region_codes.Level.VILLAGE:
        raise InvalidValue("请选择事项所在的村（社区），或填写 12 位村代码")
    try:
        return regions.get_visible(session, scope=PUBLIC, code=village).code
    except NotFound:
        raise InvalidValue("没有代码为 {code} 的村（社区）", code=text) from None


def submit(
    session: Session, *, rules: Governance, report_in: ReportIn, photo: bytes | None = None
) -> Matter:
    """Record a resident's report for the village to class."""
    village = village_of(session, report_in.village)
    text = report_in.text.strip()
    if len(text) < 5:
        raise InvalidValue("请写明反映的事项（至少 5 个字）")
    if len(text) > 2000:
        raise InvalidValue("反映的事项不能超过 2000 字")
    reporter = report_in.reporter.strip()
    if len(reporter) > 40:
        raise InvalidValue("称呼不能超过 40 字")
    today = date.today()
    matter = Matter(
        number=f"TMP{village}{len(text)}",
        village_code=village,
        kind=PENDING,
        handled_by=village,
        sector="",
        source="resident",
        reporter=reporter or ANONYMOUS,
        text=text,
        reported_on=today,
        due_on=today + timedelta(days=min(rules.matter_days.values())),
        reference=unused_reference(session, scope=PUBLIC, day=today),
        photo=photo,
    )
    session.add(matter)
    session.flush()
    matter.number = f"SF{today.year}{matter.id:07d}"
    audit.record(
        session,
        scope=PUBLIC,
        action="governance.matter_public",
        target_type="governance_matter",
        target_id=matter.number,
        region_code=village,
    )
    return matter


def follow(session: Session, *, scope: Scope, reference: str) -> Followed:
    """The public follow-up of a report by its reference (``scope``: :data:`PUBLIC`, as the
    reference is the secret): state, class and feedback."""
    query = scope.filter(
        select(Matter).where(Matter.reference == reference.strip().upper()), Matter.village_code
    )
    matter = session.scalars(query).first()
    if matter is None:
        raise NotFound("没有查到编号为 {reference} 的反映", reference=reference)
    state = (
        "pending"
        if matter.kind == PENDING
        else "closed"
        if matter.closed_on is not None
        else "open"
    )
    return Followed(
        matter.reference or "",
        regions.get(session, code=matter.village_code).name,
        matter.reported_on,
        state,
        CLASS_LABELS[matter.kind],
        matter.due_on,
        matter.feedback,
    )


@dataclass(frozen=True)
class Choice:
    code: str
    name: str


def districts(session: Session) -> list[Choice]:
    return [
        Choice(region.code, region.name)
        for region in regions.get_children(session, scope=PUBLIC, code=region_codes.CITY_CODE)
    ]


def villages_of(session: Session, *, district: str) -> list[tuple[str, list[Choice]]]:
    """The district's villages grouped by town, for the public form: (town, villages)."""
    try:
        code = region_codes.normalise(district.strip())
    except InvalidValue:
        return []
    if region_codes.level_of(code) is not region_codes.Level.DISTRICT:
        return []
    groups = []
    for town in regions.get_children(session, scope=PUBLIC, code=code):
        villages = regions.get_children(session, scope=PUBLIC, code=town.code)
        groups.append((town.name, [Choice(v.code, v.name) for v in villages]))
    return [group for group in groups if group[1]]
