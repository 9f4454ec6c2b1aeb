"""群众举报: public tip-offs about illegal fishing, from a phone without signing in.

A tip names its district (the phone's position, when given, is kept to show where), gets a
reference number the reporter follows it by, and goes to the district's patrol team: it waits
as 待办 of the district's officers until it is answered, either by opening a case or by a
reply saying what was found. A tip counts as answered in time when that happens within the
pack's ``tip_answer_days``. The reporter's phone number is personal data: it is never shown
on the public follow-up page, masked in lists, and only the district sees it whole.
"""

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.core import masking
from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue, NotFound
from yunong.core.regions import codes as region_codes
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.fishery import teams
from yunong.fishery.models import Tip
from yunong.store.base import utcnow

CHINA = timezone(timedelta(hours=8))
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
"""No 0/O or 1/I: a reference is read out over the phone."""
ANSWERING = frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER})
PUBLIC = Scope(actor="anonymous", region_code=region_codes.CITY_CODE, can_write=False)
"""Anyone following a tip by its reference, which is the secret."""
STATUS_LABELS = {"new": "待处理", "case": "已立案", "dismissed": "已核查答复"}


@dataclass
class TipIn:
    district: str
    text: str
    place: str = ""
    longitude: str = ""
    latitude: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Followed:
    """What the reporter sees when following a tip: nothing personal."""

    reference: str
    district_name: str
    received_at: datetime
    status: str
    reply: str


def new_reference(now: datetime) -> str:
    suffix = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"JB{now:%Y%m%d}{suffix}"


def coordinate(text: str, name: str, low: float, high: float) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        raise InvalidValue("{name}“{text}”应为数字", name=name, text=text) from None
    if not low <= value <= high:
        raise InvalidValue("{name} {value} 不在重庆市范围内", name=name, value=text)
    return value


def unused_reference(session: Session, *, scope: Scope, now: datetime) -> str:
    """A new reference no tip in ``scope`` (the whole city) has."""
    while True:
        reference = new_reference(now)
        query = scope.filter(select(Tip.id).where(Tip.reference == reference), Tip.region_code)
        if session.scalars(query).first() is None:
            return reference


def check(session: Session, tip_in: TipIn) -> tuple[str, float | None, float | None, str]:
    text = tip_in.text.strip()
    if len(text) < 5:
        raise InvalidValue("请写明看到的情况（至少 5 个字）")
    if len(text) > 2000:
        raise InvalidValue("情况说明不能超过 2000 字")
    if len(tip_in.place.strip()) > 100:
        raise InvalidValue("地点不能超过 100 字")
    code = tip_in.district.strip()
    try:
        district = region_codes.normalise(code[:6]) if code else ""
    except InvalidValue:
        district = ""
    if not district or region_codes.level_of(district) != region_codes.Level.DISTRICT:
        raise InvalidValue("请选择发生地所在的区县")
    regions.get(session, code=district)
    longitude = coordinate(tip_in.longitude, "经度", 105.0, 110.5)
    latitude = coordinate(tip_in.latitude, "纬度", 28.0, 32.5)
    phone = tip_in.phone.strip()
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 20):
        raise InvalidValue("联系电话“{phone}”应为 7 到 20 位数字", phone=phone)
    return district, longitude, latitude, phone


def submit(
    session: Session, *, tip_in: TipIn, photo: bytes | None = None, photo_type: str = ""
) -> Tip:
    """Record a public tip for its district's team."""
    district, longitude, latitude, phone = check(session, tip_in)
    public = Scope(actor="anonymous", region_code=district, can_write=False)
    team = teams.district_team(session, scope=public)
    now = utcnow()
    reference = unused_reference(session, scope=PUBLIC, now=now)
    tip = Tip(
        reference=reference,
        region_code=district,
        team_id=team.id if team else None,
        text=tip_in.text.strip(),
        place=tip_in.place.strip(),
        longitude=longitude,
        latitude=latitude,
        phone=phone,
        photo=photo,
        photo_type=photo_type if photo else "",
        received_at=now,
    )
    session.add(tip)
    session.flush()
    audit.record(
        session,
        scope=public,
        action="fishery.tip_submit",
        target_type="fishery_tip",
        target_id=reference,
        region_code=district,
    )
    return tip


def follow(session: Session, *, scope: Scope, reference: str) -> Followed:
    """The public follow-up of a tip by its reference (``scope``: :data:`PUBLIC`, as the
    reference is the secret): status and reply only."""
    query = scope.filter(
        select(Tip).where(Tip.reference == reference.strip().upper()), Tip.region_code
    )
    tip = session.scalars(query).first()
    if tip is None:
        raise NotFound("没有查到编号为 {reference} 的举报", reference=reference)
    name = regions.get(session, code=tip.region_code).name
    return Followed(tip.reference, name, tip.received_at, tip.status, tip.reply)


def get(session: Session, *, scope: Scope, tip_id: int) -> Tip:
    tip = session.get(Tip, tip_id)
    if tip is None or not scope.covers(tip.region_code):
        raise NotFound("没有这条举报")
    return tip


def waiting(session: Session, *, scope: Scope) -> list[Tip]:
    """Tips in scope not yet answered, oldest first."""
    query = scope.filter(select(Tip).where(Tip.status == "new"), Tip.region_code)
    return list(session.scalars(query.order_by(Tip.received_at, Tip.id)))


def get_all(session: Session, *, scope: Scope) -> list[Tip]:
    query = scope.filter(select(Tip), Tip.region_code)
    return list(session.scalars(query.order_by(Tip.received_at.desc(), Tip.id.desc())))


def check_may_answer(scope: Scope, tip: Tip) -> None:
    if scope.role is not None and (not scope.can_write or Role(scope.role) not in ANSWERING):
        raise Forbidden("只有区县护渔工作人员可以处理举报")
    if tip.status != "new":
        raise Conflict("这条举报已经处理过")


def dismiss(session: Session, *, scope: Scope, tip_id: int, reply: str) -> Tip:
    """Answer a tip where checking found nothing to open a case for."""
    tip = get(session, scope=scope, tip_id=tip_id)
    check_may_answer(scope, tip)
    reply = reply.strip()
    if not reply:
        raise InvalidValue("请写明核查的结果，举报人查询时会看到")
    tip.status, tip.reply, tip.answered_at = "dismissed", reply[:300], utcnow()
    audit.record(
        session,
        scope=scope,
        action="fishery.tip_dismiss",
        target_type="fishery_tip",
        target_id=tip.reference,
        region_code=tip.region_code,
    )
    return tip


def answered_in_time(session: Session, *, scope: Scope, days: int) -> tuple[int, int]:
    """(tips answered within ``days`` of receipt, tips received) in scope."""
    received = session.scalars(scope.filter(select(func.count(Tip.id)), Tip.region_code)).one()
    answered = scope.filter(
        select(Tip.received_at, Tip.answered_at).where(Tip.answered_at.is_not(None)),
        Tip.region_code,
    )
    limit = timedelta(days=days)
    in_time = sum(
        1
        for got, done in session.execute(answered).tuples()
        if done is not None and aware(done) - aware(got) <= limit
    )
    return in_time, received


def aware(moment: datetime) -> datetime:
    """SQLite gives back naive times of what was stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def mask_phone(phone: str) -> str:
    return masking.mask(phone) if phone else ""


@dataclass(frozen=True)
class TipView:
    tip: Tip
    district: str
    team: str
    phone: str
    """Whole for those who may see personal data (the view is audited), else masked."""
    case_number: str | None
    may_answer: bool
    due_on: date


def districts(session: Session) -> list[tuple[str, str]]:
    """(code, name) of the city's districts, for the public form."""
    return [
        (region.code, region.name)
        for region in regions.get_children(session, scope=PUBLIC, code=region_codes.CITY_CODE)
    ]


def view(session: Session, *, scope: Scope, tip_id: int, answer_days: int) -> TipView:
    from yunong.fishery.models import Case, Team

    tip = get(session, scope=scope, tip_id=tip_id)
    team = session.get(Team, tip.team_id) if tip.team_id else None
    case = session.scalars(select(Case.number).where(Case.tip_id == tip.id)).first()
    phone = mask_phone(tip.phone)
    if tip.phone and scope.can_view_personal_data:
        phone = tip.phone
        audit.record(
            session,
            scope=scope,
            action="fishery.tip_view",
            target_type="fishery_tip",
            target_id=tip.reference,
            region_code=tip.region_code,
        )
    may = tip.status == "new" and scope.can_write and scope.role in ANSWERING
    received = aware(tip.received_at).astimezone(CHINA).date()
    return TipView(
        tip,
        regions.get(session, code=tip.region_code).name,
        team.name if team else "",
        phone,
        case,
        may,
        received + timedelta(days=answer_days),
    )


def photo_of(session: Session, *, scope: Scope, tip_id: int) -> bytes:
    tip = get(session, scope=scope, tip_id=tip_id)
    if not tip.photo:
        raise NotFound("这条举报没有照片")
    return tip.photo
