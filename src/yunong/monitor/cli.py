"""`yunong import …` and `yunong monitor …` commands."""

import json
from dataclasses import asdict
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
from yunong.core.errors import InvalidValue
from yunong.core.tabular import write_workbook
from yunong.monitor import feeds, jobs, ledger, problems, registry
from yunong.monitor.importers import COLUMNS, NOTES
from yunong.policy import loader as policy
from yunong.settings import get_settings
from yunong.store.db import transaction
from yunong.store.open import open_engine

import_app = typer.Typer(help="导入：农户花名册、部门筛查数据", no_args_is_help=True)
monitor_app = typer.Typer(help="防返贫监测：筛查、台账、问题清零", no_args_is_help=True)


@import_app.command("households")
@friendly_errors
def import_households(
    file: Annotated[Path, typer.Argument(help="农户花名册（xlsx 或 csv，一人一行）")],
    year: Annotated[int | None, typer.Option(help="数据所属年度")] = None,
    report: Annotated[Path | None, typer.Option(help="把被拒绝的行写入此 xlsx")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出结果")] = False,
    template: Annotated[bool, typer.Option("--template", help="写出空白模板到 FILE")] = False,
    max_mb: MaxMb = None,
    max_rows: MaxRows = None,
) -> None:
    """导入农户花名册：整户导入或整户拒绝；重复导入不改变结果。退出码 3 表示有户被拒绝。"""
    if template:
        write_workbook(file, [labels[0] for labels in COLUMNS.values()], notes=NOTES)
        out.print(f"已写出模板 {file}")
        return
    if year is None:
        raise InvalidValue("请用 --year 指定数据所属年度")
    with (
        files.limited(file, import_limits(max_mb, max_rows)),
        transaction(session_factory()) as session,
    ):
        result = registry.import_households(session, scope=operator(), path=file, year=year)
    if report is not None:
        write_workbook(
            report,
            ["行号", "列", "原因"],
            [(error.line, error.column, error.reason) for error in result.errors]
            + [(w.line, w.column, f"提醒（已导入）：{w.reason}") for w in result.warnings],
        )
    if as_json:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        for error in result.errors[:200]:
            err.print(str(error), highlight=False)
        for note in result.warnings[:200]:
            out.print(f"提醒：{note}", highlight=False)
        out.print(
            f"农户：{registry.summary(result.households)}；人员：{registry.summary(result.persons)}"
        )
    if result.households.rejected:
        raise typer.Exit(3)


@monitor_app.command("screen")
@friendly_errors
def screen(
    year: Annotated[int, typer.Option(help="筛查年度")],
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出结果")] = False,
) -> None:
    """对全部农户运行策略包中的全部筛查规则，写入预警；重复运行不产生重复预警。"""
    engine = open_engine(get_settings().database_url())
    report = jobs.screen(
        engine,
        scope=operator(),
        pack=policy.get(),
        year=year,
        progress=lambda message: err.print(message, highlight=False),
    )
    if as_json:
        typer.echo(json.dumps(asdict(report), ensure_ascii=False))
        return
    out.print(
        f"{year} 年筛查 {report.households} 户：预警 {report.alerts} 条，"
        f"其中新增 {report.new_alerts} 条"
    )
    for risk, count in sorted(report.by_risk.items(), key=lambda item: -item[1]):
        out.print(f"  {risk}：{count}")


@monitor_app.command("ledger")
@friendly_errors
def ledger_export(
    out_file: Annotated[Path, typer.Argument(help="输出的 xlsx 文件")],
    year: Annotated[int, typer.Option(help="年度")],
) -> None:
    """导出最低收入农户台账（证件号码脱敏）。"""
    with transaction(session_factory()) as session:
        entries = ledger.get_all(session, scope=operator(), pack=policy.get(), year=year)
    write_workbook(out_file, ledger.HEADERS, [entry.as_row() for entry in entries])
    out.print(f"{year} 年最低收入农户 {len(entries)} 户，已写入 {out_file}")


@import_app.command("feed")
@friendly_errors
def import_feed(
    kind: Annotated[
        str,
        typer.Argument(
            help="数据类别：medical_insurance（医保报销）、disaster（灾情名单）、"
            "civil_affairs（民政救助）、housing（住房安全等级）、water（饮水问题）、"
            "employment（就业变化）；也可写中文名称"
        ),
    ],
    file: Annotated[Path | None, typer.Argument(help="部门数据文件（xlsx 或 csv）")] = None,
    template: Annotated[
        Path | None, typer.Option("--template", help="写出该类别的空白模板到此 xlsx 文件")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出结果")] = False,
    max_mb: MaxMb = None,
    max_rows: MaxRows = None,
) -> None:
    """导入部门筛查数据：每行按证件号码记为该户的一条预警信号。

    重复导入不改变结果；不在花名册中的证件号码逐行列出。退出码 3 表示有行被拒绝。
    """
    if template is not None:
        feeds.write_template(kind, template)
        out.print(f"已写出模板 {template}")
        return
    if file is None:
        raise InvalidValue("请给出要导入的文件，或用 --template 指定模板的保存位置")
    _, feed = feeds.get_feed(kind)
    with (
        files.limited(file, import_limits(max_mb, max_rows)),
        transaction(session_factory()) as session,
    ):
        report = feeds.import_feed(session, scope=operator(), kind=kind, path=file)
    if as_json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        for error in report.errors[:200]:
            err.print(str(error), highlight=False)
        if len(report.errors) > 200:
            err.print(f"……另有 {len(report.errors) - 200} 行被拒绝", highlight=False)
        out.print(
            f"{feed.label}：新增 {report.inserted}，未变 {report.unchanged}，"
            f"拒绝 {len(report.errors)}"
        )
    if report.errors:
        raise typer.Exit(3)


@monitor_app.command("problems")
@friendly_errors
def list_problems(
    region: Annotated[str | None, typer.Option(help="只列出此区划代码以内的")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
) -> None:
    """列出待清零的问题：超时的入户核实、评议审核与逾期的帮扶措施，附区划与超时工作日数。"""
    with transaction(session_factory()) as session:
        found = problems.get_all(session, scope=operator(), region=region)
        rate = problems.zeroing_rate(session, scope=operator(), region=region)
    if as_json:
        typer.echo(
            json.dumps(
                {"zeroing_rate": round(rate, 4), "problems": [item.as_json() for item in found]},
                ensure_ascii=False,
            )
        )
        return
    for item in found:
        out.print(
            f"{item.region}\t{item.label}\t{item.what}\t{item.household_code}\t"
            f"时限 {item.due_on}\t超时 {item.age} 个工作日\t{item.owner}",
            highlight=False,
        )
    out.print(f"待清零问题 {len(found)} 个；清零率 {rate:.1%}")


@monitor_app.command("indicators")
@friendly_errors
def indicators(
    region: Annotated[str | None, typer.Option(help="只统计此区划代码以内的")] = None,
) -> None:
    """以 JSON 输出监测指标：清零率、待清零问题数、按类别统计的监测户数。"""
    with transaction(session_factory()) as session:
        figures = problems.indicators(session, scope=operator(), pack=policy.get(), region=region)
    typer.echo(json.dumps(figures, ensure_ascii=False))
