"""管护: the maintenance responsibility list of an accepted project, inspections and damage
reports from a phone, and the repair that closes a report with a photo.

A duty belongs to a village or town (the collective, operator or town that takes it); the
people of that region see the project's duties, report on it from a phone and find each
damage report in their 待办 with its deadline (``farmland.repair_days`` of the pack) until
it is closed with a photo of the repair.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue, NotFound
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.farmland import projects
from yunong.farmland.codes import DUTY_KINDS, REPORT_KINDS, Step
from yunong.farmland.models import Duty, Photo, Project, Report
from yunong.policy.schema import Pack

REPORTERS = frozenset({Role.GRID_WORKER, Role.VILLAGE_CADRE, Role.TOWN_OFFICER})
"""Who inspects and reports damage on a phone."""
KEEPERS = frozenset({Role.VILLAGE_CADRE, Role.TOWN_OFFICER, Role.DISTRICT_OFFICER})
"""Who closes a damage report for the party responsible in their region."""


@dataclass(frozen=True)
class DutyIn:
    region_code: str
    party_kind: str
    party_name: str
    facilities: str
    until: date


@dataclass(frozen=True)
class ReportIn:
    kind: str
    finding: str
    lon: float | None = None
    lat: float | None = None


def add_duty(session: Session, *, scope: Scope, number: str, duty_in: DutyIn) -> Duty:
    """A line of the project's responsibility list, after acceptance, by its district."""
    projects.check_may_enter(scope)
    project = projects.get_writable(session, scope=scope, number=number)
    if project.step not in (Step.ACCEPT.value, Step.EVALUATE.value):
        raise Conflict("项目“{number}”尚未竣工验收，还不能落实管护责任", number=number)
    region = regions.get(session, code=duty_in.region_code)
    scope.check_write(region.code, f"区划“{duty_in.region_code}”")
    if duty_in.party_kind not in DUTY_KINDS:
        raise InvalidValue(
            "管护主体类别“{kind}”应为：{choices}",
            kind=duty_in.party_kind,
            choices="、".join(DUTY_KINDS.values()),
        )
    if not duty_in.party_name.strip():
        raise InvalidValue("管护主体名称不能为空")
    duty = Duty(
        project_id=project.id,
        region_code=region.code,
        party_kind=duty_in.party_kind,
        party_name=duty_in.party_name.strip()[:100],
        facilities=duty_in.facilities.strip(),
        until=duty_in.until,
    )
    session.add(duty)
    session.flush()
    projects.record(
        session,
        scope,
        project,
        "duty",
        f"{region.name} {DUTY_KINDS[duty.party_kind]} {duty.party_name} {duty.until.isoformat()}",
    )
    return duty


def duties(session: Session, *, scope: Scope, project: Project) -> list[Duty]:
    """The project's duties the caller may see: all of them for its district, else those of
    the caller's region."""
    query = select(Duty).where(Duty.project_id == project.id).order_by(Duty.id)
    if not scope.covers(project.region_code):
        query = scope.filter(query, Duty.region_code)
    return list(session.scalars(query))


def my_projects(session: Session, *, scope: Scope) -> list[Project]:
    """Projects with a duty in the caller's region (for village and town people)."""
    ids = session.scalars(scope.filter(select(Duty.project_id), Duty.region_code)).all()
    if not ids:
        return []
    return list(
        session.scalars(select(Project).where(Project.id.in_(set(ids))).order_by(Project.number))
    )


def visible_project(session: Session, *, scope: Scope, number: str) -> tuple[Project, list[Duty]]:
    """A project the caller keeps in its district or has a duty for in its region."""
    project = session.scalars(select(Project).where(Project.number == number.strip())).first()
    if project is None:
        raise NotFound("项目“{number}”不存在或不在您的管辖范围内", number=number)
    found = duties(session, scope=scope, project=project)
    if not scope.covers(project.region_code) and not found:
        raise NotFound("项目“{number}”不存在或不在您的管辖范围内", number=number)
    return project, found


def report(
    session: Session,
    *,
    scope: Scope,
    pack: Pack,
    number: str,
    report_in: ReportIn,
    photo: bytes | None = None,
    today: date | None = None,
) -> Report:
    """An inspection or a damage report from the field; a damage report goes to the 待办 of
    the party responsible in the reporter's region, with the pack's repair deadline."""
    today = today or date.today()
    if scope.role is not None and Role(scope.role) not in REPORTERS:
        raise Forbidden("巡查与损毁报告由网格员、村干部或乡镇干部在现场登记")
    project, found = visible_project(session, scope=scope, number=number)
    mine = [duty for duty in found if scope.covers(duty.region_code)]
    if not mine:
        raise Forbidden("项目“{number}”在您的辖区没有管护责任", number=number)
    if report_in.kind not in REPORT_KINDS:
        raise InvalidValue("报告类别“{kind}”应为 巡查 或 损毁报告", kind=report_in.kind)
    finding = report_in.finding.strip()
    if not finding:
        raise InvalidValue("请写明巡查发现或损毁情况")
    duty = mine[0]
    scope.check_write(duty.region_code, f"项目“{number}”")
    row = Report(
        project_id=project.id,
        duty_id=duty.id,
        region_code=duty.region_code,
        kind=report_in.kind,
        finding=finding,
        photo_id=keep_photo(session, photo),
        lon=report_in.lon,
        lat=report_in.lat,
        reported_by=scope.actor,
        reported_on=today,
        deadline=today + timedelta(days=pack.farmland.repair_days)
        if report_in.kind == "damage"
        else None,
        closing_note="",
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action=f"farmland.report_{report_in.kind}",
        target_type="farmland_report",
        target_id=row.id,
        region_code=row.region_code,
        detail=f"{project.number} {finding[:80]}",
    )
    return row


def keep_photo(session: Session, content: bytes | None) -> int | None:
    if not content:
        return None
    photo = Photo(content=content)
    session.add(photo)
    session.flush()
    return photo.id


def get_report(session: Session, *, scope: Scope, report_id: int) -> Report:
    row = session.get(Report, report_id)
    scope.check_read(row.region_code if row else None, f"报告 {report_id}")
    assert row is not None
    return row


def check_may_close(session: Session, *, scope: Scope, report_id: int) -> Report:
    """Refuse unless the caller may close the report; run before a byte of the photo is read."""
    row = get_report(session, scope=scope, report_id=report_id)
    scope.check_write(row.region_code, f"报告 {report_id}")
    if scope.role is not None and Role(scope.role) not in KEEPERS:
        raise Forbidden("损毁整改由管护责任所在的村、乡镇或区县办结")
    if row.kind != "damage":
        raise Conflict("巡查记录不需要办结")
    if row.closed_on is not None:
        raise Conflict("这份损毁报告已于 {day} 办结", day=row.closed_on.isoformat())
    return row


def may_close(scope: Scope, report: Report) -> bool:
    return (
        report.kind == "damage"
        and report.closed_on is None
        and scope.can_write
        and scope.covers(report.region_code)
        and (scope.role is None or Role(scope.role) in KEEPERS)
    )


def check_may_attach(session: Session, *, scope: Scope, report_id: int) -> Report:
    """Only the reporter adds the photo of their report, while it is open."""
    row = get_report(session, scope=scope, report_id=report_id)
    scope.check_write(row.region_code, f"报告 {report_id}")
    if row.reported_by != scope.actor:
        raise Forbidden("这份报告由 {who} 登记，只有登记人能添加现场照片", who=row.reported_by)
    if row.closed_on is not None:
        raise Conflict("这份损毁报告已于 {day} 办结", day=row.closed_on.isoformat())
    return row


def attach_photo(session: Session, *, scope: Scope, report_id: int, photo: bytes) -> Report:
    """The reporter's photo of what they found; sent again, it replaces the first."""
    row = check_may_attach(session, scope=scope, report_id=report_id)
    row.photo_id = keep_photo(session, photo)
    session.flush()
    return row


def close(
    session: Session,
    *,
    scope: Scope,
    report_id: int,
    photo: bytes | None,
    note: str = "",
    today: date | None = None,
) -> Report:
    """Close a damage report with a photo of the repair."""
    row = check_may_close(session, scope=scope, report_id=report_id)
    if not photo:
        raise InvalidValue("办结损毁报告须附整改后的照片")
    row.closing_photo_id = keep_photo(session, photo)
    row.closed_on = today or date.today()
    row.closed_by = scope.actor
    row.closing_note = note.strip()
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="farmland.report_close",
        target_type="farmland_report",
        target_id=row.id,
        region_code=row.region_code,
    )
    return row


def open_reports(session: Session, *, scope: Scope) -> list[Report]:
    """Damage reports in scope not yet closed, nearest deadline first."""
    query = scope.filter(
        select(Report).where(Report.kind == "damage", Report.closed_on.is_(None)),
        Report.region_code,
    ).order_by(Report.deadline, Report.id)
    return list(session.scalars(query))


def photo_of(session: Session, *, scope: Scope, report_id: int, closing: bool = False) -> bytes:
    row = get_report(session, scope=scope, report_id=report_id)
    photo_id = row.closing_photo_id if closing else row.photo_id
    photo = session.get(Photo, photo_id) if photo_id else None
    if photo is None:
        raise NotFound("照片不存在")
    return photo.content


def projects_of(session: Session, *, reports: list[Report]) -> list[Project]:
    """The projects of reports the caller has read through its scope."""
    ids = {report.project_id for report in reports}
    if not ids:
        return []
    return list(session.scalars(select(Project).where(Project.id.in_(ids))))
