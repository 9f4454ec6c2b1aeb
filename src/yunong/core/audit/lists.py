"""操作日志 as a paged list (``core/listing.py``): the audit records about regions inside a
manager's scope, filtered by kind of action, a date range (Beijing days) and region, found
by who acted, the action or the object, with the region named; views of personal data are
marked so that the page can show them apart."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session

from yunong.core import listing
from yunong.core.audit import service as audit
from yunong.core.audit.models import AuditRecord
from yunong.core.auth.service import require_manager
from yunong.core.listing import Listing, ListSpec, Page, Sort
from yunong.core.regions import service as regions
from yunong.core.scope import Scope

CHINA = timezone(timedelta(hours=8))
"""Days of the date filter and times shown are Beijing time; records are kept in UTC."""
PERSONAL_ENDINGS = ("view_personal", ".view")
"""How the actions that open a person's whole record end (user.view_personal,
monitor.household.view …): each such view is a row an inspector looks for first."""

AUDIT = ListSpec(
    sorts={
        "at": Sort("时间", (AuditRecord.seq,)),
        "actor": Sort("操作人", (AuditRecord.actor, AuditRecord.seq)),
        "action": Sort("操作", (AuditRecord.action, AuditRecord.seq)),
    },
    default_sort="-at",
    categories={
        "personal": "查看个人信息",
        "users": "用户与令牌",
        "login": "登录与退出",
        "refused": "拒绝的请求",
        "export": "导出",
    },
    category_label="操作类别",
    dated="操作日期",
    search="操作人、操作代码或对象编号",
)


def is_personal(action: str) -> bool:
    return action.endswith(PERSONAL_ENDINGS)


def kind_condition(kind: str) -> ColumnElement[bool]:
    """The records of one kind of action (a key of ``AUDIT.categories``)."""
    action = AuditRecord.action
    conditions = {
        "personal": [action.endswith(end, autoescape=True) for end in PERSONAL_ENDINGS],
        "users": [action.startswith("user.", autoescape=True), action.startswith("token.")],
        "login": [action.in_(("login", "logout", "login.failed")), action.startswith("session.")],
        "refused": [action.endswith(".refused"), action == "session.tampered"],
        "export": [action.contains("export", autoescape=True), AuditRecord.target_type == "export"],
    }
    return or_(*conditions[kind])


def beijing_day_start(day: date) -> datetime:
    """The UTC moment a Beijing day begins; as UTC because SQLite keeps times without zone."""
    return datetime.combine(day, time(), CHINA).astimezone(UTC)


def record_query(scope: Scope, page: Page) -> Select[tuple[AuditRecord]]:
    """Records about regions inside the scope (or the page's region) matching the filters;
    records without a region (a refused sign-in of an unknown name) are the city's."""
    require_manager(scope)
    query = page.within(scope).filter(select(AuditRecord), AuditRecord.region_code)
    if page.category:
        query = query.where(kind_condition(page.category))
    if page.date_from:
        query = query.where(AuditRecord.at >= beijing_day_start(page.date_from))
    if page.date_to:
        query = query.where(AuditRecord.at < beijing_day_start(page.date_to + timedelta(days=1)))
    if page.search:
        text = page.search
        query = query.where(
            or_(
                AuditRecord.actor == text,
                AuditRecord.action == text,
                AuditRecord.action.startswith(text + ".", autoescape=True),
                AuditRecord.target_id == text,
            )
        )
    return query


@dataclass(frozen=True)
class AuditRow:
    record: AuditRecord
    at: str
    """Beijing time, to the second."""
    region: str
    """The region by name with its district and town."""
    personal: bool


def shown_time(moment: datetime) -> str:
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return aware.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S")


def rows_of(session: Session, records: list[AuditRecord]) -> list[AuditRow]:
    places = regions.get_place_names(
        session, village_codes={record.region_code for record in records if record.region_code}
    )
    return [
        AuditRow(
            record=record,
            at=shown_time(record.at),
            region=places[record.region_code].label if record.region_code in places else "",
            personal=is_personal(record.action),
        )
        for record in records
    ]


def get_records(session: Session, *, scope: Scope, page: Page) -> Listing[AuditRow]:
    """A page of the audit trail a manager may read, newest first unless sorted otherwise."""
    found = listing.fetch(session, record_query(scope, page), page, AUDIT)
    return found.with_rows(rows_of(session, found.rows))


EXPORT_HEADERS = [
    "序号",
    "时间（北京时间）",
    "操作人",
    "操作",
    "查看个人信息",
    "区划",
    "对象类型",
    "对象编号",
    "说明",
]


def export(session: Session, *, scope: Scope, page: Page) -> list[list[object]]:
    """Every record the page's filters find, as xlsx rows; the export itself is audited."""
    records = listing.for_export(session, record_query(scope, page), page, AUDIT)
    rows = rows_of(session, records)
    audit.record_export(
        session,
        scope=scope,
        action="audit.export",
        what="操作日志",
        rows=len(rows),
        region_code=page.within(scope).region_code,
    )
    return [
        [
            row.record.seq,
            row.at,
            row.record.actor,
            row.record.action,
            "是" if row.personal else "",
            row.region,
            row.record.target_type,
            row.record.target_id,
            row.record.detail,
        ]
        for row in rows
    ]
