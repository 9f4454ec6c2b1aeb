"""帮扶项目 from a district's 项目库 workbook (xlsx or csv), one row per project and fund source:
a project funded from several sources takes one row per source under the same 项目编号.

A project with any bad row is refused whole, with the row and the reason; the others are
registered. A project already registered is unchanged when the file says the same, gains the
stages the file dates beyond its current one, and is refused when its funds, kind or village
differ (a registered project is not rewritten by an import).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.collective import projects
from yunong.collective.books import to_fen
from yunong.collective.models import Project
from yunong.core import tabular
from yunong.core.errors import Conflict, InvalidValue, NotFound
from yunong.core.parsing import parse_amount, parse_date
from yunong.core.regions import codes as region_codes
from yunong.core.scope import Scope
from yunong.policy.schema import SupportProjects

STEP_COLUMNS = {
    "approved": ("立项日期", "立项时间"),
    "built": ("建成日期", "完工日期"),
    "accepted": ("验收日期",),
    "confirmed": ("确权日期",),
    "handed_over": ("移交日期", "移交村集体日期"),
}
COLUMNS = {
    "number": ("项目编号", "项目库编号"),
    "name": ("项目名称",),
    "region_code": ("区划代码", "村代码", "行政区划代码"),
    "kind": ("项目类型", "项目类别"),
    "source": ("资金来源",),
    "amount": ("金额(万元)", "资金金额(万元)", "投资(万元)"),
    "households": ("受益户数",),
    "beneficiaries": ("受益人数",),
    "monitored": ("监测户数", "受益监测户数"),
    **STEP_COLUMNS,
}
REQUIRED = ("number", "name", "region_code", "kind", "source", "amount", "approved")


@dataclass
class ProjectTally:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    """(row, 项目编号, reason)."""

    @property
    def rejected(self) -> int:
        return len({number for _, number, _ in self.errors})

    def as_json(self) -> dict[str, object]:
        return {
            "projects": {
                "imported": self.imported,
                "updated": self.updated,
                "unchanged": self.unchanged,
                "rejected": self.rejected,
            },
            "errors": [
                {"row": row, "project": number, "reason": reason}
                for row, number, reason in self.errors
            ],
        }


def count(text: str, label: str) -> int:
    value = text.strip()
    if not value:
        return 0
    if not value.isdigit():
        raise InvalidValue("{label}“{value}”应为非负整数", label=label, value=value)
    return int(value)


def first(rows: list[tuple[int, dict[str, str]]], name: str) -> str:
    return next((row[name] for _, row in rows if row.get(name, "").strip()), "")


def parsed(rows: list[tuple[int, dict[str, str]]], rules: SupportProjects) -> projects.ProjectIn:
    """The project the rows of one 项目编号 describe; raises naming the first bad field."""
    funds: dict[str, Decimal] = {}
    for _, row in rows:
        source = projects.source_of(row["source"], rules)
        amount = parse_amount(row["amount"])
        if amount is None or amount <= 0:
            raise InvalidValue("金额(万元)应大于 0")
        if source in funds:
            raise InvalidValue("资金来源“{source}”重复", source=row["source"].strip())
        funds[source] = amount * 10000
    dates = {step: first(rows, step) for step in STEP_COLUMNS}
    if not dates["approved"]:
        raise InvalidValue("立项日期不能为空")
    steps = {step: parse_date(text) for step, text in dates.items() if text}
    return projects.ProjectIn(
        number=rows[0][1]["number"].strip(),
        name=first(rows, "name"),
        region_code=region_codes.normalise(first(rows, "region_code")),
        kind=projects.kind_of(first(rows, "kind"), rules),
        funds=funds,
        approved_on=steps.pop("approved"),
        households=count(first(rows, "households"), "受益户数"),
        beneficiaries=count(first(rows, "beneficiaries"), "受益人数"),
        monitored_households=count(first(rows, "monitored"), "监测户数"),
        steps=steps,
    )


def grouped(path: Path) -> dict[str, list[tuple[int, dict[str, str]]]]:
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, row in tabular.read_table(path, COLUMNS, REQUIRED):
        groups.setdefault(row["number"].strip(), []).append((line, row))
    return groups


def import_projects(
    session: Session, *, scope: Scope, path: Path, rules: SupportProjects
) -> ProjectTally:
    tally = ProjectTally()
    for number, rows in grouped(path).items():
        line = rows[0][0]
        if not number:
            tally.errors.extend((at, "", "项目编号不能为空") for at, _ in rows)
            continue
        try:
            with session.begin_nested():
                outcome = save(session, scope=scope, project_in=parsed(rows, rules), rules=rules)
        except (InvalidValue, Conflict, NotFound) as error:
            tally.errors.append((line, number, error.message))
            continue
        if outcome == "imported":
            tally.imported += 1
        elif outcome == "updated":
            tally.updated += 1
        else:
            tally.unchanged += 1
    return tally


def save(
    session: Session, *, scope: Scope, project_in: projects.ProjectIn, rules: SupportProjects
) -> str:
    """Register the project, or bring a registered one's stages up to the file's."""
    stored = session.scalars(
        scope.filter(
            select(Project).where(Project.number == project_in.number), Project.region_code
        )
    ).first()
    if stored is None:
        projects.create(session, scope=scope, project_in=project_in, rules=rules)
        return "imported"
    differs(session, stored, project_in)
    done = projects.steps_of(session, stored)
    new = 0
    for step in projects.ORDER[1:]:
        on = project_in.steps.get(step)
        if on is None:
            continue
        if step in done:
            if done[step] != on:
                raise Conflict(
                    "项目“{number}”已于 {stored} 记录“{step}”，文件中为 {on}",
                    number=stored.number,
                    stored=done[step],
                    step=projects.STEPS[step],
                    on=on,
                )
            continue
        projects.record_step(session, scope=scope, project=stored, step=step, on=on)
        new += 1
    return "updated" if new else "unchanged"


def differs(session: Session, stored: Project, project_in: projects.ProjectIn) -> None:
    funds = projects.funds_of(session, [stored.id])[stored.id]
    wanted = {source: to_fen(amount) for source, amount in project_in.funds.items()}
    approved = projects.steps_of(session, stored).get("approved")
    same = (
        stored.region_code == project_in.region_code
        and stored.kind == project_in.kind
        and funds == wanted
        and approved == project_in.approved_on
    )
    if not same:
        raise Conflict(
            "项目编号“{number}”已登记，文件中的村、类型、资金或立项日期与登记的不同",
            number=stored.number,
        )
