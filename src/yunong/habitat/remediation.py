"""Remediation of black and odorous water (整治): the pack's stages in order, a satisfaction
survey at acceptance, and which districts have cleared their water (清零区县).

A remediation starts (the first stage, 排查) for a body whose latest test is black and
odorous, and moves one stage at a time. Acceptance (验收, the stage after 治理) is the
district's: it needs a test taken since treatment began that is no longer black, and a
public survey at least the pack's share of whom are satisfied.

A district has cleared its water (清零) when it has registered bodies, none of them is black
by its latest test, and every remediation in it has been accepted. The seed's target
(（十八）) is every district with rural water cleared by 2025: the success rate is the share
of such districts, among those with registered bodies, that are cleared.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, literal_column, select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.habitat import water
from yunong.habitat.models import Remediation, RemediationStep, WaterBody
from yunong.policy.schema import BlackOdorousWater

ACCEPTING = frozenset({Role.DISTRICT_OFFICER, Role.CITY_ADMIN})
"""Who accepts (验收) a remediation: the district, or the city."""


def acceptance_stage(rules: BlackOdorousWater) -> str:
    """The stage after treatment: 验收."""
    return rules.stages[-2]


def accepted_stages(rules: BlackOdorousWater) -> tuple[str, ...]:
    return rules.stages[rules.stages.index(acceptance_stage(rules)) :]


def start(
    session: Session, *, scope: Scope, body_code: str, on: date, rules: BlackOdorousWater
) -> Remediation:
    """Open the remediation of a black and odorous body at the first stage (排查)."""
    body = water.get_by_code(session, scope=scope, code=body_code)
    scope.check_write(body.region_code, f"水体“{body_code}”")
    if not body.black:
        raise Conflict("水体“{code}”最近一次检测不是黑臭水体，无需整治", code=body_code)
    current = remediation_of(session, body)
    if current is not None and current.stage not in accepted_stages(rules):
        raise Conflict("水体“{code}”已在整治中（{stage}）", code=body_code, stage=current.stage)
    if current is None:
        current = Remediation(body_id=body.id, region_code=body.region_code)
        session.add(current)
    current.stage, current.stage_on = rules.stages[0], on
    current.surveyed = current.satisfied = current.accepted_on = None
    session.flush()
    record(session, scope=scope, remediation=current, body=body, note="", action="start")
    return current


def advance(
    session: Session,
    *,
    scope: Scope,
    body_code: str,
    on: date,
    rules: BlackOdorousWater,
    surveyed: int | None = None,
    satisfied: int | None = None,
    note: str = "",
) -> Remediation:
    """Move the body's remediation to its next stage; acceptance needs the survey."""
    body = water.get_by_code(session, scope=scope, code=body_code)
    scope.check_write(body.region_code, f"水体“{body_code}”")
    current = remediation_of(session, body)
    if current is None:
        raise Conflict("水体“{code}”尚未开始整治", code=body_code)
    index = rules.stages.index(current.stage)
    if index + 1 >= len(rules.stages):
        raise Conflict(
            "水体“{code}”已在最后一个环节（{stage}）", code=body_code, stage=current.stage
        )
    if on < current.stage_on:
        raise InvalidValue("日期 {on} 早于上一环节的日期", on=on.isoformat())
    following = rules.stages[index + 1]
    if following == acceptance_stage(rules):
        accept(
            session,
            scope=scope,
            body=body,
            current=current,
            rules=rules,
            surveyed=surveyed,
            satisfied=satisfied,
            on=on,
        )
    current.stage, current.stage_on = following, on
    session.flush()
    record(session, scope=scope, remediation=current, body=body, note=note, action="advance")
    return current


def accept(
    session: Session,
    *,
    scope: Scope,
    body: WaterBody,
    current: Remediation,
    rules: BlackOdorousWater,
    surveyed: int | None,
    satisfied: int | None,
    on: date,
) -> None:
    if scope.role is not None and scope.role not in ACCEPTING:
        raise Forbidden("整治验收由区县办理")
    if not surveyed or satisfied is None or not 0 <= satisfied <= surveyed:
        raise InvalidValue("验收须填写公众满意度调查：调查人数与满意人数（不超过调查人数）")
    share = satisfied / surveyed
    if share < rules.satisfaction_share:
        raise Conflict(
            "公众满意度 {share:.0%} 低于 {floor:.0%}，不能验收",
            share=share,
            floor=rules.satisfaction_share,
        )
    tests = [
        test
        for test in water.tests_of(session, body=body)
        if current.stage_on <= test.tested_on <= on
    ]
    if not tests or tests[0].black:
        raise Conflict("治理开始后还没有不再黑臭的检测，不能验收")
    current.surveyed, current.satisfied, current.accepted_on = surveyed, satisfied, on


def remediation_of(session: Session, body: WaterBody) -> Remediation | None:
    """The remediation of a body the caller has already read through its scope."""
    return session.scalars(select(Remediation).where(Remediation.body_id == body.id)).first()


def record(
    session: Session,
    *,
    scope: Scope,
    remediation: Remediation,
    body: WaterBody,
    note: str,
    action: str,
) -> None:
    """The step in the remediation's history, and in the audit trail as ``start`` or
    ``advance`` (the stage it reached is in the record's digest)."""
    session.add(
        RemediationStep(
            remediation_id=remediation.id,
            stage=remediation.stage,
            on=remediation.stage_on,
            actor=scope.actor,
            note=note[:200],
        )
    )
    audit.record(
        session,
        scope=scope,
        action=f"habitat.remediation.{action}",
        target_type="water_body",
        target_id=body.code,
        region_code=body.region_code,
        after={"stage": remediation.stage, "on": remediation.stage_on.isoformat()},
    )


def get_all(session: Session, *, scope: Scope) -> list[tuple[Remediation, WaterBody]]:
    query = scope.filter(
        select(Remediation, WaterBody).join(WaterBody, WaterBody.id == Remediation.body_id),
        Remediation.region_code,
    ).order_by(WaterBody.code)
    return [(row[0], row[1]) for row in session.execute(query)]


# 清零区县 -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DistrictClearance:
    code: str
    name: str
    bodies: int
    black: int
    """Bodies whose latest test is black and odorous."""
    open: int
    """Remediations not yet accepted."""

    @property
    def cleared(self) -> bool:
        return self.bodies > 0 and self.black == 0 and self.open == 0

    def as_json(self) -> dict[str, object]:
        return {
            "district": self.code[:6],
            "name": self.name,
            "bodies": self.bodies,
            "black": self.black,
            "open": self.open,
            "cleared": self.cleared,
        }


def clearance(
    session: Session, *, scope: Scope, rules: BlackOdorousWater
) -> list[DistrictClearance]:
    """Every district in the scope with registered bodies, and whether it is cleared."""
    district = func.substr(WaterBody.region_code, literal_column("1"), literal_column("6"))
    counted = scope.filter(
        select(
            district,
            func.count(),
            func.sum(case((WaterBody.black.is_(True), 1), else_=0)),
        ).group_by(district),
        WaterBody.region_code,
    )
    bodies = {
        str(code): (int(total), int(black or 0)) for code, total, black in session.execute(counted)
    }
    remediation_district = func.substr(
        Remediation.region_code, literal_column("1"), literal_column("6")
    )
    open_query = scope.filter(
        select(remediation_district, func.count())
        .where(Remediation.stage.not_in(accepted_stages(rules)))
        .group_by(remediation_district),
        Remediation.region_code,
    )
    still_open = {str(code): int(total) for code, total in session.execute(open_query)}
    names = district_names(session, scope=scope, codes=[code.ljust(12, "0") for code in bodies])
    return [
        DistrictClearance(
            code.ljust(12, "0"),
            names.get(code.ljust(12, "0"), code),
            total,
            black,
            still_open.get(code, 0),
        )
        for code, (total, black) in sorted(bodies.items())
    ]


def district_names(session: Session, *, scope: Scope, codes: list[str]) -> dict[str, str]:
    if not codes:
        return {}
    query = select(Region.code, Region.name).where(Region.code.in_(codes))
    return {code: name for code, name in session.execute(scope.filter(query, Region.code))}


@dataclass(frozen=True)
class ClearanceTarget:
    """（十八）: 清零区县创建成功率 against its target year."""

    year: int
    target_year: int
    districts: int
    cleared: int
    black: int

    @property
    def rate(self) -> float | None:
        return 100.0 * self.cleared / self.districts if self.districts else None

    @property
    def met(self) -> bool:
        return self.districts > 0 and self.cleared == self.districts

    def as_json(self) -> dict[str, object]:
        return {
            "year": self.year,
            "target_year": self.target_year,
            "target_rate": 100,
            "districts": self.districts,
            "cleared": self.cleared,
            "rate": None if self.rate is None else round(self.rate, 2),
            "black_bodies": self.black,
            "met": self.met,
            "due": self.year >= self.target_year,
        }


def clearance_target(
    session: Session, *, scope: Scope, rules: BlackOdorousWater, year: int
) -> ClearanceTarget:
    districts = clearance(session, scope=scope, rules=rules)
    return ClearanceTarget(
        year=year,
        target_year=rules.clear_by,
        districts=len(districts),
        cleared=sum(district.cleared for district in districts),
        black=sum(district.black for district in districts),
    )
