"""Demo monitoring cases (防返贫监测): cases at every stage of the workflow, some overdue.

About three households in a hundred, and every household of the demo village, get an
alert; nine in ten of those a case, spread evenly over the stages from 入户核实 to
风险消除 (and 未纳入). Dates count back from the day of the build, so the warnings are
green, yellow and red when the demo is opened.

The story of every case is planned set-based in DuckDB (tables ``story``, ``step_plan``,
``visit_plan`` and ``measure_plan``). The cases are opened through the workflow's own
set-based path (``opening.open_cases``: the grid worker check, the time limits, the 事
codes through the identity service); what happened to them afterwards (the steps taken,
the visits, the measures) is written in bulk by :func:`write_history`, whose rows are
those that the services write for the same plan (tests/demo/test_writers_match.py
replays a plan through them).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import duckdb
import pyarrow as pa
from sqlalchemy import Engine, text

from yunong.core.audit import service as audit
from yunong.core.scope import Scope
from yunong.demo.households import attach_operational, connect
from yunong.demo.users import create_grid_workers
from yunong.monitor import calendar, opening, workflow
from yunong.monitor.opening import Opening
from yunong.monitor.workflow import STEPS
from yunong.policy.schema import Pack
from yunong.store.bulk import staged
from yunong.store.db import make_sessionmaker, transaction

SYSTEM = Scope.system("demo")
YEAR = 2024
PER_MILLE = 30
"""Households (per thousand) with an alert, outside the demo village."""
STAGES = (
    "",  # an alert not yet assigned
    "verify",
    "village_review",
    "town_review",
    "district_approval",
    "monitored",
    "removal_town_review",
    "removal_district_approval",
    "not_included",
    "risk_removed",
)
CHAIN = list(STEPS)
"""verify, village_review, town_review, district_approval, propose_removal, removal_town_review,
removal_district_approval: the order a case goes through."""
RISKS = ["因病", "因学", "因残", "因自然灾害", "因意外事故", "因务工就业不稳", "缺劳动力"]
RULES = {
    "因病": "medical_cost_high",
    "因学": "education_burden",
    "因残": "disability_burden",
    "因自然灾害": "disaster_loss",
    "因意外事故": "accident",
    "因务工就业不稳": "work_lost",
    "缺劳动力": "no_labour",
}
SOURCES = {
    "medical_cost_high": "medical_insurance",
    "disaster_loss": "disaster",
    "accident": "medical_insurance",
    "work_lost": "employment",
}
HORIZON = 300
"""Days back from the build that any step of a demo case may start: a case whose risk is
removed has been followed for the pack's stable months (six) first."""
VERIFY_NOTE = "入户核实：情况属实"
FOLLOW_UP_NOTE = "帮扶走访：收入稳定，“三保障”和饮水安全有保障"
NOT_INCLUDED_REASON = "经核实，家庭收入稳定在监测线以上，不符合纳入条件"
REMOVED_REASON = "收入持续稳定，“三保障”和饮水安全有保障"
DONE_NOTE = "已落实"
ROLE_ACTORS = {"village": "村干部", "town": "乡镇干部", "district": "区县干部"}
"""Who acted for the village, town and district outside the demo village, whose accounts
are real."""


@dataclass(frozen=True)
class CaseCounts:
    alerts: int
    cases: int
    measures: int


def dues_rows(pack: Pack, today: date) -> list[tuple[date, int, date]]:
    """(start, working days, due date) for every start the demo uses and every limit."""
    limits = set(pack.monitoring.workflow.step_days.values())
    return [
        (
            today - timedelta(days=back),
            days,
            calendar.add_working_days(today - timedelta(days=back), days),
        )
        for back in range(HORIZON + 1)
        for days in sorted(limits)
    ]


def list_sql(values: Sequence[str]) -> str:
    return "[" + ", ".join(f"'{value}'" for value in values) + "]"


def step_limits_sql(pack: Pack) -> str:
    """Each step's limit in working days, in chain order; null for a step that is not waited
    for (the village's removal proposal is taken when the village decides)."""
    limits = [
        workflow.step_limit(pack, step.at) if step.name != "propose_removal" else None
        for step in STEPS.values()
    ]
    return "[" + ", ".join("null" if days is None else str(days) for days in limits) + "]"


def plan_sql(pack: Pack, demo_village: str) -> str:
    """The alerts, and each case's story: its opening, steps and visits."""
    rules = " ".join(f"when '{risk}' then '{rule}'" for risk, rule in RULES.items())
    sources = " ".join(f"when '{rule}' then '{source}'" for rule, source in SOURCES.items())
    line = max(pack.monitoring.monitoring_line.values())
    actor = "case when c.in_demo_village then 'demo_{0}' else '{1}' end"
    return f"""
create temp table picked as
    select h.id as household_id, h.code as household_code, h.village_code,
           (hash(h.id, 'demo case', getvariable('seed')) >> 1)::bigint as k,
           h.village_code = '{demo_village}' as in_demo_village
    from op.monitor_household h
    where h.village_code = '{demo_village}'
       or hash(h.id, 'demo case pick', getvariable('seed')) % 1000 < {PER_MILLE};
create temp table staged as
    select *, (((row_number() over (order by in_demo_village desc, k)) - 1) % 10)::integer as s,
           ((k // 10) % 12)::integer as j, ((k // 120) % 150)::integer as d,
           (1 + (k // 7) % 3)::integer as refused_at,
           {list_sql(RISKS)}[(k // 11) % {len(RISKS)} + 1] as risk
    from picked;
create temp table alerts as
    select row_number() over (order by household_id) + coalesce(
               (select max(id) from op.monitor_alert), 0) as id,
           household_id, village_code, {YEAR} as year, risk as risk_type,
           case risk {rules} end as rules,
           coalesce(case (case risk {rules} end) {sources} end, 'registry') as sources,
           s, j, d, refused_at, k, household_code, in_demo_village
    from staged;
create temp table proposed as
    -- Removal proposed (s 6, 7, 9) some days ago, by a household included long enough
    -- before it for its income to have held for the pack's stable months.
    select *, case s when 6 then getvariable('today')::date - j
                     when 7 then getvariable('today')::date - j - 4
                     when 9 then getvariable('today')::date - j - 38 end as proposed
    from alerts where s > 0;
create temp table story as
    select c.id as alert_id, c.household_id, c.village_code, c.risk_type, c.s, c.k,
           c.refused_at, c.in_demo_village, c.proposed,
           case when c.in_demo_village then 'demo_grid' else 'grid_' || c.village_code end
               as worker,
           {actor.format("village", ROLE_ACTORS["village"])} as village_actor,
           {actor.format("town", ROLE_ACTORS["town"])} as town_actor,
           {actor.format("district", ROLE_ACTORS["district"])} as district_actor,
           case when c.s between 1 and 4 then getvariable('today')::date - c.j - 3 * (c.s - 1)
                when c.s = 8 then getvariable('today')::date - c.j - 3 * (c.refused_at + 1)
                when c.s = 5 then getvariable('today')::date - 72 - c.d
                else c.proposed - 202 - c.d % 40 end as opened,
           case when c.s in (5, 6, 7, 9)
                then {list_sql(pack.monitoring.workflow.categories)}[(c.k // 17) % 3 + 1]
                end as category,
           case when c.s between 1 and 4 then c.s - 1 when c.s = 6 then 5 when c.s = 7 then 6
                else -1 end as open_step,
           case when c.s between 1 and 4 then c.s when c.s = 5 then 4 when c.s = 6 then 6
                when c.s = 8 then c.refused_at + 1 else 7 end as steps,
           ({line} * (120 + (c.k // 29) % 50) // 100)::decimal(14, 2) as follow_up_income
    from proposed c;
create temp table step_plan as
    select c.alert_id, i, {list_sql(CHAIN)}[i + 1] as step,
           case when i <= 3 then c.opened + 3 * i
                else c.proposed + 4 * greatest(i - 5, 0) end as started_on,
           case when i = c.open_step then null
                when i <= 3 then c.opened + 3 * (i + 1)
                else c.proposed + 4 * greatest(i - 4, 0) end as done_on,
           {step_limits_sql(pack)}[i + 1] as limit_days,
           case when i = c.open_step then ''
                when c.s = 8 and i = c.refused_at then 'refused' else 'passed' end as outcome,
           case when i = c.open_step then ''
                when i = 0 then '{VERIFY_NOTE}'
                when c.s = 8 and i = c.refused_at then '{NOT_INCLUDED_REASON}'
                when c.s = 9 and i = 6 then '{REMOVED_REASON}' else '' end as note,
           case when i = 0 then c.worker when i in (1, 4) then c.village_actor
                when i in (2, 5) then c.town_actor else c.district_actor end as actor
    from story c, (select unnest(range(0, 7))::integer as i) t where t.i < c.steps;
create temp table visit_plan as
    -- The verification visit, and for a household whose risk removal is proposed a visit
    -- soon after it was included and one just before the proposal.
    select c.alert_id, 0 as n, 'demo-verify-' || c.alert_id as client_key,
           s.done_on as visited_on, c.worker as visitor,
           null::decimal(14, 2) as per_capita_income, null::boolean as secure,
           c.risk_type as risks_found, '{VERIFY_NOTE}' as note, true as verifies
    from story c join step_plan s on s.alert_id = c.alert_id and s.i = 0
    where s.done_on is not null
    union all
    select c.alert_id, t.n, 'demo-follow-' || c.alert_id || '-' || t.n,
           case t.n when 1 then c.opened + 13 else c.proposed - 2 end, c.worker,
           c.follow_up_income, true, '', '{FOLLOW_UP_NOTE}', false
    from story c, (values (1), (2)) t(n) where c.s in (6, 7, 9);
"""


MEASURE_PLAN_SQL = """
alter table story add column has_labour boolean;
update story set has_labour = household_id in (select household_id from labour);
create temp table measure_plan as
    -- 一户一清单 on the day of inclusion: development help where there is labour, protection
    -- where not; some already done.
    select c.alert_id, m.n, m.kind, m.content, m.responsible,
           c.opened + 12 + 20 + ((c.k // (19 + m.n)) % 200)::int as due_on,
           c.opened + 12 as started_on,
           case when c.s = 9 or (c.k // (23 + m.n)) % 2 = 0
                then least(c.opened + 12 + 15 + ((c.k // (19 + m.n)) % 200)::int,
                           getvariable('today')::date) end as done_on,
           c.village_actor as actor
    from story c, (values
        (1, true, 'employment', '推荐到就业帮扶车间务工', '区人力社保局'),
        (2, true, 'industry', '发展特色种养，落实产业奖补', '乡镇农业服务中心'),
        (1, false, 'social_assistance', '纳入低保，按月发放', '区民政局'),
        (2, false, 'health', '家庭医生签约，落实医疗救助', '乡镇卫生院')
    ) m(n, for_labour, kind, content, responsible)
    where c.s in (5, 6, 7, 9) and m.for_labour = c.has_labour;
"""


def create_cases(
    engine: Engine, *, pack: Pack, seed: int, demo_village: str, today: date | None = None
) -> CaseCounts:
    """Add alerts and cases at every stage, with their steps, visits and measures."""
    day = today or calendar.today()
    # Rows are stamped with the build day, so that two builds on one day are identical.
    at = datetime(day.year, day.month, day.day, tzinfo=UTC)
    # As for the households: no pooled SQLite connection may hold the file while DuckDB writes.
    engine.dispose()
    con = connect(engine)
    try:
        con.execute(f"set variable seed = {int(seed)}")
        con.execute(f"set variable today = date '{day.isoformat()}'")
        con.execute("set variable now = getvariable('today')::timestamp")
        starts, limits, dues = zip(*dues_rows(pack, day), strict=True)
        table = pa.table({"start_on": starts, "days": limits, "due_on": dues})
        con.register("dues_rows", table)
        con.execute("create temp table dues as select * from dues_rows")
        con.unregister("dues_rows")
        con.execute(plan_sql(pack, demo_village))
        write_alerts(con)
        open_planned(engine, con, pack, at)
        con.execute(MEASURE_PLAN_SQL)
        write_history(engine, con, pack=pack, today=day)
        counts = CaseCounts(
            alerts=count(con, "alerts"),
            cases=count(con, "story"),
            measures=count(con, "measure_plan"),
        )
    finally:
        con.close()
    finish(engine, counts)
    return counts


def write_alerts(con: duckdb.DuckDBPyConnection) -> None:
    """The alerts as screening leaves them, open; then the operational database is let go."""
    con.execute("begin")
    con.execute(
        """insert into op.monitor_alert (id, household_id, village_code, year, risk_type, rules,
               sources, status, raised_at, screened_at)
           select id, household_id, village_code, year, risk_type, rules, sources, 'open',
                  getvariable('now'), getvariable('now') from alerts"""
    )
    con.execute("commit")
    con.execute("detach op")


def open_planned(engine: Engine, con: duckdb.DuckDBPyConnection, pack: Pack, at: datetime) -> None:
    """Open the planned cases through the workflow, with a grid worker in every village that
    needs one; then note in DuckDB each case's id and which included households have labour
    (as the district's inclusion works it out)."""
    planned = con.execute(
        "select alert_id, worker, opened from story order by household_id"
    ).fetchall()
    villages = con.execute(
        "select distinct village_code from story where not in_demo_village order by 1"
    ).fetchall()
    included = con.execute("select household_id from story where s in (5, 6, 7, 9)").fetchall()
    with transaction(make_sessionmaker(engine)) as session:
        create_grid_workers(session, [village for (village,) in villages])
        case_ids = opening.open_cases(
            session,
            scope=SYSTEM,
            openings=[Opening(alert, worker, day) for alert, worker, day in planned],
            pack=pack,
            at=at,
        )
        labour = workflow.households_with_labour(
            session, household_ids=[household for (household,) in included], year=YEAR, pack=pack
        )
    engine.dispose()
    load(con, "opened", alert_id=[alert for alert, _, _ in planned], case_id=case_ids)
    load(con, "labour", household_id=sorted(labour))


def load(con: duckdb.DuckDBPyConnection, name: str, **columns: list[int]) -> None:
    """A DuckDB table ``name`` of integer ``columns``."""
    table = pa.table({column: pa.array(values, pa.int64()) for column, values in columns.items()})
    con.register(f"{name}_rows", table)
    con.execute(f"create temp table {name} as select * from {name}_rows")
    con.unregister(f"{name}_rows")


CASE_FINAL_SQL = """
select o.case_id, c.s, c.category,
       case when c.s in (5, 6, 7, 9) then c.has_labour end as has_labour,
       coalesce(current.started_on, last.done_on)::varchar as step_started_on,
       current_due.due_on::varchar as step_due_on,
       case when c.s in (5, 6, 7, 9) then c.opened + 12 end::varchar as decided_on,
       case when c.s = 9 then last.done_on end::varchar as removed_on,
       c.s = 9 and not c.has_labour as tracked_after_removal,
       case when c.s in (8, 9) then closing.note end as reason
from story c join opened o using (alert_id)
left join step_plan current on current.alert_id = c.alert_id and current.done_on is null
left join dues current_due on current_due.start_on = current.started_on
    and current_due.days = current.limit_days
left join (select alert_id, max(done_on) as done_on from step_plan group by 1) last
    on last.alert_id = c.alert_id
-- Only conditions between the two sides in a join's ON: DuckDB then hashes it.
left join step_plan closing on closing.alert_id = c.alert_id and closing.i = c.steps - 1
where c.s >= 2
order by o.case_id
"""

VERIFIED_SQL = """
select o.case_id, s.done_on::varchar, s.actor, s.outcome, s.note
from step_plan s join opened o using (alert_id)
where s.i = 0 and s.done_on is not null
order by o.case_id
"""

STAGED_CASE = {
    "id": "integer primary key",
    "s": "integer",
    "category": "varchar(16)",
    "has_labour": "boolean",
    "step_started_on": "date",
    "step_due_on": "date",
    "decided_on": "date",
    "removed_on": "date",
    "tracked_after_removal": "boolean",
    "reason": "varchar(400)",
}
STAGED_VERIFIED = {
    "case_id": "integer primary key",
    "done_on": "date",
    "actor": "varchar(64)",
    "outcome": "varchar(16)",
    "note": "varchar(400)",
}

HISTORY_SQL = f"""
insert into op.monitor_case_step (id, case_id, step, started_on, due_on, done_on, actor, outcome,
        note)
    select row_number() over (order by o.case_id, s.i)
               + (select coalesce(max(id), 0) from op.monitor_case_step),
           o.case_id, s.step, s.started_on{{day}}, due.due_on{{day}}, s.done_on{{day}},
           case when s.done_on is not null then s.actor end, s.outcome, s.note
    from step_plan s join opened o using (alert_id)
    left join dues due on due.start_on = s.started_on and due.days = s.limit_days
    where s.i >= 1;
create temp table visit_row as
    select row_number() over (order by o.case_id, v.n)
               + (select coalesce(max(id), 0) from op.monitor_visit) as id,
           o.case_id, c.household_id, c.village_code, v.*
    from visit_plan v join story c using (alert_id) join opened o using (alert_id);
insert into op.monitor_visit (id, client_key, household_id, case_id, village_code, visitor,
        visited_on, per_capita_income, rigid_costs_resolved, education_secure, medical_secure,
        housing_secure, water_secure, risks_found, note, created_at)
    select id, client_key, household_id, case_id, village_code, visitor, visited_on{{day}},
           per_capita_income{{money}}, secure{{flag}}, secure{{flag}}, secure{{flag}},
           secure{{flag}}, secure{{flag}}, risks_found, note, getvariable('now'){{moment}}
    from visit_row;
-- Risks found on a visit are signals, as a department's are.
insert into op.monitor_signal (id, household_id, person_id, source, kind, signal_date, year,
        amount, days, detail)
    select row_number() over (order by id)
               + (select coalesce(max(id), 0) from op.monitor_signal),
           household_id, null, 'visit', risks_found, visited_on{{day}}, year(visited_on), null,
           null, left('走访 ' || id || '：' || note, 200)
    from visit_row where risks_found <> '';
create temp table measure_row as
    select row_number() over (order by o.case_id, m.n)
               + (select coalesce(max(id), 0) from op.monitor_measure) as id,
           o.case_id, c.village_code, m.*
    from measure_plan m join story c using (alert_id) join opened o using (alert_id);
insert into op.monitor_measure (id, case_id, village_code, kind, content, responsible, due_on,
        started_on, done_on, progress, created_by)
    select id, case_id, village_code, kind, content, responsible, due_on{{day}},
           started_on{{day}}, done_on{{day}},
           case when done_on is not null then '{DONE_NOTE}' else '' end, actor
    from measure_row;
insert into op.monitor_measure_progress (id, measure_id, recorded_on, actor, note, done)
    select row_number() over (order by id)
               + (select coalesce(max(id), 0) from op.monitor_measure_progress),
           id, done_on{{day}}, actor, '{DONE_NOTE}', true{{flag}}
    from measure_row where done_on is not null;
-- A household not included has its alerts closed with the case.
update op.monitor_alert set status = 'closed'
    where status = 'case' and household_id in (select household_id from story where s = 8);
"""

# DuckDB's SQLite writer binds text, integers and doubles more cheaply than it converts
# dates, booleans, decimals and timestamps, and SQLite stores the same either way (see
# households.SQLITE_CASTS).
SQLITE_CASTS = {"day": "::varchar", "flag": "::integer", "money": "::double", "moment": "::varchar"}
NO_CASTS = dict.fromkeys(SQLITE_CASTS, "")


def write_history(
    engine: Engine, con: duckdb.DuckDBPyConnection, *, pack: Pack, today: date
) -> None:
    """What happened to the opened cases afterwards, as planned: each step taken (with its
    due date from the pack) and where it left the case, the visits and the signals of the
    risks they found, the measures and their progress, the alerts closed with a case not
    included.

    The rows are those the services write for the same plan: ``visits.record_visit`` for
    the verification, ``workflow.take_step`` and ``workflow.include`` for the decisions,
    ``removal.propose``, ``measures.add`` and ``measures.record_progress``. New rows are
    copied by DuckDB; the cases and their first steps, which the workflow wrote, are
    updated by the operational database (DuckDB's SQLite writer cannot update dates).
    """
    attach_operational(con, engine)
    try:
        con.execute("begin")
        casts = SQLITE_CASTS if engine.dialect.name == "sqlite" else NO_CASTS
        con.execute(HISTORY_SQL.format(**casts))
        con.execute("commit")
    finally:
        con.execute("detach op")
    with transaction(make_sessionmaker(engine)) as session:
        with staged(session, "staged_case", STAGED_CASE, con.execute(CASE_FINAL_SQL).fetchall()):
            session.execute(text(CASE_UPDATE.format(states=states_sql())))
        with staged(
            session, "staged_verified", STAGED_VERIFIED, con.execute(VERIFIED_SQL).fetchall()
        ):
            session.execute(text(VERIFIED_UPDATE))
    engine.dispose()


CASE_UPDATE = """
UPDATE monitor_case SET state = {states}, category = f.category, has_labour = f.has_labour,
    step_started_on = f.step_started_on, step_due_on = f.step_due_on,
    decided_on = f.decided_on, removed_on = f.removed_on,
    tracked_after_removal = f.tracked_after_removal, reason = coalesce(f.reason, '')
FROM staged_case AS f WHERE monitor_case.id = f.id
"""
VERIFIED_UPDATE = """
UPDATE monitor_case_step SET done_on = f.done_on, actor = f.actor, outcome = f.outcome,
    note = f.note
FROM staged_verified AS f
WHERE monitor_case_step.case_id = f.case_id AND monitor_case_step.step = 'verify'
"""


def states_sql() -> str:
    """The state of stage ``f.s`` (see ``STAGES``)."""
    whens = " ".join(f"WHEN {n} THEN '{state}'" for n, state in enumerate(STAGES) if state)
    return f"CASE f.s {whens} END"


def count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"select count(*) from {table}").fetchone()
    return int(row[0]) if row else 0


def finish(engine: Engine, counts: CaseCounts) -> None:
    with transaction(make_sessionmaker(engine)) as session:
        if engine.dialect.name == "postgresql":
            for table in (
                "monitor_alert",
                "monitor_case_step",
                "monitor_visit",
                "monitor_signal",
                "monitor_measure",
                "monitor_measure_progress",
            ):
                session.execute(
                    text(
                        f"select setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"coalesce((select max(id) from {table}), 0) + 1, false)"
                    )
                )
        audit.record(
            session,
            scope=SYSTEM,
            action="demo.cases",
            target_type="demo",
            target_id="cases",
            region_code=None,
            detail=f"演示预警 {counts.alerts} 条、监测案件 {counts.cases} 件、帮扶措施 "
            f"{counts.measures} 项",
        )
