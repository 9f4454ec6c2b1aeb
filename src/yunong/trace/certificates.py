"""承诺达标合格证: issue one per batch and print it on A4 sheets or label-printer labels.

Fields follow the national rule for edible farm products in force from 2026-02-01
(product name, quantity, origin, issue date, issuer, contact, the words 承诺达标合格证 with
a QR code); the commitment text and its bases are those of the 2019 trial scheme.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.errors import InvalidValue
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.trace import access, batches, events, qr
from yunong.trace.models import Batch, Certificate, Event

TEMPLATES = Path(__file__).resolve().parent.parent / "web" / "templates"
BASES = ("委托检测", "自我检测", "内部质量控制", "自我承诺")


class LabelSize(StrEnum):
    A4 = "a4"
    LABEL_100X70 = "100x70"
    LABEL_70X50 = "70x50"
    LABEL_60X40 = "60x40"

    @classmethod
    def from_name(cls, name: str) -> "LabelSize":
        value = name.strip().lower().replace("×", "x").replace("mm", "")
        for size in cls:
            if value == size.value:
                return size
        choices = "、".join(size.value for size in cls)
        raise InvalidValue(f"纸张“{name}”无效，可选：{choices}")

    @property
    def label_mm(self) -> tuple[int, int]:
        if self is LabelSize.A4:
            return (100, 70)
        width, height = self.value.split("x")
        return (int(width), int(height))


@dataclass(frozen=True)
class Sheet:
    """What a certificate prints."""

    number: str
    product: str
    quantity: str
    origin: str
    issued_on: date
    issuer: str
    contact: str
    basis: str
    address: str


def issue(
    session: Session, *, scope: Scope, code: str, basis: str = "自我承诺", today: date | None = None
) -> Certificate:
    """Issue the batch's certificate, once; refused for a batch not harvested or failed."""
    batch = batches.get(session, scope=scope, code=code)
    product = batches.get_product(session, scope=scope, product_id=batch.product_id)
    producer = batches.producer_of(session, product)
    access.check_write(session, scope, producer, f"批次“{batch.code}”")
    if basis not in BASES:
        raise InvalidValue(f"承诺依据“{basis}”无效，可选：{'、'.join(BASES)}")
    missing = missing_before_issue(events.events_of(session, batch))
    if missing is not None:
        raise InvalidValue(f"批次 {batch.code} {missing}，不能开具承诺达标合格证")
    existing = session.scalars(select(Certificate).where(Certificate.batch_id == batch.id)).first()
    if existing is not None:
        return existing
    certificate = Certificate(
        batch_id=batch.id,
        issued_on=today or events.today_in_china(),
        basis=basis,
        issued_by=scope.actor,
    )
    session.add(certificate)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="trace.certificate_issue",
        target_type="trace_batch",
        target_id=batch.code,
        region_code=producer.region_code,
        after={"issued_on": certificate.issued_on, "basis": basis},
    )
    return certificate


NOT_HARVESTED = "尚未采收/出栏"
FAILED = "最近一次检测不合格"
REMEDIES = {
    NOT_HARVESTED: "尚未记录采收/出栏：记录采收/出栏后即可开具",
    FAILED: "最近一次检测不合格：重新检测合格后才能开具",
}


@dataclass(frozen=True)
class Readiness:
    """Whether the page offers to issue the batch's certificate, and if not, what is missing."""

    can_issue: bool
    missing: str = ""


def missing_before_issue(recorded: list[Event]) -> str | None:
    """Why the batch cannot have its certificate yet, or None when it can."""
    if events.inspection_failed(recorded):
        return FAILED
    if not events.harvested(recorded):
        return NOT_HARVESTED
    return None


def readiness(session: Session, *, scope: Scope, batch: Batch) -> Readiness:
    """Whether the caller can issue the batch's certificate now (the rules of ``issue``);
    ``missing`` says what the batch lacks, empty for a caller who may not issue at all."""
    product = batches.get_product(session, scope=scope, product_id=batch.product_id)
    if not access.may_write(session, scope, batches.producer_of(session, product)):
        return Readiness(can_issue=False)
    missing = missing_before_issue(events.events_of(session, batch))
    if missing is not None:
        return Readiness(can_issue=False, missing=REMEDIES[missing])
    return Readiness(can_issue=True)


def next_step(recorded: list[Event], *, certified: bool) -> str:
    """What the producer does next for the batch, as the feedback after an action says."""
    if not any(event.step == events.Step.PLANTING for event in recorded):
        return "记录种植/养殖"
    if not events.harvested(recorded):
        return "记录采收/出栏"
    if events.inspection_failed(recorded):
        return "重新检测，合格后开具承诺达标合格证"
    if not certified:
        return "开具承诺达标合格证"
    return "打印合格证和二维码标签，随货附上"


def origin_text(session: Session, village_code: str) -> str:
    """重庆市万州区龙沙镇石坪村: the origin down to the village."""
    chain = regions.get_ancestors(session, code=village_code) + [
        regions.get(session, code=village_code)
    ]
    return "".join(region.name for region in chain)


def sheet_of(session: Session, *, scope: Scope, code: str) -> Sheet:
    """The printed fields of a batch's issued certificate; each print is audited."""
    batch = batches.get(session, scope=scope, code=code)
    certificate = session.scalars(
        select(Certificate).where(Certificate.batch_id == batch.id)
    ).first()
    if certificate is None:
        raise InvalidValue(f"批次 {batch.code} 尚未开具承诺达标合格证")
    product = batches.get_product(session, scope=scope, product_id=batch.product_id)
    producer = batches.producer_of(session, product)
    # The sheet prints the producer's contact, which for a household is a person's phone.
    audit.record(
        session,
        scope=scope,
        action="trace.certificate_print",
        target_type="trace_batch",
        target_id=batch.code,
        region_code=producer.region_code,
    )
    return Sheet(
        number=batch.code,
        product=product.name,
        quantity=quantity_text(batch),
        origin=origin_text(session, batch.origin_code),
        issued_on=certificate.issued_on,
        issuer=producer.name,
        contact=" ".join(part for part in (producer.contact_name, producer.contact_phone) if part),
        basis=certificate.basis,
        address=batches.address(batch),
    )


def quantity_text(batch: Batch) -> str:
    amount = batch.quantity.normalize()
    text = f"{amount:f}{batch.unit}"
    return f"{text}（{batch.packages} 件）" if batch.packages else text


def render_html(sheet: Sheet, size: LabelSize, copies: int = 1) -> str:
    if not 1 <= copies <= 1000:
        raise InvalidValue("份数应在 1 到 1000 之间")
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
    template = environment.get_template("trace/certificate.html")
    width, height = size.label_mm
    return template.render(
        sheet=sheet,
        qr=qr.svg_data_uri(sheet.address),
        copies=copies,
        a4=size is LabelSize.A4,
        width=width,
        height=height,
    )


def render_pdf(sheet: Sheet, size: LabelSize, copies: int = 1) -> bytes:
    """A PDF of ``copies`` certificates: eight to an A4 sheet, or one per label."""
    from weasyprint import HTML

    return bytes(HTML(string=render_html(sheet, size, copies)).write_pdf())
