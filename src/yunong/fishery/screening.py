"""The retired fishers' signal in 防返贫 screening (``fishery_retired_no_work``).

A retired fisher not settled in work after retirement (no job, no business of their own, not
past working age) whose household's per-capita income is below the monitoring line times the
pack's ``fishery.screening.income_factor`` trips it, with the pack's risk type
(因务工就业不稳) and the source ``fishery``: the alert names both.
"""

from yunong.monitor import jobs
from yunong.policy.schema import Pack

RULE_ID = "fishery_retired_no_work"
SETTLED = ("job", "business", "retired")


def signal_sql(pack: Pack, year: int) -> str:
    rules = pack.fishery
    if rules is None:
        return "select null, null, null where false"
    line = pack.monitoring.line_for(year) * rules.screening.income_factor
    settled = ", ".join(f"'{kind}'" for kind in SETTLED)
    return f"""
        select distinct f.household_id, '{rules.screening.risk_type}', 'fishery'
        from op.fishery_fisher f join hy using (household_id)
        where f.employment not in ({settled}) and hy.per_capita_income < {float(line)}"""


jobs.register_signal(RULE_ID, signal_sql)
