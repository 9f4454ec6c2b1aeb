"""What anyone who scans a code may see, the batch's green / yellow / red status, and flags.

The public view never holds personal data: a household producer is shown as 农户,
buyers and the people who recorded events are left out, and the origin stops at the
village.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.regions import service as regions
from yunong.trace import batches, brands, events, flags, producers
from yunong.trace.brands import BrandKind
from yunong.trace.events import INPUT_KINDS, RESULTS, Step, shown
from yunong.trace.models import Batch, Certificate, Event, Producer, Product
from yunong.trace.producers import ProducerKind
from yunong.web.i18n import gettext as _


class Status(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    @property
    def label(self) -> str:
        return {"green": "绿码：正常", "yellow": "黄码：请留意", "red": "红码：有风险"}[self.value]


@dataclass(frozen=True)
class PublicEvent:
    step: str
    label: str
    time: str
    detail: str


@dataclass(frozen=True)
class PublicBrand:
    name: str
    kind: str
    owner: str
    authorised: bool
    valid_until: date | None


@dataclass(frozen=True)
class PublicBatch:
    code: str
    address: str
    product: str
    category: str
    gtin: str | None
    lot: str
    produced_on: date
    quantity: str
    producer: str
    producer_kind: str
    origin: list[str]
    events: list[PublicEvent]
    inspections: list[PublicEvent]
    brand: PublicBrand | None
    certificate_on: date | None
    status: Status
    reasons: list[str] = field(default_factory=list)


def event_detail(event: Event) -> str:
    """What an input or an inspection was, in the reader's language around the names typed."""
    if event.step == Step.INPUT:
        kind = _(INPUT_KINDS.get(event.input_kind or "", ""))
        text = _("{kind}：{name}").format(kind=kind, name=event.input_name)
        if event.safe_interval_days is not None:
            term = "休药期" if event.input_kind == "vet_drug" else "安全间隔期"
            interval = _("，{term} {days} 天").format(term=_(term), days=event.safe_interval_days)
            text += interval
        return text
    if event.step == Step.INSPECTION:
        text = _(RESULTS.get(event.result or "", ""))
        return (
            _("{result}（{agency}）").format(result=text, agency=event.agency)
            if event.agency
            else text
        )
    return ""


def public_event(event: Event) -> PublicEvent:
    step = Step(event.step)
    return PublicEvent(step.value, step.label, shown(event.event_time), event_detail(event))


def status_of(
    session: Session, batch: Batch, recorded: list[Event], brand: PublicBrand | None
) -> tuple[Status, list[str]]:
    """Red for a failed inspection or a possible counterfeit an official confirmed; yellow
    while something is missing."""
    red, yellow = [], []
    if events.inspection_failed(recorded):
        red.append(_("最近一次检测不合格"))
    red += [
        _("疑似假冒：{detail}").format(detail=flag.detail)
        for flag in flags.confirmed(session, batch.id)
    ]
    if not any(event.step == Step.INSPECTION for event in recorded):
        yellow.append(_("尚无检测记录"))
    if not events.harvested(recorded):
        yellow.append(_("尚未采收/出栏"))
    if brand is not None and not brand.authorised:
        yellow.append(_("品牌“{brand}”的使用授权已失效").format(brand=brand.name))
    if red:
        return Status.RED, red
    if yellow:
        return Status.YELLOW, yellow
    return Status.GREEN, []


def public_brand(
    session: Session, batch: Batch, product: Product, today: date
) -> PublicBrand | None:
    if batch.brand_id is None:
        return None
    brand = brands.get(session, brand_id=batch.brand_id)
    grant = brands.current_grant(
        session,
        brand_id=brand.id,
        producer_id=product.producer_id,
        category=product.category,
        on=today,
    )
    return PublicBrand(
        name=brand.name,
        kind=BrandKind(brand.kind).label,
        owner=brand.owner,
        authorised=grant is not None,
        valid_until=grant.valid_until if grant else None,
    )


def view(session: Session, *, batch: Batch, now: datetime | None = None) -> PublicBatch:
    """The public view of a batch, as the scan page and the public API show it."""
    product = session.get(Product, batch.product_id)
    assert product is not None
    producer = session.get(Producer, product.producer_id)
    assert producer is not None
    recorded = events.events_of(session, batch)
    brand = public_brand(session, batch, product, events.today_in_china(now))
    status, reasons = status_of(session, batch, recorded, brand)
    certificate = session.scalars(
        select(Certificate.issued_on).where(Certificate.batch_id == batch.id)
    ).first()
    chain = regions.get_ancestors(session, code=batch.origin_code)[1:]
    chain.append(regions.get(session, code=batch.origin_code))
    shown_events = [public_event(event) for event in recorded]
    return PublicBatch(
        code=batch.code,
        address=batches.address(batch),
        product=product.name,
        category=product.category,
        gtin=product.gtin,
        lot=batch.lot,
        produced_on=batch.produced_on,
        quantity=f"{batch.quantity.normalize():f} {batch.unit}",
        producer=producers.public_name(producer),
        producer_kind=ProducerKind(producer.kind).label,
        origin=[region.name for region in chain],
        events=shown_events,
        inspections=[item for item in shown_events if item.step == Step.INSPECTION],
        brand=brand,
        certificate_on=certificate,
        status=status,
        reasons=reasons,
    )
