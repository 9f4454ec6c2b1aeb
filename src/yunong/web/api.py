"""Core JSON API: health, regions and 全农码 lookup."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.orm import Session

import yunong
from yunong.core.identity import codes
from yunong.core.identity import service as identity
from yunong.core.regions import codes as region_codes
from yunong.core.regions import service as regions
from yunong.core.regions.models import Region
from yunong.web.deps import get_session

router = APIRouter(prefix="/api")
SessionDep = Annotated[Session, Depends(get_session)]


class Health(BaseModel):
    status: str
    version: str
    database: str


class RegionOut(BaseModel):
    code: str
    name: str
    level: int
    level_name: str
    parent_code: str | None


class CodeLink(BaseModel):
    relation: str
    from_code: str
    to_code: str


class CodeOut(BaseModel):
    code: str
    kind: str
    kind_name: str
    region: RegionOut
    entity_type: str
    national_code: str | None
    issued_at: datetime
    retired: bool
    links: list[CodeLink]


class Problem(BaseModel):
    detail: str


PROBLEMS: dict[int | str, dict[str, Any]] = {404: {"model": Problem}, 422: {"model": Problem}}


def region_out(region: Region) -> RegionOut:
    level = region_codes.Level(region.level)
    return RegionOut(
        code=region.code,
        name=region.name,
        level=level.value,
        level_name=level.label,
        parent_code=region.parent_code,
    )


@router.get("/health", response_model=Health, tags=["系统"])
def health(session: SessionDep) -> Health:
    """服务与数据库是否可用。"""
    session.execute(text("select 1"))
    return Health(status="ok", version=yunong.__version__, database=session.get_bind().dialect.name)


@router.get("/regions", response_model=list[RegionOut], responses=PROBLEMS, tags=["区划"])
def list_regions(
    session: SessionDep,
    level: Annotated[
        str | None, Query(description="district、town、village 或 区县、乡镇、村")
    ] = None,
    under: Annotated[str | None, Query(description="只列出此区划以内的")] = None,
) -> list[RegionOut]:
    """按代码顺序列出区划。"""
    wanted = region_codes.Level.from_name(level) if level else None
    return [region_out(region) for region in regions.get_all(session, level=wanted, under=under)]


@router.get("/regions/{code}", response_model=RegionOut, responses=PROBLEMS, tags=["区划"])
def get_region(code: str, session: SessionDep) -> RegionOut:
    """一个区划。"""
    return region_out(regions.get(session, code=code))


@router.get("/codes/{code}", response_model=CodeOut, responses=PROBLEMS, tags=["全农码"])
def get_code(code: str, session: SessionDep) -> CodeOut:
    """按全农码（或并存的国家标准代码）查询登记信息与关联。"""
    entry = identity.get(session, code=code)
    return CodeOut(
        code=entry.code,
        kind=entry.kind,
        kind_name=codes.Kind(entry.kind).label,
        region=region_out(regions.get(session, code=entry.region_code)),
        entity_type=entry.entity_type,
        national_code=entry.national_code,
        issued_at=entry.issued_at,
        retired=entry.retired_at is not None,
        links=[
            CodeLink(relation=link.relation, from_code=link.from_code, to_code=link.to_code)
            for link in identity.get_links(session, code=entry.code)
        ],
    )
