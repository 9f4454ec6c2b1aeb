"""Where projects stand: the library in pages, the steps past their time limit, and each
district's progress by year."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.core.regions import codes
from yunong.core.scope import Scope
from yunong.farmland.codes import STEPS, ProjectKind, Step
from yunong.farmland.models import Project, ProjectStep
from yunong.farmland.steps import due_date
from yunong.land import high_standard
from yunong.policy import loader
from yunong.policy.schema import Pack


@dataclass(frozen=True)
class Overdue:
    project: Project
    step: Step
    due_on: date


def last_dates(session: Session, project_ids: list[int]) -> dict[int, date]:
    if not project_ids:
        return {}
    rows = session.execute(
        select(ProjectStep.project_id, func.max(ProjectStep.done_on))
        .where(ProjectStep.project_id.in_(project_ids))
        .group_by(ProjectStep.project_id)
    )
    return {project: done for project, done in rows}


def overdue(
    session: Session, *, scope: Scope, today: date, pack: Pack | None = None
) -> list[Overdue]:
    """Projects in scope whose next step is past the pack's time limit, oldest first."""
    pack = pack or loader.get()
    projects = list(
        session.scalars(
            scope.filter(select(Project).where(Project.step.is_not(None)), Project.region_code)
        )
    )
    dates = last_dates(session, [project.id for project in projects])
    found = []
    for project in projects:
        due = due_date(project, dates.get(project.id), pack)
        if due is not None and due[1] < today:
            found.append(Overdue(project, due[0], due[1]))
    return sorted(found, key=lambda item: (item.due_on, item.project.number))


@dataclass(frozen=True)
class DistrictYear:
    region_code: str
    year: int
    projects: int
    scale_mu: float
    accepted_mu: float
    """Cultivated land inside the accepted projects (亩)."""
    by_step: dict[str, int]


def district_progress(session: Session, *, scope: Scope) -> list[DistrictYear]:
    """Each district's projects by year: how many, their scale, accepted area, by step."""
    rows = session.execute(
        scope.filter(
            select(
                Project.region_code,
                Project.year,
                Project.step,
                func.count(),
                func.sum(Project.scale_mu),
                func.sum(Project.cultivated_m2),
            ).group_by(Project.region_code, Project.year, Project.step),
            Project.region_code,
        )
    ).all()
    table: dict[tuple[str, int], dict[str, object]] = {}
    for region, year, step, count, scale, cultivated in rows:
        entry = table.setdefault(
            (region, year), {"projects": 0, "scale": 0.0, "accepted": 0.0, "steps": {}}
        )
        entry["projects"] = int(entry["projects"]) + count  # type: ignore[call-overload]
        entry["scale"] = float(entry["scale"]) + float(scale or 0)  # type: ignore[arg-type]
        if step in (Step.ACCEPT.value, Step.EVALUATE.value):
            accepted = float(cultivated or Decimal(0)) * 15 / 10000
            entry["accepted"] = float(entry["accepted"]) + accepted  # type: ignore[arg-type]
        steps: dict[str, int] = entry["steps"]  # type: ignore[assignment]
        key = step or "library"
        steps[key] = steps.get(key, 0) + count
    return [
        DistrictYear(
            region,
            year,
            int(entry["projects"]),  # type: ignore[call-overload]
            float(entry["scale"]),  # type: ignore[arg-type]
            round(float(entry["accepted"]), 2),  # type: ignore[arg-type]
            dict(entry["steps"]),  # type: ignore[call-overload]
        )
        for (region, year), entry in sorted(table.items())
    ]


STEP_ORDER = {step.value: index for index, step in enumerate(STEPS)}


def district_names(session: Session, rows: list[DistrictYear]) -> dict[str, str]:
    """Names of the districts in ``rows`` (read through the scope already)."""
    return district_names_of(session, [row.region_code for row in rows])


def district_names_of(session: Session, region_codes: list[str]) -> dict[str, str]:
    """Names of the districts ``region_codes`` (read through the scope already)."""
    from yunong.core.regions import service as regions

    return {code: regions.get(session, code=code).name for code in set(region_codes)}


BUILT_INDICATOR = "high_standard_farmland_built"
MU_PER_WAN_MU = 10000


@dataclass(frozen=True)
class YearBuilt:
    """Cultivated land inside the accepted projects of one 建设年度, by kind (亩)."""

    year: int
    new_mu: float
    upgrade_mu: float
    target_mu: float | None
    """The pack's yearly target (200万亩) when the caller sees the whole city, else none."""


def yearly_built(session: Session, *, scope: Scope, pack: Pack | None = None) -> list[YearBuilt]:
    """New and upgraded 亩 of the accepted projects in scope, by year, with the city's target
    for a caller who sees the whole city (a district has no share of it in the pack)."""
    pack = pack or loader.get()
    rows = session.execute(
        scope.filter(
            select(Project.year, Project.kind, func.sum(Project.cultivated_m2))
            .where(Project.step.in_((Step.ACCEPT.value, Step.EVALUATE.value)))
            .group_by(Project.year, Project.kind),
            Project.region_code,
        )
    ).all()
    built: dict[int, dict[str, float]] = {}
    for year, kind, cultivated in rows:
        mu = float(cultivated or 0) * 15 / 10000
        built.setdefault(int(year), {})[kind] = mu
    indicator = pack.indicators.get(BUILT_INDICATOR)
    targets: dict[int, float] = {}
    if indicator is not None and codes.level_of(scope.region_code) is codes.Level.CITY:
        targets = {
            year: target.value * MU_PER_WAN_MU
            for year, target in indicator.targets.items()
            if target.value is not None
        }
    return [
        YearBuilt(
            year,
            round(built.get(year, {}).get(ProjectKind.NEW.value, 0.0), 2),
            round(built.get(year, {}).get(ProjectKind.UPGRADE.value, 0.0), 2),
            targets.get(year),
        )
        for year in sorted(set(built) | set(targets))
    ]


@dataclass(frozen=True)
class GrainShare:
    """A district's high-standard farmland with a recorded use, and the part of it in grain
    and oil (the pack's ``land.non_grain.high_standard_uses``)."""

    region_code: str
    high_standard_mu: float
    recorded_mu: float
    grain_oil_mu: float

    @property
    def share(self) -> float | None:
        return self.grain_oil_mu / self.recorded_mu if self.recorded_mu else None


def grain_shares(session: Session, *, scope: Scope, pack: Pack | None = None) -> list[GrainShare]:
    """Each district in scope with high-standard farmland: how much of it is in grain and oil."""
    pack = pack or loader.get()
    uses = pack.land.non_grain.high_standard_uses
    found = high_standard.figures(session, scope=scope, level=codes.Level.DISTRICT, uses=uses)
    return [
        GrainShare(
            code,
            round(f.high_standard * 15 / 10000, 2),
            round(f.high_standard_with_use * 15 / 10000, 2),
            round(f.high_standard_grain_oil * 15 / 10000, 2),
        )
        for code, f in sorted(found.items())
        if f.high_standard
    ]
