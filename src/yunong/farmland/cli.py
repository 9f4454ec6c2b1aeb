"""`yunong farmland …`: 上图入库 of project boundaries, steps of a project, the ledger."""

import json
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
from yunong.farmland import acceptance, boundaries, ledger, steps
from yunong.farmland.codes import Step
from yunong.policy import loader as policy
from yunong.store.db import engine_of, transaction

farmland_app = typer.Typer(
    help="高标准农田：项目边界上图入库、项目环节、项目台账", no_args_is_help=True
)

JSON_OPTION = typer.Option("--json", help="以 JSON 输出结果")


@farmland_app.command("import")
@friendly_errors
def import_boundaries(
    file: Annotated[Path, typer.Argument(help="GeoPackage、Shapefile（可为 GBK）或 GeoJSON")],
    crs: Annotated[str | None, typer.Option(help="文件没有坐标系时指定，如 EPSG:4545")] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
    max_mb: MaxMb = None,
    max_rows: MaxRows = None,
) -> None:
    """导入项目边界（项目编号、项目名称、建设年度、建设类型、建设规模（亩））：逐个列出被拒绝的要素，
    其余照常导入，并给出各项目边界内的耕地面积。退出码 3 表示有要素被拒绝。"""
    with (
        files.limited(file, import_limits(max_mb, max_rows)),
        transaction(session_factory()) as session,
    ):
        result = boundaries.import_file(session, scope=operator(), path=file, crs=crs)
    if as_json:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        for error in result.errors:
            err.print(str(error), highlight=False)
        for overlap in result.overlaps:
            out.print(str(overlap), highlight=False)
        for area in result.areas:
            out.print(f"{area['project']}：边界内耕地 {area['cultivated_mu']} 亩", highlight=False)
        out.print(result.summary(), highlight=False)
    if result.errors:
        raise typer.Exit(3)


@farmland_app.command("step")
@friendly_errors
def take_step(
    number: Annotated[str, typer.Argument(help="项目编号")],
    step: Annotated[str, typer.Argument(help="环节，如 规划编制、申报审批、竣工验收")],
    day: Annotated[str, typer.Option("--date", help="办理日期")] = "",
    document: Annotated[str, typer.Option(help="文件文号或名称")] = "",
) -> None:
    """办理项目的下一环节（命令行以系统身份办理，仍按顺序并检查政策包规则）。"""
    done_on = parse_date(day) if day else date.today()
    sessions = session_factory()
    with transaction(sessions) as session:
        row = steps.take(
            session,
            scope=operator(),
            pack=policy.get(),
            number=number,
            step_in=steps.StepIn(step, done_on or date.today(), document),
        )
        label = steps.step_of(row.step).label
        accepted = row.step == Step.ACCEPT.value
        villages = acceptance.villages_covered(session, scope=operator(), number=number)
        engine = engine_of(session)
    if accepted:
        acceptance.refresh_map(engine, villages=villages, pack=policy.get())
    out.print(f"项目 {number}：已办理“{label}”", highlight=False)


@farmland_app.command("ledger")
@friendly_errors
def export_ledger(
    out_file: Annotated[Path, typer.Argument(help="输出的 xlsx 文件")],
) -> None:
    """导出项目台账（xlsx，按区县上报的格式）。"""
    with transaction(session_factory()) as session:
        rows = ledger.write(session, scope=operator(), path=out_file)
    out.print(f"已导出 {rows} 个项目到 {out_file}", highlight=False)


__all__ = ["err", "farmland_app"]
