"""The lists of 防返贫监测 as rows for xlsx export, inside the caller's scope; ID numbers masked."""

from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.masking import mask_id_number
from yunong.core.scope import Scope
from yunong.monitor import alerts, calendar, households, measures, problems, reports, workflow
from yunong.policy import loader as policy

EXPORTS = {
    "alerts": "预警",
    "cases": "监测案件",
    "problems": "动态清零问题",
    "self-reports": "自主申报",
    "measures": "帮扶措施",
}
"""Each list's name in the address and the file name it is saved under."""


def rows(session: Session, scope: Scope, name: str) -> tuple[list[str], list[list[object]]]:
    """The header and the rows of list ``name`` inside ``scope``."""
    pack = policy.get()
    if name == "alerts":
        found = alerts.get_open(session, scope=scope, limit=100_000)
        codes = households.codes_of(
            session, scope=scope, household_ids=[a.household_id for a in found]
        )
        return ["预警编号", "农户全农码", "村代码", "年度", "风险类型", "规则", "来源"], [
            [
                a.id,
                codes[a.household_id],
                a.village_code,
                a.year,
                a.risk_type,
                a.rules,
                a.sources,
            ]
            for a in found
        ]
    if name == "cases":
        today = calendar.today()
        cases = workflow.get_all(session, scope=scope, limit=100_000)
        codes = households.codes_of(
            session, scope=scope, household_ids=[case.household_id for case in cases]
        )
        rows = []
        for case in cases:
            warning = workflow.warning(case, pack=pack, today=today)
            rows.append(
                [
                    case.code,
                    codes[case.household_id],
                    case.village_code,
                    workflow.State(case.state).label,
                    case.category or "",
                    case.risk_types,
                    case.opened_on,
                    case.step_due_on,
                    warning.label,
                ]
            )
        return [
            "案件全农码",
            "农户全农码",
            "村代码",
            "状态",
            "类别",
            "风险类型",
            "开始日期",
            "本步时限",
            "预警",
        ], rows
    if name == "problems":
        return ["问题", "事项", "区划", "农户全农码", "时限", "超时工作日", "责任"], [
            [p.label, p.what, p.region, p.household_code, p.due_on, p.age, p.owner]
            for p in problems.get_all(session, scope=scope, limit=100_000)
        ]
    if name == "self-reports":
        return ["受理编号", "村代码", "姓名", "证件号码", "困难类型", "情况", "申报日期"], [
            [
                r.reference,
                r.village_code,
                r.name,
                mask_id_number(r.id_number),
                r.risk_type,
                r.what_happened,
                r.received_on,
            ]
            for r in reports.get_all(session, scope=scope, limit=100_000)
        ]
    kinds = pack.monitoring.workflow.measure_kinds
    cases = workflow.get_all(session, scope=scope, limit=100_000)
    codes = {case.id: case.code for case in cases}
    return ["案件全农码", "类别", "措施", "责任单位或责任人", "开始", "时限", "完成", "进展"], [
        [
            codes[m.case_id],
            kinds.get(m.kind, m.kind),
            m.content,
            m.responsible,
            m.started_on,
            m.due_on,
            m.done_on,
            m.progress,
        ]
        for m in measures.measures_of(session, list(codes))
    ]


def export(session: Session, scope: Scope, name: str) -> tuple[list[str], list[list[object]]]:
    """The rows of list ``name``, as :func:`rows` gives them, recorded as an export."""
    headers, found = rows(session, scope, name)
    audit.record_export(session, scope=scope, action="monitor.export", what=name, rows=len(found))
    return headers, found
