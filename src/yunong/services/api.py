"""JSON API of 农事服务: the work done on a parcel (the farmOS log idea, keyed by 全农码).

Each route is a thin shell over a service function, which checks the caller's region."""

from typing import Annotated

from fastapi import APIRouter, Path

from yunong.services import dispatch
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep

router = APIRouter(prefix="/api/services", tags=["农事服务"])
CodePath = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[0-9A-Za-z-]+$")]


@router.get("/parcels/{code}/events")
def parcel_events(code: CodePath, session: SessionDep, scope: ScopeDep) -> list[dict[str, object]]:
    """作业记录：这块地做过什么、哪天、哪台机具（最新的在前）。"""
    return [
        {
            "parcel": record.parcel_code,
            "operation": record.operation,
            "done_on": record.done_on.isoformat(),
            "area_mu": float(record.area_mu),
            "machine": record.machine_code,
            "recorded_by": record.recorded_by,
        }
        for record in dispatch.events_of_parcel(session, scope=scope, code=code)
    ]
