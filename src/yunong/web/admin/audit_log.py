"""操作日志: the audit trail of the manager's scope as a paged list with filters, and the
same rows as xlsx (every cell through the formula-neutralising helper; the export audited)."""

import shutil
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse
from starlette.background import BackgroundTask

from yunong.core.audit import lists as audit_lists
from yunong.core.tabular import write_workbook
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.layout import render
from yunong.web.listing import list_view, page_of, scope_of

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/audit", response_class=HTMLResponse)
def audit_list(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    """Who did what, when, where and to which object; views of personal data marked."""
    page = page_of(request, audit_lists.AUDIT)
    where = scope_of(request, session, scope, page)
    found = audit_lists.get_records(session, scope=where, page=page)
    view = list_view(request, session, scope, found, audit_lists.AUDIT, export="/audit.xlsx")
    return render(request, session, "admin/audit.html", view=view)


@router.get("/audit.xlsx")
def audit_export(request: Request, session: SessionDep, scope: ScopeDep) -> FileResponse:
    """Every record the list's filters find, in its order."""
    page = page_of(request, audit_lists.AUDIT)
    where = scope_of(request, session, scope, page)
    rows = audit_lists.export(session, scope=where, page=page)
    folder = tempfile.mkdtemp(prefix="yunong-audit-")
    path = Path(folder) / "audit.xlsx"
    write_workbook(path, audit_lists.EXPORT_HEADERS, rows)
    return FileResponse(
        path,
        filename="操作日志.xlsx",
        media_type=XLSX,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )
