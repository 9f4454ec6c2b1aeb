"""Opening cases: an alert's household is assigned to a grid worker of its village for the
verification visit (入户核实), one case or thousands at once, all of them or none.

The cases then follow :mod:`yunong.monitor.workflow`; opening is apart from it because a
whole city's alerts are opened in one go (the demo, a district's first screening), so its
rows are composed and written in batches rather than one ORM object at a time.
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import update
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, InvalidValue, NotFound
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.scope import Scope
from yunong.monitor import access, calendar
from yunong.monitor.models import Alert, Case
from yunong.monitor.workflow import ASSIGN_LABEL, OPEN, SNAPSHOT, STEP_OF_STATE, State, step_limit
from yunong.policy.schema import Pack
from yunong.store.base import utcnow
from yunong.store.bulk import chunks, driver_time, insert_tuples, rows_of_listed


@dataclass(frozen=True)
class Opening:
    """An alert whose household gets a case, the grid worker who verifies, and the day."""

    alert_id: int
    grid_worker: str
    opened_on: date


def open_case(
    session: Session,
    *,
    scope: Scope,
    alert_id: int,
    grid_worker: str,
    pack: Pack,
    today: date | None = None,
    note: str = "",
) -> Case:
    """Assign an alert's household to a grid worker of its village for the verification visit."""
    opening = Opening(alert_id, grid_worker, today or calendar.today())
    [case_id] = open_cases(session, scope=scope, openings=[opening], pack=pack, note=note)
    return session.get_one(Case, case_id)


def open_cases(
    session: Session,
    *,
    scope: Scope,
    openings: Sequence[Opening],
    pack: Pack,
    note: str = "",
    at: datetime | None = None,
) -> list[int]:
    """Open a case for the household of each opening's alert, all of them or none.

    The rules are those of one case: the caller assigns as a village cadre (or from the
    command line) inside their scope, each worker is an enabled grid worker of the alert's
    village, and no household has a case still open (its new alerts join that case). Each
    case takes in the household's open alerts of the year, gets a 事 code linked to the
    household's and waits for 入户核实 within the pack's time limits. Rows are written a
    batch at a time, with one audit record for all; ``at`` (now unless given) stamps the
    cases and their codes. Returns the ids of the new cases in the order of ``openings``.
    """
    access.require_reader(scope)
    if not openings:
        return []
    alerts = alerts_by_id(session, [opening.alert_id for opening in openings])
    for opening in openings:
        alert = alerts.get(opening.alert_id)
        if alert is None:
            raise NotFound(f"预警 {opening.alert_id} 不存在或不在您的管辖范围内")
        scope.check_write(alert.village_code, f"预警 {opening.alert_id}")
    access.require_role(scope, [Role.VILLAGE_CADRE], ASSIGN_LABEL)
    workers = grid_workers(session, openings, alerts)
    households = [alerts[opening.alert_id].household_id for opening in openings]
    if len(set(households)) < len(households) or any_open(session, households):
        raise Conflict("该户已有办理中的监测案件，新预警并入该案件处理")
    new, household_codes = case_rows(session, scope, openings, alerts, workers, pack, at)
    case_ids = insert_cases(session, new)
    first = STEP_OF_STATE[State.VERIFY].name
    insert_tuples(
        session,
        "monitor_case_step",
        ["case_id", "step", "started_on", "due_on", "outcome", "note"],
        (
            (case_id, first, case.step_started_on, case.step_due_on, "", "")
            for case_id, case in zip(case_ids, new, strict=True)
        ),
    )
    take_in_alerts(session, openings, alerts)
    identity.register(
        session,
        scope=scope,
        kind=Kind.EVENT,
        entity_type="monitor_case",
        codes_and_ids=[
            (case.code, f"{household}-{case.year}-{opening.alert_id}")
            for case, household, opening in zip(new, household_codes, openings, strict=True)
        ],
        issued_at=at,
    )
    identity.link_many(
        session,
        scope=scope,
        relation="case",
        pairs=[
            (household, case.code) for case, household in zip(new, household_codes, strict=True)
        ],
    )
    record_opened(session, scope, new, note)
    return case_ids


# Thousands of cases are opened at once: their keys are looked up as one JSON list each.
LISTED_CASES = "SELECT c.code, c.id FROM monitor_case AS c JOIN {listed} ON c.code = listed.value"
LISTED_ALERTS = """
SELECT a.id, a.household_id, a.village_code, a.year, a.risk_type
FROM monitor_alert AS a JOIN {listed} ON a.id = CAST(listed.value AS INTEGER)"""
LISTED_WORKERS = """
SELECT u.name, u.disabled, u.role, u.region_code
FROM app_user AS u JOIN {listed} ON u.name = listed.value"""
LISTED_OPEN_CASES = f"""
SELECT c.id FROM monitor_case AS c JOIN {{listed}} ON c.household_id = CAST(listed.value AS INTEGER)
WHERE c.state IN ({", ".join(f"'{state.value}'" for state in OPEN)})"""
LISTED_OPEN_ALERTS = """
SELECT a.household_id, a.year, a.risk_type
FROM monitor_alert AS a JOIN {listed} ON a.household_id = CAST(listed.value AS INTEGER)
WHERE a.status = 'open'"""
LISTED_HOUSEHOLDS = """
SELECT h.id, h.code FROM monitor_household AS h
JOIN {listed} ON h.id = CAST(listed.value AS INTEGER)"""


class NewCase(NamedTuple):
    """A new case's row, its values as the driver takes them (dates as ISO text)."""

    code: str
    household_id: int
    village_code: str
    year: int
    state: str
    risk_types: str
    assigned_to: str
    opened_on: str
    identification_due_on: str
    step_started_on: str
    step_due_on: str | None
    reason: str
    tracked_after_removal: bool
    created_at: Any


class AlertKey(NamedTuple):
    id: int
    household_id: int
    village_code: str
    year: int
    risk_type: str


def insert_cases(session: Session, cases: list[NewCase]) -> list[int]:
    """Insert the cases' rows; their ids in the same order."""
    insert_tuples(session, "monitor_case", NewCase._fields, cases)
    codes = [case.code for case in cases]
    ids = dict(rows_of_listed(session, LISTED_CASES, codes).tuples().all())
    return [ids[code] for code in codes]


def alerts_by_id(session: Session, alert_ids: list[int]) -> dict[int, AlertKey]:
    rows = rows_of_listed(session, LISTED_ALERTS, sorted(set(alert_ids))).tuples().all()
    return {row[0]: AlertKey(*row) for row in rows}


def grid_workers(
    session: Session, openings: Sequence[Opening], alerts: dict[int, AlertKey]
) -> dict[int, str]:
    """The name of each opening's grid worker, by alert; refused unless each is an enabled
    grid worker of the alert's village."""
    names = sorted({opening.grid_worker.strip() for opening in openings})
    users = {row.name: row for row in rows_of_listed(session, LISTED_WORKERS, names)}
    found = {}
    for opening in openings:
        worker = users.get(opening.grid_worker.strip())
        if (
            worker is None
            or worker.disabled
            or worker.role != Role.GRID_WORKER
            or worker.region_code != alerts[opening.alert_id].village_code
        ):
            raise InvalidValue(f"“{opening.grid_worker}”不是本村在岗的网格员，不能派发核实任务")
        found[opening.alert_id] = worker.name
    return found


def any_open(session: Session, household_ids: list[int]) -> bool:
    listed = sorted(set(household_ids))
    return rows_of_listed(session, LISTED_OPEN_CASES, listed).first() is not None


def case_rows(
    session: Session,
    scope: Scope,
    openings: Sequence[Opening],
    alerts: dict[int, AlertKey],
    workers: dict[int, str],
    pack: Pack,
    at: datetime | None,
) -> tuple[list[NewCase], list[str]]:
    """Each new case's row with a fresh code, and its household's code."""
    household_ids = sorted({alerts[opening.alert_id].household_id for opening in openings})
    risks: dict[tuple[int, int], set[str]] = defaultdict(set)
    for household_id, year, risk_type in rows_of_listed(session, LISTED_OPEN_ALERTS, household_ids):
        risks[(household_id, year)].add(risk_type)
    household_codes = dict(rows_of_listed(session, LISTED_HOUSEHOLDS, household_ids).tuples().all())
    villages = Counter(alerts[opening.alert_id].village_code for opening in openings)
    issued = {
        village: iter(codes)
        for village, codes in identity.reserve(
            session, scope=scope, kind=Kind.EVENT, counts=dict(villages)
        ).items()
    }
    identification_days = pack.monitoring.workflow.identification_days
    verify_days = step_limit(pack, State.VERIFY)
    created_at = driver_time(session, at or utcnow())
    cases, households = [], []
    for opening in openings:
        alert = alerts[opening.alert_id]
        day = opening.opened_on
        taken_in = risks[(alert.household_id, alert.year)] | {alert.risk_type}
        cases.append(
            NewCase(
                code=next(issued[alert.village_code]),
                household_id=alert.household_id,
                village_code=alert.village_code,
                year=alert.year,
                state=State.VERIFY.value,
                risk_types=",".join(sorted(taken_in)),
                assigned_to=workers[opening.alert_id],
                opened_on=day.isoformat(),
                identification_due_on=working_days_after(day, identification_days),
                step_started_on=day.isoformat(),
                step_due_on=None if verify_days is None else working_days_after(day, verify_days),
                reason="",
                tracked_after_removal=False,
                created_at=created_at,
            )
        )
        households.append(household_codes[alert.household_id])
    return cases, households


@lru_cache(maxsize=4096)
def working_days_after(day: date, days: int) -> str:
    """:func:`calendar.add_working_days` as ISO text (which both databases take for a date),
    once for each start and limit a batch uses."""
    return calendar.add_working_days(day, days).isoformat()


def take_in_alerts(
    session: Session, openings: Sequence[Opening], alerts: dict[int, AlertKey]
) -> None:
    """The open alerts of each household's year are now handled in its case."""
    by_year: dict[int, set[int]] = defaultdict(set)
    for opening in openings:
        alert = alerts[opening.alert_id]
        by_year[alert.year].add(alert.household_id)
    for year, household_ids in sorted(by_year.items()):
        for chunk in chunks(sorted(household_ids)):
            session.execute(
                update(Alert)
                .where(Alert.household_id.in_(chunk), Alert.year == year, Alert.status == "open")
                .values(status="case")
            )


def record_opened(session: Session, scope: Scope, cases: list[NewCase], note: str) -> None:
    """One audit record for the cases opened together; for one case, its own record."""
    first, last = cases[0], cases[-1]
    villages = {case.village_code for case in cases}
    if len(cases) == 1:
        target = first.code
        after: dict[str, object] = {key: getattr(first, key, None) for key in SNAPSHOT}
        detail = f"派发网格员 {first.assigned_to} 入户核实。{note}"
    else:
        target = f"{first.code}..{last.code}"
        after = {"cases": [[case.code, case.assigned_to] for case in cases]}
        detail = f"派发 {len(cases)} 户入户核实。{note}"
    audit.record(
        session,
        scope=scope,
        action="monitor.case.open",
        target_type="monitor_case",
        target_id=target,
        region_code=villages.pop() if len(villages) == 1 else scope.region_code,
        after=after,
        detail=detail,
    )
