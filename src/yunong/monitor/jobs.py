"""Screening: every rule of the pack over every household, as set-based SQL in DuckDB.

Each rule is one SELECT returning (household, rule, source) for the households
it trips; thresholds come from the policy pack. The union is grouped by
household and risk type, so several rules or sources pointing at one risk make
one alert, and alerts are upserted, so screening twice creates no duplicates.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import duckdb
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from yunong import apps
from yunong.core.audit import service as audit
from yunong.core.scope import Scope
from yunong.monitor.models import Alert
from yunong.policy.schema import MonitoringRule, Pack
from yunong.store import analytics
from yunong.store.base import utcnow
from yunong.store.bulk import chunks, upsert_for
from yunong.store.db import make_sessionmaker, transaction

# Each rule: SQL over the working tables below, selecting household_id and source.
# {line}, {share}, {amount}, {factor}, {days} are filled from the pack; {year} from the run.
RULES: dict[str, str] = {
    "income_below_line": """
        select household_id, 'registry' as source from hy where per_capita_income < {line}""",
    "income_sharp_fall": """
        select hy.household_id, 'registry' from hy join prev using (household_id)
        where prev.per_capita_income > 0 and hy.per_capita_income < {line} * {factor}
          and hy.per_capita_income <= prev.per_capita_income * (1 - {share})""",
    "medical_cost_high": """
        select m.household_id, 'registry' from (
            select household_id, sum(medical_out_of_pocket) as spent from py group by 1) m
        join hy using (household_id)
        where m.spent >= {amount} or (hy.net_income > 0 and m.spent >= {share} * hy.net_income)
        union all
        select s.household_id, 'medical_insurance' from (
            select household_id, sum(amount) as spent from sig
            where source = 'medical_insurance' and kind = 'illness' group by 1) s
        left join hy using (household_id)
        where s.spent >= {amount} or (hy.net_income > 0 and s.spent >= {share} * hy.net_income)""",
    "education_burden": """
        select distinct py.household_id, 'registry' from py join hy using (household_id)
        where py.student and hy.per_capita_income < {line} * {factor}""",
    "disability_burden": """
        select distinct py.household_id, 'registry' from py join hy using (household_id)
        where py.disabled and hy.per_capita_income < {line} * {factor}""",
    # 待定级: the roster says the household was hit without saying how badly; the visit grades it.
    "disaster_loss": """
        select household_id, 'registry' from hy where disaster in ('一般', '严重', '待定级')
        union all
        select household_id, 'disaster' from sig where source = 'disaster'
        group by household_id having sum(amount) >= {amount}""",
    "accident": """
        select household_id, 'medical_insurance' from sig
        where source = 'medical_insurance' and kind = 'accident'
        group by household_id having sum(amount) >= {amount}""",
    "housing_unsafe": """
        select household_id, 'housing' from (
            select household_id, kind, row_number() over (
                partition by household_id order by signal_date desc, id desc) as newest
            from op.monitor_signal where source = 'housing' and year <= {year})
        where newest = 1 and kind in ('grade_c', 'grade_d')""",
    "water_unsafe": """
        select distinct household_id, 'water' from sig where source = 'water'
        and (kind in ('quality', 'quantity', 'distance') or (kind = 'cut' and days >= {days}))""",
    "work_lost": """
        select distinct household_id, 'employment' from sig
        where source = 'employment' and kind in ('unemployed', 'returned')""",
    "no_labour": """
        select hy.household_id, 'registry' from hy
        where hy.per_capita_income < {line} * {factor} and not exists (
            select 1 from py where py.household_id = hy.household_id
            and not py.student and not py.disabled
            and py.age between {working_from} and {working_to})""",
    "civil_assistance": """
        select distinct household_id, 'civil_affairs' from sig
        where source = 'civil_affairs' and kind in ('dibao', 'tekun', 'dibao_edge')""",
}

SignalSql = Callable[[Pack, int], str]
SIGNALS: dict[str, SignalSql] = {}
"""Screening signals other applications add, by rule id (e.g. ``fishery_retired_no_work``):
a function of the pack and the year giving SQL over the working tables below and ``op.*``
that selects (household_id, risk_type, source). Registered when the application's indicator
module is imported, as the computed indicators are."""


def register_signal(rule_id: str, sql_of: SignalSql) -> None:
    SIGNALS[rule_id] = sql_of


def signal_parts(pack: Pack, year: int) -> list[str]:
    apps.load_indicators()
    return [
        f"select household_id, '{rule_id}' as rule_id, risk_type, source "
        f"from ({sql_of(pack, year)}) as signalled(household_id, risk_type, source)"
        for rule_id, sql_of in sorted(SIGNALS.items())
    ]


# The human channels: a household's own report and a cadre's visit name the risk type
# themselves (checked when they are recorded), so they need no threshold from the pack.
REPORTED = """
    select household_id, 'reported_' || source as rule_id, kind as risk_type, source
    from sig where source in ('self_report', 'visit')"""

# The households in scope, their region prefix bound as a parameter (see Scope.sql).
HOUSEHOLD_YEARS = """
    create temp table hy as
        select y.household_id, y.net_income::double as net_income,
               y.per_capita_income::double as per_capita_income, y.disaster, h.village_code
        from op.monitor_household_year y join op.monitor_household h on h.id = y.household_id
        where y.year = {year} and {inside}"""

WORKING_TABLES = """
    create temp table prev as
        select household_id, per_capita_income::double as per_capita_income
        from op.monitor_household_year where year = {year} - 1;
    create temp table py as
        select p.household_id, y.disabled::boolean as disabled, y.student::boolean as student,
               y.medical_out_of_pocket::double as medical_out_of_pocket,
               {year} - year(p.birth_date::date) as age
        from op.monitor_person_year y join op.monitor_person p on p.id = y.person_id
        where y.year = {year} and (p.left_year is null or p.left_year > {year})
          and p.household_id in (select household_id from hy);
    create temp table sig as
        select household_id, source, kind, amount::double as amount, days
        from op.monitor_signal
        where year = {year} and household_id in (select household_id from hy);
"""


Risk = tuple[int, str, str, str, str]
"""household id, village code, risk type, rules, sources"""


@dataclass(frozen=True)
class ScreenReport:
    households: int
    alerts: int
    new_alerts: int
    by_risk: dict[str, int]


def rule_sql(rule_id: str, rule: MonitoringRule, pack: Pack, year: int) -> str:
    monitoring = pack.monitoring
    values: dict[str, Any] = {
        "line": monitoring.line_for(year),
        "year": year,
        "share": rule.share,
        "amount": rule.amount,
        "factor": rule.factor,
        "days": rule.days,
        "working_from": monitoring.working_age[0],
        "working_to": monitoring.working_age[1],
    }
    body = RULES[rule_id].format(**values)
    return (
        f"select household_id, '{rule_id}' as rule_id, '{rule.risk_type}' as risk_type, "
        f"source from ({body}) as tripped(household_id, source)"
    )


def screening_sql(pack: Pack, year: int) -> str:
    """One query: every enabled rule, grouped into one row per household and risk type."""
    unknown = set(pack.monitoring.rules) - set(RULES)
    if unknown:
        raise KeyError(f"策略包中的规则 {'、'.join(sorted(unknown))} 没有对应的筛查实现")
    parts = [
        rule_sql(rule_id, rule, pack, year)
        for rule_id, rule in pack.monitoring.rules.items()
        if rule.enabled
    ] + [REPORTED, *signal_parts(pack, year)]
    return f"""
        select t.household_id, hy.village_code, t.risk_type,
               string_agg(distinct t.rule_id, ',' order by t.rule_id) as rules,
               string_agg(distinct t.source, ',' order by t.source) as sources
        from ({" union all ".join(parts)}) t join hy using (household_id)
        group by t.household_id, hy.village_code, t.risk_type
        order by t.household_id, t.risk_type"""


def find_risks(con: duckdb.DuckDBPyConnection, pack: Pack, year: int, scope: Scope) -> list[Risk]:
    inside = scope.sql("h.village_code")
    con.execute(HOUSEHOLD_YEARS.format(year=year, inside=inside.text), inside.parameters)
    con.execute(WORKING_TABLES.format(year=year))
    return cast(list[Risk], con.execute(screening_sql(pack, year)).fetchall())


def screen(
    engine: Engine,
    *,
    scope: Scope,
    pack: Pack,
    year: int,
    progress: Callable[[str], None] | None = None,
) -> ScreenReport:
    """Run every rule for ``year`` over the households in scope and write the alerts."""
    note = progress or (lambda _message: None)
    con = analytics.connect(engine.url.render_as_string(hide_password=False))
    try:
        note("筛查规则运行中")
        risks = find_risks(con, pack, year, scope)
        households = con.execute("select count(*) from hy").fetchone()[0]  # type: ignore[index]
    finally:
        con.close()
    note(f"写入 {len(risks)} 条预警")
    with transaction(make_sessionmaker(engine)) as session:
        new_alerts = upsert_alerts(session, scope=scope, risks=risks, year=year)
        audit.record(
            session,
            scope=scope,
            action="monitor.screen",
            target_type="year",
            target_id=year,
            region_code=scope.region_code,
            detail=f"{households} 户，预警 {len(risks)} 条（新增 {new_alerts} 条）",
        )
    by_risk: dict[str, int] = {}
    for _, _, risk_type, _, _ in risks:
        by_risk[risk_type] = by_risk.get(risk_type, 0) + 1
    return ScreenReport(households, len(risks), new_alerts, by_risk)


def upsert_alerts(session: Session, *, scope: Scope, risks: list[Risk], year: int) -> int:
    """Insert new alerts, refresh the rules and sources of known ones; return how many are new.

    ``risks`` are of households in ``scope``, so only the alerts in it can be known ones."""
    known = scope.filter(
        select(Alert.household_id, Alert.risk_type).where(Alert.year == year), Alert.village_code
    )
    existing = set(session.execute(known).tuples())
    upsert = upsert_for(session)
    now = utcnow()
    rows = [
        {
            "household_id": hid,
            "village_code": village,
            "year": year,
            "risk_type": risk,
            "rules": rules,
            "sources": sources,
            "status": "open",
            "raised_at": now,
            "screened_at": now,
        }
        for hid, village, risk, rules, sources in risks
    ]
    statement = upsert(Alert)
    for chunk in chunks(rows):
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["household_id", "year", "risk_type"],
                set_={
                    "rules": statement.excluded.rules,
                    "sources": statement.excluded.sources,
                    "screened_at": statement.excluded.screened_at,
                },
            ),
            list(chunk),
        )
    return sum(1 for hid, _, risk, _, _ in risks if (hid, risk) not in existing)
