"""The organisations of the caller's region as a paged list (``core/listing.py``), found by
name, 全农码 or 统一社会信用代码, and who may read the books at all."""

from dataclasses import dataclass, replace

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from yunong.collective import members, projects
from yunong.collective.models import Member, Organisation, Project
from yunong.core import listing
from yunong.core.auth.roles import Role
from yunong.core.errors import Forbidden
from yunong.core.listing import Listing, ListSpec, Page, Sort
from yunong.core.regions import service as regions
from yunong.core.scope import Scope

READERS = frozenset(
    {
        Role.CITY_ADMIN.value,
        Role.DISTRICT_OFFICER.value,
        Role.TOWN_OFFICER.value,
        Role.VILLAGE_CADRE.value,
        Role.COLLECTIVE_ACCOUNTANT.value,
        Role.FINANCE_GROUP.value,
    }
)
"""Roles that read the books: the accountant, village cadres, the 民主理财小组 that checks them
and the offices above (经管站, 经管科); command-line work (no role) reads them too."""

ORGANISATIONS = ListSpec(
    sorts={
        "region": Sort("区划代码", (Organisation.region_code, Organisation.id)),
        "name": Sort("组织名称", (Organisation.name, Organisation.id)),
    },
    default_sort="region",
    statuses={"village": "村级", "town": "乡镇级", "group": "组级"},
    status_label="层级",
    search="组织名称、全农码、统一社会信用代码",
)


def check_reader(scope: Scope) -> None:
    if scope.role is not None and scope.role not in READERS:
        raise Forbidden("您的角色不能查看集体经济组织的账簿")


@dataclass(frozen=True)
class OrgRow:
    org: Organisation
    place: str
    level: str


def org_query(scope: Scope, page: Page) -> Select[tuple[Organisation]]:
    query = scope.filter(select(Organisation), Organisation.region_code)
    if page.status:
        query = query.where(Organisation.level == page.status)
    if page.search:
        query = query.where(
            or_(
                Organisation.name.contains(page.search, autoescape=True),
                Organisation.code == page.search.upper(),
                Organisation.uscc == page.search.upper(),
            )
        )
    return query


def get_organisations(session: Session, *, scope: Scope, page: Page) -> Listing[OrgRow]:
    check_reader(scope)
    if not page.sort:  # a JSON page (web/paging.py) asks for the list's own order
        sort, descending = listing.sort_of("", ORGANISATIONS)
        page = replace(page, sort=sort, descending=descending)
    found = listing.fetch(session, org_query(page.within(scope), page), page, ORGANISATIONS)
    rows: list[Organisation] = found.rows
    names = regions.get_place_names(session, village_codes={org.region_code for org in rows})
    return found.with_rows(
        [
            OrgRow(
                org,
                names[org.region_code].label if org.region_code in names else org.region_code,
                ORGANISATIONS.statuses.get(org.level, org.level),
            )
            for org in rows
        ]
    )


MEMBERS = ListSpec(
    sorts={
        "confirmed": Sort("确认日期", (Member.confirmed_on, Member.id)),
        "name": Sort("姓名", (Member.name, Member.id)),
    },
    default_sort="confirmed",
    statuses={"confirmed": "已确认", "left": "已退出", "deceased": "已去世"},
    status_label="成员状态",
    search="姓名、全农码",
)


def get_members(
    session: Session, *, scope: Scope, org: Organisation, page: Page
) -> Listing[members.MemberRow]:
    """The organisation's members a page at a time, ID numbers and phones masked."""
    check_reader(scope)
    scope.check_read(org.region_code, f"集体经济组织“{org.code}”")
    if not page.sort:
        sort, descending = listing.sort_of("", MEMBERS)
        page = replace(page, sort=sort, descending=descending)
    query = scope.filter(select(Member).where(Member.org_id == org.id), Member.region_code)
    if page.status:
        query = query.where(Member.status == page.status)
    if page.search:
        query = query.where(
            or_(
                Member.name.contains(page.search, autoescape=True),
                Member.person_code == page.search.upper(),
            )
        )
    found = listing.fetch(session, query, page, MEMBERS)
    return found.with_rows(members.rows_of(session, found.rows))


PROJECTS = ListSpec(
    sorts={
        "year": Sort("立项年度", (Project.year, Project.number)),
        "number": Sort("项目编号", (Project.number,)),
        "name": Sort("项目名称", (Project.name, Project.number)),
    },
    default_sort="-year",
    statuses=projects.STEPS,
    status_label="环节",
    search="项目名称、项目编号、全农码",
)


@dataclass(frozen=True)
class ProjectRow:
    project: Project
    place: str
    funds_fen: int
    linkage_fen: int


def get_projects(
    session: Session, *, scope: Scope, page: Page, linkage: frozenset[str]
) -> Listing[ProjectRow]:
    """The 帮扶项目 of the caller's region a page at a time, with their funds in all and the
    衔接资金 among them (``linkage``: the pack's linkage fund sources)."""
    check_reader(scope)
    if not page.sort:
        sort, descending = listing.sort_of("", PROJECTS)
        page = replace(page, sort=sort, descending=descending)
    query = page.within(scope).filter(select(Project), Project.region_code)
    if page.status:
        query = query.where(Project.stage == page.status)
    if page.search:
        query = query.where(
            or_(
                Project.name.contains(page.search, autoescape=True),
                Project.number == page.search,
                Project.code == page.search.upper(),
            )
        )
    found = listing.fetch(session, query, page, PROJECTS)
    rows: list[Project] = found.rows
    funds = projects.funds_of(session, [project.id for project in rows])
    names = regions.get_place_names(session, village_codes={row.region_code for row in rows})
    return found.with_rows(
        [
            ProjectRow(
                project,
                names[project.region_code].label if project.region_code in names else "",
                sum(funds[project.id].values()),
                sum(fen for source, fen in funds[project.id].items() if source in linkage),
            )
            for project in rows
        ]
    )
