"""`yunong governance …`: matters routed by 三事分流 and each town's monthly summary; cadres
stationed in villages and their coverage per district; grids and their households; points
for good conduct (积分制) and the points shop."""

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from yunong.cli_support import (
    MaxMb,
    MaxRows,
    err,
    friendly_errors,
    import_limits,
    operator,
    out,
    session_factory,
)
from yunong.core import files
from yunong.core.parsing import parse_date
from yunong.governance import cadres, grid_import, grids, matters, points
from yunong.policy import loader as policy
from yunong.policy.schema import Governance
from yunong.store.db import transaction

governance_app = typer.Typer(
    help="基层治理：三事分流、驻村干部、网格、积分制", no_args_is_help=True
)
matters_app = typer.Typer(help="三事分流的事项", no_args_is_help=True)
cadres_app = typer.Typer(help="驻村第一书记、工作队、指导员", no_args_is_help=True)
governance_app.add_typer(matters_app, name="matters")
governance_app.add_typer(cadres_app, name="cadres")
grids_app = typer.Typer(help="网格与网格中的农户", no_args_is_help=True)
points_app = typer.Typer(help="积分制：登记、审核、公布、兑换", no_args_is_help=True)
governance_app.add_typer(grids_app, name="grids")
governance_app.add_typer(points_app, name="points")
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


@matters_app.command("class")
@friendly_errors
def class_matter(
    number: Annotated[str, typer.Argument(help="事项编号")],
    kind: Annotated[str, typer.Option("--kind", help="大事、小事或私事")],
    sector: Annotated[str, typer.Option(help="大事分派的板块，如 民生服务")] = "",
    guidance: Annotated[str, typer.Option(help="私事给出的指导意见")] = "",
) -> None:
    """为群众在公开页面反映的事项分类，并按三事分流分派。"""
    with transaction(session_factory()) as session:
        matter = matters.classify(
            session, scope=operator(), rules=rules(), number=number, kind=kind, sector=sector,
            guidance=guidance,
        )  # fmt: skip
        handled, due = matter.handled_by, matter.due_on
    out.print(f"事项 {number}：由 {handled} 办理，期限 {due}", highlight=False)


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


@grids_app.command("add")
@friendly_errors
def add_grid(
    village: Annotated[str, typer.Option("--village", help="村的代码")],
    name: Annotated[str, typer.Option("--name", help="网格名称")],
    worker: Annotated[str, typer.Option("--worker", help="网格员的账号（本村的网格员）")],
    boundary: Annotated[
        Path | None, typer.Option("--boundary", help="网格范围（GeoJSON 面），可不填")
    ] = None,
) -> None:
    """在村内划分网格，指定网格员。"""
    text = boundary.read_text(encoding="utf-8") if boundary else ""
    with transaction(session_factory()) as session:
        grid = grids.create(
            session, scope=operator(), grid_in=grids.GridIn(village, name, worker, text)
        )
        grid_id = grid.id
    out.print(f"已新建网格“{name}”（编号 {grid_id}），网格员 {worker}", highlight=False)


@grids_app.command("assign")
@friendly_errors
def assign_households(
    grid_id: Annotated[int, typer.Argument(help="网格编号")],
    households: Annotated[list[str], typer.Argument(help="农户的全农码或本村户编号")],
) -> None:
    """把农户划入网格；已在其他网格的农户调整到此网格（记录调整人与时间）。"""
    with transaction(session_factory()) as session:
        scope = operator()
        grid = grids.get(session, scope=scope, grid_id=grid_id)
        done = grids.assign(session, scope=scope, grid=grid, keys=households)
    out.print(
        f"划入 {done.assigned} 户，从其他网格调整 {done.moved} 户，已在本网格 {done.unchanged} 户",
        highlight=False,
    )


@grids_app.command("import")
@friendly_errors
def import_grids(
    file: Annotated[
        Path, typer.Argument(help="xlsx 或 CSV：村代码、网格名称、网格员(账号)、户编号")
    ],
    as_json: Annotated[bool, JSON_OPTION] = False,
    max_mb: MaxMb = None,
    max_rows: MaxRows = None,
) -> None:
    """导入网格与网格中的农户（每行一户）：逐行列出被拒绝的行，其余照常导入；同一文件再次导入
    不做任何改动。退出码 3 表示有行被拒绝。"""
    with (
        files.limited(file, import_limits(max_mb, max_rows)),
        transaction(session_factory()) as session,
    ):
        result = grid_import.import_file(session, scope=operator(), path=file)
    if as_json:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        for error in result.errors:
            err.print(str(error), highlight=False)
        out.print(result.summary(), highlight=False)
    if result.errors:
        raise typer.Exit(3)


@points_app.command("record")
@friendly_errors
def record_points(
    household: Annotated[str, typer.Argument(help="农户的全农码（或配合 --village 的户编号）")],
    item: Annotated[str, typer.Option("--item", help="积分条目的标识或名称")],
    note: Annotated[str, typer.Option("--note", help="事由")],
    village: Annotated[str, typer.Option("--village", help="户编号所在村的代码")] = "",
    day: Annotated[str, typer.Option("--date", help="登记日期")] = "",
) -> None:
    """为农户登记积分（待村干部审核）。"""
    entry_in = points.EntryIn(household, item, note, parse_date(day) if day else None, village)
    with transaction(session_factory()) as session:
        entry = points.record(session, scope=operator(), rules=rules(), entry_in=entry_in)
        entry_id, value = entry.id, entry.points
    out.print(f"已登记积分记录 {entry_id}：{value} 分，待审核", highlight=False)


@points_app.command("review")
@friendly_errors
def review_points(
    entry_id: Annotated[int, typer.Argument(help="积分记录编号")],
    refuse: Annotated[str, typer.Option("--refuse", help="不通过的理由（不填即通过）")] = "",
) -> None:
    """审核一条积分记录：通过，或写明理由不通过。"""
    with transaction(session_factory()) as session:
        entry = points.review(
            session, scope=operator(), entry_id=entry_id, approve=not refuse, reason=refuse
        )
        state = points.STATE_LABELS[entry.state]
    out.print(f"积分记录 {entry_id}：{state}", highlight=False)


@points_app.command("publish")
@friendly_errors
def publish_points(
    village: Annotated[str, typer.Option("--village", help="村的代码")],
    month: Annotated[str, typer.Option("--month", help="月份，如 2024-05")],
) -> None:
    """公布某村某月审核通过的积分，记入积分台账。"""
    with transaction(session_factory()) as session:
        count = points.publish(session, scope=operator(), village=village, month=month)
    out.print(f"已公布 {count} 条积分记录", highlight=False)


@points_app.command("redeem")
@friendly_errors
def redeem_points(
    household: Annotated[str, typer.Argument(help="农户的全农码（或配合 --village 的户编号）")],
    item: Annotated[str, typer.Option("--item", help="兑换的物品")],
    value: Annotated[int, typer.Option("--points", help="兑换所用的积分")],
    village: Annotated[str, typer.Option("--village", help="户编号所在村的代码")] = "",
) -> None:
    """在积分超市兑换物品：扣减农户积分，余额不能为负。"""
    with transaction(session_factory()) as session:
        points.redeem(
            session, scope=operator(), household=household, item=item, points=value,
            village=village,
        )  # fmt: skip
    out.print(f"已兑换“{item}”，扣减 {value} 分", highlight=False)


@points_app.command("reverse")
@friendly_errors
def reverse_ledger(
    ledger_id: Annotated[int, typer.Argument(help="积分台账的行号")],
    note: Annotated[str, typer.Option("--note", help="冲正的原因")],
) -> None:
    """冲正积分台账中的一行（台账只增不改）。"""
    with transaction(session_factory()) as session:
        row = points.reverse(session, scope=operator(), ledger_id=ledger_id, note=note)
        row_id = row.id
    out.print(f"已冲正第 {ledger_id} 行（冲正记录 {row_id}）", highlight=False)


@points_app.command("balance")
@friendly_errors
def show_balance(
    household: Annotated[str, typer.Argument(help="农户的全农码")],
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """农户已公布的积分、已兑换的积分和余额。"""
    with transaction(session_factory()) as session:
        found = points.household_view(session, scope=operator(), code=household)
        held = found.balance
    data = {"earned": held.earned, "redeemed": held.redeemed, "balance": held.balance}
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    out.print(
        f"已公布 {held.earned} 分，已兑换 {held.redeemed} 分，余额 {held.balance} 分",
        highlight=False,
    )


__all__ = ["err", "governance_app"]
