"""`yunong governance …`: matters routed by 三事分流 and each town's monthly summary; cadres
stationed in villages and their coverage per district."""

import json
from dataclasses import asdict
from datetime import date
from typing import Annotated

import typer

from yunong.cli_support import err, friendly_errors, operator, out, session_factory
from yunong.core.parsing import parse_date
from yunong.governance import cadres, matters
from yunong.policy import loader as policy
from yunong.policy.schema import Governance
from yunong.store.db import transaction

governance_app = typer.Typer(help="基层治理：三事分流、驻村干部", no_args_is_help=True)
matters_app = typer.Typer(help="三事分流的事项", no_args_is_help=True)
cadres_app = typer.Typer(help="驻村第一书记、工作队、指导员", no_args_is_help=True)
governance_app.add_typer(matters_app, name="matters")
governance_app.add_typer(cadres_app, name="cadres")
JSON_OPTION = typer.Option("--json", help="以 JSON 输出结果")


def rules() -> Governance:
    section = policy.get().governance
    if section is None:
        raise typer.BadParameter("政策包没有基层治理（governance）一节")
    return section


@matters_app.command("report")
@friendly_errors
def report_matter(
    village: Annotated[str, typer.Option("--village", help="村的代码")],
    kind: Annotated[str, typer.Option("--kind", help="大事、小事或私事")],
    text: Annotated[str, typer.Option("--text", help="反映的事项")],
    reporter: Annotated[str, typer.Option("--reporter", help="反映人")],
    source: Annotated[str, typer.Option(help="resident（村民）或 grid（网格员）")] = "grid",
    sector: Annotated[str, typer.Option(help="大事分派的板块，如 民生服务")] = "",
    guidance: Annotated[str, typer.Option(help="私事给出的指导意见")] = "",
    day: Annotated[str, typer.Option("--date", help="反映日期")] = "",
) -> None:
    """登记一件事项并按三事分流分派：大事到乡镇（街道）指挥中心的板块，小事到村，私事当场给出指导意见。"""
    matter_in = matters.MatterIn(
        village, kind, text, reporter, source, sector, guidance, parse_date(day) if day else None
    )
    with transaction(session_factory()) as session:
        matter = matters.report(session, scope=operator(), rules=rules(), matter_in=matter_in)
        number, handled, due = matter.number, matter.handled_by, matter.due_on
    out.print(f"事项 {number}：由 {handled} 办理，期限 {due}", highlight=False)


@matters_app.command("close")
@friendly_errors
def close_matter(
    number: Annotated[str, typer.Argument(help="事项编号")],
    feedback: Annotated[str, typer.Option("--feedback", help="办理结果（反馈给反映人）")],
    day: Annotated[str, typer.Option("--date", help="办结日期")] = "",
) -> None:
    """办结一件大事或小事。"""
    with transaction(session_factory()) as session:
        matters.close(
            session, scope=operator(), number=number, feedback=feedback,
            closed_on=parse_date(day) if day else None,
        )  # fmt: skip
    out.print(f"事项 {number} 已办结", highlight=False)


@matters_app.command("summary")
@friendly_errors
def summary(
    town: Annotated[str, typer.Option("--town", help="乡镇（街道）的代码")],
    month: Annotated[str, typer.Option("--month", help="月份，如 2024-05")],
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """某乡镇（街道）某月反映的事项，按大事、小事、私事：反映、办结、按时办结、未办结、逾期。"""
    with transaction(session_factory()) as session:
        rows = matters.monthly_summary(session, scope=operator(), town=town, month=month)
    if as_json:
        typer.echo(json.dumps([asdict(row) for row in rows], ensure_ascii=False))
        return
    for row in rows:
        out.print(
            f"{matters.KIND_LABELS[row.kind]}：反映 {row.reported}，办结 {row.closed}"
            f"（按时 {row.closed_in_time}），未办结 {row.open}，逾期 {row.overdue}",
            highlight=False,
        )


@cadres_app.command("add")
@friendly_errors
def add_cadre(
    village: Annotated[str, typer.Option("--village", help="村的代码")],
    name: Annotated[str, typer.Option("--name", help="姓名")],
    role: Annotated[str, typer.Option("--role", help="第一书记、驻村工作队员或乡村振兴指导员")],
    unit: Annotated[str, typer.Option("--unit", help="派出单位")],
    starts: Annotated[str, typer.Option("--from", help="驻村开始日期")],
    ends: Annotated[str, typer.Option("--to", help="驻村结束日期")] = "",
) -> None:
    """登记驻村干部。"""
    cadre_in = cadres.CadreIn(village, name, role, unit, starts, ends)
    with transaction(session_factory()) as session:
        cadres.station(session, scope=operator(), cadre_in=cadre_in)
    out.print(f"已登记 {name}（{village}）", highlight=False)


@cadres_app.command("coverage")
@friendly_errors
def show_coverage(
    day: Annotated[str, typer.Option("--date", help="日期，默认今天")] = "",
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """各区县行政村中有驻村第一书记或乡村振兴指导员的村数与比例（目标全覆盖）。"""
    on = parse_date(day) if day else date.today()
    with transaction(session_factory()) as session:
        rows = cadres.coverage(session, scope=operator(), on=on)
    if as_json:
        data = [asdict(row) | {"share": round(row.share, 1)} for row in rows]
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    target = rules().stationed_target
    for row in rows:
        out.print(
            f"{row.name}：{row.covered}/{row.villages} 村（{row.share:.1f}%，目标 {target:g}%）",
            highlight=False,
        )


__all__ = ["err", "governance_app"]
