"""JSON API of 农品“一码通”: producers work with tokens on their own products; scans are public."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from yunong.core.errors import InvalidValue, NotFound
from yunong.store.db import transaction
from yunong.trace import (
    batches,
    brands,
    certificates,
    epcis,
    events,
    flags,
    inspectors,
    producers,
    public,
    qr,
    scans,
    schemas,
)
from yunong.trace.brands import BrandKind
from yunong.trace.models import Batch, Brand, Certificate, Event, Producer, Product
from yunong.trace.web_state import client_key, public_state
from yunong.web.api import PROBLEMS
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.paging import PageDep, paged

router = APIRouter(prefix="/api/trace", tags=["农品一码通"])
CodePath = Annotated[
    str, Path(min_length=1, max_length=40, pattern=r"^[0-9A-Za-z\-_.]+$", description="批次全农码")
]
PUBLIC_PROBLEMS = PROBLEMS | {429: PROBLEMS[404]}


def producer_out(producer: Producer) -> schemas.ProducerOut:
    return schemas.ProducerOut.model_validate(producer, from_attributes=True)


def product_out(product: Product) -> schemas.ProductOut:
    return schemas.ProductOut.model_validate(product, from_attributes=True)


def batch_out(session: Session, batch: Batch) -> schemas.BatchOut:
    return schemas.BatchOut(
        code=batch.code,
        product_id=batch.product_id,
        lot=batch.lot,
        produced_on=batch.produced_on,
        quantity=batch.quantity,
        unit=batch.unit,
        packages=batch.packages,
        origin_code=batch.origin_code,
        brand_id=batch.brand_id,
        address=batches.address(batch),
        parcels=batches.parcels_of(session, batch),
    )


def event_out(event: Event) -> schemas.EventOut:
    return schemas.EventOut(
        id=event.id,
        step=event.step,
        step_name=events.Step(event.step).label,
        event_time=events.from_db(event.event_time),
        parcel_code=event.parcel_code,
        input_name=event.input_name,
        input_kind=event.input_kind,
        safe_interval_days=event.safe_interval_days,
        result=event.result,
        agency=event.agency,
        quantity=event.quantity,
        unit=event.unit,
        note=event.note,
    )


def brand_out(brand: Brand) -> schemas.BrandOut:
    return schemas.BrandOut(
        id=brand.id,
        name=brand.name,
        kind=brand.kind,
        kind_name=BrandKind(brand.kind).label,
        owner=brand.owner,
        region_code=brand.region_code,
        registration=brand.registration,
    )


@router.get("/producers", response_model=list[schemas.ProducerOut], responses=PROBLEMS)
def list_producers(session: SessionDep, scope: ScopeDep) -> list[schemas.ProducerOut]:
    """管辖范围内（或本账号代表）的生产经营主体。"""
    return [producer_out(found) for found in producers.get_all(session, scope=scope)]


@router.post("/producers", response_model=schemas.ProducerOut, status_code=201, responses=PROBLEMS)
def create_producer(
    producer_in: schemas.ProducerIn, session: SessionDep, scope: ScopeDep
) -> schemas.ProducerOut:
    """登记生产经营主体：企业、合作社、家庭农场按统一社会信用代码，农户按户的全农码。"""
    created = producers.create(
        session, scope=scope, producer_in=producers.ProducerIn(**producer_in.model_dump())
    )
    return producer_out(created)


@router.post("/producers/{producer_id}/accounts", status_code=204, responses=PROBLEMS)
def add_producer_account(
    producer_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
    account: schemas.AccountIn,
    session: SessionDep,
    scope: ScopeDep,
) -> Response:
    """让“生产经营主体”角色的账号代表该主体（只能操作该主体的产品）。"""
    producers.add_account(session, scope=scope, producer_id=producer_id, user_id=account.user_id)
    return Response(status_code=204)


@router.get("/products", response_model=list[schemas.ProductOut], responses=PROBLEMS)
def list_products(session: SessionDep, scope: ScopeDep) -> list[schemas.ProductOut]:
    """可见的产品。"""
    return [product_out(found) for found in batches.get_all_products(session, scope=scope)]


@router.post("/products", response_model=schemas.ProductOut, status_code=201, responses=PROBLEMS)
def create_product(
    product_in: schemas.ProductIn, session: SessionDep, scope: ScopeDep
) -> schemas.ProductOut:
    """新增产品（可带 GTIN 与品牌）。"""
    created = batches.create_product(
        session, scope=scope, product_in=batches.ProductIn(**product_in.model_dump())
    )
    return product_out(created)


@router.get("/batches", response_model=list[schemas.BatchOut], responses=PROBLEMS)
def list_batches(
    request: Request, response: Response, session: SessionDep, scope: ScopeDep, page: PageDep
) -> list[schemas.BatchOut]:
    """可见的批次，新的在前，分页返回（`page`、`per_page`；总数在 `X-Total-Count`，上一页、
    下一页在 `Link`）。"""
    found = batches.get_page(session, scope=scope, page=page)
    return [batch_out(session, batch) for batch in paged(request, response, found)]


@router.post("/batches", response_model=schemas.BatchOut, status_code=201, responses=PROBLEMS)
def create_batch(
    batch_in: schemas.BatchIn, session: SessionDep, scope: ScopeDep
) -> schemas.BatchOut:
    """新增批次：签发物类全农码；有 GTIN 的生成 GS1 数字链接。"""
    created = batches.create_batch(
        session, scope=scope, batch_in=batches.BatchIn(**batch_in.model_dump())
    )
    return batch_out(session, created)


@router.get("/batches/{code}", response_model=schemas.BatchOut, responses=PROBLEMS)
def get_batch(code: CodePath, session: SessionDep, scope: ScopeDep) -> schemas.BatchOut:
    """一个批次。"""
    return batch_out(session, batches.get(session, scope=scope, code=code))


@router.get("/batches/{code}/events", response_model=list[schemas.EventOut], responses=PROBLEMS)
def list_events(code: CodePath, session: SessionDep, scope: ScopeDep) -> list[schemas.EventOut]:
    """批次的追溯事件，按发生时间排序。"""
    return [event_out(event) for event in events.get_all(session, scope=scope, code=code)]


@router.post(
    "/batches/{code}/events", response_model=schemas.EventOut, status_code=201, responses=PROBLEMS
)
def record_event(
    code: CodePath, event_in: schemas.EventIn, session: SessionDep, scope: ScopeDep
) -> schemas.EventOut:
    """记录追溯事件；与已有事件矛盾（顺序颠倒、安全间隔期内采收、检测不合格后发货）的被拒绝并说明原因。
    检测结果只能由生产经营主体本身或登记的检测机构账号记录。"""
    recorded = events.record(
        session, scope=scope, code=code, event_in=events.EventIn(**event_in.model_dump())
    )
    return event_out(recorded)


@router.get("/batches/{code}/epcis", responses=PROBLEMS)
def batch_epcis(code: CodePath, session: SessionDep, scope: ScopeDep) -> JSONResponse:
    """批次的 EPCIS 2.0 JSON-LD 文档。"""
    return JSONResponse(
        epcis.for_batch(session, scope=scope, code=code), media_type="application/ld+json"
    )


@router.get("/epcis", responses=PROBLEMS)
def period_epcis(
    session: SessionDep,
    scope: ScopeDep,
    since: Annotated[datetime, Query(description="起始时间（含）")],
    until: Annotated[datetime, Query(description="截止时间（不含）")],
) -> JSONResponse:
    """一段时间内可见批次的全部事件，EPCIS 2.0 JSON-LD 文档。"""
    for moment in (since, until):
        if not 2000 <= moment.year <= 2100:
            raise InvalidValue("时间应在 2000 年至 2100 年之间")
    return JSONResponse(
        epcis.for_period(session, scope=scope, since=since, until=until),
        media_type="application/ld+json",
    )


@router.post(
    "/batches/{code}/certificate",
    response_model=schemas.CertificateOut,
    status_code=201,
    responses=PROBLEMS,
)
def issue_certificate(
    code: CodePath, certificate_in: schemas.CertificateIn, session: SessionDep, scope: ScopeDep
) -> schemas.CertificateOut:
    """开具承诺达标合格证（每批一次；检测不合格或未采收的批次不能开具）。"""
    issued: Certificate = certificates.issue(
        session, scope=scope, code=code, basis=certificate_in.basis
    )
    batch = batches.get(session, scope=scope, code=code)
    return schemas.CertificateOut(
        batch_code=batch.code, issued_on=issued.issued_on, basis=issued.basis
    )


@router.get("/batches/{code}/certificate.pdf", responses=PROBLEMS)
def certificate_pdf(
    code: CodePath,
    session: SessionDep,
    scope: ScopeDep,
    size: Annotated[str, Query(max_length=12, description="a4、100x70、70x50 或 60x40")] = "a4",
    copies: Annotated[int, Query(ge=1, le=100)] = 8,
) -> Response:
    """合格证 PDF：A4 每页 8 张，或标签打印机的单张标签。"""
    sheet = certificates.sheet_of(session, scope=scope, code=code)
    pdf = certificates.render_pdf(sheet, certificates.LabelSize.from_name(size), copies)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{sheet.number}-{size}.pdf"'},
    )


@router.get("/batches/{code}/qr.{kind}", responses=PROBLEMS)
def batch_qr(
    code: CodePath,
    kind: Annotated[str, Path(pattern="^(png|svg)$")],
    session: SessionDep,
    scope: ScopeDep,
) -> Response:
    """批次二维码（PNG 或 SVG），内容为 GS1 数字链接或全农码地址。"""
    address = batches.address(batches.get(session, scope=scope, code=code))
    if kind == "png":
        return Response(qr.png_bytes(address), media_type="image/png")
    return Response(qr.svg_text(address), media_type="image/svg+xml")


def flag_out(row: flags.FlagRow) -> schemas.FlagOut:
    flag = row.flag
    return schemas.FlagOut(
        id=flag.id,
        batch_code=row.batch.code,
        product=row.product,
        reason=flag.reason,
        detail=flag.detail,
        raised_at=flag.raised_at,
        state=flag.state,
        state_name=flags.STATE_LABELS[flag.state],
        decided_by=flag.decided_by,
        decided_at=flag.decided_at,
        note=flag.note,
    )


@router.get("/flags", response_model=list[schemas.FlagOut], responses=PROBLEMS)
def list_flags(session: SessionDep, scope: ScopeDep) -> list[schemas.FlagOut]:
    """疑似假冒预警：辖区内的全部（区县等，含待核实），或本主体已确认的（生产经营主体）。"""
    return [flag_out(row) for row in flags.get_flags(session, scope=scope)]


FlagId = Annotated[int, Path(ge=1, le=2_147_483_647, description="预警编号")]


@router.post("/flags/{flag_id}/confirm", response_model=schemas.FlagOut, responses=PROBLEMS)
def confirm_flag(
    flag_id: FlagId, decision_in: schemas.FlagDecisionIn, session: SessionDep, scope: ScopeDep
) -> schemas.FlagOut:
    """区县或市级干部确认疑似假冒预警：此后扫码页显示“疑似假冒”。记入审计。"""
    flags.confirm(session, scope=scope, flag_id=flag_id, note=decision_in.note)
    return flag_out(flags.get_row(session, scope=scope, flag_id=flag_id))


@router.post("/flags/{flag_id}/clear", response_model=schemas.FlagOut, responses=PROBLEMS)
def clear_flag(
    flag_id: FlagId, decision_in: schemas.FlagDecisionIn, session: SessionDep, scope: ScopeDep
) -> schemas.FlagOut:
    """区县或市级干部排除疑似假冒预警（须写明理由）：扫码页不显示，此后的扫码才可能再次预警。记入审计。"""
    flags.clear(session, scope=scope, flag_id=flag_id, note=decision_in.note)
    return flag_out(flags.get_row(session, scope=scope, flag_id=flag_id))


@router.get("/inspectors", response_model=list[schemas.InspectorOut], responses=PROBLEMS)
def list_inspectors(session: SessionDep, scope: ScopeDep) -> list[schemas.InspectorOut]:
    """辖区内登记的检测机构账号（只有它们和生产经营主体本身能记录检测结果）。"""
    return [
        schemas.InspectorOut.model_validate(found, from_attributes=True)
        for found in inspectors.get_all(session, scope=scope)
    ]


@router.post(
    "/inspectors", response_model=schemas.InspectorOut, status_code=201, responses=PROBLEMS
)
def register_inspector(
    inspector_in: schemas.InspectorIn, session: SessionDep, scope: ScopeDep
) -> schemas.InspectorOut:
    """区县或市级干部把一个干部账号登记为某区域的检测机构；其记录的检测结果以登记的机构名称显示。"""
    found = inspectors.register(session, scope=scope, **inspector_in.model_dump())
    return schemas.InspectorOut.model_validate(found, from_attributes=True)


@router.delete("/inspectors/{user_id}", status_code=204, responses=PROBLEMS)
def remove_inspector(
    user_id: Annotated[int, Path(ge=1, le=2_147_483_647)], session: SessionDep, scope: ScopeDep
) -> Response:
    """取消检测机构登记。"""
    inspectors.remove(session, scope=scope, user_id=user_id)
    return Response(status_code=204)


@router.get("/brands", response_model=list[schemas.BrandOut], responses=PROBLEMS)
def list_brands(session: SessionDep, scope: ScopeDep) -> list[schemas.BrandOut]:
    """农业品牌目录。"""
    return [brand_out(brand) for brand in brands.get_all(session)]


@router.post("/brands", response_model=schemas.BrandOut, status_code=201, responses=PROBLEMS)
def create_brand(
    brand_in: schemas.BrandIn, session: SessionDep, scope: ScopeDep
) -> schemas.BrandOut:
    """把品牌列入目录。"""
    created = brands.create(session, scope=scope, brand_in=brands.BrandIn(**brand_in.model_dump()))
    return brand_out(created)


@router.post(
    "/brands/{brand_id}/grants",
    response_model=schemas.GrantOut,
    status_code=201,
    responses=PROBLEMS,
)
def grant_brand(
    brand_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
    grant_in: schemas.GrantIn,
    session: SessionDep,
    scope: ScopeDep,
) -> schemas.GrantOut:
    """授权主体在一段时间内对某品类使用品牌。"""
    granted = brands.grant(session, scope=scope, brand_id=brand_id, **grant_in.model_dump())
    return schemas.GrantOut.model_validate(granted, from_attributes=True)


def load_public(request: Request, code: str) -> tuple[int, dict[str, Any]]:
    # Only reads: on SQLite the public endpoint never waits for the write lock.
    with transaction(request.app.state.read_sessions) as session:
        batch = batches.find(session, text=code)
        if batch is None:
            raise NotFound("没有这个批次码")
        view = public.view(session, batch=batch)
        return batch.id, schemas.PublicBatchOut.model_validate(
            view, from_attributes=True
        ).model_dump(mode="json")


def save_place(request: Request, code: str, client: str, place: schemas.PlaceIn) -> None:
    with transaction(request.app.state.sessions) as session:
        batch = batches.find(session, text=code)
        if batch is None:
            raise NotFound("没有这个批次码")
        scans.report_place(session, batch_id=batch.id, client=client, lat=place.lat, lon=place.lon)


@router.get("/public/{code}", response_model=schemas.PublicBatchOut, responses=PUBLIC_PROBLEMS)
async def public_batch(code: CodePath, request: Request) -> JSONResponse:
    """扫码查询（无需登录，限流，计入扫码次数）：产品、产地、事件链、检测与品牌，不含个人信息。"""
    state = public_state(request.app)
    state.limiter.check(client_key(request))
    batch_id, body = await run_in_threadpool(load_public, request, code)
    state.counter.count(batch_id, events.today_in_china())
    if state.counter.due():
        await run_in_threadpool(state.counter.flush, request.app.state.sessions)
    return JSONResponse(body)


@router.post("/public/{code}/place", status_code=204, responses=PUBLIC_PROBLEMS)
async def public_place(code: CodePath, place: schemas.PlaceIn, request: Request) -> Response:
    """扫码者自愿上报的大致位置（精确到 0.1°）：同一来源对同一批次只计一次，每天有上限。
    多地扫码只作为线索，由区县干部核实后才在扫码页显示。"""
    state = public_state(request.app)
    address = client_key(request)
    state.limiter.check(address)
    client = scans.client_digest(address, request.app.state.settings.signing_key())
    await run_in_threadpool(save_place, request, code, client, place)
    return Response(status_code=204)
