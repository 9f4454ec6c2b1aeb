"""The batches of the producers' workspace as a paged list (``core/listing.py``): the batches
the caller may see, found by 全农码, lot, product or producer name, filtered by product
category and production date, with their place of origin named; and the same batches as
the rows of an xlsx."""

from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from yunong.core import listing
from yunong.core.audit import service as audit
from yunong.core.listing import Listing, ListSpec, Page, Sort
from yunong.core.regions import service as regions
from yunong.core.regions.service import PlaceNames
from yunong.core.scope import Scope
from yunong.policy.schema import Pack
from yunong.trace import access, public
from yunong.trace.models import Batch, Producer, Product
from yunong.trace.public import PublicBatch


def batch_spec(pack: Pack) -> ListSpec:
    return ListSpec(
        sorts={
            "produced": Sort("生产日期", (Batch.produced_on, Batch.id)),
            "code": Sort("批次全农码", (Batch.code,)),
            "product": Sort("产品", (Product.name, Batch.id)),
        },
        default_sort="-produced",
        categories={category: category for category in pack.trace.categories},
        dated="生产日期",
        search="批次全农码、批次号、产品或生产主体名称",
        category_label="品类",
    )


@dataclass(frozen=True)
class BatchRow:
    batch: Batch
    view: PublicBatch
    """The batch as its public page shows it: product, producer and status."""
    place: PlaceNames
    """Where it was produced."""


def batch_query(session: Session, scope: Scope, page: Page) -> Select[tuple[Batch]]:
    query = (
        select(Batch)
        .join(Product, Product.id == Batch.product_id)
        .join(Producer, Producer.id == Product.producer_id)
    )
    query = access.filter_producers(session, page.within(scope), query)
    if page.date_from:
        query = query.where(Batch.produced_on >= page.date_from)
    if page.date_to:
        query = query.where(Batch.produced_on <= page.date_to)
    if page.category:
        query = query.where(Product.category == page.category)
    if page.search:
        text = page.search
        query = query.where(
            or_(
                Batch.code == text.upper(),
                Batch.lot == text,
                Product.name == text,
                Producer.name == text,
            )
        )
    return query


def get_batches(session: Session, *, scope: Scope, page: Page, pack: Pack) -> Listing[BatchRow]:
    """A page of the batches the caller may see, newest first."""
    spec = batch_spec(pack)
    found = listing.fetch(session, batch_query(session, scope, page), page, spec)
    return found.with_rows(batch_rows(session, found.rows))


def batch_rows(session: Session, found: list[Batch]) -> list[BatchRow]:
    places = regions.get_place_names(session, village_codes={batch.origin_code for batch in found})
    return [
        BatchRow(batch, public.view(session, batch=batch), places[batch.origin_code])
        for batch in found
    ]


EXPORT_HEADERS = [
    "批次全农码",
    "产品",
    "品类",
    "批次号",
    "生产主体",
    "区县",
    "乡镇",
    "村",
    "生产日期",
    "数量",
    "状态",
]


def export(session: Session, *, scope: Scope, page: Page, pack: Pack) -> list[list[object]]:
    """Every batch the page's filters find, in its order, as the rows of an xlsx; recorded
    as an export, and refused with their number when more than one export holds."""
    query = batch_query(session, scope, page)
    found = listing.for_export(session, query, page, batch_spec(pack))
    audit.record_export(
        session,
        scope=scope,
        action="trace.export",
        what="batches",
        rows=len(found),
        region_code=page.within(scope).region_code,
    )
    return [
        [
            row.batch.code,
            row.view.product,
            row.view.category,
            row.batch.lot,
            row.view.producer,
            row.place.district,
            row.place.town,
            row.place.village,
            row.batch.produced_on,
            row.view.quantity,
            row.view.status.label,
        ]
        for row in batch_rows(session, found)
    ]
