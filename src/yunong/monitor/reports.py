"""农户自主申报: a household reports its own hardship on the public phone page.

No login: the reporter gives name, ID number, village and what happened, and gets a
reference number (a 全农码 of kind 事) back. A reporter found in the village's roster
becomes a signal (source ``self_report``) that the screening merges into alerts; one who
is not stays in the village's list of reports for the cadre to follow up. The page is
rate-limited per client address by the web layer.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core import listing
from yunong.core.audit import service as audit
from yunong.core.errors import InvalidValue
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.listing import Listing, Page
from yunong.core.regions import codes as region_codes
from yunong.core.regions import service as regions
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.core.validators import clean_text, validate_mobile, validate_resident_id
from yunong.monitor import access, calendar, workflow
from yunong.monitor.models import Household, Person, SelfReport, Signal

PUBLIC = Scope(actor="public", region_code=region_codes.CITY_CODE)
"""Reports come from outside; the audit trail names them ``public``."""


@dataclass
class ReportIn:
    name: str
    id_number: str
    village: str
    """The village as 12-digit code or as "区县 乡镇 村" names."""
    what_happened: str
    risk_type: str = "其他"
    phone: str = ""


def find_village(session: Session, text: str) -> Region:
    """A village by its 12-digit code or by its district, town and village names."""
    wanted = "".join(text.split())
    if wanted.isdigit() and len(wanted) == 12:
        region = session.get(Region, wanted)
        if region is not None and region.level == int(region_codes.Level.VILLAGE):
            return region
    else:
        # The village's own name is one of the text's endings; its full path must match.
        endings = [wanted[start:] for start in range(len(wanted))]
        for region in session.scalars(
            select(Region).where(
                Region.level == int(region_codes.Level.VILLAGE), Region.name.in_(endings)
            )
        ):
            if wanted == full_name(session, region):
                return region
    raise InvalidValue(f"找不到村“{text.strip()}”：请从列表中选择，如“万州区龙沙镇石坪村”")


def full_name(session: Session, region: Region) -> str:
    path = regions.get_ancestors(session, code=region.code)[1:] + [region]
    return "".join(item.name for item in path)


def search_villages(session: Session, text: str, limit: int = 20) -> list[tuple[str, str]]:
    """Villages whose name contains ``text``, as (code, "区县乡镇村"), for the page's list."""
    wanted = "".join(text.split())
    if len(wanted) < 2:
        return []
    # What was typed may be part of a village's name, or a full name ending with it.
    endings = [wanted[start:] for start in range(len(wanted) - 1)]
    query = (
        select(Region)
        .where(
            Region.level == int(region_codes.Level.VILLAGE),
            Region.name.contains(wanted, autoescape=True) | Region.name.in_(endings),
        )
        .order_by(Region.code)
        .limit(limit)
    )
    return [(region.code, full_name(session, region)) for region in session.scalars(query)]


def submit(session: Session, *, report_in: ReportIn, today: date | None = None) -> SelfReport:
    """Store a report and return it with its reference number."""
    day = today or calendar.today()
    name = clean_text(report_in.name)
    if not 1 <= len(name) <= 40:
        raise InvalidValue("请填写申报人姓名（不超过 40 个字）")
    id_number = validate_resident_id(report_in.id_number)
    phone = validate_mobile(report_in.phone) if report_in.phone.strip() else None
    what = report_in.what_happened.strip()
    if not 4 <= len(what) <= 400:
        raise InvalidValue("请简要说明遇到的困难（4 至 400 个字）")
    if report_in.risk_type not in workflow.RISK_TYPES:
        raise InvalidValue(f"困难类型应为：{'、'.join(workflow.RISK_TYPES)}")
    village = find_village(session, report_in.village)
    person = session.scalars(select(Person).where(Person.id_number == id_number)).first()
    household = session.get(Household, person.household_id) if person else None
    if household is not None and household.village_code != village.code:
        household, person = None, None
    reference = identity.create(
        session,
        scope=PUBLIC,
        kind=Kind.EVENT,
        region_code=village.code,
        entity_type="monitor_self_report",
        entity_id=f"{id_number[-6:]}-{day.isoformat()}",
    )
    report = SelfReport(
        reference=reference,
        village_code=village.code,
        household_id=household.id if household else None,
        name=name,
        id_number=id_number,
        phone=phone,
        risk_type=report_in.risk_type,
        what_happened=what,
        received_on=day,
    )
    session.add(report)
    session.flush()
    if household is not None and person is not None:
        add_signal(session, household, person, report)
    audit.record(
        session,
        scope=PUBLIC,
        action="monitor.self_report",
        target_type="monitor_self_report",
        target_id=reference,
        region_code=village.code,
        after={"household": household.code if household else None, "risk": report.risk_type},
        detail="农户自主申报" + ("" if household else "（申报人不在该村花名册中）"),
    )
    return report


def add_signal(session: Session, household: Household, person: Person, report: SelfReport) -> None:
    """One signal per person, day and risk type, however often the same report is sent."""
    key = (Signal.source == "self_report", Signal.person_id == person.id)
    same = select(Signal.id).where(
        *key, Signal.signal_date == report.received_on, Signal.kind == report.risk_type
    )
    if session.scalars(same).first() is None:
        session.add(
            Signal(
                household_id=household.id,
                person_id=person.id,
                source="self_report",
                kind=report.risk_type,
                signal_date=report.received_on,
                year=report.received_on.year,
                detail=f"自主申报 {report.reference}：{report.what_happened}"[:200],
            )
        )
        session.flush()


def get_page(session: Session, *, scope: Scope, page: Page) -> Listing[SelfReport]:
    """A page of the reports from the villages in scope, newest first."""
    access.require_reader(scope)
    query = scope.filter(select(SelfReport), SelfReport.village_code)
    ordered = query.order_by(SelfReport.id.desc()).offset(page.offset).limit(page.size)
    return Listing(list(session.scalars(ordered)), listing.count(session, query), page)


def view_page(session: Session, *, scope: Scope, page: Page) -> Listing[SelfReport]:
    """The reports :func:`get_page` finds, recorded as a view of personal data: each names a
    person and the difficulty they reported."""
    found = get_page(session, scope=scope, page=page)
    audit.record(
        session,
        scope=scope,
        action="monitor.self_reports.view",
        target_type="monitor_self_report",
        target_id="list",
        region_code=scope.region_code,
        detail=f"查看农户自主申报 {len(found.rows)} 条（姓名与困难情况）",
    )
    return found
