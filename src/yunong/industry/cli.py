"""`yunong industry …`: import series, evaluate the warning rules, list the warnings."""

import json
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
from yunong.core.tabular import write_workbook
from yunong.industry import importers, service, warnings
from yunong.industry.catalogue import catalogue, parse_day
from yunong.policy import loader as policy
from yunong.store.db import transaction

industry_app = typer.Typer(help="产业大脑：监测序列、预警", no_args_is_help=True)


@industry_app.command("import")
@friendly_errors
def import_series(
    file: Annotated[
        Path, typer.Argument(help="监测数据（xlsx 或 csv：日期、指标、区划、数值、单位、来源）")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出结果")] = False,
    template: Annotated[bool, typer.Option("--template", help="写出空白模板到 FILE")] = False,
    max_mb: MaxMb = None,
    max_rows: MaxRows = None,
) -> None:
    """导入监测数据，逐行拒绝有误的行，导入后运行预警规则；重复导入不改变结果。

    退出码 3 表示有行被拒绝。"""
    if template:
        write_workbook(file, list(importers.COLUMNS), notes=importers.NOTES)
        out.print(f"已写出模板 {file}")
        return
    with (
        files.limited(file, import_limits(max_mb, max_rows)),
        transaction(session_factory()) as session,
    ):
        result = importers.import_file(session, scope=operator(), path=file, pack=policy.get())
    if as_json:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        for error in result.errors[:200]:
            err.print(str(error), highlight=False)
        out.print(result.summary(), highlight=False)
    if result.rejected:
        raise typer.Exit(3)


@industry_app.command("evaluate")
@friendly_errors
def evaluate(
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出结果")] = False,
) -> None:
    """按策略包的预警规则重新评估全部监测数据（供定时任务运行）。"""
    with transaction(session_factory()) as session:
        result = warnings.evaluate(session, scope=warnings.EVALUATOR, pack=policy.get())
    figures = {
        "raised": result.raised,
        "changed": result.changed,
        "cleared": result.cleared,
        "standing": result.standing,
    }
    if as_json:
        typer.echo(json.dumps(figures, ensure_ascii=False))
    else:
        out.print(
            f"新增预警 {result.raised}，级别变化 {result.changed}，解除 {result.cleared}，"
            f"现有 {result.standing}"
        )


@industry_app.command("alerts")
@friendly_errors
def alerts(
    chain: Annotated[
        str | None, typer.Option("--chain", help="产业链名称，如 生猪；或 菜篮子")
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="自此日期起，如 2024-03-01")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
) -> None:
    """列出预警：日期、指标、区划、级别、规则。"""
    day = parse_day(since) if since else None
    with transaction(session_factory()) as session:
        found = service.get_all(
            session, scope=operator(), known=catalogue(policy.get()), chain=chain, since=day
        )
        rows = [service.as_json(warning) for warning in found]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for row in rows:
        out.print(
            f"{row['date']}  {row['indicator']}  {row['region']}  {row['level']}  {row['rule']}",
            highlight=False,
        )
    out.print(f"共 {len(rows)} 条", highlight=False)
