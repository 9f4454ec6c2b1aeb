"""The project ledger (项目台账) in the layout districts report upward: one row a project."""

from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.scope import Scope
from yunong.core.tabular import write_workbook
from yunong.farmland.codes import CONTENT_UNITS, FUNDING_SOURCES, KIND_LABELS, PARTY_LABELS, Step
from yunong.farmland.models import (
    Project,
    ProjectContent,
    ProjectFunding,
    ProjectParty,
)
from yunong.store.bulk import chunks

M2_PER_MU = Decimal(10000) / Decimal(15)
HEADERS = [
    "区县代码",
    "项目编号",
    "全农码",
    "项目名称",
    "建设年度",
    "建设类型",
    "建设规模（亩）",
    "边界内耕地（亩）",
    "当前环节",
    *[f"{label}（元）" for label in FUNDING_SOURCES.values()],
    "总投资（元）",
    "亩均投资（元/亩）",
    *[f"{name}（{unit}）" for name, unit in CONTENT_UNITS.items()],
    *PARTY_LABELS.values(),
]


def rows(session: Session, *, scope: Scope) -> list[list[object]]:
    projects = list(
        session.scalars(
            scope.filter(select(Project), Project.region_code).order_by(
                Project.region_code, Project.year, Project.number
            )
        )
    )
    ids = [project.id for project in projects]
    funding: dict[int, dict[str, Decimal]] = {}
    content: dict[int, dict[str, Decimal]] = {}
    parties: dict[int, dict[str, str]] = {}
    for chunk in chunks(ids):
        for item in session.scalars(
            select(ProjectFunding).where(ProjectFunding.project_id.in_(chunk))
        ):
            funding.setdefault(item.project_id, {})[item.source] = item.amount
        for c in session.scalars(
            select(ProjectContent).where(ProjectContent.project_id.in_(chunk))
        ):
            content.setdefault(c.project_id, {})[c.category] = c.quantity
        for p in session.scalars(select(ProjectParty).where(ProjectParty.project_id.in_(chunk))):
            named = parties.setdefault(p.project_id, {})
            named[p.role] = "；".join(
                filter(None, [named.get(p.role), f"{p.name}（{p.credit_code}）"])
            )
    found = []
    for project in projects:
        money = funding.get(project.id, {})
        total = sum(money.values(), Decimal(0))
        per_mu = (total / project.scale_mu).quantize(Decimal("0.01")) if project.scale_mu else None
        inside = (
            (project.cultivated_m2 / M2_PER_MU).quantize(Decimal("0.01"))
            if project.cultivated_m2 is not None
            else None
        )
        found.append(
            [
                project.region_code[:6],
                project.number,
                project.code,
                project.name,
                project.year,
                KIND_LABELS.get(project.kind, project.kind),
                project.scale_mu,
                inside,
                Step(project.step).label if project.step else "项目库",
                *[money.get(source) for source in FUNDING_SOURCES],
                total,
                per_mu,
                *[content.get(project.id, {}).get(name) for name in CONTENT_UNITS],
                *[parties.get(project.id, {}).get(role, "") for role in PARTY_LABELS],
            ]
        )
    return found


def write(session: Session, *, scope: Scope, path: Path) -> int:
    found = rows(session, scope=scope)
    write_workbook(path, HEADERS, found)
    audit.record_export(
        session, scope=scope, action="farmland.ledger_export", what="项目台账", rows=len(found)
    )
    return len(found)
