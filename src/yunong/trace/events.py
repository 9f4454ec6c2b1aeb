"""Traceability events of a batch, checked against what was recorded before and after them.

Refused, with the reason: a harvest before (or without) planting, a planting after a
harvest, a harvest inside a pesticide's pre-harvest interval (安全间隔期) or a veterinary
drug's withdrawal period (休药期), an input used after the harvest, and packing, shipping or
selling a batch not yet harvested or whose latest inspection failed.
A quality test is recorded only by the producer itself or a registered inspection agency
(see :mod:`yunong.trace.inspectors`).
"""

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.errors import InvalidValue
from yunong.core.scope import Scope
from yunong.store.base import utcnow
from yunong.trace import access, batches, inspectors
from yunong.trace.models import Batch, Event

CHINA = timezone(timedelta(hours=8))
EARLIEST_YEAR = 2000
FUTURE_TOLERANCE = timedelta(hours=1)
"""Phones' clocks drift: an event a little in the future is taken as it is."""


class Step(StrEnum):
    PLANTING = "planting"
    INPUT = "input_use"
    HARVEST = "harvest"
    INSPECTION = "inspection"
    PROCESSING = "processing"
    PACKING = "packing"
    SHIPPING = "shipping"
    SALE = "sale"

    @property
    def label(self) -> str:
        return STEP_LABELS[self]

    @classmethod
    def from_name(cls, name: str) -> "Step":
        for step in cls:
            if name.strip() in (step.value, step.label):
                return step
        choices = "、".join(f"{step.label}（{step.value}）" for step in cls)
        raise InvalidValue("环节“{name}”无效，可选：{choices}", name=name, choices=choices)


STEP_LABELS = {
    Step.PLANTING: "种植/养殖",
    Step.INPUT: "投入品使用",
    Step.HARVEST: "采收/出栏",
    Step.INSPECTION: "检测",
    Step.PROCESSING: "加工",
    Step.PACKING: "包装",
    Step.SHIPPING: "发货",
    Step.SALE: "销售",
}

INPUT_KINDS = {"pesticide": "农药", "vet_drug": "兽药", "fertilizer": "肥料", "feed": "饲料"}
WITH_INTERVAL = {"pesticide", "vet_drug"}
RESULTS = {"pass": "合格", "fail": "不合格"}
AFTER_HARVEST = {Step.PROCESSING, Step.PACKING, Step.SHIPPING, Step.SALE}


class EventRefused(InvalidValue):
    """An event that contradicts the batch's other events."""


@dataclass(frozen=True)
class EventIn:
    step: str
    event_time: datetime
    parcel_code: str | None = None
    input_name: str | None = None
    input_kind: str | None = None
    safe_interval_days: int | None = None
    result: str | None = None
    agency: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    partner: str | None = None
    output_batch: str | None = None
    note: str = ""


def as_aware(moment: datetime) -> datetime:
    """Times without a zone are Beijing time, as people in Chongqing write them."""
    return moment.replace(tzinfo=CHINA) if moment.tzinfo is None else moment


def from_db(moment: datetime) -> datetime:
    """Stored times are UTC; SQLite gives them back without their zone."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def shown(moment: datetime) -> str:
    """A stored or given time as Beijing time, as people read it."""
    return from_db(moment).astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def record(
    session: Session, *, scope: Scope, code: str, event_in: EventIn, now: datetime | None = None
) -> Event:
    """Record one event of a batch; the same event sent twice is stored once."""
    batch = batches.get(session, scope=scope, code=code)
    product = batches.get_product(session, scope=scope, product_id=batch.product_id)
    producer = batches.producer_of(session, product)
    access.check_write(session, scope, producer, f"批次“{batch.code}”")
    step = Step.from_name(event_in.step)
    if step is Step.INSPECTION:
        agency = inspectors.recorder(session, scope, producer).agency
        if agency is not None:
            event_in = replace(event_in, agency=agency)
    moment = as_aware(event_in.event_time)
    if moment.year < EARLIEST_YEAR:
        raise InvalidValue(
            "事件时间 {day} 早于 {year} 年，请核对", day=f"{moment:%Y-%m-%d}", year=EARLIEST_YEAR
        )
    if moment > (now or utcnow()) + FUTURE_TOLERANCE:
        raise InvalidValue("事件时间 {time} 在将来", time=shown(moment))
    values = checked_values(session, scope, step, event_in, batch)
    existing = get_all(session, scope=scope, code=batch.code)
    check_order(step, moment, values, existing)
    fingerprint = fingerprint_of(step, moment, values)
    same = session.scalars(
        select(Event).where(Event.batch_id == batch.id, Event.fingerprint == fingerprint)
    ).first()
    if same is not None:
        return same
    event = Event(
        batch_id=batch.id,
        step=step.value,
        event_time=moment.astimezone(UTC),
        recorded_by=scope.actor,
        fingerprint=fingerprint,
        **values,
    )
    session.add(event)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="trace.event_record",
        target_type="trace_batch",
        target_id=batch.code,
        region_code=producer.region_code,
        after={"step": step.value, "time": moment.isoformat(), **values},
    )
    return event


def checked_values(
    session: Session, scope: Scope, step: Step, event_in: EventIn, batch: Batch
) -> dict[str, object]:
    """The event's own fields, each checked for the step, as stored."""
    values: dict[str, object] = {
        "parcel_code": None,
        "input_name": None,
        "input_kind": None,
        "safe_interval_days": None,
        "result": None,
        "agency": None,
        "quantity": None,
        "unit": None,
        "partner": None,
        "output_batch_id": None,
        "note": event_in.note.strip()[:200],
    }
    if event_in.parcel_code:
        values["parcel_code"] = batches.parcel_codes([event_in.parcel_code])[0]
    if step is Step.INPUT:
        name = (event_in.input_name or "").strip()
        if not name:
            raise InvalidValue("投入品使用须填写投入品名称")
        kind = (event_in.input_kind or "").strip()
        kind = next((key for key, label in INPUT_KINDS.items() if kind in (key, label)), kind)
        if kind not in INPUT_KINDS:
            raise InvalidValue(
                "投入品类别“{kind}”无效，可选：{choices}",
                kind=kind,
                choices="、".join(INPUT_KINDS.values()),
            )
        interval = event_in.safe_interval_days
        if kind in WITH_INTERVAL and (interval is None or interval < 0):
            raise InvalidValue("使用{kind}须填写安全间隔期（天，0 或以上）", kind=INPUT_KINDS[kind])
        values |= {"input_name": name[:60], "input_kind": kind, "safe_interval_days": interval}
    if step is Step.INSPECTION:
        result = (event_in.result or "").strip()
        result = next((key for key, label in RESULTS.items() if result in (key, label)), result)
        if result not in RESULTS:
            raise InvalidValue("检测须填写结果：合格（pass）或不合格（fail）")
        values |= {"result": result, "agency": (event_in.agency or "").strip()[:80] or None}
    if event_in.quantity is not None:
        values["quantity"] = batches.parse_quantity(event_in.quantity)
        values["unit"] = batches.check_unit(event_in.unit or batch.unit)
    if step in (Step.SHIPPING, Step.SALE) and event_in.partner:
        values["partner"] = event_in.partner.strip()[:80]
    if step is Step.PROCESSING and event_in.output_batch:
        output = batches.get(session, scope=scope, code=event_in.output_batch)
        if output.id == batch.id:
            raise InvalidValue("加工的产出批次不能是原批次自身")
        values["output_batch_id"] = output.id
    return values


def check_order(
    step: Step, moment: datetime, values: dict[str, object], existing: list[Event]
) -> None:
    """Refuse the event if it contradicts the batch's recorded events; the reason names them."""
    harvests = [event for event in existing if event.step == Step.HARVEST]
    if step is Step.PLANTING:
        refuse_planting_after_harvest(moment, harvests)
    if step is Step.HARVEST:
        refuse_harvest_out_of_order(moment, existing)
    if step is Step.INPUT:
        refuse_input_out_of_order(moment, values, harvests)
    if step in AFTER_HARVEST and not any(from_db(e.event_time) <= moment for e in harvests):
        raise EventRefused(
            "{step}时间 {time} 之前尚未采收/出栏：须先记录采收/出栏",
            step=step.label,
            time=shown(moment),
        )
    if step in (Step.SHIPPING, Step.SALE):
        latest = latest_inspection(existing, moment)
        if latest is not None and latest.result == "fail":
            raise EventRefused(
                "该批次最近一次检测（{time}）不合格，不能{step}",
                time=shown(latest.event_time),
                step=step.label,
            )


def refuse_planting_after_harvest(moment: datetime, harvests: list[Event]) -> None:
    earlier = [event for event in harvests if from_db(event.event_time) <= moment]
    if earlier:
        raise EventRefused(
            "种植/养殖时间 {time} 晚于已记录的采收/出栏 {harvest}，"
            "顺序颠倒：须先记录种植/养殖，再记录采收/出栏",
            time=shown(moment),
            harvest=shown(earlier[0].event_time),
        )


def refuse_harvest_out_of_order(moment: datetime, existing: list[Event]) -> None:
    plantings = [
        event
        for event in existing
        if event.step == Step.PLANTING and from_db(event.event_time) < moment
    ]
    if not plantings:
        raise EventRefused(
            "采收/出栏时间 {time} 之前没有种植/养殖记录：须先记录种植/养殖", time=shown(moment)
        )
    for event in existing:
        check_interval(event, moment)


def refuse_input_out_of_order(
    moment: datetime, values: dict[str, object], harvests: list[Event]
) -> None:
    later = [event for event in harvests if from_db(event.event_time) <= moment]
    if later:
        raise EventRefused(
            "投入品使用时间 {time} 晚于采收/出栏 {harvest}：投入品使用须记在采收/出栏之前",
            time=shown(moment),
            harvest=shown(later[0].event_time),
        )
    pending = Event(
        step=Step.INPUT.value,
        event_time=moment,
        input_name=values["input_name"],
        input_kind=values["input_kind"],
        safe_interval_days=values["safe_interval_days"],
    )
    for harvest in harvests:
        check_interval(pending, from_db(harvest.event_time))


def check_interval(event: Event, harvest_time: datetime) -> None:
    """Refuse a harvest inside the safe interval of an input used before it."""
    if event.step != Step.INPUT or event.input_kind not in WITH_INTERVAL:
        return
    used = from_db(event.event_time)
    allowed = used + timedelta(days=event.safe_interval_days or 0)
    if used <= harvest_time < allowed:
        term = "休药期" if event.input_kind == "vet_drug" else "安全间隔期"
        raise EventRefused(
            "采收/出栏时间 {time} 在“{input}”（{used} 使用，{term} {days} 天）的{term}内，"
            "最早可于 {allowed} 采收/出栏",
            time=shown(harvest_time),
            input=event.input_name,
            used=shown(used),
            term=term,
            days=event.safe_interval_days,
            allowed=shown(allowed),
        )


def latest_inspection(events: list[Event], moment: datetime) -> Event | None:
    done = [
        event
        for event in events
        if event.step == Step.INSPECTION and from_db(event.event_time) <= moment
    ]
    return max(done, key=lambda event: from_db(event.event_time)) if done else None


def fingerprint_of(step: Step, moment: datetime, values: dict[str, object]) -> str:
    text = json.dumps(
        {"step": step.value, "time": moment.astimezone(UTC).isoformat(), **values},
        sort_keys=True,
        default=str,
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def get_all(session: Session, *, scope: Scope, code: str) -> list[Event]:
    """A batch's events in the order they happened."""
    batch = batches.get(session, scope=scope, code=code)
    return events_of(session, batch)


def events_of(session: Session, batch: Batch) -> list[Event]:
    query = select(Event).where(Event.batch_id == batch.id).order_by(Event.event_time, Event.id)
    return list(session.scalars(query))


def inspection_failed(events: list[Event]) -> bool:
    """Whether the batch's latest inspection failed."""
    latest = latest_inspection(events, datetime.max.replace(tzinfo=UTC))
    return latest is not None and latest.result == "fail"


def harvested(events: list[Event]) -> bool:
    return any(event.step == Step.HARVEST for event in events)


def today_in_china(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(CHINA).date()
