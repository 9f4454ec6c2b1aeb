"""One household on one page: members, income history, signals, alerts, cases, measures and
visits (with their photos and positions), with everything dated put on one timeline. ID
numbers are masked; opening the page shows the household's incomes, so each opening is
recorded in the audit trail."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.masking import mask_id_number
from yunong.core.scope import Scope
from yunong.monitor import calendar, measures, removal, visit_photos, visits, workflow
from yunong.monitor.models import (
    Alert,
    Case,
    CaseStep,
    Household,
    HouseholdYear,
    Measure,
    Person,
    PersonYear,
    SelfReport,
    Signal,
    Visit,
)
from yunong.monitor.problems import RegionNames
from yunong.policy.schema import Pack
from yunong.web.i18n import gettext as _
from yunong.web.i18n import translated_list

SOURCE_LABELS = {
    "registry": "花名册",
    "medical_insurance": "医保",
    "disaster": "应急（灾情）",
    "civil_affairs": "民政",
    "housing": "住建",
    "water": "水利",
    "employment": "人社",
    "self_report": "农户自主申报",
    "visit": "干部走访",
}


@dataclass(frozen=True)
class MemberRow:
    name: str
    relation: str
    id_number: str
    """Masked."""
    age: int
    disabled: bool
    student: bool


@dataclass(frozen=True)
class Entry:
    """One dated line of the timeline."""

    on: date
    kind: str
    title: str
    detail: str = ""
    visit_id: int | None = None
    """The visit the line is about, if it is one."""
    photo: bool = False
    """The visit has a photo."""
    position: visits.Position | None = None
    """Where the visitor's phone was."""


@dataclass
class Profile:
    household: Household
    region: str
    year: int | None
    members: list[MemberRow]
    incomes: list[HouseholdYear]
    alerts: list[Alert]
    cases: list[Case]
    case: Case | None
    warning: workflow.Warning | None
    steps: list[CaseStep]
    measures: list[Measure]
    visits: list[Visit]
    removal: removal.Verdict | None
    plan_gap: str
    timeline: list[Entry] = field(default_factory=list)


def get(
    session: Session, *, scope: Scope, code: str, pack: Pack, today: date | None = None
) -> Profile:
    day = today or calendar.today()
    household = visits.get_household(session, scope=scope, code=code)
    incomes = list(
        session.scalars(
            select(HouseholdYear)
            .where(HouseholdYear.household_id == household.id)
            .order_by(HouseholdYear.year)
        )
    )
    year = incomes[-1].year if incomes else None
    alerts = list(
        session.scalars(
            select(Alert).where(Alert.household_id == household.id).order_by(Alert.year, Alert.id)
        )
    )
    cases = workflow.get_by_household(session, household_id=household.id)
    case = cases[0] if cases else None
    steps = [step for item in reversed(cases) for step in workflow.steps_of(session, item)]
    measure_list = measures.measures_of(session, [item.id for item in cases])
    visit_list = visits.visits_of(session, household.id)
    profile = Profile(
        household=household,
        region=RegionNames(session)(household.village_code),
        year=year,
        members=members_of(session, household.id, year),
        incomes=incomes,
        alerts=alerts,
        cases=cases,
        case=case,
        warning=workflow.warning(case, pack=pack, today=day) if case else None,
        steps=steps,
        measures=measure_list,
        visits=visit_list,
        removal=removal.evaluate(visit_list, pack=pack, today=day)
        if case and case.state == workflow.State.MONITORED.value
        else None,
        plan_gap=measures.plan_gap(case, measure_list, pack) if case else "",
    )
    profile.timeline = timeline(session, profile, pack)
    audit.record(
        session,
        scope=scope,
        action="monitor.household.view",
        target_type="monitor_household",
        target_id=household.code,
        region_code=household.village_code,
        detail="查看农户档案（含收入）",
    )
    return profile


def members_of(session: Session, household_id: int, year: int | None) -> list[MemberRow]:
    query = (
        select(Person, PersonYear)
        .outerjoin(PersonYear, (PersonYear.person_id == Person.id) & (PersonYear.year == year))
        .where(Person.household_id == household_id, Person.left_year.is_(None))
        .order_by(Person.id)
    )
    reference = year or calendar.today().year
    return [
        MemberRow(
            name=person.name,
            relation=person.relation,
            id_number=mask_id_number(person.id_number),
            age=reference - person.birth_date.year,
            disabled=bool(figures and figures.disabled),
            student=bool(figures and figures.student),
        )
        for person, figures in session.execute(query)
    ]


def money(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.0f} 元"


def timeline(session: Session, profile: Profile, pack: Pack) -> list[Entry]:
    """Everything dated about the household, newest first."""
    household = profile.household
    entries: list[Entry] = []
    for signal in session.scalars(select(Signal).where(Signal.household_id == household.id)):
        source = _(SOURCE_LABELS.get(signal.source, signal.source))
        title = _("{source}信号：{kind}").format(source=source, kind=signal.kind)
        entries.append(Entry(signal.signal_date, "signal", title, signal.detail))
    for report in session.scalars(
        select(SelfReport).where(SelfReport.household_id == household.id)
    ):
        title = _("自主申报 {reference}").format(reference=report.reference)
        entries.append(Entry(report.received_on, "report", title, report.what_happened))
    for alert in profile.alerts:
        entries.append(
            Entry(
                as_date(alert.raised_at),
                "alert",
                _("预警：{risk}").format(risk=_(alert.risk_type)),
                _("规则 {rules}；来源 {sources}").format(rules=alert.rules, sources=alert.sources),
            )
        )
    for step in profile.steps:
        label = _(workflow.STEPS[step.step].label)
        if step.done_on is None:
            title = (
                _("{step}（办理中，时限 {due}）").format(step=label, due=step.due_on)
                if step.due_on
                else _("{step}（办理中）").format(step=label)
            )
            entries.append(Entry(step.started_on, "step", title))
        else:
            verdict = {"passed": _("同意"), "refused": _("不同意")}.get(step.outcome, step.outcome)
            title = _("{step}：{verdict}（{actor}）").format(
                step=label, verdict=verdict, actor=step.actor
            )
            entries.append(Entry(step.done_on, "step", title, step.note))
    kinds = pack.monitoring.workflow.measure_kinds
    for measure in profile.measures:
        kind = _(kinds.get(measure.kind, measure.kind))
        entries.append(
            Entry(
                measure.started_on,
                "measure",
                _("帮扶措施（{kind}）：{content}").format(kind=kind, content=measure.content),
                _("责任：{owner}；时限 {due}").format(
                    owner=measure.responsible, due=measure.due_on
                ),
            )
        )
        if measure.done_on:
            title = _("措施完成：{content}").format(content=measure.content)
            entries.append(Entry(measure.done_on, "measure", title, measure.progress))
    photos = visit_photos.with_photos(session, [visit.id for visit in profile.visits])
    for visit in profile.visits:
        income = _("人均纯收入 {income}").format(income=money(visit.per_capita_income))
        if visit.risks_found:
            found = translated_list(visit.risks_found)
            income += _("，发现风险：{risks}").format(risks=found)
        entries.append(
            Entry(
                visit.visited_on,
                "visit",
                _("走访（{visitor}）").format(visitor=visit.visitor),
                _("{income}。{note}").format(income=income, note=visit.note),
                visit_id=visit.id,
                photo=visit.id in photos,
                position=visits.position_of(
                    visit.latitude, visit.longitude, visit.position_accuracy_m
                ),
            )
        )
    entries.sort(key=lambda entry: entry.on, reverse=True)
    return entries


def as_date(moment: datetime) -> date:
    return moment.astimezone(calendar.CHINA).date() if moment.tzinfo else moment.date()
