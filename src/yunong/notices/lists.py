"""通知公告 as a paged list (``core/listing.py``): the notices the caller receives and those
sent inside their scope, newest first, found by title, filtered by whether the caller has
read them, with the region each went to and the caller's own receipt."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from yunong.core import listing
from yunong.core.listing import Listing, ListSpec, Page, Sort
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.notices import service
from yunong.notices.models import Notice, NoticeAudience, NoticeReceipt

NOTICES = ListSpec(
    sorts={
        "published": Sort("发布时间", (Notice.published_at, Notice.id)),
        "due": Sort("签收期限", (Notice.due_on, Notice.id)),
        "title": Sort("标题", (Notice.title, Notice.id)),
    },
    default_sort="-published",
    statuses={"unread": "未读", "read": "已读"},
    status_label="我的签收",
    search="标题",
)


@dataclass(frozen=True)
class NoticeRow:
    notice: Notice
    region_name: str
    """Where it went: the city, a district or a town."""
    read: bool | None
    """Whether the caller has read it; None when it is not sent to them."""

    @property
    def published_on(self) -> date:
        return service.day_of(self.notice.published_at)


def notice_query(scope: Scope, page: Page) -> Select[tuple[Notice]]:
    """The caller's notices matching the page's filters; a region filter keeps those sent
    inside that region."""
    if page.region:
        query = page.within(scope).filter(select(Notice), Notice.region_code)
    else:
        query = select(Notice).where(service.visible(scope))
    if page.status == "unread":
        query = query.where(service.addressed(scope), service.unread(scope))
    elif page.status == "read":
        query = query.where(service.addressed(scope), ~service.unread(scope))
    if page.search:
        query = query.where(Notice.title.contains(page.search, autoescape=True))
    return query


def get_notices(session: Session, *, scope: Scope, page: Page) -> Listing[NoticeRow]:
    found = listing.fetch(session, notice_query(scope, page), page, NOTICES)
    notices: list[Notice] = found.rows
    ids = [notice.id for notice in notices]
    for_role = set(
        session.scalars(
            select(NoticeAudience.notice_id).where(
                NoticeAudience.notice_id.in_(ids), NoticeAudience.role == (scope.role or "")
            )
        )
    )
    read = set(
        session.scalars(
            select(NoticeReceipt.notice_id).where(
                NoticeReceipt.notice_id.in_(ids), NoticeReceipt.user_id == scope.user_id
            )
        )
    )
    above = service.regions_above(scope.region_code)
    names = {
        code: regions.get(session, code=code).name for code in {n.region_code for n in notices}
    }
    rows = [
        NoticeRow(
            notice,
            names[notice.region_code],
            notice.id in read if notice.id in for_role and notice.region_code in above else None,
        )
        for notice in notices
    ]
    return found.with_rows(rows)
