"""Pages."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from yunong.core.regions import service as regions
from yunong.web.deps import get_session

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: Annotated[Session, Depends(get_session)]) -> HTMLResponse:
    districts = regions.count_by_district(session)
    return request.app.state.templates.TemplateResponse(
        request,
        "home.html",
        {
            "districts": districts,
            "total_towns": sum(d.towns for d in districts),
            "total_villages": sum(d.villages for d in districts),
        },
    )
