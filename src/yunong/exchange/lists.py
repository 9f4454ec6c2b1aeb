"""Listings as a paged list (``core/listing.py``): those of the caller's region, ending soonest
first, filtered by state and kind, found by number or title."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from yunong.core import listing
from yunong.core.listing import ListSpec, Page, Sort
from yunong.core.scope import Scope
from yunong.exchange import auction
from yunong.exchange.models import Listing
from yunong.policy.schema import Exchange

STATUSES = {"open": "竞价中", "sold": "已成交", "unsold": "流拍"}


def listing_spec(rules: Exchange) -> ListSpec:
    return ListSpec(
        sorts={
            "ends": Sort("截止时间", (Listing.ends_at, Listing.id)),
            "reserve": Sort("起始价", (Listing.reserve_yuan, Listing.id)),
            "code": Sort("标的编号", (Listing.code, Listing.id)),
        },
        default_sort="-ends",
        statuses=STATUSES,
        status_label="状态",
        categories={key: kind.name for key, kind in rules.kinds.items()},
        category_label="标的类型",
        search="标的编号或名称",
    )


@dataclass(frozen=True)
class ListingRow:
    listing: Listing
    kind_name: str
    leading_yuan: Decimal | None


def listing_query(scope: Scope, page: Page) -> Select[tuple[Listing]]:
    query = page.within(scope).filter(select(Listing), Listing.region_code)
    if page.status:
        query = query.where(Listing.status == page.status)
    if page.category:
        query = query.where(Listing.kind == page.category)
    if page.search:
        query = query.where(
            Listing.code.contains(page.search, autoescape=True)
            | Listing.title.contains(page.search, autoescape=True)
        )
    return query


def get_listings(
    session: Session, *, scope: Scope, page: Page, rules: Exchange
) -> listing.Listing[ListingRow]:
    found = listing.fetch(session, listing_query(scope, page), page, listing_spec(rules))
    rows = [
        ListingRow(
            listing=item,
            kind_name=rules.kinds[item.kind].name,
            leading_yuan=leading.amount_yuan
            if (leading := auction.leading_bid(session, item.id))
            else None,
        )
        for item in found.rows
    ]
    return found.with_rows(rows)
