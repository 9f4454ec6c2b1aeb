"""Demo monitoring cases (防返贫监测): cases at every stage of the workflow, some overdue.

About three households in a hundred, and every household of the demo village, get an
alert; nine in ten of those a case, spread evenly over the stages from 入户核实 to
风险消除 (and 未纳入). Dates count back from the day of the build, so the warnings are
green, yellow and red when the demo is opened. Everything is generated set-based in
DuckDB and written straight into the operational database in one transaction; due dates
come from a small table of working days worked out in Python.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
from sqlalchemy import Engine, text

from yunong.core.audit import service as audit
from yunong.core.identity.codes import Kind
from yunong.core.identity.sql import code_sql
from yunong.core.scope import Scope
from yunong.demo.households import connect
from yunong.monitor import calendar
from yunong.monitor.workflow import STEPS
from yunong.policy.schema import Pack
from yunong.store.db import make_sessionmaker, transaction

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
ACTORS = ["demo_grid", "demo_village", "demo_town", "demo_district"] + [
    "demo_village",
    "demo_town",
    "demo_district",
]
ROLE_NAMES = ["网格员", "村干部", "乡镇干部", "区县干部", "村干部", "乡镇干部", "区县干部"]
"""Who took each step of the chain, outside the demo village whose accounts are real."""
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
HORIZON = 240
"""Days back from the build that any step of a demo case may start."""


@dataclass(frozen=True)
class CaseCounts:
    alerts: int
    cases: int
    measures: int


def dues_rows(pack: Pack, today: date) -> list[tuple[date, int, date]]:
    """(start, working days, due date) for every start the demo uses and every limit."""
    limits = set(pack.monitoring.workflow.step_days.values()) | {
        pack.monitoring.workflow.identification_days
    }
    return [
        (
            today - timedelta(days=back),
            days,
            calendar.add_working_days(today - timedelta(days=back), days),
        )
        for back in range(HORIZON + 1)
        for days in sorted(limits)
    ]


def list_sql(values: list[str]) -> str:
    return "[" + ", ".join(f"'{value}'" for value in values) + "]"


def setup_sql(pack: Pack, demo_village: str) -> str:
    limits = pack.monitoring.workflow.step_days
    step_limits = "[" + ", ".join(str(limits.get(name, 0)) for name in CHAIN) + "]"
    rules = " ".join(f"when '{risk}' then '{rule}'" for risk, rule in RULES.items())
    sources = " ".join(f"when '{rule}' then '{source}'" for rule, source in SOURCES.items())
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
           household_id, village_code, 2024 as year, risk as risk_type,
           case risk {rules} end as rules,
           coalesce(case (case risk {rules} end) {sources} end, 'registry') as sources,
           case when s = 0 then 'open' when s in (8, 9) then 'closed' else 'case' end as status,
           s, j, d, refused_at, k, household_code, in_demo_village
    from staged;
create temp table cases as
    select a.*, row_number() over (order by a.household_id) + coalesce(
               (select max(id) from op.monitor_case), 0) as case_id,
           row_number() over (partition by a.village_code order by a.household_id)
               + coalesce(serial.last_serial, 0) as serial,
           getvariable('today')::date - 60 - a.d as decided,
           case when a.s between 1 and 4 then getvariable('today')::date - a.j - 3 * (a.s - 1)
                when a.s = 8 then getvariable('today')::date - a.j - 3 * (a.refused_at + 1)
                else getvariable('today')::date - 72 - a.d end as opened,
           case a.s when 6 then getvariable('today')::date - a.j
                    when 7 then getvariable('today')::date - a.j - 4
                    when 9 then getvariable('today')::date - a.j - 38 end as proposed,
           case when a.s between 1 and 4 then a.s - 1 when a.s = 6 then 5 when a.s = 7 then 6
                else -1 end as open_step,
           case when a.s between 1 and 4 then a.s when a.s = 5 then 4 when a.s = 6 then 6
                when a.s = 8 then a.refused_at + 1 else 7 end as steps,
           (a.k // 13) % 3 <> 0 as has_labour
    from alerts a
    left join op.identity_serial serial on serial.kind = 'E' and serial.region_code = a.village_code
    where a.s > 0;
create temp table steps as
    select c.case_id, i, {list_sql(CHAIN)}[i + 1] as step,
           case when i <= 3 then c.opened + 3 * i
                else c.proposed + 4 * greatest(i - 5, 0) end as started_on,
           case when i = c.open_step then null
                when i <= 3 then c.opened + 3 * (i + 1)
                else c.proposed + 4 * greatest(i - 4, 0) end as done_on,
           {step_limits}[i + 1] as limit_days,
           case when i = c.open_step then ''
                when c.s = 8 and i = c.refused_at then 'refused' else 'passed' end as outcome,
           case when c.in_demo_village then {list_sql(ACTORS)}[i + 1]
                else {list_sql(ROLE_NAMES)}[i + 1]
                end as actor
    from cases c, (select unnest(range(0, 7))::integer as i) t where t.i < c.steps;
"""


INSERT_SQL = """
insert into op.monitor_alert (id, household_id, village_code, year, risk_type, rules, sources,
        status, raised_at, screened_at)
    select id, household_id, village_code, year, risk_type, rules, sources, status,
           getvariable('now'), getvariable('now') from alerts;
insert into op.identity_code (code, kind, entity_type, entity_id, region_code, issued_at)
    select {code}, 'E', 'monitor_case', c.case_id::varchar, c.village_code, getvariable('now')
    from cases c;
insert into op.monitor_case (id, code, household_id, village_code, year, state, risk_types,
        category, has_labour, assigned_to, opened_on, identification_due_on, step_started_on,
        step_due_on, decided_on, removed_on, tracked_after_removal, reason, created_at)
    select c.case_id, {code}, c.household_id, c.village_code, 2024,
           {stages}[c.s + 1], c.risk_type,
           case when c.s between 5 and 9 and c.s <> 8
                then ['脱贫不稳定户', '边缘易致贫户', '突发严重困难户'][(c.k // 17) % 3 + 1] end,
           case when c.s between 5 and 9 and c.s <> 8 then c.has_labour end,
           case when c.in_demo_village then 'demo_grid' else '网格员' end,
           c.opened, ident.due_on,
           coalesce(current.started_on, last.done_on),
           current_due.due_on,
           case when c.s >= 5 and c.s <> 8 then c.decided end,
           case when c.s = 9 then last.done_on end,
           c.s = 9 and not c.has_labour,
           case when c.s = 8 then '经核实，家庭收入稳定在监测线以上，不符合纳入条件'
                when c.s = 9 then '收入持续稳定，“三保障”和饮水安全有保障' else '' end,
           getvariable('now')
    from cases c
    join dues ident on ident.start_on = c.opened and ident.days = {identification_days}
    left join steps current on current.case_id = c.case_id and current.done_on is null
    left join dues current_due on current_due.start_on = current.started_on
        and current_due.days = current.limit_days
    left join (select case_id, max(done_on) as done_on from steps group by 1) last
        on last.case_id = c.case_id;
insert into op.identity_link (from_code, relation, to_code, created_at)
    select c.household_code, 'case', {code}, getvariable('now') from cases c;
insert into op.monitor_case_step (id, case_id, step, started_on, due_on, done_on, actor, outcome,
        note)
    select row_number() over (order by s.case_id, s.i) + coalesce(
               (select max(id) from op.monitor_case_step), 0),
           s.case_id, s.step, s.started_on, due.due_on, s.done_on,
           case when s.done_on is not null then s.actor end, s.outcome,
           case when s.outcome = 'refused' then '不符合纳入条件' else '' end
    from steps s left join dues due on due.start_on = s.started_on and due.days = s.limit_days
        and s.limit_days > 0;
insert into op.monitor_visit (id, client_key, household_id, case_id, village_code, visitor,
        visited_on, risks_found, note, created_at)
    select row_number() over (order by s.case_id) + coalesce(
               (select max(id) from op.monitor_visit), 0),
           'demo-verify-' || s.case_id, c.household_id, c.case_id, c.village_code, s.actor,
           s.done_on, c.risk_type, '入户核实：情况属实', getvariable('now')
    from steps s join cases c using (case_id) where s.step = 'verify' and s.done_on is not null;
insert into op.monitor_measure (id, case_id, village_code, kind, content, responsible, due_on,
        started_on, done_on, progress, created_by)
    select row_number() over (order by c.case_id, m.n) + coalesce(
               (select max(id) from op.monitor_measure), 0),
           c.case_id, c.village_code, kind, content, responsible,
           c.decided + 20 + ((c.k // (19 + m.n)) % 200)::int as due_on, c.decided,
           case when c.s = 9 or (c.k // (23 + m.n)) % 2 = 0
                then least(c.decided + 15 + ((c.k // (19 + m.n)) % 200)::int,
                           getvariable('today')::date) end,
           '', 'demo_village'
    from cases c,
         (select * from (values
             (1, true, 'employment', '推荐到就业帮扶车间务工', '区人力社保局'),
             (2, true, 'industry', '发展特色种养，落实产业奖补', '乡镇农业服务中心'),
             (1, false, 'social_assistance', '纳入低保，按月发放', '区民政局'),
             (2, false, 'health', '家庭医生签约，落实医疗救助', '乡镇卫生院')
          ) t(n, for_labour, kind, content, responsible)) m
    where c.s in (5, 6, 7, 9) and m.for_labour = c.has_labour;
delete from op.identity_serial where kind = 'E' and region_code in (select village_code from cases);
insert into op.identity_serial (kind, region_code, last_serial)
    select 'E', village_code, max(serial) from cases group by village_code order by 1, 2;
"""


def create_cases(
    engine: Engine, *, pack: Pack, seed: int, demo_village: str, today: date | None = None
) -> CaseCounts:
    """Add alerts, cases, their steps, visits and measures to the demo database."""
    day = today or calendar.today()
    # As for the households: no pooled SQLite connection may hold the file while DuckDB writes.
    engine.dispose()
    con = connect(engine)
    try:
        con.execute(f"set variable seed = {int(seed)}")
        con.execute(f"set variable today = date '{day.isoformat()}'")
        # Rows are stamped with the build day, so that two builds on one day are identical.
        con.execute("set variable now = getvariable('today')::timestamp")
        con.execute("create temp table dues (start_on date, days integer, due_on date)")
        con.executemany("insert into dues values (?, ?, ?)", dues_rows(pack, day))
        con.execute(setup_sql(pack, demo_village))
        statements = INSERT_SQL.format(
            code=code_sql("c.village_code", "c.serial", kind=Kind.EVENT),
            stages=list_sql(list(STAGES)),
            identification_days=pack.monitoring.workflow.identification_days,
        )
        con.execute("begin")
        con.execute(statements)
        con.execute("commit")
        counts = CaseCounts(
            alerts=count(con, "alerts"),
            cases=count(con, "cases"),
            measures=count(con, "op.monitor_measure"),
        )
    finally:
        con.close()
    finish(engine, counts)
    return counts


def count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"select count(*) from {table}").fetchone()
    return int(row[0]) if row else 0


def finish(engine: Engine, counts: CaseCounts) -> None:
    with transaction(make_sessionmaker(engine)) as session:
        if engine.dialect.name == "postgresql":
            for table in (
                "monitor_alert",
                "monitor_case",
                "monitor_case_step",
                "monitor_visit",
                "monitor_measure",
            ):
                session.execute(
                    text(
                        f"select setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"coalesce((select max(id) from {table}), 0) + 1, false)"
                    )
                )
        audit.record(
            session,
            scope=Scope.system("demo"),
            action="code.issue",
            target_type="demo",
            target_id="cases",
            region_code=None,
            detail=f"演示预警 {counts.alerts} 条、监测案件 {counts.cases} 件、帮扶措施 "
            f"{counts.measures} 项，签发{Kind.EVENT.label}类全农码 {counts.cases} 个",
        )
