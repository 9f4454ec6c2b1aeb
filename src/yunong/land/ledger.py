"""以补定占: occupations and supplements of cultivated land, and next year's occupation cap.

Section （三） of the seed: the net increase of stably used cultivated land in a
county in one year is the cap on cultivated land that non-agricultural
construction may occupy there the next year. Supplements (new or restored
cultivated land) count from their acceptance; occupations from their approval.
The ledger is kept per district or county, where the balance is administered.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.errors import Conflict, InvalidValue
from yunong.core.regions import codes as region_codes
from yunong.core.regions import service as regions
from yunong.core.regions.codes import Level
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.land.codes import UnitKind
from yunong.land.geometry import to_mu
from yunong.land.models import LedgerEntry, LedgerParcel, Parcel

OCCUPATION = "occupation"
SUPPLEMENT = "supplement"
KIND_LABELS = {OCCUPATION: "占用", SUPPLEMENT: "补充"}
SOURCES = {"new": "新增耕地", "restored": "恢复耕地"}


class OverCap(Conflict):
    """An occupation that would take the year's occupations over the cap."""


@dataclass(frozen=True)
class Cap:
    """A county's occupation cap for ``year`` and how much of it is used, in m²."""

    region_code: str
    region_name: str
    year: int
    supplemented: Decimal
    """Accepted supplements in the year before."""
    occupied_before: Decimal
    """Approved occupations in the year before."""
    used: Decimal
    """Approved occupations in ``year`` so far."""

    @property
    def net_increase(self) -> Decimal:
        return self.supplemented - self.occupied_before

    @property
    def cap(self) -> Decimal:
        return max(Decimal(0), self.net_increase)

    @property
    def remaining(self) -> Decimal:
        return max(Decimal(0), self.cap - self.used)

    def explain(self) -> str:
        return (
            f"{self.region_name} {self.year} 年非农建设占用耕地上限为 {to_mu(self.cap)} 亩"
            f"（{self.year - 1} 年补充耕地 {to_mu(self.supplemented)} 亩 − 占用 "
            f"{to_mu(self.occupied_before)} 亩 = 稳定利用耕地净增加 {to_mu(self.net_increase)} 亩）"
        )


def total(session: Session, county: Region, kind: str, year: int) -> Decimal:
    value = session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.area_m2), 0)).where(
            LedgerEntry.region_code == county.code,
            LedgerEntry.kind == kind,
            LedgerEntry.year == year,
        )
    )
    return Decimal(str(value)).quantize(Decimal("0.01"))


def get_cap(session: Session, *, scope: Scope, region_code: str, year: int) -> Cap:
    region = county(session, scope, region_code)
    return Cap(
        region_code=region.code,
        region_name=region.name,
        year=year,
        supplemented=total(session, region, SUPPLEMENT, year - 1),
        occupied_before=total(session, region, OCCUPATION, year - 1),
        used=total(session, region, OCCUPATION, year),
    )


def county(session: Session, scope: Scope, region_code: str) -> Region:
    region = regions.get_visible(session, scope=scope, code=region_code)
    if region.level != Level.DISTRICT:
        raise InvalidValue(f"以补定占按区县记账：“{region_code}”不是区县代码")
    return region


def ledger_parcels(
    session: Session, scope: Scope, region_code: str, kind: str, codes: Sequence[str]
) -> list[Parcel]:
    """The parcels of a record: known, in the county and the scope, cultivated, not yet used
    by a record of the same kind."""
    wanted = [code.strip().upper() for code in codes if code.strip()]
    if not wanted:
        raise InvalidValue("请列出记录涉及的地块全农码")
    if len(set(wanted)) != len(wanted):
        raise InvalidValue("地块全农码有重复")
    found = {p.code: p for p in session.scalars(select(Parcel).where(Parcel.code.in_(wanted)))}
    for code in wanted:
        parcel = found.get(code)
        if parcel is None or not scope.covers(parcel.village_code):
            raise InvalidValue(f"地块 {code} 不存在或不在您的管辖范围内")
        if not region_codes.contains(region_code, parcel.village_code):
            raise InvalidValue(f"地块 {code} 不在区县 {region_code[:6]} 内")
        if parcel.kind != UnitKind.CULTIVATED.value:
            raise InvalidValue(f"地块 {code} 不是耕地，不能记入以补定占台账")
    taken = session.execute(
        select(Parcel.code, LedgerEntry.document_number)
        .join(LedgerParcel, LedgerParcel.parcel_id == Parcel.id)
        .join(LedgerEntry, LedgerEntry.id == LedgerParcel.entry_id)
        .where(LedgerParcel.kind == kind, Parcel.code.in_(wanted))
    ).first()
    if taken is not None:
        raise Conflict(f"地块 {taken[0]} 已记入{KIND_LABELS[kind]}记录 {taken[1]}")
    return [found[code] for code in wanted]


def record(
    session: Session,
    *,
    scope: Scope,
    kind: str,
    region_code: str,
    document_number: str,
    decided_on: date,
    parcel_codes: Sequence[str],
    source: str | None = None,
    purpose: str = "",
) -> LedgerEntry:
    """Record an approved occupation or an accepted supplement with its parcels.

    An occupation that would take the county's occupations of its year over the
    cap is refused, with the figures.
    """
    if kind not in KIND_LABELS:
        raise InvalidValue(f"记录类型“{kind}”应为 occupation（占用）或 supplement（补充）")
    if kind == SUPPLEMENT and source not in SOURCES:
        raise InvalidValue("补充耕地须注明来源：new（新增）或 restored（恢复）")
    region = county(session, scope, region_code)
    scope.check_write(region.code, f"区划“{region_code}”")
    number = document_number.strip()
    if not number:
        raise InvalidValue("文号为空：占用填批准文号，补充填验收文号")
    exists = session.scalar(
        select(LedgerEntry.id).where(
            LedgerEntry.region_code == region.code,
            LedgerEntry.kind == kind,
            LedgerEntry.document_number == number,
        )
    )
    if exists is not None:
        raise Conflict(f"{KIND_LABELS[kind]}记录 {number} 已登记")
    parcels = ledger_parcels(session, scope, region.code, kind, parcel_codes)
    area = sum((Decimal(str(p.area_m2)) for p in parcels), Decimal(0)).quantize(Decimal("0.01"))
    if kind == OCCUPATION:
        refuse_over_cap(
            get_cap(session, scope=scope, region_code=region.code, year=decided_on.year), area
        )
    entry = LedgerEntry(
        region_code=region.code,
        kind=kind,
        source=source if kind == SUPPLEMENT else None,
        document_number=number,
        decided_on=decided_on,
        year=decided_on.year,
        area_m2=area,
        purpose=purpose,
    )
    session.add(entry)
    session.flush()
    session.add_all(LedgerParcel(entry_id=entry.id, parcel_id=p.id, kind=kind) for p in parcels)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action=f"land.{kind}",
        target_type="land_ledger_entry",
        target_id=entry.id,
        region_code=region.code,
        after={"document": number, "parcels": [p.code for p in parcels], "area_m2": str(area)},
        detail=f"{KIND_LABELS[kind]} {to_mu(area)} 亩（{len(parcels)} 个地块）",
    )
    return entry


def refuse_over_cap(cap: Cap, area: Decimal) -> None:
    after = cap.used + area
    if after <= cap.cap:
        return
    raise OverCap(
        f"{cap.explain()}；本年已占用 {to_mu(cap.used)} 亩，本次 {to_mu(area)} 亩，"
        f"合计 {to_mu(after)} 亩，超出上限 {to_mu(after - cap.cap)} 亩，不予登记"
    )


def get_all(
    session: Session, *, scope: Scope, region_code: str, year: int | None = None
) -> list[LedgerEntry]:
    region = county(session, scope, region_code)
    query = select(LedgerEntry).where(LedgerEntry.region_code == region.code)
    if year is not None:
        query = query.where(LedgerEntry.year == year)
    return list(session.scalars(query.order_by(LedgerEntry.decided_on, LedgerEntry.id)))
